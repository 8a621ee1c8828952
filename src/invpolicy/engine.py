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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invpolicy.contract import Check, Facts, Render
from invpolicy.errors import PluginError
from invpolicy.policy import AllOf, AnyOf, Condition, CriterionCheck, Policy, Rule

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

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "decision": self.decision,
            "rule": self.rule,
            "reply": self.reply.to_json() if self.reply else None,
            "missing": list(self.missing),
        }
        if self.trace is not None:
            out["explanation"] = [step.to_json() for step in self.trace]
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


class _Leaf:
    __slots__ = ("check", "criterion", "facts", "params")

    def __init__(self, node: CriterionCheck, check: Check, facts: tuple[str, ...]) -> None:
        self.criterion = node.criterion
        self.params = node.params
        self.check = check
        self.facts = facts

    def _run(self, facts: Facts) -> bool | None:
        try:
            result = self.check(facts)
        except Exception as exc:
            raise PluginError(
                f"criterion '{self.criterion}' failed: {type(exc).__name__}: {exc}"
            ) from exc
        if result is not None and result is not True and result is not False:
            raise PluginError(
                f"criterion '{self.criterion}' returned {type(result).__name__}, "
                "expected True, False or None"
            )
        return result

    def evaluate(self, facts: Facts, missing: list[str]) -> bool | None:
        result = self._run(facts)
        if result is None:
            missing.extend(f for f in self.facts if f not in facts)
        return result

    def trace(self, facts: Facts, missing: list[str]) -> dict[str, Any]:
        mark = len(missing)
        value = self.evaluate(facts, missing)
        return {
            "criterion": self.criterion,
            "params": dict(self.params),
            "value": value,
            "saw": {f: facts[f] for f in self.facts if f in facts},
            # Absent facts matter only when they left the criterion unable to tell.
            "missing": missing[mark:],
        }


class _Junction:
    """``all`` (decided by the first false part) or ``any`` (by the first true part)."""

    __slots__ = ("decisive", "op", "parts")

    def __init__(self, op: str, parts: list[_Node]) -> None:
        self.op = op
        self.parts = parts
        self.decisive = op == "any"

    def evaluate(self, facts: Facts, missing: list[str]) -> bool | None:
        decisive = self.decisive
        mark = len(missing)
        unknown = False
        for part in self.parts:
            result = part.evaluate(facts, missing)
            if result is decisive:
                # Decided anyway: the unknown parts before did not matter.
                del missing[mark:]
                return decisive
            if result is None:
                unknown = True
        return None if unknown else not decisive

    def trace(self, facts: Facts, missing: list[str]) -> dict[str, Any]:
        # Every part is traced (no short cut), and the value follows from theirs.
        mark = len(missing)
        parts = [p.trace(facts, missing) for p in self.parts]
        values = [p["value"] for p in parts]
        if self.decisive in values:
            value: bool | None = self.decisive
        elif None in values:
            value = None
        else:
            value = not self.decisive
        if value is not None:
            del missing[mark:]
        return {self.op: parts, "value": value}


class _Not:
    __slots__ = ("part",)

    def __init__(self, part: _Node) -> None:
        self.part = part

    def evaluate(self, facts: Facts, missing: list[str]) -> bool | None:
        result = self.part.evaluate(facts, missing)
        return None if result is None else not result

    def trace(self, facts: Facts, missing: list[str]) -> dict[str, Any]:
        part = self.part.trace(facts, missing)
        value = part["value"]
        return {"not": part, "value": None if value is None else not value}


_Node = _Leaf | _Junction | _Not


class _CompiledRule:
    __slots__ = ("decision", "id", "languages", "render", "reply_generator", "when")

    def __init__(
        self,
        rule: Rule,
        when: _Node | None,
        render: Render | None,
        languages: tuple[str, ...],
    ) -> None:
        self.id = rule.id
        self.decision = rule.decision
        self.when = when
        self.reply_generator = rule.reply.generator if rule.reply else None
        self.render = render
        self.languages = languages


class CompiledPolicy:
    """A policy ready to decide: criteria and generators resolved and compiled once."""

    def __init__(self, policy: Policy, registry: Registry) -> None:
        self.policy = policy
        self.name = policy.name
        self.language = policy.language
        self._rules = [self._compile_rule(rule, registry) for rule in policy.rules]

    def _compile_rule(self, rule: Rule, registry: Registry) -> _CompiledRule:
        when = self._compile(rule.when, registry) if rule.when is not None else None
        if rule.reply is None:
            return _CompiledRule(rule, when, None, ())
        generator = registry.generators[rule.reply.generator]
        render = _call_plugin(
            f"reply generator '{generator.name}'", generator.compile, rule.reply.params
        )
        return _CompiledRule(rule, when, render, generator.languages)

    def _compile(self, node: Condition, registry: Registry) -> _Node:
        if isinstance(node, CriterionCheck):
            criterion = registry.criteria[node.criterion]
            check = _call_plugin(f"criterion '{criterion.name}'", criterion.compile, node.params)
            return _Leaf(node, check, criterion.facts)
        if isinstance(node, AllOf | AnyOf):
            op = "all" if isinstance(node, AllOf) else "any"
            return _Junction(op, [self._compile(p, registry) for p in node.parts])
        return _Not(self._compile(node.part, registry))

    def decide(self, invitation: Invitation, *, explain: bool = False) -> Decision:
        """The decision for one invitation; with ``explain``, the trace of every rule tried.

        Each criterion runs once per rule tried. Raises :class:`PluginError`,
        naming the plugin's criterion or generator and the invitation, when a
        plugin fails.
        """
        try:
            return self._decide(invitation, explain)
        except PluginError as exc:
            raise PluginError(
                f"{exc} (policy '{self.name}', invitation '{invitation.id}')"
            ) from exc

    def _decide(self, invitation: Invitation, explain: bool) -> Decision:
        facts = invitation.facts
        missing: list[str] = []
        steps: list[RuleTrace] = []
        for rule in self._rules:
            if rule.when is None:
                value: bool | None = True
                condition = None
            elif explain:
                condition = rule.when.trace(facts, missing)
                value = condition["value"]
            else:
                value = rule.when.evaluate(facts, missing)
            if explain:
                steps.append(RuleTrace(rule.id, value, value is True, condition))
            if value is True:
                return Decision(
                    policy=self.name,
                    invitation=invitation.id,
                    decision=rule.decision,
                    rule=rule.id,
                    reply=self._reply(rule, invitation),
                    missing=tuple(dict.fromkeys(missing)),
                    trace=tuple(steps) if explain else None,
                )
        raise AssertionError("a validated policy ends with a rule that always fires")

    def _reply(self, rule: _CompiledRule, invitation: Invitation) -> Reply | None:
        if rule.render is None or rule.reply_generator is None:
            return None
        language = invitation.language or self.language
        if language not in rule.languages:
            language = self.language
        try:
            text = rule.render(invitation.facts, language)
        except Exception as exc:
            raise PluginError(
                f"reply generator '{rule.reply_generator}' failed: {type(exc).__name__}: {exc}"
            ) from exc
        if not isinstance(text, str) or not text.strip():
            raise PluginError(f"reply generator '{rule.reply_generator}' wrote no text")
        return Reply(rule.reply_generator, language, text)


def _call_plugin(what: str, compile_: Any, params: Mapping[str, Any]) -> Any:
    try:
        return compile_(params)
    except Exception as exc:
        raise PluginError(f"{what} failed to compile: {type(exc).__name__}: {exc}") from exc
