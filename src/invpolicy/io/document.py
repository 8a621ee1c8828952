"""A document: plain data read from one file, with the position of every key and value."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from invpolicy.errors import InvpolicyError, Problem

#: JSON-like path from the document root: keys and list indexes.
JsonPath = tuple[str | int, ...]


@dataclass
class Document:
    """Plain data read from one file, with the position of every key and value.

    A file read the quick way (:mod:`invpolicy.io.fastload`) has no positions
    at first: ``locate`` reads it again, carefully, the first time one is
    needed (an error message), and gives them.
    """

    path: str
    data: Any
    value_positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    locate: Callable[[], Document] | None = field(default=None, repr=False, compare=False)

    def located(self) -> Document:
        """This document, with its positions (found now if they were left for later)."""
        if self.locate is not None:
            locate, self.locate = self.locate, None
            try:
                found = locate()
            except InvpolicyError:  # read the quick way only: no positions to give
                return self
            self.value_positions.update(found.value_positions)
            self.key_positions.update(found.key_positions)
        return self

    def position(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path``, or of its key.

        Falls back to the nearest enclosing value that has a position.
        """
        self.located()
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), (1, 1))

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> Problem:
        """A :class:`Problem` located at ``path`` in this document."""
        line, col = self.position(path, key=key)
        return Problem(self.path, line, col, message)


def dotted(path: Iterable[str | int]) -> str:
    """``("rules", 0, "when")`` -> ``rules[0].when``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
