"""The files read beside the invitations (facts, connections, profile): read once, on first use.

When checking, a file's problems are gathered and the check goes on; when
iterating, the first problem stops it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.files import Source

_Loaded = TypeVar("_Loaded")


class SideFile(Generic[_Loaded]):
    """The facts, connections or profile file: read on first use, and kept once read."""

    def __init__(self, load: Callable[[Source], _Loaded], path: Source | None) -> None:
        self._load = load
        self._path = path
        self._loaded: _Loaded | None = None

    def get(self, problems: list[Problem] | None) -> _Loaded | None:
        """The file's content; when checking, a problem does not stop the check."""
        path = self._path
        if path is None or self._loaded is not None:
            return self._loaded
        self._loaded = gather(lambda: self._load(path), problems)
        return self._loaded


def gather(read: Callable[[], _Loaded], problems: list[Problem] | None) -> _Loaded | None:
    """What ``read`` gives; its problems are raised when iterating, kept when checking."""
    try:
        return read()
    except InvpolicyError as exc:
        if problems is None:
            raise
        problems.extend(exc.problems)
        return None


def report(found: list[Problem], problems: list[Problem] | None) -> None:
    """Raise ``found`` when iterating; add them to ``problems`` when checking."""
    if found and problems is None:
        raise InvpolicyError(sorted(found))
    if problems is not None:
        problems.extend(found)
