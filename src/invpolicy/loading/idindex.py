"""The ids already read from a file, in 8 bytes an id, and the first line of a repeated one.

A JSON Lines or CSV file is read one record at a time and nothing of a record
is kept but its id, to report a duplicate. A ``dict`` of strings takes well
over 100 bytes an id; :class:`IdIndex` keeps a 64-bit hash of each id, in 64
tables each at most three quarters full (so that growing one never holds two
copies of the whole), so that memory stays small however long the file.

Two different ids have the same 64-bit hash once in about 36 million files of
a million ids, and Python's string hash is seeded afresh in each process
(unless ``PYTHONHASHSEED`` fixes it), so nobody can choose ids that collide.
Even then nothing is taken on trust: :class:`FirstLines` confirms a hash seen
twice by reading the file again up to there, which also gives the line of the
first invitation with that id.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable

_MASK = (1 << 64) - 1
#: The top bits of a hash choose its table.
_TABLE_BITS = 6


class IdIndex:
    """A set of ids, kept as their 64-bit hashes."""

    __slots__ = ("_count", "_counts", "_masks", "_tables")

    def __init__(self) -> None:
        #: Open addressing with linear probing; 0 marks an empty slot.
        self._tables = [array("Q", [0]) * 16 for _ in range(1 << _TABLE_BITS)]
        self._masks = [15] * (1 << _TABLE_BITS)
        self._counts = [0] * (1 << _TABLE_BITS)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, ident: object) -> bool:
        if not isinstance(ident, str):
            return False
        key = _key(ident)
        which = key >> (64 - _TABLE_BITS)
        table, mask = self._tables[which], self._masks[which]
        at = key & mask
        while True:
            found = table[at]
            if found == key:
                return True
            if found == 0:
                return False
            at = (at + 1) & mask

    def add(self, ident: str) -> bool:
        """Remember ``ident``; False if its hash was already there."""
        key = _key(ident)
        which = key >> (64 - _TABLE_BITS)
        table, mask = self._tables[which], self._masks[which]
        at = key & mask
        while True:
            found = table[at]
            if found == key:
                return False
            if found == 0:
                break
            at = (at + 1) & mask
        table[at] = key
        self._count += 1
        self._counts[which] += 1
        if 4 * self._counts[which] > 3 * (mask + 1):
            self._grow(which)
        return True

    def _grow(self, which: int) -> None:
        old = self._tables[which]
        mask = 2 * len(old) - 1
        table = array("Q", [0]) * (mask + 1)
        for key in old:
            if key:
                at = key & mask
                while table[at]:
                    at = (at + 1) & mask
                table[at] = key
        self._tables[which], self._masks[which] = table, mask


def _key(ident: str) -> int:
    # Never 0, which marks an empty slot.
    return (hash(ident) & _MASK) or 1


#: The ids of the records before a line, each with its line, read again from the start.
Replay = Callable[[int], Iterable[tuple[str, int]]]


class FirstLines:
    """Which ids were seen, and the line where a repeated one was first seen: exact.

    While every id is new, only :attr:`ids` grows (8 bytes an id). At the first
    hash seen twice, ``replay`` reads the file again up to that line, and from
    then on every id is kept with its line, exactly: a file with a duplicate id
    is an error, and its reading costs one more partial pass and that memory.
    """

    def __init__(self, replay: Replay) -> None:
        self.ids = IdIndex()
        self._replay = replay
        self._exact: dict[str, int] | None = None

    def first(self, ident: str, line: int) -> int | None:
        """The line where ``ident`` was first seen, or None: it is new, seen at ``line``."""
        new = self.ids.add(ident)
        if self._exact is None:
            if new:
                return None
            self._exact = {}
            for earlier, at in self._replay(line):
                self._exact.setdefault(earlier, at)
        first = self._exact.get(ident)
        if first is None:
            self._exact[ident] = line  # only the hashes were the same
        return first
