"""Read a JSON Lines or CSV file one record at a time, each with the line it was on.

Plain JSON Lines and CSV rows are made here; LinkedIn's export (in
:mod:`invpolicy.loading.linkedin`) builds on the same lines and CSV records. Nothing
is kept of a record once the next one is read.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io import files
from invpolicy.io.document import Document, JsonPath
from invpolicy.io.files import decode_text
from invpolicy.schema.check import shown
from invpolicy.schema.fields import invitation_fields
from invpolicy.text import fold

_TRUE = ("true", "yes", "1", "oui")
_FALSE = ("false", "no", "0", "non")
_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass
class Row:
    """One record: its data (None if it could not be read) and where it was."""

    line: int
    data: Any
    doc: Document
    problems: list[Problem]


def read_lines(
    path: files.Source,
    shown_as: str,
    limit: int | None = None,
    *,
    legacy: Callable[[], None] | None = None,
    read: Callable[[int], None] | None = None,
) -> Generator[str, None, None]:
    """The file's lines, decoded one at a time, line endings kept.

    At most ``limit`` bytes in all. Without ``limit``, a file on disk may be as
    long as it is, each line at most :data:`~invpolicy.io.files.MAX_LINE_BYTES`
    (it is read as a stream: memory does not grow with it), and a file in a ZIP
    archive at most :data:`~invpolicy.io.files.MAX_FILE_BYTES` in all, within
    the archive's budget. ``read`` is called after each line with the number of
    bytes read so far (to show progress).
    The text must be UTF-8. With ``legacy`` (CSV files only), a file whose first
    line that is not ASCII is not UTF-8 either, but is Windows-1252, the encoding
    spreadsheets save in on Windows, is read in that encoding from there on, and
    ``legacy`` is called once. Binary data is refused in any encoding.
    """
    per_line = limit is None and isinstance(path, Path)
    if limit is None:
        limit = sys.maxsize if per_line else files.MAX_FILE_BYTES
    longest = files.MAX_LINE_BYTES if per_line else limit
    with files.open_file(path, shown_as, limit) as stream:
        total = 0
        number = 0
        encoding = "utf-8"
        ascii_so_far = True
        while raw := stream.readline(min(limit - total, longest) + 1):
            # A file that grows while read (or a pipe) is held to the same limits.
            total += len(raw)
            if total > limit:
                raise files.too_large(shown_as, limit)
            number += 1
            if len(raw) > longest:
                message = f"line is too long (more than {longest:,} bytes)"
                raise InvpolicyError(Problem(shown_as, number, 1, message))
            if read is not None:
                read(total)
            if encoding == "utf-8":
                if legacy is not None and ascii_so_far and not raw.isascii():
                    ascii_so_far = False
                    if _is_legacy(raw):
                        encoding = LEGACY_ENCODING
                        legacy()
                        yield _decode_legacy(raw, shown_as, number)
                        continue
                yield decode_text(raw, shown_as, line=number)
            else:
                yield _decode_legacy(raw, shown_as, number)


#: What a CSV file that is not UTF-8 is read as: what spreadsheets save on Windows.
LEGACY_ENCODING = "cp1252"


def _is_legacy(raw: bytes) -> bool:
    """Whether a line is not UTF-8 but is Windows-1252 (which leaves 5 bytes undefined)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            raw.decode(LEGACY_ENCODING)
        except UnicodeDecodeError:
            return False
        return True
    return False


def _decode_legacy(raw: bytes, shown_as: str, number: int) -> str:
    try:
        text = raw.decode(LEGACY_ENCODING)
    except UnicodeDecodeError:
        return decode_text(raw, shown_as, line=number)  # says where, as for UTF-8
    if "\x00" in text:
        decode_text(raw, shown_as, line=number)  # says where the binary data is
    return text


# --- JSON Lines -----------------------------------------------------------------------


