"""Read LinkedIn's data export: ``Invitations.csv``, and ``Connections.csv`` to skip.

Finds the header after LinkedIn's notes, takes incoming invitations only, makes
each inviter's id from the profile URL (or the name), reads ``Sent At`` dates,
and leaves out the people already among the connections.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.document import Document
from invpolicy.io.files import Source
from invpolicy.loading.dialect import Dialect, open_csv
from invpolicy.loading.records import Row, column_key, too_many_cells
from invpolicy.loading.talks import Owner, folded_name, profile_slug
from invpolicy.schema.check import shown
from invpolicy.text import fold

#: How many records may come before the header of a LinkedIn file (its notes).
_HEADER_SEARCH = 10
INVITATIONS_HEADER = ("from", "to", "sent at", "message", "direction")
_NAMES_HEADER = ("first name", "last name")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LinkedIn's "1/29/26, 2:37 PM", and what spreadsheets write back: "29/01/2026 14:37",
# "1/29/2026 14:37:00", "29.01.2026 14:37", "2026-01-29 14:37".
_SENT_AT = re.compile(
    r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})(,?)[\sT]+(\d{1,2}):(\d{2})(?::\d{2})?"
    r"(?:\s*([AaPp])\.?[Mm]\.?)?"
)
_CONNECTED_ON = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,})\.?\s+(\d{4})")


def find_header(
    records: Iterator[tuple[int, list[str]]], required: tuple[str, ...]
) -> tuple[int, dict[str, int], int] | None:
    """The header among the first records (after any notes): its line, columns, width."""
    for _, (line, row) in zip(range(_HEADER_SEARCH), records, strict=False):
        columns: dict[str, int] = {}
        for index, cell in enumerate(row):
            columns.setdefault(column_key(cell), index)
        if all(name in columns for name in required):
            return line, columns, len(row)
    return None


def looks_like_linkedin(path: Source, shown_as: str) -> bool:
    """Whether a CSV file has the header of LinkedIn's ``Invitations.csv``."""
    try:
        records, _ = open_csv(path, shown_as, required=INVITATIONS_HEADER)
        with closing(records):
            return find_header(records, INVITATIONS_HEADER) is not None
    except InvpolicyError:
        return False  # read as plain CSV, whose check says what is wrong


def _cells(row: list[str], columns: dict[str, int]) -> dict[str, str]:
    return {name: row[i].strip() if i < len(row) else "" for name, i in columns.items()}


def invitation_rows(
    records: Iterator[tuple[int, list[str]]],
    shown_as: str,
    connections: Connections | None,
    skipped: dict[str, int],
    owners: Counter[Owner] | None = None,
    day_first: bool = False,
) -> Iterator[Row]:
    """``Invitations.csv``'s incoming invitations, as rows in invpolicy's fields.

    Outgoing ones and inviters in ``connections`` are counted in ``skipped``;
    ids are made unique against those made before them in the file (kept exactly:
    an export holds thousands of invitations, and an id must not depend on a hash).
    ``owners`` counts who the incoming invitations were sent to (you).
    """
    header = find_header(records, INVITATIONS_HEADER)
    if header is None:  # the file changed since open_invitations looked
        raise InvpolicyError(Problem(shown_as, 1, 1, "no LinkedIn invitations header found"))
    _, columns, width = header
    url_column = "inviterprofileurl"
    suffixes: dict[str, int] = {}
    taken: set[str] = set()
    for line, row in records:
        cells = _cells(row, columns)
        data: dict[str, Any] = {}
        doc = Document(shown_as, data, {(): (line, 1)})
        problems = too_many_cells(shown_as, line, row, width)
        at = {name: (line, index + 1) for name, index in columns.items()}
        direction = cells["direction"].upper()
        if direction == "OUTGOING":
            skipped["outgoing"] = skipped.get("outgoing", 0) + 1
            continue
        if direction != "INCOMING":
            message = f"Direction: expected INCOMING or OUTGOING, got {shown(cells['direction'])}"
            yield Row(line, None, doc, [Problem(shown_as, *at["direction"], message)])
            continue
        if owners is not None and cells["to"]:
            owners[Owner(cells["to"], profile_slug(cells.get("inviteeprofileurl", "")))] += 1
        name, url = cells["from"], cells.get(url_column, "")
        slug = profile_slug(url)
        if connections is not None and connections.knows(slug, name):
            skipped["already connected"] = skipped.get("already connected", 0) + 1
            continue
        data["id"] = unique_id(slug or name_slug(name) or "inviter", taken, suffixes)
        taken.add(data["id"])
        if name:
            data["name"] = name
        # The export's own network, not the default for invitations that name none.
        data["network"] = "linkedin"
        data["message"] = cells["message"].replace("\r\n", "\n")
        if cells["sent at"]:
            sent_at = _sent_at(cells["sent at"], day_first)
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
        yield Row(line, data, doc, problems)


def unique_id(base: str, used: Collection[str], suffixes: dict[str, int]) -> str:
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


def name_slug(name: str) -> str:
    # Letters with no ASCII base ("ł", "李") are dropped, not made separators.
    ascii_name = fold(name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


def _sent_at(text: str, day_first: bool = False) -> str | None:
    """A ``Sent At`` date as ``2026-01-29T14:37``; None if it cannot be read.

    LinkedIn writes ``1/29/26, 2:37 PM``, month first. A spreadsheet may write
    it back as ``29/01/2026 14:37`` (day first, as ``day_first`` says for the
    whole file), ``2026-01-29 14:37`` or with seconds.
    """
    match = _SENT_AT.fullmatch(text.strip())
    if match is None:
        return None
    first, second, third, comma, hour, minute, half = match.groups()
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    elif len(first) <= 2 and len(third) in (2, 4):
        month, day = int(first), int(second)
        if day_first and not _written_by_linkedin(comma, half):
            month, day = day, month
        year = int(third) + (2000 if len(third) == 2 else 0)
    else:
        return None
    hours = int(hour)
    if half is not None:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half in "Pp" else 0)
    try:
        return datetime(year, month, day, hours, int(minute)).isoformat(timespec="minutes")
    except ValueError:
        return None


