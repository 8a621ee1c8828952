"""Read invitations from YAML, JSON, JSON Lines, CSV and LinkedIn's data export.

This is the public side: :func:`open_invitations` chooses the format and gives an
:class:`InvitationSource`, which merges the facts file's facts (from
:mod:`invpolicy.loading.facts`) and validates each invitation. YAML and JSON files
are read whole, once, like the facts and connections files; JSON Lines and CSV
(:mod:`invpolicy.loading.records`) and LinkedIn's ``Invitations.csv``
(:mod:`invpolicy.loading.linkedin`) are read one record at a time, on each pass:
checking or iterating one keeps, per invitation, only its id and the line it was
on (to report a duplicate), never the invitation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.document import Document, JsonPath
from invpolicy.io.limits import text_problems
from invpolicy.io.safeload import load_document
from invpolicy.loading.facts import Facts, load_facts, read_facts
from invpolicy.loading.idindex import IdIndex
from invpolicy.loading.invitations import duplicate_id, parse_invitations
from invpolicy.loading.linkedin import (
    Connections,
    invitation_rows,
    looks_like_linkedin,
    read_connections,
)
from invpolicy.loading.records import Row, csv_records, csv_rows, jsonl_rows, read_lines
from invpolicy.model.invitation import Invitation, build_invitation, invitation_problems

__all__ = [
    "INPUT_FORMATS",
    "InvitationSource",
    "facts_path_for",
    "open_invitations",
    "read_facts",
]

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


class InvitationSource:
    """Invitations read from one file.

    Iterate it (as often as needed) to get :class:`Invitation` objects. Call
    :meth:`check` first: iterating stops at the first problem, :meth:`check`
    reports them all. JSON Lines and CSV files are read again on each pass, one
    record at a time; a YAML or JSON file, and the facts and connections files,
    are read whole on the first pass that gets through them, and kept.
    """

    def __init__(
        self, file: Path, shown_as: str, kind: str, connections: Path | None, facts: Path | None
    ) -> None:
        if connections is not None and kind != "linkedin":
            # Ignoring it would leave in the people it was given to take out.
            message = (
                f"only LinkedIn's Invitations.csv can be matched against connections, "
                f"and {shown_as} is read as {kind}"
            )
            raise InvpolicyError(Problem(str(connections), 1, 1, message))
        #: The file as given, as messages name it.
        self.path = shown_as
        #: ``yaml``, ``json``, ``jsonl``, ``csv`` or ``linkedin``.
        self.kind = kind
        #: After a full iteration or :meth:`check`: how many records were not
        #: taken, by reason (``outgoing``, ``already connected``).
        self.skipped: dict[str, int] = {}
        self._file = file
        self._facts = _SideFile(load_facts, facts)
        self._connections = _SideFile(read_connections, connections)
        #: A YAML or JSON file's document and invitations, once read.
        self._whole: tuple[Document, list[Invitation]] | None = None

    def check(self) -> None:
        """Read the whole input; raise every problem found.

        Of a JSON Lines or CSV file, no invitation is kept.
        """
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
        facts = self._facts.get(problems)
        if facts is not None and facts.problems:
            _report(facts.problems, problems)
        connections = self._connections.get(problems)
        # Counted afresh on each pass, and shown once a pass has read the whole file.
        skipped: dict[str, int] = {}
        if self.kind in ("yaml", "json"):
            yield from self._documents(facts, problems)
        else:
            yield from self._records(facts, connections, skipped, problems)
        self.skipped = skipped

    def _records(
        self,
        facts: Facts | None,
        connections: Connections | None,
        skipped: dict[str, int],
        problems: list[Problem] | None,
    ) -> Iterator[Invitation]:
        first_line = IdIndex()
        for row in self._rows(connections, first_line, skipped):
            found = list(row.problems)
            data, doc = row.data, row.doc
            ident = data.get("id") if isinstance(data, dict) else None
            if isinstance(ident, str):
                duplicate = duplicate_id(doc, (), ident, row.line, first_line)
                if duplicate is not None:
                    found.append(duplicate)
            invitation = None if data is None else _finish(data, doc, facts, found)
            _report(found, problems)
            if invitation is not None:
                yield invitation

    def _documents(
        self, facts: Facts | None, problems: list[Problem] | None
    ) -> Iterator[Invitation]:
        if self._whole is None:
            doc = load_document(self._file)
            self._whole = doc, parse_invitations(doc)
        doc, invitations = self._whole
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

    def _rows(
        self, connections: Connections | None, first_line: IdIndex, skipped: dict[str, int]
    ) -> Iterator[Row]:
        lines = read_lines(self._file, self.path)
        if self.kind == "jsonl":
            return jsonl_rows(lines, self.path)
        records = csv_records(lines, self.path)
        if self.kind == "linkedin":
            return invitation_rows(records, self.path, connections, first_line, skipped)
        return csv_rows(records, self.path)


class _SideFile(Generic[_Loaded]):
    """The facts or connections file: read on first use, and kept once read."""

    def __init__(self, load: Callable[[Path], _Loaded], path: Path | None) -> None:
        self._load = load
        self._path = path
        self._loaded: _Loaded | None = None

    def get(self, problems: list[Problem] | None) -> _Loaded | None:
        """The file's content; when checking, a problem does not stop the check."""
        if self._path is None or self._loaded is not None:
            return self._loaded
        try:
            self._loaded = self._load(self._path)
        except InvpolicyError as exc:
            if problems is None:
                raise
            problems.extend(exc.problems)
        return self._loaded


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
    skipped (any other input with ``connections`` is refused here). ``facts``
    is a YAML file of facts to add to invitations, by id. Nothing is read here
    but the head of a CSV file; problems in the files come from
    :meth:`InvitationSource.check` or the iteration.
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
    if kind == "csv" and looks_like_linkedin(Path(path), shown_as):
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


def _finish(
    data: Any, doc: Document, facts: Facts | None, found: list[Problem]
) -> Invitation | None:
    """Merge the facts file's entry over ``data``, validate it and build the invitation.

    Problems go to ``found``: then there is no invitation.
    """
    if facts is not None:
        data, doc = facts.merged(data, doc)
    found.extend(text_problems(data, doc))
    found.extend(invitation_problems(data, doc))
    return None if found else build_invitation(data)


def _report(found: list[Problem], problems: list[Problem] | None) -> None:
    """Raise ``found`` when iterating; add them to ``problems`` when checking."""
    if found and problems is None:
        raise InvpolicyError(sorted(found))
    if problems is not None:
        problems.extend(found)
