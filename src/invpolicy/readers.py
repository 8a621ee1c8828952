"""Read invitations from YAML, JSON, JSON Lines, CSV and LinkedIn's data export.

JSON Lines and CSV files (LinkedIn's ``Invitations.csv`` among them) are read
one record at a time: checking or iterating one keeps, per invitation, only its
id and the line it was on (to report a duplicate), never the invitation.
"""

from __future__ import annotations

import csv
import json
import re
import stat
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from invpolicy import source
from invpolicy.errors import InvpolicyError, Problem
from invpolicy.invitations import Invitation, build_invitation, parse_invitations
from invpolicy.resources import load_schema, validator
from invpolicy.schemacheck import check, shown
from invpolicy.source import Document, JsonPath, decode_text, load_document, read_text

INPUT_FORMATS = ("yaml", "json", "jsonl", "csv")

_Loaded = TypeVar("_Loaded")

_EXTENSIONS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}

#: How many records may come before the header of a LinkedIn file (its notes).
_HEADER_SEARCH = 10
_INVITATIONS_HEADER = ("from", "to", "sent at", "message", "direction")
_CONNECTIONS_HEADER = ("first name", "last name")
_TRUE = ("true", "yes", "1", "oui")
_FALSE = ("false", "no", "0", "non")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SENT_AT = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),?\s+(\d{1,2}):(\d{2})(?:\s*([AaPp])\.?[Mm]\.?)?"
)
_CONNECTED_ON = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,})\.?\s+(\d{4})")
_PROFILE = re.compile(r"/in/([^/?#\s]+)")
_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class InvitationSource:
    """Invitations read from one file, lazily.

    Iterate it (as often as needed: each iteration reads the file again) to get
    :class:`Invitation` objects. Call :meth:`check` first: iterating stops at the
    first problem, :meth:`check` reports them all.
    """

    def __init__(
        self, file: Path, shown_as: str, kind: str, connections: Path | None, facts: Path | None
    ) -> None:
        #: The file as given, as messages name it.
        self.path = shown_as
        #: ``yaml``, ``json``, ``jsonl``, ``csv`` or ``linkedin``.
        self.kind = kind
        #: After a full iteration or :meth:`check`: how many records were not
        #: taken, by reason (``outgoing``, ``already connected``).
        self.skipped: dict[str, int] = {}
        self._file = file
        self._connections = connections
        self._facts = facts

    def check(self) -> None:
        """Read the whole file once, keeping no invitation; raise every problem found."""
        problems: list[Problem] = []
        try:
            for _ in self._scan(problems):
                pass
        except InvpolicyError as exc:
            problems.extend(exc.problems)
        if problems:
            raise InvpolicyError(sorted(set(problems)))

    def __iter__(self) -> Iterator[Invitation]:
        return self._scan(None)

    def _scan(self, problems: list[Problem] | None) -> Iterator[Invitation]:
        # ``problems`` is a list when checking (collect and go on), None when
        # iterating (raise at the first problem).
        self.skipped = {}
        facts = _side_file(_load_facts, self._facts, problems)
        if facts is not None and facts.problems:
            _report(facts.problems, problems)
        connections = None
        if self._connections is not None and self.kind != "linkedin":
            # Ignoring it would leave in the people it was given to take out.
            message = (
                f"only LinkedIn's Invitations.csv can be matched against connections, "
                f"and {self.path} is read as {self.kind}"
            )
            _report([Problem(str(self._connections), 1, 1, message)], problems)
        else:
            connections = _side_file(_read_connections, self._connections, problems)
        if self.kind in ("yaml", "json"):
            yield from self._documents(facts, problems)
            return
        first_line: dict[str, int] = {}
        for row in self._rows(connections, first_line):
            found = list(row.problems)
            data, doc = row.data, row.doc
            ident = data.get("id") if isinstance(data, dict) else None
            if isinstance(ident, str):
                if ident in first_line:
                    found.append(
                        doc.problem(
                            ("id",),
                            f"id: duplicate invitation id '{ident}' "
                            f"(first at line {first_line[ident]})",
                        )
                    )
                else:
                    first_line[ident] = row.line
            invitation = None if data is None else _finish(data, doc, facts, found)
            _report(found, problems)
            if invitation is not None:
                yield invitation

    def _documents(
        self, facts: _Facts | None, problems: list[Problem] | None
    ) -> Iterator[Invitation]:
        doc = load_document(self._file)
        invitations = parse_invitations(doc)
        at: JsonPath = ("invitations",) if isinstance(doc.data, dict) else ()
        for index, invitation in enumerate(invitations):
            if facts is None or invitation.id not in facts.entries:
                yield invitation
                continue
            data = dict(invitation.facts)
            row = Document(self.path, data, {(): doc.position((*at, index))})
            found: list[Problem] = []
            merged = _finish(data, row, facts, found)
            _report(found, problems)
            if merged is not None:
                yield merged

    def _rows(self, connections: _Connections | None, first_line: dict[str, int]) -> Iterator[_Row]:
        lines = _read_lines(self._file, self.path)
        if self.kind == "jsonl":
            return _jsonl_rows(lines, self.path)
        records = _csv_records(lines, self.path)
        if self.kind == "linkedin":
            return _linkedin_rows(records, self.path, connections, first_line, self.skipped)
        return _csv_rows(records, self.path)


