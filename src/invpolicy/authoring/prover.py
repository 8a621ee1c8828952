"""Whether a rule can never fire: the proof behind lint's dead-rule findings.

A condition is rewritten in negation normal form, its criteria read as what
they are true for (a number fact in a range, a fact among a few values, words
found), and :class:`Prover` decides whether one condition's invitations hold
another's, with the score's possible range for the score tests.

Whether a rule can fire is decided with the engine's three-valued logic: a
rule fires only when its condition is true, so it is dead when every
invitation making it true makes an earlier rule true. The prover answers
"always" only when it can show it, and "not shown" otherwise: a rule is never
reported dead while some invitation could make it fire. It assumes that a
criterion answers the same for the same facts and parameters; it knows what a
criterion means from its declared ``logic`` (the built-in ones declare theirs,
a plugin's may), and of any other only that it agrees with itself.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import TYPE_CHECKING

from invpolicy.authoring.atoms import Atom, Choice, Range, ScoreAtom, Words
from invpolicy.engine.scoring import score_range
from invpolicy.frozen import frozen
from invpolicy.model.conditions import AllOf, AnyOf, Condition, CriterionCheck, Not, ScoreTest
from invpolicy.model.visitor import ConditionVisitor
from invpolicy.plugins.contract import Counts, Logic, OneOf, declared_logic

if TYPE_CHECKING:
    from invpolicy.model.policy import Policy, Rule
    from invpolicy.plugins.registry import Registry

#: Above this many signals, the score's bounds are not tried for every combination
#: of the signals' values (3 ** n), and whether each signal can change a score test
#: is not checked.
MAX_SIGNALS = 10


# Conditions in negation normal form. The engine's three-valued logic obeys
# De Morgan's laws, so "when is C true" and "when is C false" are both unions
# and intersections of literals: a criterion (or score test) being true, or false.


@frozen
class _Lit:
    atom: Atom
    true: bool


@frozen
class _And:
    parts: tuple[Node, ...]


@frozen
class _Or:
    parts: tuple[Node, ...]


#: A condition in negation normal form: the invitations where it is true (or false).
Node = _Lit | _And | _Or


def _negated(node: Node) -> Node:
    """The invitations where the condition is false instead of true (or the reverse)."""
    if isinstance(node, _Lit):
        return _Lit(node.atom, not node.true)
    parts = tuple(_negated(part) for part in node.parts)
    return _Or(parts) if isinstance(node, _And) else _And(parts)


class _NormalForm(ConditionVisitor[Node]):
    """Where a condition is ``true`` (or false): ``not`` asks its part the opposite."""

    def __init__(self, prover: Prover, true: bool) -> None:
        self.prover = prover
        self.true = true

    def visit_criterion(self, node: CriterionCheck) -> Node:
        return _Lit(self.prover.atom(node), self.true)

    def visit_score(self, node: ScoreTest) -> Node:
        return _Lit(self.prover.atom(node), self.true)

    def visit_all(self, node: AllOf) -> Node:
        parts = tuple(self.visit(part) for part in node.parts)
        return _And(parts) if self.true else _Or(parts)

    def visit_any(self, node: AnyOf) -> Node:
        parts = tuple(self.visit(part) for part in node.parts)
        return _Or(parts) if self.true else _And(parts)

    def visit_not(self, node: Not) -> Node:
        return _NormalForm(self.prover, not self.true).visit(node.part)


#: A margin for the score's sums when they are not tried one by one.
_EPSILON = 1e-6


#: The built-in counting criteria and the fact each one counts.
class Prover:
    """Decides, soundly but not completely, whether one set of invitations holds another."""

    def __init__(self, policy: Policy, registry: Registry) -> None:
        self.registry = registry
        weights = [signal.weight for signal in policy.scoring]
        #: The score's bounds for each combination of the signals' values, when
        #: there are few enough signals to try them all.
        self.bounds: dict[tuple[bool | None, ...], tuple[float, float]] | None = None
        if len(weights) <= MAX_SIGNALS:
            self.bounds = {
                values: score_range(weights, values)[1:]
                for values in itertools.product((True, False, None), repeat=len(weights))
            }
            self.least = min(low for low, _ in self.bounds.values())
            self.most = max(high for _, high in self.bounds.values())
        else:
            # The engine rounds its sums to 9 decimals: keep clear of that.
            self.least = math.fsum(w for w in weights if w < 0) - _EPSILON
            self.most = math.fsum(w for w in weights if w > 0) + _EPSILON
        self.memo: dict[tuple[Node, Node], bool] = {}

    def nnf(self, node: Condition, true: bool) -> Node:
        """Where ``node`` is ``true`` (or false), as a union and intersection of literals."""
        return _NormalForm(self, true).visit(node)

    def atom(self, node: CriterionCheck | ScoreTest) -> Atom:
        if isinstance(node, ScoreTest):
            return self._score(node)
        name, params = node.criterion, node.params
        criterion = self.registry.criteria.get(name)
        owner = self.registry.origins.get(("criterion", name))
        logic = (
            None
            if criterion is None or owner is None
            else declared_logic(criterion, owner.plugin, params)
        )
        if criterion is None or logic is None:
            return Atom(("opaque", name, json.dumps(params, sort_keys=True, default=str)))
        # Two criteria compare as one only when they read the same facts too.
        return atom_of(logic, criterion.facts)

    def _score(self, node: ScoreTest) -> ScoreAtom:
        least, most = self.least, self.most
        # A bound that every score the engine can reach meets says nothing.
        at_least = None if node.at_least is None or node.at_least <= least else node.at_least
        below = None if node.below is None or node.below > most else node.below
        never = (
            (at_least is not None and at_least > most)
            or (below is not None and below <= least)
            or (at_least is not None and below is not None and at_least >= below)
        )
        return ScoreAtom(("score",), False, at_least, below, never)

    def empty(self, node: Node) -> bool:
        """Whether no invitation is in ``node``."""
        if isinstance(node, _Lit):
            return node.atom.empty() if node.true else node.atom.full()
        if isinstance(node, _Or):
            return all(self.empty(part) for part in node.parts)
        # A part true where another is false: the intersection is empty. So it
        # is when two parts bound linked facts apart (mutual_in_sector >= 3,
        # mutual_connections < 3).
        return any(self.empty(part) for part in node.parts) or any(
            self.subset(p, _negated(q)) or _linked_apart(p, q)
            for p, q in itertools.permutations(node.parts, 2)
        )

    def universal(self, node: Node) -> bool:
        """Whether every invitation is in ``node``."""
        if isinstance(node, _Lit):
            atom = node.atom
            if isinstance(atom, ScoreAtom):
                return node.true and atom.full()
            return atom.always_known and (atom.full() if node.true else atom.empty())
        if isinstance(node, _And):
            return all(self.universal(part) for part in node.parts)
        # A part that is never unknown is true or false: with another part
        # true wherever it is false, one of them is true.
        return any(self.universal(part) for part in node.parts) or any(
            self.two_valued(p) and self.subset(_negated(p), q)
            for p, q in itertools.permutations(node.parts, 2)
        )

    def two_valued(self, node: Node) -> bool:
        """Whether ``node`` is true or false for every invitation, never unknown."""
        if isinstance(node, _Lit):
            return node.atom.always_known and not isinstance(node.atom, ScoreAtom)
        return all(self.two_valued(part) for part in node.parts)

    def subset(self, x: Node, y: Node) -> bool:
        """Whether every invitation in ``x`` is in ``y`` (False when it cannot tell)."""
        key = (x, y)
        if key not in self.memo:
            self.memo[key] = False  # guards against a cycle; none is expected
            self.memo[key] = self._subset(x, y)
        return self.memo[key]

    def _subset(self, x: Node, y: Node) -> bool:
        if self.empty(x) or self.universal(y):
            return True
        # Exact: a union is inside when each part is; inside an intersection when inside each.
        if isinstance(x, _Or):
            return all(self.subset(part, y) for part in x.parts)
        if isinstance(y, _And):
            return all(self.subset(x, part) for part in y.parts)
        # Enough, not necessary: one part of an intersection inside, or inside one part of a union.
        if isinstance(x, _And) and any(self.subset(part, y) for part in x.parts):
            return True
        if isinstance(y, _Or) and any(self.subset(x, part) for part in y.parts):
            return True
        return isinstance(x, _Lit) and isinstance(y, _Lit) and _literal_subset(x, y)

    def covering(self, node: Node, earlier: list[tuple[Rule, Node]]) -> list[Rule]:
        """The fewest earlier rules that are true wherever ``node`` is (none if not shown)."""
        for rule, other in earlier:
            if self.subset(node, other):
                return [rule]
        if len(earlier) < 2 or not self.subset(node, _Or(tuple(n for _, n in earlier))):
            return []
        kept = list(earlier)
        for item in list(kept):
            trial = [other for other in kept if other is not item]
            if self.subset(node, _Or(tuple(n for _, n in trial))):
                kept = trial
        return [rule for rule, _ in kept]


def atom_of(logic: Logic, reads: tuple[str, ...] = ()) -> Atom:
    """The atom for what a criterion declares it tests, on the facts it ``reads``.

    The fact comes second in every key (:func:`_linked_apart` reads it there).
    """
    facts = ",".join(reads)
    if isinstance(logic, Counts):
        return Range(("range", logic.fact, facts), low=logic.at_least, high=logic.below)
    if isinstance(logic, OneOf):
        return Choice(
            ("choice", logic.fact, logic.reading, facts),
            logic.always_known,
            logic.values,
            logic.domain,
        )
    return Words(("words", logic.fact, facts), words=logic.words)


def _linked_apart(x: Node, y: Node) -> bool:
    """Whether ``x`` puts a fact at or above where ``y`` puts a fact it is at most.

    With the invitation schema's links (``x-at-most``): a fact is never more
    than the fact it is at most, and invitations that say otherwise are refused.
    """
    if not (isinstance(x, _Lit) and isinstance(y, _Lit)):
        return False
    a, b = x.atom, y.atom
    if not (isinstance(a, Range) and isinstance(b, Range)):
        return False
    if b.key[1] not in _bounding(a.key[1]):
        return False
    # The least value x allows its fact, and the value y keeps its fact below.
    least = a.low if x.true else (a.high if a.low <= 0 else None)
    below = b.high if y.true else (b.low if b.high is None else None)
    return least is not None and below is not None and below <= least


def _bounding(fact: str) -> set[str]:
    """The facts that ``fact`` is at most, through any chain of links."""
    from invpolicy.schema.links import links

    found: set[str] = set()
    todo = [fact]
    while todo:
        current = todo.pop()
        for link in links():
            if link.fact == current and link.at_most not in found:
                found.add(link.at_most)
                todo.append(link.at_most)
    return found


def _literal_subset(x: _Lit, y: _Lit) -> bool:
    a, b = x.atom, y.atom
    if isinstance(a, ScoreAtom) and isinstance(b, ScoreAtom):
        return a.relation(x.true, b, y.true)
    if a.key != b.key:
        return False
    # Same fact: false means "known, and not true", for both.
    if x.true and y.true:
        return a.subset(b)
    if not x.true and not y.true:
        return b.subset(a)
    if x.true:
        return a.disjoint(b)
    return a.covers(b)