class _Refused(ValueError):
    """A JSON value that the json module reads but invpolicy refuses."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"duplicate key '{key}'")
        result[key] = value
    return result


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"'{text}' is not a finite number")
    return value


def _constant(text: str) -> float:
    raise _Refused(f"'{text}' is not a finite number")


def jsonl_rows(lines: Iterable[str], shown_as: str) -> Iterator[Row]:
    """A JSON Lines file's rows: a JSON value per non-blank line."""
    empty = True
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        empty = False
        # Without its line break, an unfinished line's error is on that line.
        text = text.rstrip("\r\n")
        doc = _JsonLine(shown_as, number, text)
        try:
            doc.data = json.loads(
                text, object_pairs_hook=_object, parse_float=_finite, parse_constant=_constant
            )
        except json.JSONDecodeError as exc:
            what = exc.msg
            if text.startswith("\ufeff"):  # json's own message is advice to programmers
                what = "a byte-order mark (U+FEFF) is allowed at the start of the file only"
            problem = Problem(shown_as, number + exc.lineno - 1, exc.colno, f"invalid JSON: {what}")
            yield Row(number, None, doc, [problem])
            continue
        except _Refused as exc:
            yield Row(number, None, doc, [Problem(shown_as, number, 1, f"invalid JSON: {exc}")])
            continue
        except (ValueError, RecursionError) as exc:
            what = "nesting is too deep" if isinstance(exc, RecursionError) else str(exc)
            yield Row(number, None, doc, [Problem(shown_as, number, 1, f"invalid JSON: {what}")])
            continue
        yield Row(number, doc.data, doc, [])
    if empty:
        raise InvpolicyError(Problem(shown_as, 1, 1, "file is empty"))