def _readable(
    records: Iterator[tuple[int, list[str]]],
) -> Iterator[tuple[int, list[str]]]:
    """The records up to the first that cannot be read: the reading proper says why."""
    try:
        yield from records
    except InvpolicyError:
        return


def _written_by_linkedin(comma: str, half: str | None) -> bool:
    """LinkedIn's own form ("1/29/26, 2:37 PM") is month first whatever the file."""
    return bool(comma) or half is not None


def sent_at_order(path: Source, shown_as: str) -> tuple[bool, Problem | None]:
    """Whether the file's spreadsheet dates are day first, and the one line that says how
    ambiguous ones were read (None when none is ambiguous).

    A date whose first number is above 12 is day first; whose second is, month
    first. Without either, month first, as LinkedIn writes dates. The file is
    read once for this, before its rows: a row's date needs the answer.
    """
    records, _ = open_csv(path, shown_as, required=INVITATIONS_HEADER)
    with closing(records):
        return _date_order(records, shown_as)


def _date_order(
    records: Iterator[tuple[int, list[str]]], shown_as: str
) -> tuple[bool, Problem | None]:
    header = find_header(records, INVITATIONS_HEADER)
    if header is None:
        return False, None
    _, columns, _ = header
    column = columns["sent at"]
    day = month = ambiguous = 0
    example: tuple[int, str] | None = None
    for line, row in _readable(records):
        match = _SENT_AT.fullmatch(row[column].strip()) if column < len(row) else None
        if match is None or len(match[1]) == 4 or _written_by_linkedin(match[4], match[7]):
            continue
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second:
            day += 1
            example = example or (line, match[0])
        elif second > 12 >= first:
            month += 1
        elif first <= 12 and second <= 12 and first != second:
            ambiguous += 1
    day_first = day > month
    if not ambiguous:
        return day_first, None
    if day and month:
        why = f"the file has dates of both kinds; most are {'day' if day_first else 'month'} first"
    elif day_first and example is not None:
        why = f"as {example[1]} on line {example[0]} shows"
    else:
        why = "as LinkedIn writes them: no date in the file tells"
    order = "day first (05/03 is 5 March)" if day_first else "month first (05/03 is 3 May)"
    message = (
        f"warning: Sent At: {ambiguous} date{'s' if ambiguous > 1 else ''} could be read "
        f"day or month first; read {order}, {why}"
    )
    return day_first, Problem(shown_as, header[0], column + 1, message)


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
class Connections:
    """Who you are connected to: profile slugs, and names for exports without URLs."""

    slugs: set[str]
    names: set[str]
    has_urls: bool

    def knows(self, slug: str | None, name: str) -> bool:
        """Whether the inviter is a connection: by profile, or by name without URLs."""
        if slug is not None and self.has_urls:
            return slug in self.slugs
        return bool(name) and folded_name(name) in self.names


def _names_header(
    records: Iterator[tuple[int, list[str]]], shown_as: str, what: str
) -> tuple[int, dict[str, int], int]:
    """The header of a file that starts with First Name and Last Name; else, an error."""
    header = find_header(records, _NAMES_HEADER)
    if header is None:
        message = f"no header with the columns First Name and Last Name: not LinkedIn's {what}"
        raise InvpolicyError(Problem(shown_as, 1, 1, message))
    return header


def read_connections(path: Source, warnings: list[Problem] | None = None) -> Connections:
    """LinkedIn's ``Connections.csv``, all of it checked before it is used.

    A file not in UTF-8 adds its one line to ``warnings``.
    """
    shown_as = str(path)
    records, _ = open_csv(path, shown_as, required=_NAMES_HEADER, legacy=_warn(shown_as, warnings))
    _, columns, width = _names_header(records, shown_as, "Connections.csv")
    found = Connections(set(), set(), "url" in columns)
    problems: list[Problem] = []
    for line, row in records:
        problems.extend(too_many_cells(shown_as, line, row, width))
        cells = _cells(row, columns)
        slug = profile_slug(cells.get("url", ""))
        if slug:
            found.slugs.add(slug)
        full_name = folded_name(f"{cells['first name']} {cells['last name']}")
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


def read_profile_name(path: Source, warnings: list[Problem] | None = None) -> str | None:
    """Your name, from LinkedIn's ``Profile.csv`` (its first row after the header)."""
    shown_as = str(path)
    records, _ = open_csv(path, shown_as, required=_NAMES_HEADER, legacy=_warn(shown_as, warnings))
    with closing(records):
        _, columns, _ = _names_header(records, shown_as, "Profile.csv")
        for _, row in records:
            cells = _cells(row, columns)
            name = " ".join(f"{cells['first name']} {cells['last name']}".split())
            return name or None
    return None


def _warn(shown_as: str, warnings: list[Problem] | None) -> Callable[[Dialect], None] | None:
    """What to do when the file turns out not to be UTF-8: say so in ``warnings``."""
    if warnings is None:
        return None
    return lambda dialect: warnings.append(dialect.warning(shown_as))
