"""Write a file all at once or not at all.

Output files, invitation files updated by ``decide --interactive`` and facts
files are written to a temporary file beside the target, then renamed over it:
an error half-way leaves the old file as it was, and a reader never sees half
a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


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
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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
