"""What one fact says of another: the links the invitation schema declares between fields.

A field with ``x-at-most: OTHER`` never exceeds ``OTHER`` (how many of your
mutual connections work in your sector is at most how many there are). When
``OTHER`` is known, it bounds the field: 0 mutual connections means 0 in your
sector. Read the other way, a known field bounds ``OTHER`` from below. The engine
settles criteria with these bounds, what-if analysis leaves out values that
break them, an invitation that breaks one is refused, and lint
reasons with them; none of them knows a field by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, TypeGuard

from invpolicy.frozen import frozen
from invpolicy.schema.fields import invitation_fields


@frozen
class Link:
    """``fact`` is never more than ``at_most``."""

    fact: str
    at_most: str

    def describe(self, bound: Any) -> str:
        """The link, with the known value that bounds the fact: "at most mutual_connections=0"."""
        return f"{self.fact} is at most {self.at_most}={bound}"

    def describe_from_below(self, bound: Any) -> str:
        """The link read the other way: "mutual_connections is at least mutual_in_sector=2"."""
        return f"{self.at_most} is at least {self.fact}={bound}"


@cache
def links() -> tuple[Link, ...]:
    """Every link the invitation schema declares."""
    return tuple(
        Link(field.name, field.at_most)
        for field in invitation_fields().values()
        if field.at_most is not None
    )


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def upper_bound(facts: Mapping[str, Any], fact: str) -> tuple[float, Link] | None:
    """The least known value that ``fact`` cannot exceed, and the first link that says so.

    Follows links through unknown facts too: if a <= b <= c and only c is
    known, c bounds a. None when nothing known bounds ``fact``.
    """
    return _bound(facts, fact, up=True)


def lower_bound(facts: Mapping[str, Any], fact: str) -> tuple[float, Link] | None:
    """The greatest known value that ``fact`` is at least (a part of it is that much)."""
    return _bound(facts, fact, up=False)


def _bound(facts: Mapping[str, Any], fact: str, *, up: bool) -> tuple[float, Link] | None:
    best: tuple[float, Link] | None = None
    seen = {fact}
    todo: list[tuple[str, Link | None]] = [(fact, None)]
    while todo:
        current, first = todo.pop()
        for link in links():
            here, there = (link.fact, link.at_most) if up else (link.at_most, link.fact)
            if here != current or there in seen:
                continue
            seen.add(there)
            through = first or link
            value = facts.get(there)
            if _number(value):
                if best is None or (value < best[0] if up else value > best[0]):
                    best = (value, through)
            elif value is None:
                todo.append((there, through))
    return best


def clamp(facts: Mapping[str, Any], fact: str, value: Any) -> Any:
    """``value``, moved within the bounds the known facts give ``fact`` (numbers only)."""
    if not _number(value):
        return value
    low, high = lower_bound(facts, fact), upper_bound(facts, fact)
    if low is not None and value < low[0]:
        value = low[0]
    if high is not None and value > high[0]:
        value = high[0]
    return value


def broken(facts: Mapping[str, Any]) -> list[tuple[Link, Any, Any]]:
    """The links that known values break: (link, the fact's value, the bound's value)."""
    found = []
    for link in links():
        value, bound = facts.get(link.fact), facts.get(link.at_most)
        if _number(value) and _number(bound) and value > bound:
            found.append((link, value, bound))
    return found


def would_break(facts: Mapping[str, Any], fact: str, value: Any) -> bool:
    """Whether giving ``fact`` the value ``value`` would break a link with a known fact."""
    return bool(broken({**facts, fact: value}))
