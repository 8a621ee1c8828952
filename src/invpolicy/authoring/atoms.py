"""What a criterion check is true for, as lint's prover reads it: ranges, choices, words, scores.

Each atom knows how it relates to another atom on the same fact: whether one
holds the other, whether they can both be true, whether one of them is always
true. The prover (:mod:`invpolicy.authoring.prover`) combines them.
"""

from __future__ import annotations

from typing import Any

from invpolicy.frozen import frozen


@frozen
class Atom:
    """What a criterion check is true for, as far as lint knows it.

    Atoms with the same ``key`` read one fact, and are unknown on exactly the
    same invitations (when the fact is absent, unless ``always_known``). The
    relations answer for the known invitations; an opaque atom (a plugin's
    criterion) is only known to equal itself.
    """

    key: tuple[str, ...]
    always_known: bool = False

    def subset(self, other: Atom) -> bool:
        return self == other

    def disjoint(self, other: Atom) -> bool:
        return self.empty()

    def covers(self, other: Atom) -> bool:
        """Whether every known invitation makes one of the two true."""
        return self.full() or other.full()

    def empty(self) -> bool:
        return False

    def full(self) -> bool:
        return False


@frozen
class Range(Atom):
    """A number fact in ``[low, high)``; facts are never below 0 (the invitation schema)."""

    low: float = 0
    high: float | None = None

    def subset(self, other: Atom) -> bool:
        assert isinstance(other, Range)
        return self.empty() or (
            self.low >= other.low
            and (other.high is None or (self.high is not None and self.high <= other.high))
        )

    def disjoint(self, other: Atom) -> bool:
        assert isinstance(other, Range)
        return (
            self.empty()
            or other.empty()
            or (self.high is not None and self.high <= other.low)
            or (other.high is not None and other.high <= self.low)
        )

    def covers(self, other: Atom) -> bool:
        assert isinstance(other, Range)
        if self.full() or other.full():
            return True
        first, second = (self, other) if self.low <= other.low else (other, self)
        return (
            first.low <= 0
            and first.high is not None
            and second.high is None
            and second.low <= first.high
        )

    def empty(self) -> bool:
        return self.high is not None and self.low >= self.high

    def full(self) -> bool:
        return self.low <= 0 and self.high is None


@frozen
class Choice(Atom):
    """A fact with a few possible values; true for ``values``."""

    values: frozenset[Any] = frozenset()
    domain: frozenset[Any] = frozenset()

    def subset(self, other: Atom) -> bool:
        assert isinstance(other, Choice)
        return self.values & self.domain <= other.values

    def disjoint(self, other: Atom) -> bool:
        assert isinstance(other, Choice)
        return not self.values & other.values & self.domain

    def covers(self, other: Atom) -> bool:
        assert isinstance(other, Choice)
        return self.domain <= self.values | other.values

    def empty(self) -> bool:
        return not self.values & self.domain

    def full(self) -> bool:
        return self.domain <= self.values


@frozen
class Words(Atom):
    """True when one of ``words`` is found; ``None``: when anything is (a non-empty list)."""

    words: frozenset[str] | None = None

    def subset(self, other: Atom) -> bool:
        assert isinstance(other, Words)
        return other.words is None or (self.words is not None and self.words <= other.words)


@frozen
class ScoreAtom(Atom):
    """A score test. The score's bounds lie between ``least`` and ``most``.

    ``at_least`` and ``below`` are None when every score satisfies them; the
    relations follow the engine: true when ``low >= at_least`` and
    ``high < below``, false when ``high < at_least`` or ``low >= below``.
    """

    at_least: float | None = None
    below: float | None = None
    never: bool = False

    def relation(self, true: bool, other: ScoreAtom, other_true: bool) -> bool:
        """Whether this test being ``true`` (or false) makes ``other`` be ``other_true``."""
        a2, b2, a1, b1 = self.at_least, self.below, other.at_least, other.below
        if true and other_true:
            return (a1 is None or (a2 is not None and a2 >= a1)) and (
                b1 is None or (b2 is not None and b2 <= b1)
            )
        if not true and not other_true:
            return (a2 is None or (a1 is not None and a2 <= a1)) and (
                b2 is None or (b1 is not None and b2 >= b1)
            )
        if true:
            return (a1 is not None and b2 is not None and b2 <= a1) or (
                b1 is not None and a2 is not None and a2 >= b1
            )
        return (a2 is None or (a1 is None and (b1 is None or a2 <= b1))) and (
            b2 is None or (b1 is None and (a1 is None or b2 >= a1))
        )

    def empty(self) -> bool:
        return self.never

    def full(self) -> bool:
        return self.at_least is None and self.below is None
