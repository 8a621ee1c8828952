"""Write a file all at once or not at all.

Output files, invitation files updated by ``decide --interactive`` and facts
files are written to a temporary file beside the target, then renamed over it:
an error half-way leaves the old file as it was, and a reader never sees half
a file.

A temporary file is named ``.NAME.PID.XXXX.tmp``, after its writer's process.
One left behind by a writer that was killed is removed by a later write to the
same target, once that process is gone and the file is more than a minute old:
a file whose writer still runs, or that is recent, may be another write under
way.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

#: How old a leftover temporary file must be before it is removed (seconds).
LEFTOVER_AGE = 60.0


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs; when that cannot be known, it is taken to run."""
    if pid <= 0:
        return True  # os.kill(0, ...) would mean the whole process group
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def remove_leftovers(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files of ``target`` whose writer is gone; return them.

    Only a file named as :func:`atomic_open` names them, with the writer's
    process id, whose process no longer runs and that is older than
    :data:`LEFTOVER_AGE` seconds.
    """
    prefix, suffix = f".{target.name}.", ".tmp"
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        pid, dot, rest = name[len(prefix) : -len(suffix)].partition(".")
        if not (pid.isdigit() and dot and rest) or _running(int(pid)):
            continue
        path = target.parent / name
        try:
            if now - path.lstat().st_mtime > LEFTOVER_AGE:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove: the write goes on
    return removed


@contextmanager
def atomic_open(path: str | Path) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` only if the block ends without error.

    The new file keeps the old one's permissions, if there was one. A symbolic
    link is followed; a device such as ``/dev/null`` is written to directly.
    """
    # Write through a symbolic link, into the file it points to.
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/null, /dev/stdout) is written to, never replaced.
        with target.open("w", encoding="utf-8", newline="") as stream:
            yield stream
        return
    remove_leftovers(target)
    fd, temp = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8), atomically."""
    with atomic_open(path) as stream:
        stream.write(text)
