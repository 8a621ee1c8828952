"""Decide a batch of invitations with one or more policies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from invpolicy.engine import CompiledPolicy, Decision
from invpolicy.errors import InvpolicyError, Problem
from invpolicy.invitations import Invitation


@dataclass(frozen=True)
class Row:
    """One invitation and what each policy decided for it."""

    invitation: Invitation
    decisions: dict[str, Decision]

    @property
    def agree(self) -> bool:
        """True when every policy reached the same decision."""
        return len({d.decision for d in self.decisions.values()}) <= 1


@dataclass(frozen=True)
class Report:
    """The decisions of several policies on several invitations."""

    policies: tuple[CompiledPolicy, ...]
    rows: tuple[Row, ...]

    @property
    def policy_names(self) -> list[str]:
        return [policy.name for policy in self.policies]

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``decide`` and ``compare``."""
        return {
            "policies": self.policy_names,
            "results": [
                {
                    "invitation": row.invitation.id,
                    "name": row.invitation.name,
                    "agree": row.agree,
                    "decisions": {name: d.to_json() for name, d in row.decisions.items()},
                }
                for row in self.rows
            ],
        }


def compare(
    invitations: Iterable[Invitation],
    policies: Sequence[CompiledPolicy],
    *,
    explain: bool = False,
) -> Report:
    """Decide every invitation with every policy."""
    seen: set[str] = set()
    for policy in policies:
        if policy.name in seen:
            raise InvpolicyError(
                Problem(policy.policy.path, 1, 1, f"two policies are named '{policy.name}'")
            )
        seen.add(policy.name)
    rows = tuple(
        Row(inv, {p.name: p.decide(inv, explain=explain) for p in policies}) for inv in invitations
    )
    return Report(tuple(policies), rows)