def open_invitations(
    path: str | Path,
    input_format: str | None = None,
    *,
    connections: str | Path | None = None,
    facts: str | Path | None = None,
) -> InvitationSource:
    """Invitations from ``path``, in ``input_format`` (one of :data:`INPUT_FORMATS`).

    Without ``input_format``, the extension says which. A CSV file whose header
    is that of LinkedIn's ``Invitations.csv`` is read as LinkedIn's export.
    ``connections`` is LinkedIn's ``Connections.csv``: inviters found there are
    skipped. ``facts`` is a YAML file of facts to add to invitations, by id.
    Nothing is read here but the head of a CSV file; problems in the files
    come from :meth:`InvitationSource.check` or the iteration.
    """
    shown_as = str(path)
    choices = ", ".join(INPUT_FORMATS)
    if input_format is None:
        suffix = Path(path).suffix.lower()
        if suffix not in _EXTENSIONS:
            raise InvpolicyError(
                Problem(
                    shown_as,
                    1,
                    1,
                    f"cannot tell the format from the extension '{suffix}': "
                    f"use --input-format with one of {choices}",
                )
            )
        input_format = _EXTENSIONS[suffix]
    elif input_format not in INPUT_FORMATS:
        raise InvpolicyError(
            Problem(shown_as, 1, 1, f"unknown input format '{input_format}': use one of {choices}")
        )
    kind = input_format
    if kind == "csv" and _looks_like_linkedin(Path(path), shown_as):
        kind = "linkedin"
    return InvitationSource(
        Path(path),
        shown_as,
        kind,
        None if connections is None else Path(connections),
        None if facts is None else Path(facts),
    )


def facts_path_for(invitations_path: str | Path) -> Path:
    """The default facts file for an invitations file: ``<stem>.facts.yaml`` beside it."""
    path = Path(invitations_path)
    return path.with_name(f"{path.stem}.facts.yaml")


def read_facts(path: str | Path) -> dict[str, dict[str, Any]]:
    """The facts file: a mapping from invitation ids to mappings of facts."""
    facts = _load_facts(Path(path))
    if facts.problems:
        raise InvpolicyError(sorted(facts.problems))
    return facts.entries


# --- one record at a time -------------------------------------------------------------


@dataclass
class _Row:
    """One record: its data (None if it could not be read) and where it was."""

    line: int
    data: Any
    doc: Document
    problems: list[Problem]


def _finish(
    data: Any, doc: Document, facts: _Facts | None, found: list[Problem]
) -> Invitation | None:
    """Merge the facts file's entry over ``data``, validate it and build the invitation.

    Problems go to ``found``: then there is no invitation.
    """
    ident = data.get("id") if isinstance(data, dict) else None
    entry = facts.entries.get(ident) if facts is not None and isinstance(ident, str) else None
    if facts is not None and entry and isinstance(ident, str):
        data = {**data, **entry}
        doc = _WithFacts(doc, facts.doc, ident, entry, data)
    found.extend(check(validator("invitation", "invitation"), data, doc))
    return None if found else build_invitation(data)


def _read_lines(path: Path, shown_as: str) -> Generator[str, None, None]:
    """The file's lines, decoded one at a time, line endings kept."""
    limit = source.MAX_FILE_BYTES
    too_large = Problem(shown_as, 1, 1, f"file is too large (more than {limit} bytes)")
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if info.st_size > limit:
            raise InvpolicyError(too_large)
        stream = path.open("rb")
    except FileNotFoundError:
        raise InvpolicyError(Problem(shown_as, 1, 1, "no such file")) from None
    except IsADirectoryError:
        raise InvpolicyError(Problem(shown_as, 1, 1, "is a directory, not a file")) from None
    except OSError as exc:
        raise InvpolicyError(Problem(shown_as, 1, 1, f"cannot read: {exc.strerror}")) from None
    with stream:
        total = 0
        number = 0
        while raw := stream.readline(limit + 1 - total):
            # A file that grows while read (or a pipe) is held to the same limit.
            total += len(raw)
            if total > limit:
                raise InvpolicyError(too_large)
            number += 1
            try:
                text = decode_text(raw, shown_as)
            except InvpolicyError as exc:
                # decode_text counts lines from the start of what it is given.
                raise InvpolicyError(
                    [replace(p, line=p.line + number - 1) for p in exc.problems]
                ) from None
            yield text


