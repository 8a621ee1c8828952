"""The cache folder: plain JSON files that spare work already done, never needed.

The folder is the user's cache folder as :mod:`platformdirs` names it
(``~/.cache/invpolicy/`` on Linux, ``~/Library/Caches/invpolicy/`` on macOS,
``%LOCALAPPDATA%\\invpolicy\\Cache`` on Windows), or ``$INVPOLICY_CACHE_DIR``.
``INVPOLICY_NO_CACHE=1`` (or a command's ``--no-cache``) turns the cache off.

An entry is a JSON file written at once (:mod:`invpolicy.io.atomic`): a
reader sees a whole entry or none. One that cannot be read, or is not JSON,
counts as absent, and a folder that cannot be written to is passed over: the
cache only ever saves time, and deleting the folder is always safe.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

#: Names another cache folder.
CACHE_DIR_ENV = "INVPOLICY_CACHE_DIR"
#: Set to ``1`` (or ``true``, ``yes``, ``on``), turns the cache off.
NO_CACHE_ENV = "INVPOLICY_NO_CACHE"
#: An entry larger than this is not read (a damaged or foreign file).
MAX_ENTRY_BYTES = 8 * 1024 * 1024

#: True while the cache is off for this run (a command's ``--no-cache``).
CACHE_OFF: ContextVar[bool] = ContextVar("invpolicy_cache_off", default=False)
#: The values of ``INVPOLICY_NO_CACHE`` that leave the cache on (as click reads a flag).
_ON_WORDS = frozenset({"", "0", "false", "f", "no", "n", "off"})


def cache_off() -> bool:
    """Whether the cache is turned off, by the environment or by :func:`no_cache`."""
    return CACHE_OFF.get() or os.environ.get(NO_CACHE_ENV, "").strip().lower() not in _ON_WORDS


@contextmanager
def no_cache() -> Iterator[None]:
    """Within the block, the cache is neither read nor written (``--no-cache``)."""
    token = CACHE_OFF.set(True)
    try:
        yield
    finally:
        CACHE_OFF.reset(token)


def default_folder() -> Path:
    """Where the cache lives when on: ``$INVPOLICY_CACHE_DIR``, else the user's cache folder."""
    named = os.environ.get(CACHE_DIR_ENV)
    if named:
        return Path(named)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("invpolicy", appauthor=False))


def cache_folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    return None if cache_off() else default_folder()


def digest(data: Any) -> str:
    """A hex SHA-256 of ``data`` written as canonical JSON (sorted keys)."""
    import hashlib
    import json

    text = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def read_entry(folder: Path, name: str) -> Any:
    """The data of entry ``name``; None when it is missing, too large, or not JSON."""
    import json

    path = folder / f"{name}.json"
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_ENTRY_BYTES + 1)
        if len(raw) > MAX_ENTRY_BYTES:
            return None
        return json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return None


def write_entry(folder: Path, name: str, data: Any) -> None:
    """Keep ``data`` as entry ``name``; say nothing if it cannot be written."""
    import json

    from invpolicy.io.atomic import atomic_write

    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / f"{name}.json", text)
    except (OSError, TypeError, ValueError):
        pass


def entries(folder: Path) -> list[Path]:
    """The entries of the cache folder: the plugins found (``plugins-*.json``), and the
    policies (``policies/*.json``); nothing else in the folder is the cache's."""
    return sorted(folder.glob("plugins-*.json")) + sorted(folder.glob("policies/*.json"))


def clear(folder: Path | None = None) -> int:
    """Delete every entry of the cache folder; how many files were deleted."""
    removed = 0
    for path in entries(folder if folder is not None else default_folder()):
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed
