"""What would change a decision: the facts whose value would flip it.

For each fact a policy reads, invpolicy tries other values and decides again:
for a yes/no fact, the other answer (or both, when it is unknown); for a count,
zero and the values around each threshold that the policy's criteria name; for
a list, an empty one and a non-empty one. Only one fact changes at a time, and
only the changes that give another decision are kept, so every sentence is one
the policy really stands by.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invpolicy.fields import invitation_fields, shown

if TYPE_CHECKING:
    from invpolicy.engine import CompiledPolicy, Decision
    from invpolicy.invitations import Invitation

#: Facts that say which invitation this is, not what is known about the inviter.
_NOT_TRIED = frozenset({"id", "name", "network", "language"})
#: Stands for "something" in a list fact when the policy names no item.
_ITEM = "something"


@dataclass(frozen=True)
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
    from invpolicy.invitations import Invitation

    if decision is None:
        decision = policy.decide(invitation)
    changes: dict[tuple[str, str], Change] = {}
    for fact, value in _candidates(policy, invitation.facts):
        facts = {**invitation.facts, fact: value}
        other = policy.decide(Invitation(invitation.id, invitation.name, facts))
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
    from invpolicy.invitations import Invitation

    values = _values(policy, fact, invitation.facts.get(fact))
    if values is None:
        return True
    for value in values:
        facts = {**invitation.facts, fact: value}
        if policy.decide(Invitation(invitation.id, invitation.name, facts)).decision != (
            decision.decision
        ):
            return True
    return False


def _reading(
    policy: CompiledPolicy,
) -> tuple[list[str], dict[str, set[float]], dict[str, list[str]]]:
    """The facts ``policy`` reads in order, and the numbers and items its criteria name."""
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
    return order, numbers, items


def _values(policy: CompiledPolicy, fact: str, current: Any) -> list[Any] | None:
    """The values of ``fact`` worth trying, other than ``current``; None if none can be."""
    field = invitation_fields().get(fact)
    if field is None or fact in _NOT_TRIED:
        return None
    _, numbers, items = _reading(policy)
    if field.kind == "boolean":
        values: list[Any] = [True, False]
    elif field.kind in ("integer", "number"):
        steps = {0, 1} | {n for t in numbers.get(fact, ()) for n in (t, t - 1) if n >= 0}
        values = sorted(steps)
    elif field.kind == "strings":
        values = [[], [items[fact][0] if items.get(fact) else _ITEM]]
    else:
        return None
    return [value for value in values if value != current]


def _candidates(policy: CompiledPolicy, facts: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    order, _, _ = _reading(policy)
    for fact in order:
        for value in _values(policy, fact, facts.get(fact)) or ():
            yield fact, value
