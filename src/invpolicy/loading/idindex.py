"""The ids already read from a file, and the line of each, in a few bytes an id.

A JSON Lines or CSV file is read one record at a time and nothing of a record
is kept but this: its id, to report a duplicate, and the line it was on. A
``dict`` of strings takes well over 100 bytes an id; this table keeps a 64-bit
hash of the id and the line in 16 bytes, in a table at most three quarters
full, so that memory stays flat however long the file.

Two different ids are taken for one only if their 64-bit hashes are equal: for
a million ids, a chance of about 1 in 36 million. Python's string hash is
seeded afresh in each process (unless ``PYTHONHASHSEED`` fixes it), so nobody
can choose ids that collide.
"""

from __future__ import annotations

from array import array

_MASK = (1 << 64) - 1


class IdIndex:
    """A set of ids, each with the line where it was first seen."""

    __slots__ = ("_count", "_mask", "_slots")

    def __init__(self, capacity: int = 1024) -> None:
        size = 1 << max(capacity - 1, 1).bit_length()
        #: Pairs of (hash, line); a hash of 0 marks an empty slot.
        self._slots = array("Q", [0]) * (2 * size)
        self._mask = size - 1
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and self.get(ident) is not None

    def get(self, ident: str) -> int | None:
        """The line where ``ident`` was first seen, or None."""
        slots = self._slots
        at = self._find(_key(ident))
        return slots[2 * at + 1] if slots[2 * at] else None

    def add(self, ident: str, line: int) -> None:
        """Remember ``ident``, first seen at ``line`` (an id already known keeps its line)."""
        key = _key(ident)
        at = self._find(key)
        if self._slots[2 * at]:
            return
        self._slots[2 * at] = key
        self._slots[2 * at + 1] = line
        self._count += 1
        if 4 * self._count > 3 * (self._mask + 1):
            self._grow()

    def _find(self, key: int) -> int:
        # Linear probing: the slot holding ``key``, or the empty one where it goes.
        slots, mask = self._slots, self._mask
        at = key & mask
        while True:
            found = slots[2 * at]
            if found == key or found == 0:
                return at
            at = (at + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("Q", [0]) * (2 * len(old))
        self._mask = 2 * self._mask + 1
        for i in range(0, len(old), 2):
            if old[i]:
                at = self._find(old[i])
                self._slots[2 * at] = old[i]
                self._slots[2 * at + 1] = old[i + 1]


def _key(ident: str) -> int:
    # Never 0, which marks an empty slot.
    return (hash(ident) & _MASK) or 1
