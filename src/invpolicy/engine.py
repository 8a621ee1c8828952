"""Compile a policy once, then decide (and explain) many invitations.

Conditions use three-valued logic: a criterion answers ``True``, ``False`` or
``None`` (unknown, when the facts it needs are absent). ``any`` is true when
one part is true even if others are unknown; ``all`` is false when one part is
false. A rule whose condition is unknown does not fire; the next one is tried.

The facts reported as *missing* are those whose absence kept a rule from being
decided: the unknown criteria under a rule whose condition came out unknown
(an unknown part of an ``any`` that was true anyway did not matter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invpolicy.contract import Check, Facts, Render, is_reply_text
from invpolicy.errors import PluginError
from invpolicy.policy import (
    AllOf,
    AnyOf,
    Condition,
    CriterionCheck,
    Policy,
    Rule,
    ScoreTest,
    Signal,
)

#: The invitation field holding the inviter's answer to your message.
FOLLOW_UP = "follow_up"

#: The decision given when a plugin failed, so that the other decisions stand.
ERROR = "error"

if TYPE_CHECKING:
    from invpolicy.invitations import Invitation
    from invpolicy.plugins import Registry


@dataclass(frozen=True)
class Reply:
    """The message drafted for a decision."""

    generator: str
    language: str
    text: str

    def to_json(self) -> dict[str, str]:
        return {"generator": self.generator, "language": self.language, "text": self.text}


@dataclass(frozen=True)
class Decision:
    """What a policy decided for one invitation, and why."""

    policy: str
    invitation: str
    decision: str
    rule: str
    reply: Reply | None
    missing: tuple[str, ...]
    trace: tuple[RuleTrace, ...] | None = None
    score: Score | None = None
    on_follow_up: bool = False
    #: Why no decision could be made: a plugin failed (``decision`` is ``error``).
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "decision": self.decision,
            "rule": self.rule,
            "on_follow_up": self.on_follow_up,
            "score": self.score.to_json() if self.score else None,
            "reply": self.reply.to_json() if self.reply else None,
            "missing": list(self.missing),
        }
        if self.trace is not None:
            out["explanation"] = [step.to_json() for step in self.trace]
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass(frozen=True)
class RuleTrace:
    """One rule tried: its condition's value and how each part came out."""

    rule: str
    value: bool | None
    fired: bool
    condition: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "value": self.value,
            "fired": self.fired,
            "condition": self.condition,
        }


class _Eval:
    """The state of one decision: the facts, the missing ones so far, the score once computed."""

    __slots__ = ("explain", "facts", "missing", "score")

    def __init__(self, facts: Facts, explain: bool) -> None:
        self.facts = facts
        self.explain = explain
        self.missing: list[str] = []
        self.score: Score | None = None


#: A compiled condition: its value for one decision, adding to ``missing`` when unknown.
#: A test that comes out true or false leaves ``missing`` as it found it.
Test = Callable[[_Eval], "bool | None"]


class _Leaf:
    """One criterion of a plugin (built-in ones included), compiled with its parameters."""

    __slots__ = ("check", "criterion", "facts", "owner", "params", "test")

    def __init__(
        self, node: CriterionCheck, check: Check, facts: tuple[str, ...], owner: str
    ) -> None:
        self.criterion = node.criterion
        self.params = node.params
        self.check = check
        self.facts = facts
        self.owner = owner
        self.test = self._test()

    def _test(self) -> Test:
        check, reads, failed = self.check, self.facts, self._failed

        def test(ctx: _Eval) -> bool | None:
            facts = ctx.facts
            try:
                result = check(facts)
            except Exception as exc:
                raise failed(exc) from exc
            if result is None:
                ctx.missing.extend([fact for fact in reads if fact not in facts])
                return None
            if result is True or result is False:
                return result
            raise failed(result=result)

        return test

    def _failed(self, exc: Exception | None = None, *, result: object = None) -> PluginError:
        what = f"criterion '{self.criterion}' of plugin {self.owner}"
        if exc is not None:
            return PluginError(f"{what} failed: {type(exc).__name__}: {exc}")
        return PluginError(f"{what} returned {type(result).__name__}, expected True, False or None")

    def trace(self, ctx: _Eval) -> dict[str, Any]:
        mark = len(ctx.missing)
        value = self.test(ctx)
        return {
            "criterion": self.criterion,
            "params": dict(self.params),
            "value": value,
            "saw": {f: ctx.facts[f] for f in self.facts if f in ctx.facts},
            # Absent facts matter only when they left the criterion unable to tell.
            "missing": ctx.missing[mark:],
        }

    def reads(self) -> set[str]:
        return set(self.facts)


