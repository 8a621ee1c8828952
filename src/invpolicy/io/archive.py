"""Read the files of a ZIP archive or a folder, without extracting anything to disk.

A data export arrives as a ZIP file, or as the folder it was unzipped to. Its
files are found by name, whatever the case and in any subfolder, and each one
opens like a file on disk (:func:`invpolicy.io.files.open_file` takes an
:class:`ArchiveFile`). A ZIP has a budget, checked before anything is
decompressed: at most :data:`MAX_MEMBERS` entries, each file read at most
:data:`~invpolicy.io.files.MAX_FILE_BYTES` (or the limit its reader gives) as
its entry declares (reading stops there whatever the data says), and at most
:data:`MAX_ARCHIVE_BYTES` in all, so that a zip bomb is refused in one line.
"""

from __future__ import annotations

import io
import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, BinaryIO, cast

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io import files

if TYPE_CHECKING:
    import zipfile

# zipfile is imported where a ZIP file is read: most runs never read one.

#: Entries in a ZIP archive, or files in a folder, looked at.
MAX_MEMBERS = 50_000
#: Bytes decompressed from one ZIP archive, over all the files read from it.
MAX_ARCHIVE_BYTES = 300 * 1024 * 1024
#: Bytes of a ZIP archive's directory (about 100 bytes per entry).
MAX_DIRECTORY_BYTES = 16 * 1024 * 1024

_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END_SIZE = 22
_MAX_COMMENT = 0xFFFF


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a folder or a ZIP file (by its extension)."""
    return path.is_dir() or path.suffix.lower() == ".zip"


@dataclass
class _Budget:
    """What may still be decompressed from one ZIP archive; each entry is counted once."""

    left: int = field(default_factory=lambda: MAX_ARCHIVE_BYTES)
    counted: set[str] = field(default_factory=set)

    def take(self, name: str, size: int) -> bool:
        if name in self.counted:
            return True
        if size > self.left:
            return False
        self.left -= size
        self.counted.add(name)
        return True


class ArchiveFile:
    """One file of an archive: its path inside it, and how it is shown in messages.

    ``str()`` of it is the shown path: ``export.zip/Invitations.csv`` for a
    ZIP entry, the real path for a file in a folder.
    """

    def __init__(self, archive: Archive, name: str) -> None:
        self.archive = archive
        #: The path inside the archive, with ``/`` between folders.
        self.name = name
        self.shown = f"{archive.shown}/{name}"

    def __str__(self) -> str:
        return self.shown

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name).name

    @property
    def folder(self) -> str:
        """The folder that holds it inside the archive (``""`` at the top)."""
        return str(PurePosixPath(self.name).parent).removeprefix(".")

    @property
    def disk_path(self) -> Path:
        """The file on disk that holds it: itself in a folder, the ZIP file otherwise."""
        return self.archive.path if self.archive.is_zip else self.archive.path / self.name

    def open_binary(self, limit: int) -> BinaryIO:
        """The file's bytes, if it holds at most ``limit``, within the archive's budget."""
        return self.archive.open_member(self, limit)


class Archive:
    """A ZIP file or a folder, and the files in it."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path = path
        #: As given, without a final ``/``: its files are shown as ``SHOWN/NAME``.
        self.shown = shown.rstrip("/" + os.sep) or shown
        self.is_zip = not path.is_dir()
        self._zip: zipfile.ZipFile | None = None
        self._budget = _Budget()
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        """Every file's path inside the archive, folders left out."""
        if self._names is None:
            self._names = self._zip_names() if self.is_zip else self._folder_names()
        return self._names

    def find(self, basename: str) -> list[ArchiveFile]:
        """The files called ``basename`` (any case), shallowest first."""
        wanted = basename.casefold()
        found = [n for n in self.names() if PurePosixPath(n).name.casefold() == wanted]
        found.sort(key=lambda n: (n.count("/"), n))
        return [ArchiveFile(self, name) for name in found]

    def file(self, name: str) -> ArchiveFile:
        return ArchiveFile(self, name)

    def problem(self, message: str) -> InvpolicyError:
        return InvpolicyError(Problem(self.shown, 1, 1, message))

    # --- folders ---------------------------------------------------------------------

    def _folder_names(self) -> list[str]:
        names: list[str] = []
        for root, dirs, filenames in os.walk(self.path, onerror=self._walk_error):
            dirs.sort()
            relative = Path(root).relative_to(self.path).as_posix()
            prefix = "" if relative == "." else f"{relative}/"
            for name in sorted(filenames):
                names.append(prefix + name)
                if len(names) > MAX_MEMBERS:
                    raise self.problem(f"more than {MAX_MEMBERS} files: not a data export")
        return names

    def _walk_error(self, exc: OSError) -> None:
        raise InvpolicyError(files.open_problem(str(exc.filename or self.shown), exc)) from None

    # --- ZIP files -------------------------------------------------------------------

    def _open_zip(self) -> zipfile.ZipFile:
        import zipfile

        if self._zip is not None:
            return self._zip
        try:
            with self.path.open("rb") as stream:
                entries, directory = _directory_size(stream)
        except OSError as exc:
            raise InvpolicyError(files.open_problem(self.shown, exc)) from None
        except _NotZip:
            raise self.problem("not a ZIP archive, or a damaged one") from None
        if entries > MAX_MEMBERS or directory > MAX_DIRECTORY_BYTES:
            raise self.problem(
                f"the archive has {entries} entries; at most {MAX_MEMBERS} are read"
                if entries > MAX_MEMBERS
                else f"the archive's directory is larger than {MAX_DIRECTORY_BYTES} bytes"
            )
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, OSError):
            # The file was just read: an OSError here is a seek to a damaged offset.
            raise self.problem("not a ZIP archive, or a damaged one") from None
        return self._zip

    def _zip_names(self) -> list[str]:
        return [info.filename for info in self._open_zip().infolist() if not info.is_dir()]

    def open_member(self, member: ArchiveFile, limit: int) -> BinaryIO:
        if not self.is_zip:
            return files.open_file(self.path / member.name, member.shown, limit)
        import zipfile

        archive = self._open_zip()
        info = archive.getinfo(member.name)
        if info.file_size > limit:
            raise files.too_large(member.shown, limit)
        if not self._budget.take(member.name, info.file_size):
            raise self.problem(
                f"reading {member.name} would take the files decompressed from the archive "
                f"past {MAX_ARCHIVE_BYTES} bytes"
            )
        try:
            stream = archive.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
            raise InvpolicyError(Problem(member.shown, 1, 1, _zip_error(exc))) from None
        return cast(BinaryIO, io.BufferedReader(_Guarded(stream, member.shown)))


