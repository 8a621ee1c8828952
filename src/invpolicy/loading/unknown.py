"""Fields and ids that invpolicy does not know: each said once, with a did-you-mean.

An invitations file may hold fields of its own (an export adds columns), so an
unknown field there is a warning, an error only under ``--strict``. A facts
file exists only for invpolicy: an unknown field there is an error. A facts
entry about no invitation is normal (the invitation was since accepted), and
all of them are said in one line.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from invpolicy.errors import Problem, did_you_mean
from invpolicy.io.document import Document, JsonPath
from invpolicy.schema.fields import invitation_fields

#: How many unmatched ids the summary line names.
NAMED = 3


def known_fields(extra: Collection[str] = ()) -> set[str]:
    """The invitation fields, and the ``extra`` ones that installed plugins read."""
    return {*invitation_fields(), *extra}


class UnknownFields:
    """The unknown fields seen in one invitations file: where first, and how often."""

    def __init__(self, known: Collection[str]) -> None:
        self.known = known
        #: Where each was first seen: located only when said (the file may have
        #: been read without positions, found again only then).
        self._first: dict[str, tuple[Document, JsonPath]] = {}
        self._count: dict[str, int] = {}

    def __bool__(self) -> bool:
        """Whether an unknown field was seen."""
        return bool(self._first)

    def look(self, data: Mapping[str, Any], doc: Document, at: JsonPath = ()) -> None:
        """Note the fields of one invitation that are not known."""
        for key in data:
            if key in self.known or not isinstance(key, str):
                continue
            self._count[key] = self._count.get(key, 0) + 1
            if key not in self._first:
                self._first[key] = (doc, (*at, key))

    def said(
        self, strict: bool, facts: tuple[Document, Collection[str]] | None, seen: Collection[str]
    ) -> tuple[list[Problem], list[Problem]]:
        """After a whole file: the errors and the warnings to say, each once.

        The unknown fields (errors when ``strict``), and the one note on the
        entries of the facts file (its document and ids) about none of the
        invitations ``seen``.
        """
        found = self.problems(strict=strict)
        errors, warnings = (found, []) if strict else ([], found)
        if facts is not None:
            doc, entries = facts
            unmatched = [ident for ident in entries if ident not in seen]
            if unmatched:
                warnings.append(unmatched_note(doc, unmatched, seen))
        return errors, warnings

    def problems(self, *, strict: bool) -> list[Problem]:
        """One line per unknown field: a warning, or an error when ``strict``."""
        found = []
        for key, (doc, path) in self._first.items():
            first = doc.problem(path, key, key=True)
            count = self._count[key]
            times = f" (in {count} invitations)" if count > 1 else ""
            kept = "" if strict else "; kept as an extra field, which plugins may read"
            message = (
                f"{key}: not a field invpolicy knows{did_you_mean(key, self.known)}{kept}{times}"
            )
            found.append(
                Problem(
                    first.path, first.line, first.col, message if strict else f"warning: {message}"
                )
            )
        return found


def unknown_fact_problems(
    doc: Document, entries: Mapping[str, Mapping[str, Any]], known: Collection[str]
) -> list[Problem]:
    """An error for each unknown field of a facts file's entries."""
    problems = []
    for ident, entry in entries.items():
        for key in entry:
            if isinstance(key, str) and key not in known:
                message = f"{ident}.{key}: not a field invpolicy knows{did_you_mean(key, known)}"
                problems.append(doc.problem((ident, key), message, key=True))
    return problems


def unmatched_note(doc: Document, unmatched: Iterable[str], matched: Collection[str]) -> Problem:
    """The one line about facts entries that match no invitation."""
    ids = list(unmatched)
    named = [f"{ident}{did_you_mean(ident, matched)}" for ident in ids[:NAMED]]
    more = f" and {len(ids) - NAMED} more" if len(ids) > NAMED else ""
    entries = "entry matches" if len(ids) == 1 else "entries match"
    line, col = doc.position((ids[0],), key=True)
    return Problem(
        doc.path,
        line,
        col,
        f"note: {len(ids)} {entries} no invitation ({', '.join(named)}{more}); that is "
        "normal for invitations since accepted or declined",
    )
