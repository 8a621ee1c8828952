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

    def value(self, facts: Facts) -> bool | None:
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

    def missing(self, facts: Facts, out: list[str]) -> None:
        if self.value(facts) is None:
            out.extend(f for f in self.facts if f not in facts)

    def trace(self, facts: Facts) -> dict[str, Any]:
        value = self.value(facts)
        return {
            "criterion": self.criterion,
            "params": dict(self.params),
            "value": value,
            "saw": {f: facts[f] for f in self.facts if f in facts},
            # Absent facts matter only when they left the criterion unable to tell.
            "missing": [f for f in self.facts if f not in facts] if value is None else [],
        }


class _Junction:
    """``all`` (decided by the first false part) or ``any`` (by the first true part)."""

    __slots__ = ("decisive", "op", "parts")

    def __init__(self, op: str, parts: list[_Node]) -> None:
        self.op = op
        self.parts = parts
        self.decisive = op == "any"

    def value(self, facts: Facts) -> bool | None:
        decisive = self.decisive
        unknown = False
        for part in self.parts:
            result = part.value(facts)
            if result is decisive:
                return decisive
            if result is None:
                unknown = True
        return None if unknown else not decisive

    def missing(self, facts: Facts, out: list[str]) -> None:
        if self.value(facts) is None:
            for part in self.parts:
                part.missing(facts, out)

    def trace(self, facts: Facts) -> dict[str, Any]:
        return {self.op: [p.trace(facts) for p in self.parts], "value": self.value(facts)}


class _Not:
    __slots__ = ("part",)

    def __init__(self, part: _Node) -> None:
        self.part = part

    def value(self, facts: Facts) -> bool | None:
        result = self.part.value(facts)
        return None if result is None else not result

    def missing(self, facts: Facts, out: list[str]) -> None:
        self.part.missing(facts, out)

    def trace(self, facts: Facts) -> dict[str, Any]:
        return {"not": self.part.trace(facts), "value": self.value(facts)}


_Node = _Leaf | _Junction | _Not


class _CompiledRule:
    __slots__ = ("decision", "id", "language", "render", "reply_generator", "when")

    def __init__(self, rule: Rule, when: _Node | None, render: Render | None, language: str):
        self.id = rule.id
        self.decision = rule.decision
        self.when = when
        self.reply_generator = rule.reply.generator if rule.reply else None
        self.render = render
        self.language = language


class CompiledPolicy:
    """A policy ready to decide: criteria and generators resolved and compiled once."""

    def __init__(self, policy: Policy, registry: Registry) -> None:
        self.policy = policy
        self.name = policy.name
        self._languages: dict[str, tuple[str, ...]] = {}
        self._rules = [self._compile_rule(rule, registry) for rule in policy.rules]

    def _compile_rule(self, rule: Rule, registry: Registry) -> _CompiledRule:
        when = self._compile(rule.when, registry) if rule.when is not None else None
        render: Render | None = None
        if rule.reply is not None:
            generator = registry.generators[rule.reply.generator]
            render = _call_plugin(
                f"reply generator '{generator.name}'", generator.compile, rule.reply.params
            )
            self._languages[rule.id] = generator.languages
        return _CompiledRule(rule, when, render, self.policy.language)

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

        Raises :class:`PluginError`, naming the plugin's criterion or generator
        and the invitation, when a plugin fails.
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
            value = True if rule.when is None else rule.when.value(facts)
            if explain:
                condition = rule.when.trace(facts) if rule.when is not None else None
                steps.append(RuleTrace(rule.id, value, value is True, condition))
            if value is None and rule.when is not None:
                rule.when.missing(facts, missing)
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
        language = invitation.language or rule.language
        if language not in self._languages[rule.id]:
            language = rule.language
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
