"""What would change a decision: the facts whose value would flip it.

For each fact a policy reads, invpolicy tries other values and decides again:
for a yes/no fact, the other answer (or both, when it is unknown); for a count,
zero and the values around each threshold that the policy's criteria name; for
a list, an empty one and a non-empty one. Only one fact changes at a time, and
only the changes that give another decision are kept, so every sentence is one
the policy really stands by. A value that the other known facts rule out (0
mutual connections, yet 3 of them in your sector) is not tried: the nearest
value they allow is tried instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from invpolicy.frozen import frozen
from invpolicy.schema.fields import invitation_fields, shown
from invpolicy.schema.links import clamp, would_break

if TYPE_CHECKING:
    from invpolicy.engine.compiled import CompiledPolicy
    from invpolicy.engine.decision import Decision
    from invpolicy.model.invitation import Invitation

#: Facts that say which invitation this is, not what is known about the inviter.
_NOT_TRIED = frozenset({"id", "name", "network", "language"})
#: Stands for "something" in a list fact when the policy names no item.
_ITEM = "something"


@frozen
class Change:
    """``policy`` would decide ``decision`` (by ``rule``) if ``fact`` were ``value``."""

    policy: str
    fact: str
    value: Any
    decision: str
    rule: str

    def describe(self) -> str:
        """The change in a sentence: "strong-ties-only would accept if met_in_person were true"."""
        return f"{self.policy} would {self.decision} if {self.fact} {_were(self.value)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "fact": self.fact,
            "value": self.value,
            "decision": self.decision,
            "rule": self.rule,
        }


def _were(value: Any) -> str:
    if isinstance(value, list):
        if not value:
            return "were empty"
        if value == [_ITEM]:
            return "were not empty"
        return f"held {shown(value)}"
    return f"were {shown(value)}"


def what_would_change(
    policy: CompiledPolicy, invitation: Invitation, decision: Decision | None = None
) -> list[Change]:
    """The single-fact changes that would give another decision, in the policy's reading order."""
    if decision is None:
        decision = policy.decide(invitation)
    reading = _reading(policy)
    changes: dict[tuple[str, str], Change] = {}
    for fact in reading.order:
        for value in _possible(reading, invitation, fact) or ():
            other = _decide_with(policy, invitation, fact, value)
            # The first value tried (the smallest count) stands for the others.
            if other.decision != decision.decision and (fact, other.decision) not in changes:
                changes[fact, other.decision] = Change(
                    policy.name, fact, value, other.decision, other.rule
                )
    return list(changes.values())


def could_change(
    policy: CompiledPolicy, invitation: Invitation, fact: str, decision: Decision
) -> bool:
    """Whether some value of ``fact`` gives another decision.

    True as well for a fact whose values cannot be tried (free text such as a
    headline): then only the person can tell.
    """
    values = _possible(_reading(policy), invitation, fact)
    if values is None:
        return True
    return any(
        _decide_with(policy, invitation, fact, value).decision != decision.decision
        for value in values
    )


def could_change_reply(
    policy: CompiledPolicy, invitation: Invitation, fact: str, decision: Decision
) -> bool:
    """Whether some value of ``fact`` gives another decision or another reply.

    The reply's language counts too: an unknown ``language`` could change it.
    """
    if fact == "language":
        values: list[Any] | None = [lang for lang in ("fr", "en") if lang != invitation.language]
    else:
        values = _possible(_reading(policy), invitation, fact)
    if values is None:
        return False
    for value in values:
        other = _decide_with(policy, invitation, fact, value)
        if other.decision != decision.decision or other.reply != decision.reply:
            return True
    return False


def _possible(reading: _Reading, invitation: Invitation, fact: str) -> list[Any] | None:
    """The values of ``fact`` worth trying that the other known facts allow (their links)."""
    current = invitation.facts.get(fact)
    values = reading.values(fact, current)
    if values is None:
        return None
    # A value out of the bounds the other facts give is moved to the nearest one in them.
    kept: list[Any] = []
    for value in values:
        value = clamp(invitation.facts, fact, value)
        if value != current and value not in kept:
            kept.append(value)
    return [value for value in kept if not would_break(invitation.facts, fact, value)]


def _decide_with(policy: CompiledPolicy, invitation: Invitation, fact: str, value: Any) -> Decision:
    from invpolicy.model.invitation import Invitation

    facts = {**invitation.facts, fact: value}
    return policy.decide(Invitation(invitation.id, invitation.name, facts))


@frozen
class _Reading:
    """The facts a policy reads in order, and the numbers and items its criteria name."""

    order: list[str]
    numbers: dict[str, set[float]]
    items: dict[str, list[str]]

    def values(self, fact: str, current: Any) -> list[Any] | None:
        """The values of ``fact`` worth trying, other than ``current``; None if none can be."""
        field = invitation_fields().get(fact)
        if field is None or fact in _NOT_TRIED:
            return None
        if field.kind == "boolean":
            values: list[Any] = [True, False]
        elif field.kind in ("integer", "number"):
            thresholds = self.numbers.get(fact, ())
            values = sorted({0, 1} | {n for t in thresholds for n in (t, t - 1) if n >= 0})
        elif field.kind == "strings":
            named = self.items.get(fact)
            values = [[], [named[0] if named else _ITEM]]
        else:
            return None
        return [value for value in values if value != current]


#: One reading per compiled policy: its checks never change.
_READINGS: WeakKeyDictionary[CompiledPolicy, _Reading] = WeakKeyDictionary()


def _reading(policy: CompiledPolicy) -> _Reading:
    if policy in _READINGS:
        return _READINGS[policy]
    numbers: dict[str, set[float]] = {}
    items: dict[str, list[str]] = {}
    order: list[str] = []
    for read, params in policy.checks:
        for fact in read:
            if fact not in order:
                order.append(fact)
            for value in params.values():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    numbers.setdefault(fact, set()).add(value)
                elif isinstance(value, list):
                    items.setdefault(fact, []).extend(v for v in value if isinstance(v, str))
    reading = _READINGS[policy] = _Reading(order, numbers, items)
    return reading
