"""Open a file that may be hostile and read it as UTF-8 text, within a size limit."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import BinaryIO, Protocol

from invpolicy.errors import InvpolicyError, Problem

#: A file read whole (YAML, JSON, a policy), or a file inside a ZIP archive.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: A line of a file read line by line (JSON Lines, CSV), which has no limit in all:
#: far more than any invitation takes, and what one record may hold.
MAX_LINE_BYTES = 1024 * 1024


def open_problem(shown: str, exc: OSError) -> Problem:
    """Why a file could not be opened, as a problem at its first line."""
    if isinstance(exc, FileNotFoundError):
        return Problem(shown, 1, 1, "no such file")
    if isinstance(exc, IsADirectoryError):
        return Problem(shown, 1, 1, "is a directory, not a file")
    return Problem(shown, 1, 1, f"cannot read: {exc.strerror}")


class Member(Protocol):
    """A file inside an archive (:class:`invpolicy.io.archive.ArchiveFile`)."""

    def open_binary(self, limit: int) -> BinaryIO:
        """The file's bytes, if it holds at most ``limit``, within the archive's limits."""


#: What can be read: a path on disk, or a file inside an archive.
Source = Path | Member


def open_file(path: Source, shown: str, limit: int | None = None) -> BinaryIO:
    """Open ``path`` to read its bytes.

    A missing file, a folder, or a file already over ``limit`` bytes (by
    default :data:`MAX_FILE_BYTES`) is an error; the reader still holds what it
    reads to the limit (a file may grow, a pipe has no size).
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    if not isinstance(path, Path):
        return path.open_binary(limit)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if info.st_size > limit:
            raise too_large(shown, limit)
        return path.open("rb")
    except OSError as exc:
        raise InvpolicyError(open_problem(shown, exc)) from None


def size_of(path: Source) -> int | None:
    """The size of a file on disk in bytes, when it can be known."""
    if isinstance(path, Path):
        try:
            return path.stat().st_size
        except OSError:
            return None
    return None


#: Where the system keeps entries that look like files but are not anyone's data.
_SYSTEM = (Path("/proc"), Path("/sys"), Path("/dev"))


def regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file, not under ``/proc``, ``/sys`` or ``/dev``
    (whose entries look regular), links followed."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        resolved = path.resolve()
    except OSError:
        return False
    return not any(resolved.is_relative_to(root) for root in _SYSTEM)


def too_large(shown: str, limit: int | None = None) -> InvpolicyError:
    """The error for a file over ``limit`` bytes (by default :data:`MAX_FILE_BYTES`)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    return InvpolicyError(Problem(shown, 1, 1, f"file is too large (more than {limit} bytes)"))


def read_text(path: str | Source) -> str:
    """Read a file as UTF-8 text; binary or badly encoded content is an error."""
    shown = str(path)
    with open_file(Path(path) if isinstance(path, str) else path, shown) as stream:
        try:
            # One byte past the limit is enough to know the file is too large.
            raw = stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise InvpolicyError(open_problem(shown, exc)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise too_large(shown)
    return decode_text(raw, shown)


def decode_text(raw: bytes, shown: str, *, line: int = 1) -> str:
    """Decode ``raw``, which starts at ``line`` of the file, as UTF-8, refusing binary data.

    Problems are located in the file. A byte-order mark is allowed at the start
    of the file only: anywhere else, U+FEFF is a character of the text.
    """
    nul = raw.find(b"\x00")
    if nul >= 0:
        at, col = _line_col(raw, nul)
        raise InvpolicyError(
            Problem(shown, at + line - 1, col, "binary data (a NUL byte), not a text file")
        )
    try:
        text = raw.decode("utf-8-sig" if line == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        at, col = _line_col(raw, exc.start)
        byte = raw[exc.start]
        raise InvpolicyError(
            Problem(shown, at + line - 1, col, f"not valid UTF-8 text (byte 0x{byte:02x})")
        ) from None
    return text


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col
