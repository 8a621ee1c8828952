"""Read LinkedIn's ``messages.csv``: what you and each pending inviter said to each other.

The file is read once, as a stream, in any order of its rows. Only the messages
between you and one inviter, alone, are kept (as :mod:`invpolicy.loading.talks`
needs them): group conversations, and talks with anyone else, are passed over.
The folder (INBOX, ARCHIVE, SPAM...) does not matter: both facts need you to
have written too. Drafts are left out.
"""

from __future__ import annotations

import re
from contextlib import closing
from datetime import datetime

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.files import Source
from invpolicy.loading.dialect import open_csv
from invpolicy.loading.records import column_key
from invpolicy.loading.talks import Inviters, Owner, profile_slug
from invpolicy.schema.check import shown

#: A whole inbox is larger than any other file read, and it is streamed: it has its own limit.
MAX_MESSAGES_BYTES = 200 * 1024 * 1024
#: The columns every version of the file has, as LinkedIn writes them.
COLUMNS = ("CONVERSATION ID", "FROM", "TO", "DATE", "CONTENT")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\s*UTC)?")


def read_messages(
    path: Source, inviters: Inviters, owner: Owner | None, warnings: list[Problem] | None = None
) -> None:
    """Add to ``inviters`` every message between you and one of them.

    ``owner`` is you, when known: a message you sent is recognised as yours
    first. Every problem in the file is raised together; a file not in UTF-8
    adds its one line to ``warnings``.
    """
    shown_as = str(path)
    required = tuple(column_key(name) for name in COLUMNS)
    records, _ = open_csv(
        path,
        shown_as,
        required=required,
        limit=MAX_MESSAGES_BYTES,
        legacy=None if warnings is None else lambda d: warnings.append(d.warning(shown_as)),
    )
    with closing(records):
        header = next(records, None)
        if header is None:
            raise InvpolicyError(Problem(shown_as, 1, 1, "file is empty"))
        line, titles = header
        columns: dict[str, int] = {}
        for index, name in enumerate(titles):
            columns.setdefault(column_key(name), index)
        lacking = [name for name in COLUMNS if column_key(name) not in columns]
        if lacking:
            found = ", ".join(name.strip() for name in titles if name.strip()) or "none"
            message = (
                f"not LinkedIn's messages.csv: no column {' or '.join(lacking)} "
                f"in the header (its columns: {found})"
            )
            raise InvpolicyError(Problem(shown_as, line, 1, message))
        problems: list[Problem] = []
        at = columns

        def cell(row: list[str], name: str) -> str:
            index = at.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        for line, row in records:
            if cell(row, "is message draft").casefold() in ("yes", "true"):
                continue
            sender = (profile_slug(cell(row, "sender profile url")), cell(row, "from"))
            urls = [url for url in cell(row, "recipient profile urls").split(";") if url.strip()]
            names = cell(row, "to")
            if _recipients(urls, names, inviters, owner) != 1:
                continue  # a group conversation, or no recipient
            recipient = (profile_slug(urls[0]) if urls else None, names)
            if owner is not None and owner.is_you(*sender):
                inviter, theirs = inviters.find(*recipient), False
            elif (inviter := inviters.find(*sender)) is not None:
                theirs = True
            else:
                inviter, theirs = inviters.find(*recipient), False
            if inviter is None:
                continue
            written = cell(row, "date")
            when = _date(written)
            if when is None:
                message = (
                    'DATE: expected a UTC time such as "2025-03-14 09:26:53 UTC", '
                    f"got {shown(written)}"
                )
                problems.append(Problem(shown_as, line, at["date"] + 1, message))
                continue
            inviters.said(inviter, when, theirs, cell(row, "content").replace("\r\n", "\n"))
    if problems:
        raise InvpolicyError(problems)


def _recipients(urls: list[str], names: str, inviters: Inviters, owner: Owner | None) -> int:
    """How many people a message went to: its addresses, else its names.

    Names are separated by commas, but a name may hold one ("John Smith, MBA"):
    a whole that names an inviter, or you, is one person.
    """
    if urls:
        return len(urls)
    if names and (
        inviters.find(None, names) is not None or (owner is not None and owner.is_you(None, names))
    ):
        return 1
    return len([name for name in names.split(",") if name.strip()])


def _date(text: str) -> datetime | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