class _JsonLine(Document):
    """One line of a JSON Lines file: a value is located at its key's column.

    The columns are found only when a problem needs one.
    """

    def __init__(self, path: str, line: int, text: str) -> None:
        super().__init__(path, None)
        self._line = line
        self._text = text
        self._columns: dict[str, int] | None = None

    def position(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        if path and isinstance(path[0], str):
            if self._columns is None:
                self._columns = _key_columns(self._text)
            return self._line, self._columns.get(path[0], 1)
        return self._line, 1


def _key_columns(text: str) -> dict[str, int]:
    """The 1-based column of each key of the JSON object on this line."""
    decoder = json.JSONDecoder()
    columns: dict[str, int] = {}
    at = _skip_space(text, 0)
    if text[at : at + 1] != "{":
        return columns
    at = _skip_space(text, at + 1)
    try:
        while text[at : at + 1] == '"':
            key, end = decoder.raw_decode(text, at)
            columns.setdefault(str(key), at + 1)
            at = _skip_space(text, _skip_space(text, end) + 1)  # past the colon
            _, end = decoder.raw_decode(text, at)
            at = _skip_space(text, end)
            if text[at : at + 1] != ",":
                break
            at = _skip_space(text, at + 1)
    except ValueError:
        pass
    return columns


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


# --- CSV --------------------------------------------------------------------------------


def csv_records(
    lines: Iterable[str], shown_as: str, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record, with the line it starts on.

    A record (its cells may hold line breaks) is at most
    :data:`~invpolicy.io.files.MAX_LINE_BYTES` characters.
    """
    size = [0]

    def counted() -> Iterator[str]:
        for line in lines:
            size[0] += len(line)
            if size[0] > files.MAX_LINE_BYTES:
                raise _LongRecord
            yield line

    reader = csv.reader(counted(), strict=True, delimiter=delimiter)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvpolicyError(
                Problem(shown_as, reader.line_num, 1, f"invalid CSV: {exc}")
            ) from None
        except _LongRecord:
            message = (
                f"a record of more than {files.MAX_LINE_BYTES:,} characters: is a quoted "
                "cell never closed?"
            )
            raise InvpolicyError(Problem(shown_as, start, 1, message)) from None
        size[0] = 0
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


class _LongRecord(Exception):
    """A CSV record past the limit."""


def too_many_cells(shown_as: str, line: int, row: list[str], width: int) -> list[Problem]:
    """A problem if ``row`` has more cells than the header has columns."""
    if len(row) <= width:
        return []
    message = f"{len(row)} cells, but the header has {width} columns"
    return [Problem(shown_as, line, width + 1, message)]


def _cell_value(kind: str, text: str) -> Any:
    """A cell's value for a field of ``kind`` (a :class:`~invpolicy.schema.fields.Field`'s).

    ValueError says what is wrong.
    """
    if kind == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if kind == "number" and _NUMBER.fullmatch(text):
        value = int(text) if _INTEGER.fullmatch(text) else float(text)
        if value not in (float("inf"), float("-inf")):
            return value
    if kind == "boolean" and text.lower() in _TRUE + _FALSE:
        return text.lower() in _TRUE
    if kind == "strings":
        return [item.strip() for item in text.split(";") if item.strip()]
    if kind in ("string", "choice"):
        return text  # the schema says whether it is one of the choices
    words = {"boolean": "boolean (true/false, yes/no, oui/non, 1/0)"}
    raise ValueError(f"expected {words.get(kind, kind)}, got {shown(text)}")


def csv_rows(records: Iterator[tuple[int, list[str]]], shown_as: str) -> Iterator[Row]:
    """A plain CSV file's rows: a header of field names, then a record per invitation.

    A cell is read as its field's kind says (a list is split at ``;``); an
    empty cell leaves the field unknown.
    """
    first = next(records, None)
    if first is None:
        raise InvpolicyError(Problem(shown_as, 1, 1, "file is empty"))
    names = _csv_header(shown_as, *first)
    lacking = [name for name in ("id", "name") if name not in names]
    if lacking:
        # Said once for the file, not once for every row that lacks it.
        found = ", ".join(cell.strip() for cell in first[1] if cell.strip()) or "none"
        message = (
            f"the header has no {' and no '.join(lacking)} column, which every invitation "
            f"needs (its columns: {found})"
        )
        raise InvpolicyError(Problem(shown_as, first[0], 1, message))
    fields = invitation_fields()
    for line, row in records:
        data: dict[str, Any] = {}
        doc = Document(shown_as, data, {(): (line, 1)})
        problems = too_many_cells(shown_as, line, row, len(names))
        for col, (name, cell) in enumerate(zip(names, row, strict=False), start=1):
            doc.value_positions[(name,)] = (line, col)
            text = cell.strip()
            if not text:
                continue  # an empty cell is unknown
            try:
                field = fields.get(name)
                data[name] = _cell_value("string" if field is None else field.kind, text)
            except ValueError as exc:
                problems.append(Problem(shown_as, line, col, f"{name}: {exc}"))
        yield Row(line, data, doc, problems)


def column_key(name: str) -> str:
    """A column name as it is compared: ``" Sent At "``, ``"sent at"`` and ``"SENT AT"`` are one.

    Case, accents and spaces around or repeated do not count.
    """
    return " ".join(fold(name).split())


def _csv_header(shown_as: str, line: int, header: list[str]) -> list[str]:
    """The field each column holds: a known field whatever its case or accents, else the
    name as written."""
    fields = {column_key(name): name for name in invitation_fields()}
    names = [fields.get(column_key(cell), cell.strip()) for cell in header]
    problems: list[Problem] = []
    keys = [column_key(name) for name in names]  # "Colour" and "colour" are one column
    for col, (name, key) in enumerate(zip(names, keys, strict=True), start=1):
        if not name:
            problems.append(Problem(shown_as, line, col, f"column {col} has no name"))
        elif keys.index(key) + 1 < col:
            message = f"column '{name}' appears twice (first as column {keys.index(key) + 1})"
            problems.append(Problem(shown_as, line, col, message))
    if problems:
        raise InvpolicyError(problems)
    return names