class _Junction:
    """``all`` (decided by the first false part) or ``any`` (by the first true part)."""

    __slots__ = ("decisive", "op", "parts", "test")

    def __init__(self, op: str, parts: list[_Node]) -> None:
        self.op = op
        self.parts = parts
        self.decisive = op == "any"
        self.test = self._test()

    def _test(self) -> Test:
        if len(self.parts) == 1:
            return self.parts[0].test  # one part: its value, and its missing facts
        tests = tuple(part.test for part in self.parts)
        decisive = self.decisive

        def test(ctx: _Eval) -> bool | None:
            missing = ctx.missing
            mark = len(missing)
            unknown = False
            for part in tests:
                result = part(ctx)
                if result is decisive:
                    # Decided anyway: the unknown parts before did not matter.
                    del missing[mark:]
                    return decisive
                if result is None:
                    unknown = True
            return None if unknown else not decisive

        return test

    def trace(self, ctx: _Eval) -> dict[str, Any]:
        # Every part is traced (no short cut), and the value follows from theirs.
        mark = len(ctx.missing)
        parts = [p.trace(ctx) for p in self.parts]
        values = [p["value"] for p in parts]
        if self.decisive in values:
            value: bool | None = self.decisive
        elif None in values:
            value = None
        else:
            value = not self.decisive
        if value is not None:
            del ctx.missing[mark:]
        return {self.op: parts, "value": value}

    def reads(self) -> set[str]:
        return set().union(*(part.reads() for part in self.parts))


class _Not:
    __slots__ = ("part", "test")

    def __init__(self, part: _Node) -> None:
        self.part = part
        inner = part.test

        def test(ctx: _Eval) -> bool | None:
            result = inner(ctx)
            return None if result is None else not result

        self.test: Test = test

    def trace(self, ctx: _Eval) -> dict[str, Any]:
        part = self.part.trace(ctx)
        value = part["value"]
        return {"not": part, "value": None if value is None else not value}

    def reads(self) -> set[str]:
        return self.part.reads()


class _ScoreTest:
    """``score: {at_least, below}``: decided by the bounds the score can still reach."""

    __slots__ = ("node", "scorer", "test")

    def __init__(self, node: ScoreTest, scorer: _Scorer) -> None:
        self.node = node
        self.scorer = scorer
        compute, within = scorer.compute, node.within

        def test(ctx: _Eval) -> bool | None:
            score = ctx.score if ctx.score is not None else compute(ctx)
            value = within(score.low, score.high)
            if value is None:
                ctx.missing.extend(score.missing)
            return value

        self.test: Test = test

    def trace(self, ctx: _Eval) -> dict[str, Any]:
        mark = len(ctx.missing)
        value = self.test(ctx)
        assert ctx.score is not None
        return {
            "score": self.node.bounds(),
            "value": value,
            "total": ctx.score.total,
            "low": ctx.score.low,
            "high": ctx.score.high,
            "missing": ctx.missing[mark:],
        }

    def reads(self) -> set[str]:
        return self.scorer.reads()


_Node = _Leaf | _Junction | _Not | _ScoreTest


@dataclass(frozen=True)
class Contribution:
    """What one signal added to the score."""

    signal: str
    weight: float
    value: bool | None
    points: float
    missing: tuple[str, ...]
    condition: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "signal": self.signal,
            "weight": self.weight,
            "value": self.value,
            "points": self.points,
            "missing": list(self.missing),
        }
        if self.condition is not None:
            out["condition"] = self.condition
        return out


