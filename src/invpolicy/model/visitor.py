"""One walk of a condition tree, and the one place that knows how a condition is written.

:class:`ConditionVisitor` walks the model (:mod:`invpolicy.model.conditions`):
the engine compiles with it, lint's prover puts a condition in normal form with
it, :func:`leaves` and :func:`condition_data` are visitors too. Its ``visit``
dispatches on the node's class, so a node kind it does not know is a mypy
error there, and a visitor that lacks a ``visit_*`` method cannot be made.

A condition as a policy file writes it is a one-key mapping: an operator of
:data:`OPERATORS` or a criterion's name. :class:`WrittenCondition` reads that
form without trusting it, and :func:`walk_written` is the one walk of a written
condition (validation and fmt see data the schema may refuse);
:func:`condition_from_data` builds the model from schema-valid data, and
:func:`condition_data` writes the model back.

To add an operator: its class in ``conditions`` (and in ``Condition``), its key
in :data:`OPERATORS`, a ``visit_<key>`` method here, its parts in
:attr:`WrittenCondition.parts` if it has sub-conditions, its reading in
:func:`condition_from_data`, its property in the policy schema; then mypy names
every visitor that has no method for it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, assert_never

from invpolicy.frozen import frozen
from invpolicy.model.conditions import AllOf, AnyOf, Condition, CriterionCheck, Not, ScoreTest

if TYPE_CHECKING:
    from invpolicy.io.document import JsonPath

# The keys a policy file writes for the operators; every other key of a
# condition is a criterion's name.
ALL = "all"
ANY = "any"
NOT = "not"
SCORE = "score"

#: The keys of a condition that are not criteria; no criterion may take these names.
OPERATORS = (ALL, ANY, NOT, SCORE)

T = TypeVar("T")


class ConditionVisitor(ABC, Generic[T]):
    """A walk of a condition tree that gives a ``T`` for each node.

    A subclass has one method per node kind, named after the key a policy
    file writes (``visit_all`` for ``all``, ``visit_criterion`` for a
    criterion). The methods for ``all``, ``any`` and ``not`` get the node
    itself and call :meth:`visit` on its parts: the visitor chooses the
    order, what it passes down, and whether to stop early.
    """

    def visit(self, node: Condition) -> T:
        """The value for ``node``, from the method for its kind."""
        match node:
            case CriterionCheck():
                return self.visit_criterion(node)
            case ScoreTest():
                return self.visit_score(node)
            case AllOf():
                return self.visit_all(node)
            case AnyOf():
                return self.visit_any(node)
            case Not():
                return self.visit_not(node)
            case _:
                # A class added to Condition but not here is a mypy error.
                assert_never(node)

    @abstractmethod
    def visit_criterion(self, node: CriterionCheck) -> T:
        """A criterion called with its parameters: ``{name: params}``."""

    @abstractmethod
    def visit_score(self, node: ScoreTest) -> T:
        """A test of the policy's score: ``score: {at_least, below}``."""

    @abstractmethod
    def visit_all(self, node: AllOf) -> T:
        """``all: [...]``: true when every part is."""

    @abstractmethod
    def visit_any(self, node: AnyOf) -> T:
        """``any: [...]``: true when one part is."""

    @abstractmethod
    def visit_not(self, node: Not) -> T:
        """``not: {...}``: the negation of its part."""


class _Leaves(ConditionVisitor[Iterator[CriterionCheck | ScoreTest]]):
    def visit_criterion(self, node: CriterionCheck) -> Iterator[CriterionCheck | ScoreTest]:
        yield node

    def visit_score(self, node: ScoreTest) -> Iterator[CriterionCheck | ScoreTest]:
        yield node

    def visit_all(self, node: AllOf) -> Iterator[CriterionCheck | ScoreTest]:
        for part in node.parts:
            yield from self.visit(part)

    def visit_any(self, node: AnyOf) -> Iterator[CriterionCheck | ScoreTest]:
        for part in node.parts:
            yield from self.visit(part)

    def visit_not(self, node: Not) -> Iterator[CriterionCheck | ScoreTest]:
        yield from self.visit(node.part)