def _report(found: list[Problem], problems: list[Problem] | None) -> None:
    """Raise ``found`` when iterating; add them to ``problems`` when checking."""
    if found and problems is None:
        raise InvpolicyError(sorted(found))
    if problems is not None:
        problems.extend(found)


def _side_file(
    load: Callable[[Path], _Loaded], path: Path | None, problems: list[Problem] | None
) -> _Loaded | None:
    """Load the facts or connections file; when checking, a problem does not stop the check."""
    if path is None:
        return None
    try:
        return load(path)
    except InvpolicyError as exc:
        if problems is None:
            raise
        problems.extend(exc.problems)
        return None


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


def _jsonl_rows(lines: Iterable[str], shown_as: str) -> Iterator[_Row]:
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
            problem = Problem(
                shown_as, number + exc.lineno - 1, exc.colno, f"invalid JSON: {exc.msg}"
            )
            yield _Row(number, None, doc, [problem])
            continue
        except _Refused as exc:
            yield _Row(number, None, doc, [Problem(shown_as, number, 1, f"invalid JSON: {exc}")])
            continue
        except (ValueError, RecursionError) as exc:
            what = "nesting is too deep" if isinstance(exc, RecursionError) else str(exc)
            yield _Row(number, None, doc, [Problem(shown_as, number, 1, f"invalid JSON: {what}")])
            continue
        yield _Row(number, doc.data, doc, [])
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


