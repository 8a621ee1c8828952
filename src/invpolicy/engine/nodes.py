"""Compiled conditions: each node holds a plain closure that gives its value for one decision.

Conditions use three-valued logic: a criterion answers ``True``, ``False`` or
``None`` (unknown, when the facts it needs are absent). ``any`` is true when
one part is true even if others are unknown; ``all`` is false when one part is
false. A rule whose condition is unknown does not fire; the next one is tried.

The facts reported as *missing* are those whose absence kept a rule from being
decided: the unknown criteria under a rule whose condition came out unknown
(an unknown part of an ``any`` that was true anyway did not matter).

A node's trace (``--explain``) holds its parts under the operator's key, as a
policy file writes them, so that explanations read a trace as a written condition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from invpolicy.errors import PluginError
from invpolicy.model.conditions import CriterionCheck
from invpolicy.model.visitor import ANY, NOT
from invpolicy.plugins.contract import Check, Facts

if TYPE_CHECKING:
    from invpolicy.engine.decision import Score
    from invpolicy.engine.settle import Settle


class Eval:
    """The state of one decision: the facts, the missing ones so far, the score once computed."""

    __slots__ = ("explain", "facts", "missing", "origins", "score")

    def __init__(
        self, facts: Facts, explain: bool, origins: Mapping[str, str] | None = None
    ) -> None:
        self.facts = facts
        self.explain = explain
        #: Where a fact came from, when not from the invitations file (``--explain``).
        self.origins = origins or {}
        self.missing: list[str] = []
        self.score: Score | None = None


#: A compiled condition: its value for one decision, adding to ``missing`` when unknown.
#: A test that comes out true or false leaves ``missing`` as it found it.
Test = Callable[[Eval], "bool | None"]


class Node(Protocol):
    """A compiled condition: its test, its trace for ``--explain``, the facts it reads."""

    test: Test

    def trace(self, ctx: Eval) -> dict[str, Any]:
        """The node's value, with what each part saw."""

    def reads(self) -> set[str]:
        """The facts the node may read."""


class Leaf:
    """One criterion of a plugin (built-in ones included), compiled with its parameters."""

    __slots__ = ("check", "criterion", "facts", "owner", "params", "settle", "test")

    def __init__(
        self,
        node: CriterionCheck,
        check: Check,
        facts: tuple[str, ...],
        owner: str,
        settle: Settle | None = None,
    ) -> None:
        self.criterion = node.criterion
        self.params = node.params
        self.check = check
        self.facts = facts
        self.owner = owner
        #: Decides what the check leaves unknown, from facts that bound its fact.
        self.settle = settle
        self.test = self._test()

    def _test(self) -> Test:
        check, reads, failed, settle = self.check, self.facts, self._failed, self.settle

        def test(ctx: Eval) -> bool | None:
            facts = ctx.facts
            try:
                result = check(facts)
            except Exception as exc:
                raise failed(exc) from exc
            if result is None:
                settled = None if settle is None else settle(facts)
                if settled is not None:
                    return settled[0]
                ctx.missing.extend([fact for fact in reads if fact not in facts])
                return None
            if result is True or result is False:
                return result
            raise failed(result=result)

        return test

    def _failed(self, exc: Exception | None = None, *, result: object = None) -> PluginError:
        what = f"criterion '{self.criterion}' of plugin {self.owner}"
        if exc is not None:
            return PluginError(f"{what} failed: {type(exc).__name__}: {exc}")
        return PluginError(f"{what} returned {type(result).__name__}, expected True, False or None")

    def trace(self, ctx: Eval) -> dict[str, Any]:
        mark = len(ctx.missing)
        value = self.test(ctx)
        saw = [f for f in self.facts if f in ctx.facts]
        return {
            "criterion": self.criterion,
            "params": dict(self.params),
            "value": value,
            "saw": {f: ctx.facts[f] for f in saw},
            # Why an unknown fact did not leave it unknown: the link that settled it.
            "settled": None if self.settle is None else _why(self.settle, value, ctx.facts),
            # Where the facts seen came from, when not the invitations file.
            "from": {f: ctx.origins[f] for f in saw if f in ctx.origins},
            # Absent facts matter only when they left the criterion unable to tell.
            "missing": ctx.missing[mark:],
        }

    def reads(self) -> set[str]:
        return set(self.facts)


def _why(settle: Settle, value: bool | None, facts: Facts) -> str | None:
    settled = settle(facts) if value is not None else None
    return None if settled is None else settled[1]


class Junction:
    """``all`` (decided by the first false part) or ``any`` (by the first true part)."""

    __slots__ = ("decisive", "op", "parts", "test")

    def __init__(self, op: str, parts: list[Node]) -> None:
        self.op = op
        self.parts = parts
        self.decisive = op == ANY
        self.test = self._test()

    def _test(self) -> Test:
        if len(self.parts) == 1:
            return self.parts[0].test  # one part: its value, and its missing facts
        tests = tuple(part.test for part in self.parts)
        decisive = self.decisive

        def test(ctx: Eval) -> bool | None:
            missing = ctx.missing
            mark = len(missing)
            unknown = False
            for part in tests:
                result = part(ctx)
                if result is decisive:
                    # Decided anyway: the unknown parts before did not matter.
                    del missing[mark:]
                    return decisive
                if result is None:
                    unknown = True
            return None if unknown else not decisive

        return test

    def trace(self, ctx: Eval) -> dict[str, Any]:
        # Every part is traced (no short cut), and the value follows from theirs.
        mark = len(ctx.missing)
        parts = [p.trace(ctx) for p in self.parts]
        values = [p["value"] for p in parts]
        if self.decisive in values:
            value: bool | None = self.decisive
        elif None in values:
            value = None
        else:
            value = not self.decisive
        if value is not None:
            del ctx.missing[mark:]
        return {self.op: parts, "value": value}

    def reads(self) -> set[str]:
        return set().union(*(part.reads() for part in self.parts))


class NotNode:
    __slots__ = ("part", "test")

    def __init__(self, part: Node) -> None:
        self.part = part
        inner = part.test

        def test(ctx: Eval) -> bool | None:
            result = inner(ctx)
            return None if result is None else not result

        self.test: Test = test

    def trace(self, ctx: Eval) -> dict[str, Any]:
        part = self.part.trace(ctx)
        value = part["value"]
        return {NOT: part, "value": None if value is None else not value}

    def reads(self) -> set[str]:
        return self.part.reads()
