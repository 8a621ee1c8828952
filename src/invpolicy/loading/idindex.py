"""The ids already read from a file, in 4 bytes an id, and the first line of a repeated one.

A JSON Lines or CSV file is read one record at a time and nothing of a record
is kept but its id, to report a duplicate. A ``dict`` of strings takes well
over 100 bytes an id; :class:`IdIndex` keeps a 38-bit fingerprint of each id's
hash (6 bits choose one of 64 tables, each at most three quarters full, so
that growing one never holds two copies of the whole; 32 are kept), so that
memory stays small however long the file: 4 bytes a slot, 5 to 11 bytes an id.

Two different ids share a fingerprint about twice in a file of a million ids,
and Python's string hash is seeded afresh in each process (unless
``PYTHONHASHSEED`` fixes it), so nobody can choose ids that collide. Nothing
is taken on trust: :class:`FirstLines` confirms a fingerprint seen twice by
reading the file again up to there, looking for that one id, which also gives
the line of the first invitation with it.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable

_MASK = (1 << 64) - 1
#: The top bits of a hash choose its table; its low 32 bits are kept there.
_TABLE_BITS = 6
_KEPT = (1 << 32) - 1


class IdIndex:
    """A set of ids, kept as fingerprints of their hashes: ``in`` may say yes for an id
    that is not there (:class:`FirstLines` checks), never no for one that is."""

    __slots__ = ("_count", "_counts", "_masks", "_tables")

    def __init__(self) -> None:
        #: Open addressing with linear probing; 0 marks an empty slot.
        self._tables = [array("I", [0]) * 16 for _ in range(1 << _TABLE_BITS)]
        self._masks = [15] * (1 << _TABLE_BITS)
        self._counts = [0] * (1 << _TABLE_BITS)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, ident: object) -> bool:
        if not isinstance(ident, str):
            return False
        which, key = _key(ident)
        table = self._tables[which]
        return table[_probe(table, self._masks[which], key)] == key

    def add(self, ident: str) -> bool:
        """Remember ``ident``; False if its fingerprint was already there."""
        which, key = _key(ident)
        table, mask = self._tables[which], self._masks[which]
        at = _probe(table, mask, key)
        if table[at] == key:
            return False
        table[at] = key
        self._count += 1
        self._counts[which] += 1
        if 4 * self._counts[which] > 3 * (mask + 1):
            self._grow(which)
        return True

    def _grow(self, which: int) -> None:
        old = self._tables[which]
        mask = 2 * len(old) - 1
        table = array("I", [0]) * (mask + 1)
        for key in old:
            if key:
                at = key & mask
                while table[at]:
                    at = (at + 1) & mask
                table[at] = key
        self._tables[which], self._masks[which] = table, mask


def _probe(table: array[int], mask: int, key: int) -> int:
    """The slot of ``key`` in ``table``: where it is, or the empty slot where it would go."""
    at = key & mask
    while True:
        found = table[at]
        if found == key or found == 0:
            return at
        at = (at + 1) & mask


def _key(ident: str) -> tuple[int, int]:
    """The table of ``ident``, and the fingerprint kept there (never 0, an empty slot)."""
    full = hash(ident) & _MASK
    return full >> (64 - _TABLE_BITS), (full & _KEPT) or 1


#: The ids of the records before a line, each with its line, read again from the start.
Replay = Callable[[int], Iterable[tuple[str, int]]]


class FirstLines:
    """Which ids were seen, and the line where a repeated one was first seen: exact.

    While every id is new, only :attr:`ids` grows (4 bytes a slot). A
    fingerprint seen twice is checked: ``replay`` reads the file again up to
    that line, looking for that id. Another id with the same fingerprint is
    nothing to report, and nothing more is kept. The same id is a duplicate:
    from then on every id is kept with its line, exactly (a file with a
    duplicate id is an error, and its reading costs one more partial pass and
    that memory).
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
            first = next((at for earlier, at in self._replay(line) if earlier == ident), None)
            if first is None:
                return None  # only the fingerprints were the same
            self._exact = {}
            for earlier, at in self._replay(line):
                self._exact.setdefault(earlier, at)
        first = self._exact.get(ident)
        if first is None:
            self._exact[ident] = line  # only the hashes were the same
        return first
