"""The search: cut the invitation space, one dimension at a time, until both policies decide.

A *cell* gives some dimensions a class and leaves the others free. For each
rule, the search works out which values its condition can take over the whole
cell (true, false, unknown: the engine's three-valued logic, each criterion
answering as its class says); a policy has decided for the cell when a rule's
condition is surely true there and no earlier one can be. When both have, the
cell is a leaf; otherwise the next free dimension is cut into its classes.
Conditions sharing a criterion are treated as if they did not (an
over-estimate of what they can take), which only means cutting further:
every leaf is exact.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from invpolicy.authoring.diff.space import Dimension, Test, TooLarge, test_key
from invpolicy.engine.scoring import score_range
from invpolicy.frozen import frozen
from invpolicy.model.conditions import AllOf, AnyOf, Condition, CriterionCheck, Not, ScoreTest
from invpolicy.model.policy import Policy
from invpolicy.model.visitor import leaves

#: Values a condition can take, as a set: True, False and None (unknown).
Values = frozenset[bool | None]
T: Values = frozenset({True})
F: Values = frozenset({False})
U: Values = frozenset({None})
#: Above this many leaves the search stops and says so.
MAX_LEAVES = 200_000
#: Above this many free signals, a score test is taken to be able to take any value.
MAX_FREE_SIGNALS = 8


@frozen
class Outcome:
    """What a policy decides for a cell, and by which rule."""

    decision: str
    rule: str


@frozen
class Leaf:
    """A cell where both policies have decided: the class of each dimension cut (the
    others are free), and the two outcomes."""

    classes: tuple[int | None, ...]
    a: Outcome
    b: Outcome


def _not(values: Values) -> Values:
    return frozenset(None if v is None else not v for v in values)


def _all(parts: Sequence[Values]) -> Values:
    found: set[bool | None] = set()
    if all(True in part for part in parts):
        found.add(True)
    if any(False in part for part in parts):
        found.add(False)
    if all(part - F for part in parts) and any(None in part for part in parts):
        found.add(None)
    return frozenset(found)


def _any(parts: Sequence[Values]) -> Values:
    return _not(_all([_not(part) for part in parts]))


class Search:
    """Finds every leaf of two policies over the dimensions' classes."""

    def __init__(
        self, a: Policy, b: Policy, dims: list[Dimension], tests: dict[tuple[str, str], Test]
    ) -> None:
        self.policies = (a, b)
        self.dims = dims
        self.tests = tests
        self.where: dict[Test, int] = {test: i for i, dim in enumerate(dims) for test in dim.tests}
        #: For each dimension, what each test can answer over all its classes.
        self.any_class: list[dict[Test, Values]] = [
            {test: frozenset(c.values[test] for c in dim.classes) for test in dim.tests}
            for dim in dims
        ]
        self.leaves: list[Leaf] = []
        self.read_memo: dict[tuple[int, int], frozenset[int]] = {}
        self.node_memo: dict[int, tuple[int, Test, CriterionCheck]] = {}
        self.score_memo: dict[tuple[int, tuple[tuple[bool | None, ...], ...]], Values] = {}

    def run(self) -> list[Leaf]:
        if all(dim.classes for dim in self.dims):
            self._cut((None,) * len(self.dims))
        return self.leaves

    def _cut(self, cell: tuple[int | None, ...], start: int = 0) -> None:
        outcomes = [self._decided(policy, cell) for policy in self.policies]
        a, b = outcomes
        if isinstance(a, Outcome) and isinstance(b, Outcome):
            self.leaves.append(Leaf(cell, a, b))
            if len(self.leaves) > MAX_LEAVES:
                raise TooLarge(
                    f"together they cut the invitations into more than {MAX_LEAVES:,} cells"
                )
            return
        # Cut a dimension that the first undecided rule reads: the others stay free.
        reads = next(o for o in outcomes if not isinstance(o, Outcome))
        assert not isinstance(reads, Outcome)
        free = [i for i in sorted(reads) if cell[i] is None]
        if not free:
            raise AssertionError("a rule is undecided on a cell where all it reads is cut")
        i = free[0]
        for k in range(len(self.dims[i].classes)):
            self._cut((*cell[:i], k, *cell[i + 1 :]))

    # What a condition can be over a cell.

    def _test(self, node: CriterionCheck, cell: tuple[int | None, ...]) -> Values:
        found = self.node_memo.get(id(node))
        if found is None:
            test = self.tests[test_key(node)]
            # Kept with the node, so that its id is never reused for another.
            found = self.node_memo[id(node)] = (self.where[test], test, node)
        i, test, _ = found
        k = cell[i]
        if k is None:
            return self.any_class[i][test]
        return frozenset({self.dims[i].classes[k].values[test]})

    def _values(self, node: Condition, policy: Policy, cell: tuple[int | None, ...]) -> Values:
        if isinstance(node, CriterionCheck):
            return self._test(node, cell)
        if isinstance(node, Not):
            return _not(self._values(node.part, policy, cell))
        if isinstance(node, AllOf):
            return _all([self._values(part, policy, cell) for part in node.parts])
        if isinstance(node, AnyOf):
            return _any([self._values(part, policy, cell) for part in node.parts])
        return self._score(node, policy, cell)

    def _score(self, node: ScoreTest, policy: Policy, cell: tuple[int | None, ...]) -> Values:
        options = tuple(
            tuple(sorted(self._values(signal.when, policy, cell), key=repr))
            for signal in policy.scoring
        )
        key = (id(node), options)
        if key in self.score_memo:
            return self.score_memo[key]
        weights = [signal.weight for signal in policy.scoring]
        if sum(len(option) > 1 for option in options) > MAX_FREE_SIGNALS:
            return frozenset({True, False, None})
        found: set[bool | None] = set()
        for values in itertools.product(*options):
            _, low, high = score_range(weights, values)
            found.add(node.within(low, high))
        self.score_memo[key] = frozenset(found)
        return self.score_memo[key]

    def _decided(self, policy: Policy, cell: tuple[int | None, ...]) -> Outcome | frozenset[int]:
        """The policy's outcome for every invitation of the cell; or, if it varies, the
        dimensions that the first rule whose condition may or may not be true reads."""
        for rule in policy.rules:
            values = T if rule.when is None else self._values(rule.when, policy, cell)
            if values == T:
                return Outcome(rule.decision, rule.id)
            if True in values:
                assert rule.when is not None
                return self._reads(rule.when, policy)
        raise AssertionError("a validated policy ends with a rule that always fires")

    def _reads(self, node: Condition, policy: Policy) -> frozenset[int]:
        """The dimensions a condition reads (a score test: its policy's signals')."""
        key = (id(node), id(policy))
        if key not in self.read_memo:
            found: set[int] = set()
            for leaf in leaves(node):
                if isinstance(leaf, CriterionCheck):
                    found.add(self.where[self.tests[test_key(leaf)]])
                else:
                    for signal in policy.scoring:
                        found |= self._reads(signal.when, policy)
            self.read_memo[key] = frozenset(found)
        return self.read_memo[key]
