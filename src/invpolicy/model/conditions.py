"""Conditions: the tree a rule's ``when`` and a signal's ``when`` are written as.

Each is walked with :class:`invpolicy.model.visitor.ConditionVisitor`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from invpolicy.frozen import frozen


@frozen
class CriterionCheck:
    """A criterion called with its parameters."""

    criterion: str
    params: Mapping[str, Any]


@frozen
class AllOf:
    """True when every part is true; false as soon as one is false."""

    parts: tuple[Condition, ...]


@frozen
class AnyOf:
    """True as soon as one part is true; false when every part is false."""

    parts: tuple[Condition, ...]


@frozen
class Not:
    """The negation of its part (unknown stays unknown)."""

    part: Condition


@frozen
class ScoreTest:
    """True when the policy's score is at least ``at_least`` and below ``below``."""

    at_least: float | None = None
    below: float | None = None

    def bounds(self) -> dict[str, float]:
        """The bounds as a policy file writes them: ``{"at_least": 5}``."""
        pairs = (("at_least", self.at_least), ("below", self.below))
        return {key: bound for key, bound in pairs if bound is not None}

    def within(self, low: float, high: float) -> bool | None:
        """The test's value for a score known to lie in ``[low, high]``.

        True when every such score passes, false when none does, unknown
        otherwise: the facts still missing could move the score either way.
        """
        results = []
        if self.at_least is not None:
            results.append(
                True if low >= self.at_least else False if high < self.at_least else None
            )
        if self.below is not None:
            results.append(True if high < self.below else False if low >= self.below else None)
        if False in results:
            return False
        return None if None in results else True


Condition = CriterionCheck | AllOf | AnyOf | Not | ScoreTest
