"""One writer at a time: a lock file beside the file that is saved.

``decide --interactive`` in two terminals may save to the same facts file at
once. Each save takes the lock, reads the file again, merges its answers in and
writes it; so neither loses the other's answers. The lock is the ``filelock``
library's (an OS lock on ``NAME.lock``, released even if the process dies); the
``.lock`` file stays beside the file, empty, and may be deleted when no one saves.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: How long a save waits for another one to finish (seconds).
WAIT = 30.0


class Busy(TimeoutError):
    """Another process held the lock longer than :data:`WAIT`."""


def lock_path(path: str | Path) -> Path:
    """The lock file of ``path``: beside the file a symbolic link leads to, named after it."""
    target = Path(os.path.realpath(path))
    return target.with_name(f"{target.name}.lock")


@contextmanager
def locked(path: str | Path, *, wait: float = WAIT) -> Iterator[Path]:
    """Hold the lock of ``path`` for the block; raise :class:`Busy` or an ``OSError`` if not."""
    from filelock import FileLock, Timeout

    lock = lock_path(path)
    if not lock.parent.is_dir():
        # filelock would create the missing folders; a save never does.
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(lock.parent))
    try:
        with FileLock(lock, timeout=wait):
            yield lock
    except Timeout:
        raise Busy(f"another process is saving to it (it holds {lock.name})") from None