@dataclass(frozen=True)
class Score:
    """A policy's score for one invitation.

    ``total`` adds the weights of the signals that are true. While some signals
    are unknown the score could still move: ``low`` and ``high`` are the least
    and the most it can reach once they are known, and a threshold is decided
    only when both fall on the same side of it.
    """

    total: float
    low: float
    high: float
    contributions: tuple[Contribution, ...]
    missing: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "low": self.low,
            "high": self.high,
            "signals": [c.to_json() for c in self.contributions],
        }


class _Signal:
    __slots__ = ("id", "weight", "when")

    def __init__(self, signal: Signal, when: _Node) -> None:
        self.id = signal.id
        self.weight = signal.weight
        self.when = when


def score_range(
    weights: Sequence[float], values: Sequence[bool | None]
) -> tuple[float, float, float]:
    """The score (``total``) and the ``low`` and ``high`` it can still reach.

    ``values`` says for each weighted signal whether it is true, false or
    unknown. The sums are rounded, so that weights such as 0.7 and 0.1 reach
    a threshold of 0.8.
    """
    total: float = 0
    low: float = 0
    high: float = 0
    for weight, value in zip(weights, values, strict=True):
        total += weight if value is True else 0
        if value is None:
            low += min(weight, 0)
            high += max(weight, 0)
    return round(total, 9), round(total + low, 9), round(total + high, 9)


class _Scorer:
    """Adds up the weighted signals of a policy, once per decision."""

    __slots__ = ("signals",)

    def __init__(self, signals: list[_Signal]) -> None:
        self.signals = signals

    def compute(self, ctx: _Eval) -> Score:
        outer = ctx.missing
        values: list[bool | None] = []
        contributions = []
        missing: list[str] = []
        for signal in self.signals:
            ctx.missing = []
            condition = None
            if ctx.explain:
                condition = signal.when.trace(ctx)
                value = condition["value"]
            else:
                value = signal.when.test(ctx)
            values.append(value)
            if value is None:
                missing.extend(ctx.missing)
            points = signal.weight if value is True else 0
            contributions.append(
                Contribution(signal.id, signal.weight, value, points, tuple(ctx.missing), condition)
            )
        ctx.missing = outer
        total, low, high = score_range([signal.weight for signal in self.signals], values)
        ctx.score = Score(
            total=total,
            low=low,
            high=high,
            contributions=tuple(contributions),
            missing=tuple(dict.fromkeys(missing)),
        )
        return ctx.score

    def reads(self) -> set[str]:
        return set().union(*(signal.when.reads() for signal in self.signals))


class _CompiledRule:
    __slots__ = (
        "decision",
        "generator",
        "id",
        "languages",
        "on_follow_up",
        "owner",
        "render",
        "test",
        "when",
    )

    def __init__(
        self,
        rule: Rule,
        when: _Node | None,
        render: Render | None,
        languages: tuple[str, ...],
        owner: str = "",
    ) -> None:
        self.id = rule.id
        self.decision = rule.decision
        self.when = when
        #: The condition's test; None for a rule that always fires.
        self.test = None if when is None else when.test
        self.generator = rule.reply.generator if rule.reply else None
        #: The plugin that provides the generator, which error messages name.
        self.owner = owner
        self.render = render
        self.languages = languages
        # A rule that reads the inviter's answer decides on the follow-up.
        self.on_follow_up = when is not None and FOLLOW_UP in when.reads()


class CompiledPolicy:
    """A policy ready to decide: criteria and generators resolved and compiled once."""

    def __init__(self, policy: Policy, registry: Registry) -> None:
        self.policy = policy
        self.name = policy.name
        self.language = policy.language
        #: Each criterion check compiled: the facts it reads and its parameters.
        self.checks: list[tuple[tuple[str, ...], Mapping[str, Any]]] = []
        self._scorer = _Scorer(
            [
                _Signal(signal, self._compile(signal.when, registry, None))
                for signal in policy.scoring
            ]
        )
        self._rules = [self._compile_rule(rule, registry) for rule in policy.rules]

    def _compile_rule(self, rule: Rule, registry: Registry) -> _CompiledRule:
        when = self._compile(rule.when, registry, self._scorer) if rule.when is not None else None
        if rule.reply is None:
            return _CompiledRule(rule, when, None, ())
        generator = registry.generators[rule.reply.generator]
        owner = registry.origins[("reply generator", generator.name)].plugin
        render = _call_plugin(
            f"reply generator '{generator.name}' of plugin {owner}",
            generator.compile,
            rule.reply.params,
        )
        return _CompiledRule(rule, when, render, generator.languages, owner)

    def _compile(self, node: Condition, registry: Registry, scorer: _Scorer | None) -> _Node:
        if isinstance(node, CriterionCheck):
            criterion = registry.criteria[node.criterion]
            owner = registry.origins[("criterion", criterion.name)].plugin
            check = _call_plugin(
                f"criterion '{criterion.name}' of plugin {owner}", criterion.compile, node.params
            )
            self.checks.append((criterion.facts, node.params))
            return _Leaf(node, check, criterion.facts, owner)
        if isinstance(node, ScoreTest):
            assert scorer is not None, "validation keeps score tests out of signals"
            return _ScoreTest(node, scorer)
        if isinstance(node, AllOf | AnyOf):
            op = "all" if isinstance(node, AllOf) else "any"
            return _Junction(op, [self._compile(p, registry, scorer) for p in node.parts])
        return _Not(self._compile(node.part, registry, scorer))

    def decide(self, invitation: Invitation, *, explain: bool = False) -> Decision:
        """The decision for one invitation; with ``explain``, the trace of every rule tried.

        Each criterion runs once per rule tried, and the score (if the policy
        scores) once per decision, whichever rule decides. Raises :class:`PluginError`, naming the
        plugin's criterion or generator and the invitation, when a plugin fails.
        """
        try:
            if explain:
                return self._explained(invitation)
            ctx = _Eval(invitation.facts, False)
            for rule in self._rules:
                test = rule.test
                if test is None or test(ctx) is True:
                    return self._decision(rule, invitation, ctx, None)
        except PluginError as exc:
            raise PluginError(
                f"{exc} (policy '{self.name}', invitation '{invitation.id}')"
            ) from exc
        raise AssertionError("a validated policy ends with a rule that always fires")

    def _explained(self, invitation: Invitation) -> Decision:
        ctx = _Eval(invitation.facts, True)
        steps: list[RuleTrace] = []
        for rule in self._rules:
            condition = None if rule.when is None else rule.when.trace(ctx)
            value: bool | None = True if condition is None else condition["value"]
            steps.append(RuleTrace(rule.id, value, value is True, condition))
            if value is True:
                return self._decision(rule, invitation, ctx, tuple(steps))
        raise AssertionError("a validated policy ends with a rule that always fires")

    def _decision(
        self,
        rule: _CompiledRule,
        invitation: Invitation,
        ctx: _Eval,
        steps: tuple[RuleTrace, ...] | None,
    ) -> Decision:
        if ctx.score is None and self._scorer.signals:
            # A scoring policy always gives its score, even when an
            # explicit rule decided before a threshold needed it.
            self._scorer.compute(ctx)
        missing = ctx.missing
        return Decision(
            policy=self.name,
            invitation=invitation.id,
            decision=rule.decision,
            rule=rule.id,
            reply=None if rule.render is None else self._reply(rule, invitation),
            missing=tuple(dict.fromkeys(missing)) if missing else (),
            trace=steps,
            score=ctx.score,
            on_follow_up=rule.on_follow_up,
        )

    def _reply(self, rule: _CompiledRule, invitation: Invitation) -> Reply | None:
        if rule.render is None or rule.generator is None:
            return None
        language = invitation.language or self.language
        if language not in rule.languages:
            language = self.language
        try:
            text = rule.render(invitation.facts, language)
        except Exception as exc:
            raise PluginError(
                f"reply generator '{rule.generator}' of plugin {rule.owner} failed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if not is_reply_text(text):
            raise PluginError(
                f"reply generator '{rule.generator}' of plugin {rule.owner} wrote no text"
            )
        return Reply(rule.generator, language, text)


def _call_plugin(what: str, compile_: Any, params: Mapping[str, Any]) -> Any:
    try:
        return compile_(params)
    except Exception as exc:
        raise PluginError(f"{what} failed to compile: {type(exc).__name__}: {exc}") from exc
