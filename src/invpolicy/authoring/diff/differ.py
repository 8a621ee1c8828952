"""``invpolicy diff``: where two policies decide differently, over every invitation.

The policies' criteria cut the invitation space into classes
(:mod:`~invpolicy.authoring.diff.space`); the search cuts it until both
policies have decided in each cell (:mod:`~invpolicy.authoring.diff.search`);
the cells where their decisions differ are merged into regions
(:mod:`~invpolicy.authoring.diff.regions`). Each region's witness is then
decided by both compiled policies, as a check that it lands where the region
says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from invpolicy.authoring.diff.regions import Region, regions
from invpolicy.authoring.diff.search import Search
from invpolicy.authoring.diff.space import Dimension, TooLarge, dimensions, fill, policy_tests
from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.errors import InvpolicyError, Problem
from invpolicy.frozen import frozen
from invpolicy.model.invitation import build_invitation
from invpolicy.model.policy import Policy
from invpolicy.model.visitor import leaves as condition_leaves
from invpolicy.plugins.registry import Registry


@frozen
class Diff:
    """Two policies compared over every invitation: the regions where they differ."""

    a: str
    b: str
    regions: tuple[Region, ...]
    dims: tuple[Dimension, ...] = field(default=(), compare=False, repr=False)

    def locate(self, facts: Mapping[str, Any]) -> Region | None:
        """The region an invitation's facts land in; None where the policies agree.

        Raises ``LookupError`` when the facts answer a dimension's tests in a
        way none of its classes does (which the search would then have missed).
        """
        cell = []
        for dim in self.dims:
            answers = {test: dim.answer(test, facts) for test in dim.tests}
            found = [k for k, c in enumerate(dim.classes) if c.values == answers]
            if not found:
                raise LookupError(f"{dim.name}: no class answers {answers}")
            cell.append(found[0])
        return next((region for region in self.regions if region.holds(cell)), None)

    @property
    def equivalent(self) -> bool:
        """Whether the two decide alike for every invitation."""
        return not self.regions

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "equivalent": self.equivalent,
            "regions": [region.to_json() for region in self.regions],
        }


def _first_use(policies: tuple[Policy, Policy]) -> dict[str, int]:
    """Each criterion check's rank by where it is first used: A's rules, B's, the signals."""
    rank: dict[str, int] = {}
    for policy in policies:
        for condition in [r.when for r in policy.rules if r.when] + [
            s.when for s in policy.scoring
        ]:
            for leaf in condition_leaves(condition):
                name = getattr(leaf, "criterion", None)
                if name is not None:
                    rank.setdefault(name, len(rank))
    return rank


def diff_policies(a: Policy, b: Policy, registry: Registry) -> Diff:
    """Where ``a`` and ``b`` decide differently, for any invitation at all.

    Raises :class:`~invpolicy.errors.InvpolicyError` when the policies cut the
    invitations into too many regions to search.
    """
    tests = policy_tests((a, b), registry)
    dims = dimensions(tests.values())
    rank = _first_use((a, b))
    dims.sort(key=lambda dim: min(rank.get(t.criterion, len(rank)) for t in dim.tests))
    try:
        for dim in dims:
            fill(dim, registry)
        found = Search(a, b, dims, tests).run()
    except TooLarge as exc:
        raise InvpolicyError(
            Problem(
                a.path or a.name,
                1,
                1,
                f"cannot diff {a.name} and {b.name}: {exc}; diff policies that test fewer "
                "facts, at fewer bounds (or parts of these, as policies of their own)",
            )
        ) from None
    result = regions(found, dims, [r.id for r in a.rules], [r.id for r in b.rules])
    _check(result, a, b, registry)
    return Diff(a.name, b.name, tuple(result), tuple(dims))


def _check(found: list[Region], a: Policy, b: Policy, registry: Registry) -> None:
    """Decide each witness with both policies: it must land as its region says."""
    compiled = (CompiledPolicy(a, registry), CompiledPolicy(b, registry))
    for region in found:
        if region.assumes:
            continue  # a plugin's criterion that declares nothing cannot be made to answer
        invitation = build_invitation(region.witness)
        got = [policy.decide(invitation) for policy in compiled]
        wanted = [region.a, region.b]
        for decision, outcome in zip(got, wanted, strict=True):
            if (decision.decision, decision.rule) != (outcome.decision, outcome.rule):
                raise AssertionError(
                    f"the witness {region.witness} of a region of the diff lands elsewhere: "
                    f"{decision.decision} by {decision.rule}, not {outcome.decision} by "
                    f"{outcome.rule}"
                )