def leaves(node: Condition | None) -> Iterator[CriterionCheck | ScoreTest]:
    """The criterion checks and score tests of a condition, in the order written."""
    return iter(()) if node is None else _Leaves().visit(node)


@frozen
class WrittenCondition:
    """One ``key: value`` of a condition as a policy file writes it, not yet trusted.

    ``key`` is an operator of :data:`OPERATORS` or a criterion's name; ``value``
    is whatever the file holds there, valid or not.
    """

    key: str
    value: Any

    @property
    def is_criterion(self) -> bool:
        """Whether ``key`` names a criterion rather than an operator."""
        return self.key not in OPERATORS

    @property
    def parts(self) -> tuple[tuple[JsonPath, Any], ...]:
        """The sub-conditions written in ``value``, each with its path below the condition.

        A value of the wrong shape (``all`` that is not a list) has none: the
        schema reports it.
        """
        if self.key in (ALL, ANY):
            items = self.value if isinstance(self.value, list) else []
            return tuple(((self.key, i), part) for i, part in enumerate(items))
        if self.key == NOT:
            return (((self.key,), self.value),)
        return ()


def written_condition(data: Any) -> WrittenCondition | None:
    """``data`` read as a written condition; None unless it is a mapping of one key."""
    if not isinstance(data, dict) or len(data) != 1:
        return None
    ((key, value),) = data.items()
    return WrittenCondition(key, value)


def walk_written(
    data: Any, path: JsonPath = (), *, every_key: bool = False
) -> Iterator[tuple[JsonPath, WrittenCondition]]:
    """Every condition written in ``data``, a condition before its parts, each with its path.

    ``path`` is where ``data`` is in its document. A mapping of more than one
    key is no condition (the schema refuses it) and is not walked, unless
    ``every_key``: fmt lays out files the schema would refuse, key by key.
    """
    if not isinstance(data, dict) or (len(data) != 1 and not every_key):
        return
    for key, value in data.items():
        written = WrittenCondition(key, value)
        yield path, written
        for step, part in written.parts:
            yield from walk_written(part, (*path, *step), every_key=every_key)


def condition_from_data(data: Mapping[str, Any]) -> Condition:
    """The condition that schema-valid ``data`` writes."""
    ((key, value),) = data.items()
    if key == ALL:
        return AllOf(tuple(condition_from_data(part) for part in value))
    if key == ANY:
        return AnyOf(tuple(condition_from_data(part) for part in value))
    if key == NOT:
        return Not(condition_from_data(value))
    if key == SCORE:
        return ScoreTest(value.get("at_least"), value.get("below"))
    if value is False:
        # ``met_in_person: false``: the criterion does not hold.
        return Not(CriterionCheck(key, {}))
    # ``met_in_person:``, ``met_in_person: true`` and ``{}``: it holds, without parameters.
    return CriterionCheck(key, value if isinstance(value, dict) else {})


class _Writer(ConditionVisitor[dict[str, Any]]):
    def visit_criterion(self, node: CriterionCheck) -> dict[str, Any]:
        # No parameters is written as null, as fmt writes it: ``met_in_person:``.
        return {node.criterion: dict(node.params) or None}

    def visit_score(self, node: ScoreTest) -> dict[str, Any]:
        return {SCORE: node.bounds()}

    def visit_all(self, node: AllOf) -> dict[str, Any]:
        return {ALL: [self.visit(part) for part in node.parts]}

    def visit_any(self, node: AnyOf) -> dict[str, Any]:
        return {ANY: [self.visit(part) for part in node.parts]}

    def visit_not(self, node: Not) -> dict[str, Any]:
        return {NOT: self.visit(node.part)}


def condition_data(node: Condition) -> dict[str, Any]:
    """A condition as a policy file writes it: what :func:`condition_from_data` reads."""
    return _Writer().visit(node)