def _csv_records(lines: Iterable[str], shown_as: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record, with the line it starts on."""
    reader = csv.reader(lines, strict=True)
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
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _too_many_cells(shown_as: str, line: int, row: list[str], width: int) -> list[Problem]:
    if len(row) <= width:
        return []
    message = f"{len(row)} cells, but the header has {width} columns"
    return [Problem(shown_as, line, width + 1, message)]


@cache
def _field_types() -> dict[str, str]:
    """The JSON type of each invitation field, from the schema (enums are strings)."""
    defs = load_schema("invitation")["$defs"]
    types: dict[str, str] = {}
    for name, spec in defs["invitation"]["properties"].items():
        if "$ref" in spec:
            spec = defs[spec["$ref"].rsplit("/", 1)[1]]
        kinds = spec.get("type", "string")
        kinds = [kinds] if isinstance(kinds, str) else kinds
        wanted = ("boolean", "integer", "number", "array")
        types[name] = next((kind for kind in wanted if kind in kinds), "string")
    return types


def _cell_value(kind: str, text: str) -> Any:
    """A cell's value for a field of JSON type ``kind``; ValueError says what is wrong."""
    if kind == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if kind == "number" and _NUMBER.fullmatch(text):
        value = int(text) if _INTEGER.fullmatch(text) else float(text)
        if value not in (float("inf"), float("-inf")):
            return value
    if kind == "boolean" and text.lower() in _TRUE + _FALSE:
        return text.lower() in _TRUE
    if kind == "array":
        return [item.strip() for item in text.split(";") if item.strip()]
    if kind == "string":
        return text
    words = {"boolean": "boolean (true/false, yes/no, oui/non, 1/0)"}
    raise ValueError(f"expected {words.get(kind, kind)}, got {shown(text)}")


def _csv_rows(records: Iterator[tuple[int, list[str]]], shown_as: str) -> Iterator[_Row]:
    first = next(records, None)
    if first is None:
        raise InvpolicyError(Problem(shown_as, 1, 1, "file is empty"))
    names = _csv_header(shown_as, *first)
    types = _field_types()
    for line, row in records:
        data: dict[str, Any] = {}
        doc = Document(shown_as, data, {(): (line, 1)})
        problems = _too_many_cells(shown_as, line, row, len(names))
        for col, (name, cell) in enumerate(zip(names, row, strict=False), start=1):
            doc.value_positions[(name,)] = (line, col)
            text = cell.strip()
            if not text:
                continue  # an empty cell is unknown
            try:
                data[name] = _cell_value(types.get(name, "string"), text)
            except ValueError as exc:
                problems.append(Problem(shown_as, line, col, f"{name}: {exc}"))
        yield _Row(line, data, doc, problems)


def _csv_header(shown_as: str, line: int, header: list[str]) -> list[str]:
    names = [cell.strip() for cell in header]
    problems: list[Problem] = []
    for col, name in enumerate(names, start=1):
        if not name:
            problems.append(Problem(shown_as, line, col, f"column {col} has no name"))
        elif names.index(name) + 1 < col:
            message = f"column '{name}' appears twice (first as column {names.index(name) + 1})"
            problems.append(Problem(shown_as, line, col, message))
    if problems:
        raise InvpolicyError(problems)
    return names


# --- LinkedIn's export ------------------------------------------------------------------


def _find_header(
    records: Iterator[tuple[int, list[str]]], required: tuple[str, ...]
) -> tuple[int, dict[str, int], int] | None:
    """The header among the first records (after any notes): its line, columns, width."""
    for _, (line, row) in zip(range(_HEADER_SEARCH), records, strict=False):
        columns: dict[str, int] = {}
        for index, cell in enumerate(row):
            columns.setdefault(cell.strip().casefold(), index)
        if all(name in columns for name in required):
            return line, columns, len(row)
    return None


def _looks_like_linkedin(path: Path, shown_as: str) -> bool:
    try:
        with closing(_read_lines(path, shown_as)) as lines:
            records = _csv_records(lines, shown_as)
            return _find_header(records, _INVITATIONS_HEADER) is not None
    except InvpolicyError:
        return False  # read as plain CSV, whose check says what is wrong


def _cells(row: list[str], columns: dict[str, int]) -> dict[str, str]:
    return {name: row[i].strip() if i < len(row) else "" for name, i in columns.items()}


def _linkedin_rows(
    records: Iterator[tuple[int, list[str]]],
    shown_as: str,
    connections: _Connections | None,
    first_line: dict[str, int],
    skipped: dict[str, int],
) -> Iterator[_Row]:
    header = _find_header(records, _INVITATIONS_HEADER)
    if header is None:  # the file changed since open_invitations looked
        raise InvpolicyError(Problem(shown_as, 1, 1, "no LinkedIn invitations header found"))
    _, columns, width = header
    url_column = "inviterprofileurl"
    suffixes: dict[str, int] = {}
    for line, row in records:
        cells = _cells(row, columns)
        data: dict[str, Any] = {}
        doc = Document(shown_as, data, {(): (line, 1)})
        problems = _too_many_cells(shown_as, line, row, width)
        at = {name: (line, index + 1) for name, index in columns.items()}
        direction = cells["direction"].upper()
        if direction == "OUTGOING":
            skipped["outgoing"] = skipped.get("outgoing", 0) + 1
            continue
        if direction != "INCOMING":
            message = f"Direction: expected INCOMING or OUTGOING, got {shown(cells['direction'])}"
            yield _Row(line, None, doc, [Problem(shown_as, *at["direction"], message)])
            continue
        name, url = cells["from"], cells.get(url_column, "")
        slug = _profile_slug(url)
        if connections is not None and connections.knows(slug, name):
            skipped["already connected"] = skipped.get("already connected", 0) + 1
            continue
        data["id"] = _unique(slug or _name_slug(name) or "inviter", first_line, suffixes)
        if name:
            data["name"] = name
        data["network"] = "linkedin"
        data["message"] = cells["message"].replace("\r\n", "\n")
        if cells["sent at"]:
            sent_at = _sent_at(cells["sent at"])
            if sent_at is None:
                message = (
                    'Sent At: expected a date and time such as "1/29/26, 2:37 PM", '
                    f"got {shown(cells['sent at'])}"
                )
                problems.append(Problem(shown_as, *at["sent at"], message))
            else:
                data["sent_at"] = sent_at
        if url:
            data["profile_url"] = url
        doc.key_positions[()] = at["from"]  # where a missing name is reported
        doc.value_positions.update(
            {
                ("id",): at[url_column if slug else "from"],
                ("name",): at["from"],
                ("message",): at["message"],
                ("sent_at",): at["sent at"],
                ("profile_url",): at.get(url_column, (line, 1)),
            }
        )
        yield _Row(line, data, doc, problems)


def _unique(base: str, used: Mapping[str, int], suffixes: dict[str, int]) -> str:
    """``base``, or ``base-2``, ``base-3``... if taken; ``suffixes`` saves recounting."""
    if base not in used:
        return base
    count = suffixes.get(base, 1)
    while True:
        count += 1
        ident = f"{base}-{count}"
        if ident not in used:
            suffixes[base] = count
            return ident


def _profile_slug(url: str) -> str | None:
    match = _PROFILE.search(url)
    return unquote(match[1]).lower() if match else None


def _name_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _folded(name: str) -> str:
    """A name compared without case, accents or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _sent_at(text: str) -> str | None:
    """LinkedIn's ``1/29/26, 2:37 PM`` (or 24-hour ``13:05``) as ``2026-01-29T14:37``."""
    match = _SENT_AT.fullmatch(text)
    if match is None:
        return None
    month, day, year, hour, minute = (int(part) for part in match.groups()[:5])
    if len(match[3]) == 2:
        year += 2000
    if match[6] is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[6] in "Pp" else 0)
    try:
        return datetime(year, month, day, hour, minute).isoformat(timespec="minutes")
    except ValueError:
        return None


