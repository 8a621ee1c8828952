"""``@frozen``: an immutable dataclass that costs less to define.

A ``@dataclass(frozen=True)`` class compiles six methods from source when
it is defined (about a millisecond each class); the dozens a command
imports made a visible share of its start-up. ``@frozen`` lets
:func:`dataclasses.dataclass` write the three that must be specific to the
class (``__init__``, and the ``__setattr__`` and ``__delattr__`` that refuse
a change) and gives the class shared ones for the rest:

- ``__eq__``: the same class, and equal fields (those compared), in order;
- ``__hash__``: the hash of those fields;
- ``__repr__``: ``Name(field=value, ...)``, the fields shown by dataclasses.

They behave as the dataclass's own; a method the class defines itself is
kept. :func:`dataclasses.fields`, :func:`~dataclasses.replace` and
:func:`~dataclasses.asdict` work as on any dataclass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[T]) -> type[T]:
    """``cls`` as a frozen dataclass, its equality, hash and repr shared (see the module)."""
    made = dataclasses.dataclass(frozen=True, eq=False, repr=False)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    shown = tuple(f.name for f in fields if f.repr)
    own = cls.__dict__
    # A class that defines __eq__ alone has __hash__ None in its body: it gets one, as a
    # frozen dataclass would give it.
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if "__eq__" not in own:
        made.__eq__ = _equal(_getter(compared))  # type: ignore[method-assign]
    if not explicit_hash:
        made.__hash__ = _hash(_getter(hashed))  # type: ignore[method-assign,assignment]
    if "__repr__" not in own:
        made.__repr__ = _repr(shown)  # type: ignore[method-assign]
    return made


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _: ()
    if len(names) == 1:
        (name,) = names
        return lambda item: (getattr(item, name),)
    return attrgetter(*names)  # a tuple, made in C


def _equal(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    return __eq__


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__