class _NotZip(Exception):
    """No end-of-directory record: the file is not a ZIP archive."""


def _directory_size(stream: IO[bytes]) -> tuple[int, int]:
    """The entry count and directory size that a ZIP file's last record declares.

    Read before :mod:`zipfile` builds an object per entry, so that an archive
    declaring millions of them costs nothing.
    """
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    tail_size = min(size, _END_SIZE + _MAX_COMMENT)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < _END_SIZE:
        raise _NotZip
    fields = struct.unpack("<4s4H2LH", tail[at : at + _END_SIZE])
    entries, directory = fields[4], fields[5]
    if entries == 0xFFFF or directory == 0xFFFFFFFF:  # ZIP64: the real figures are elsewhere
        locator = tail[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(_END64_LOCATOR):
            raise _NotZip
        (_, _, offset, _) = struct.unpack("<4sLQL", locator)
        stream.seek(offset)
        record = stream.read(56)
        if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
            raise _NotZip
        entries, directory = struct.unpack("<QQ", record[32:48])
    return entries, directory


def _zip_error(exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return f"cannot decompress this entry: {exc}"
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return "the entry is encrypted"
    return f"damaged ZIP entry: {exc}"


class _Guarded(io.RawIOBase):
    """A ZIP entry's stream whose decompression errors are problems located in the entry."""

    def __init__(self, stream: IO[bytes], shown: str) -> None:
        super().__init__()
        self._stream = stream
        self._shown = shown

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        import zipfile
        import zlib

        try:
            data = self._stream.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise InvpolicyError(Problem(self._shown, 1, 1, _zip_error(exc))) from None
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


def open_archive(path: Path, shown: str) -> Archive:
    """The archive at ``path``: a folder, or a ZIP file (opened when first read)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise InvpolicyError(files.open_problem(shown, exc)) from None
    if not stat.S_ISDIR(info.st_mode) and not stat.S_ISREG(info.st_mode):
        raise InvpolicyError(Problem(shown, 1, 1, "not a file or a folder"))
    return Archive(path, shown)