def _connected_on_is_valid(text: str) -> bool:
    """``08 Feb 2026``, with the month in English whatever the locale."""
    match = _CONNECTED_ON.fullmatch(text)
    if match is None or match[2][:3].lower() not in _MONTHS:
        return False
    try:
        datetime(int(match[3]), _MONTHS.index(match[2][:3].lower()) + 1, int(match[1]))
    except ValueError:
        return False
    return True


@dataclass
class _Connections:
    """Who you are connected to: profile slugs, and names for exports without URLs."""

    slugs: set[str]
    names: set[str]
    has_urls: bool

    def knows(self, slug: str | None, name: str) -> bool:
        if slug is not None and self.has_urls:
            return slug in self.slugs
        return bool(name) and _folded(name) in self.names


def _read_connections(path: Path) -> _Connections:
    shown_as = str(path)
    records = _csv_records(_read_lines(path, shown_as), shown_as)
    header = _find_header(records, _CONNECTIONS_HEADER)
    if header is None:
        message = (
            "no header with the columns First Name and Last Name: not LinkedIn's Connections.csv"
        )
        raise InvpolicyError(Problem(shown_as, 1, 1, message))
    _, columns, width = header
    found = _Connections(set(), set(), "url" in columns)
    problems: list[Problem] = []
    for line, row in records:
        problems.extend(_too_many_cells(shown_as, line, row, width))
        cells = _cells(row, columns)
        slug = _profile_slug(cells.get("url", ""))
        if slug:
            found.slugs.add(slug)
        full_name = _folded(f"{cells['first name']} {cells['last name']}")
        if full_name:
            found.names.add(full_name)
        connected_on = cells.get("connected on", "")
        if connected_on and not _connected_on_is_valid(connected_on):
            message = (
                f'Connected On: expected a date such as "08 Feb 2026", got {shown(connected_on)}'
            )
            problems.append(Problem(shown_as, line, columns["connected on"] + 1, message))
    if problems:
        raise InvpolicyError(problems)
    return found


# --- the facts file ---------------------------------------------------------------------


@dataclass
class _Facts:
    """The facts file: the entries that are mappings, and what is wrong with the others."""

    doc: Document
    entries: dict[str, dict[str, Any]]
    problems: list[Problem]


def _load_facts(path: Path) -> _Facts:
    shown_as = str(path)
    text = read_text(path)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return _Facts(Document(shown_as, {}), {}, [])  # only comments: no facts yet
    doc = source.parse_document(text, shown_as)
    if not isinstance(doc.data, dict):
        raise InvpolicyError(
            doc.problem((), "expected a mapping from invitation ids to their facts")
        )
    problems: list[Problem] = []
    entries: dict[str, dict[str, Any]] = {}
    for ident, entry in doc.data.items():
        if entry is None:
            continue
        if not isinstance(entry, dict):
            message = f"{ident}: expected a mapping of facts, got {shown(entry)}"
            problems.append(doc.problem((ident,), message))
        elif "id" in entry and entry["id"] != ident:
            message = f"{ident}.id: a facts file cannot change an invitation's id"
            problems.append(doc.problem((ident, "id"), message))
        else:
            entries[ident] = entry
    return _Facts(doc, entries, problems)


class _WithFacts(Document):
    """An invitation merged with its facts: a fact's problem points into the facts file."""

    def __init__(
        self, row: Document, facts: Document, ident: str, entry: Mapping[str, Any], data: Any
    ) -> None:
        super().__init__(row.path, data)
        self._row = row
        self._facts = facts
        self._ident = ident
        self._keys = set(entry)

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> Problem:
        if path and path[0] in self._keys:
            return self._facts.problem((self._ident, *path), f"{self._ident}.{message}", key=key)
        return self._row.problem(path, message, key=key)
