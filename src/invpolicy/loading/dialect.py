"""How a CSV file is written: its encoding, its delimiter, its column names.

Spreadsheets save CSV files their own way. One set to French writes ``;``
between cells and, on Windows, the Windows-1252 encoding; others write tabs.
Every CSV input (plain invitations, LinkedIn's files) is read here the same
way:

- the delimiter is the one among ``,``, ``;`` and tab that gives the header
  (the first row, or the row with the columns a LinkedIn file must have, after
  its notes);
- a file that is not valid UTF-8 but is valid Windows-1252 is read as such, and
  the caller says so once (any other file must be UTF-8): the first line that is
  not ASCII tells, so the file is still read once, as a stream;
- column names are compared without case, surrounding spaces or accents.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import chain, islice

from invpolicy.errors import Problem
from invpolicy.io import files
from invpolicy.loading.records import LEGACY_ENCODING, column_key, csv_records, read_lines

DELIMITERS = (",", ";", "\t")
#: Lines looked at to find the header (LinkedIn's notes come first).
_HEAD_LINES = 12


@dataclass
class Dialect:
    """How one CSV file is written; ``encoding`` is known once the file has been read."""

    encoding: str = "utf-8"
    delimiter: str = ","

    @property
    def legacy(self) -> bool:
        """Whether the file is in Windows-1252 rather than UTF-8."""
        return self.encoding != "utf-8"

    def warning(self, shown: str) -> Problem:
        """The one line that says the file was not UTF-8."""
        return Problem(
            shown,
            1,
            1,
            "warning: not UTF-8 text; read as Windows-1252, the encoding spreadsheets "
            "use on Windows (save it as 'CSV UTF-8' to avoid this)",
        )


def delimiter_of(head: list[str], required: tuple[str, ...] = ()) -> str:
    """The delimiter that gives the header among the first lines.

    With ``required`` (column keys a LinkedIn file must have), the one whose
    records hold a row with all of them; else the one found most often in the
    first non-blank line. ``,`` when nothing tells.
    """
    if required:
        for delimiter in DELIMITERS:
            rows = _rows(head, delimiter)
            if any(set(required) <= {column_key(cell) for cell in row} for row in rows):
                return delimiter
        return ","
    first = next((line for line in head if line.strip()), "")
    counts = {d: _outside_quotes(first).count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _rows(head: list[str], delimiter: str) -> list[list[str]]:
    try:
        return list(islice(csv.reader(head, delimiter=delimiter), _HEAD_LINES))
    except csv.Error:
        return []


def _outside_quotes(line: str) -> str:
    """``line`` without what its double quotes hold."""
    return "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)


def open_csv(
    path: files.Source,
    shown: str,
    *,
    required: tuple[str, ...] = (),
    limit: int | None = None,
    legacy: Callable[[Dialect], None] | None = None,
    read: Callable[[int], None] | None = None,
) -> tuple[Generator[tuple[int, list[str]], None, None], Dialect]:
    """The file's records, each with the line it starts on, and how the file is written.

    The records are read one at a time; close the iterator (or read it to the
    end) to close the file. ``legacy`` is called, once, if the file turns out
    to be in Windows-1252. ``read`` is as for :func:`~invpolicy.loading.records.read_lines`.
    """
    dialect = Dialect()

    def switched() -> None:
        dialect.encoding = LEGACY_ENCODING
        if legacy is not None:
            legacy(dialect)

    lines = read_lines(path, shown, limit, legacy=switched, read=read)
    head = list(islice(lines, _HEAD_LINES))
    dialect.delimiter = delimiter_of(head, required)
    records = csv_records(chain(head, lines), shown, dialect.delimiter)
    return _closing_records(records, lines), dialect


def _closing_records(
    records: Iterator[tuple[int, list[str]]], lines: Generator[str, None, None]
) -> Generator[tuple[int, list[str]], None, None]:
    with closing(lines):
        yield from records
