"""``@frozen`` classes behave as ``@dataclass(frozen=True)`` ones."""

from __future__ import annotations

import dataclasses
from dataclasses import FrozenInstanceError, field

import pytest

from invpolicy.frozen import frozen


def both(body: dict[str, object], annotations: dict[str, str]) -> tuple[type, type]:
    """The same class made by ``@frozen`` and by ``@dataclass(frozen=True)``."""
    made = []
    for decorate in (frozen, dataclasses.dataclass(frozen=True)):
        namespace = {**body, "__annotations__": dict(annotations), "__module__": __name__}
        made.append(decorate(type("Point", (), namespace)))
    return made[0], made[1]


FIELDS = {"x": "int", "tags": "tuple[str, ...]", "note": "str", "seen": "list[int]"}
BODY = {
    "tags": (),
    "note": field(default="", compare=False),
    "seen": field(default_factory=list, repr=False, hash=False),
}
VALUES = [
    (1,),
    (1, ("a",)),
    (1, ("a",), "said"),
    (2, ("a", "b"), "", [3]),
]


@pytest.mark.parametrize("left", VALUES)
@pytest.mark.parametrize("right", VALUES)
def test_equality_hash_and_repr_are_the_dataclass_ones(left, right) -> None:
    mine, theirs = both(BODY, FIELDS)
    a, b = mine(*left), mine(*right)
    c, d = theirs(*left), theirs(*right)
    assert (a == b) == (c == d)
    assert (a != b) == (c != d)
    assert repr(a) == repr(c)
    assert hash(a) == hash(c)  # the hash of the same fields, in the same order
    assert dataclasses.astuple(a) == dataclasses.astuple(c)


def test_a_field_cannot_be_changed_and_replace_makes_a_new_one() -> None:
    mine, _ = both(BODY, FIELDS)
    point = mine(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2
    with pytest.raises(FrozenInstanceError):
        del point.x
    moved = dataclasses.replace(point, x=2)
    assert (point.x, moved.x) == (1, 2)
    assert [f.name for f in dataclasses.fields(moved)] == list(FIELDS)
    assert dataclasses.asdict(moved) == {"x": 2, "tags": (), "note": "", "seen": []}


def test_another_class_is_never_equal() -> None:
    mine, theirs = both(BODY, FIELDS)
    assert mine(1) != theirs(1)
    assert mine(1) != (1, (), "", [])


def test_the_methods_a_class_defines_are_kept() -> None:
    @frozen
    class Named:
        name: str
        size: int = 0

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Named) and other.name.lower() == self.name.lower()

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert Named("Ana") == Named("ana", 3)
    assert repr(Named("Ana")) == "<Ana>"
    # As with a frozen dataclass, a class with its own __eq__ still gets a hash of its fields.
    assert hash(Named("Ana", 1)) == hash(Named("Ana", 1))


def test_a_subclass_compares_its_own_fields() -> None:
    @frozen
    class Base:
        a: int

    @frozen
    class Child(Base):
        b: int = 0

    assert Child(1, 2) != Child(1, 3)
    assert Child(1, 2) == Child(1, 2)
    assert Base(1) != Child(1)
    assert repr(Child(1, 2)) == "test_a_subclass_compares_its_own_fields.<locals>.Child(a=1, b=2)"
