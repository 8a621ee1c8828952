"""Read invitations: a file in any format, or a network's whole export.

:func:`open_invitations` chooses the reader and gives an :class:`InvitationSource`,
which adds the facts derived from messages and the facts file's, and validates
each invitation. YAML and JSON files are read whole, once, like the side files;
JSON Lines and CSV files (:mod:`~invpolicy.loading.records`, LinkedIn's in
:mod:`~invpolicy.loading.linkedin`) are read one record at a time on each pass,
keeping per invitation only its id and line (to report a duplicate).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.archive import is_archive
from invpolicy.io.bounds import RECORDS_BOUNDS, REQUESTS_BOUNDS
from invpolicy.io.document import Document, JsonPath
from invpolicy.io.files import Source, size_of
from invpolicy.io.safeload import load_document
from invpolicy.loading.dialect import open_csv
from invpolicy.loading.export import Export, find_export
from invpolicy.loading.facts import FactsMerge, load_facts, read_facts
from invpolicy.loading.formats import INPUT_FORMATS, input_kind
from invpolicy.loading.idindex import FirstLines
from invpolicy.loading.invitations import duplicate_id, parse_invitations
from invpolicy.loading.linkedin import (
    INVITATIONS_HEADER,
    Connections,
    invitation_rows,
    read_connections,
    read_profile_name,
    sent_at_order,
)
from invpolicy.loading.records import Row, csv_rows, jsonl_rows, read_lines
from invpolicy.loading.sidefiles import SideFile, gather, report
from invpolicy.loading.talks import Inviter, Inviters, Owner, inviters_in
from invpolicy.loading.unknown import UnknownFields
from invpolicy.loading.unknown import known_fields as known_fields_of
from invpolicy.model.invitation import Invitation

__all__ = [
    "INPUT_FORMATS",
    "InvitationSource",
    "open_invitations",
    "read_facts",
]


class InvitationSource:
    """Invitations read from one file, or from a network's export.

    Iterate it (as often as needed) to get :class:`Invitation` objects. Call
    :meth:`check` first: iterating stops at the first problem, :meth:`check`
    reports them all. JSON Lines and CSV files are read again on each pass, one
    record at a time; a YAML or JSON file, and the facts, connections and
    messages files, are read whole on the first pass that gets through them,
    and kept (of the messages, only what the facts need).
    """

    def __init__(
        self,
        file: Source,
        shown_as: str,
        kind: str,
        connections: Source | None,
        facts: Path | None,
        *,
        messages: Source | None = None,
        export: Export | None = None,
        known_fields: Collection[str] = (),
        strict: bool = False,
        owner: str | None = None,
    ) -> None:
        if connections is not None and kind != "linkedin":
            # Ignoring it would leave in the people it was given to take out.
            message = (
                f"only LinkedIn's Invitations.csv can be matched against connections, "
                f"and {shown_as} is read as {kind}"
            )
            raise InvpolicyError(Problem(str(connections), 1, 1, message))
        if messages is not None and kind == "facebook":
            message = (
                "--messages reads LinkedIn's messages.csv; Facebook's messages are read "
                "from its export itself (its ZIP file or folder)"
            )
            raise InvpolicyError(Problem(str(messages), 1, 1, message))
        #: The file as given, as messages name it.
        self.path = shown_as
        #: ``yaml``, ``json``, ``jsonl``, ``csv``, ``linkedin`` or ``facebook``.
        self.kind = kind
        #: The export the invitations come from, when a ZIP file or a folder was given.
        self.export = export
        #: After a full iteration or :meth:`check`: how many records were not
        #: taken, by reason (``outgoing``, ``already connected``).
        self.skipped: dict[str, int] = {}
        #: After a full pass: you, from ``owner``, ``Profile.csv`` or the invitations' ``To``.
        self.owner: Owner | None = None
        self._given_owner = owner
        #: How many of Facebook's message threads were read, once read.
        self.threads_read = 0
        self._file = file
        #: What is worth saying but stops nothing (a file read as Windows-1252,
        #: fields invpolicy does not know), found by :meth:`check`, each once.
        self.warnings: list[Problem] = []
        self._profile = SideFile(
            partial(read_profile_name, warnings=self.warnings),
            None if export is None else export.profile,
        )
        #: The fields known: the schema's and ``known_fields``; under ``strict``, no other.
        self.known = known_fields_of(known_fields)
        self.strict = strict
        self._facts = SideFile(partial(load_facts, known=self.known), facts)
        self._connections = SideFile(partial(read_connections, warnings=self.warnings), connections)
        self._messages = messages
        #: Every file read but the facts file: the invitations first, then
        #: connections, messages and profile, as each was found or given.
        self.inputs: list[Source] = [file]
        for found in (connections, messages, None if export is None else export.profile):
            if found is not None:
                self.inputs.append(found)
        #: Where the facts derived from messages come from, as ``--explain`` says.
        self.messages_label: str | None = None
        if messages is not None:
            self.messages_label = str(messages)
        elif kind == "facebook" and export is not None:
            from invpolicy.loading.facebook import has_threads

            if has_threads(export.archive):
                self.messages_label = f"the messages in {export.archive.shown}"
        #: Each inviter's facts derived from the messages, once read.
        self._derived: dict[str, dict[str, Any]] | None = None
        #: A YAML or JSON file's document and invitations, once read.
        self._whole: tuple[Document, list[Invitation]] | None = None
        #: Facebook's friend requests file, once read.
        self._requests: Document | None = None
        #: Of the pass under way: how many bytes of the invitations file are read,
        #: out of :attr:`size` (for a YAML or JSON file, read whole first, in
        #: proportion to the invitations given).
        self.read_bytes = 0
        #: The invitations file's size in bytes, when it is known.
        self.size: int | None = size_of(file)
        #: The unknown fields seen by the pass under way.
        self._unknown = UnknownFields(self.known)
        #: Whether LinkedIn's dates are day first, and the line that says so.
        self._dates: tuple[bool, Problem | None] | None = None

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

    def checked(self) -> Iterator[Invitation]:
        """Each invitation, checked as it is read: the input is read once.

        Once a problem is found, no invitation is given any more: the rest of
        the input is read for its problems only, and at the end every problem
        found is raised, as :meth:`check` raises them. :attr:`skipped`,
        :attr:`owner` and :attr:`warnings` are complete once the iteration ends.
        """
        problems: list[Problem] = []
        try:
            for invitation in self._scan(problems):
                # Under ``strict``, an unknown field is an error, said at the end.
                if not problems and not (self.strict and self._unknown):
                    yield invitation
        except InvpolicyError as exc:
            problems.extend(exc.problems)
        if problems:
            raise InvpolicyError(sorted(set(problems)))

    def _scan(self, problems: list[Problem] | None) -> Iterator[Invitation]:
        # ``problems`` is a list when checking (collect and go on), None when
        # iterating (raise at the first problem).
        facts = self._facts.get(problems)
        if facts is not None and facts.problems:
            report(facts.problems, problems)
        connections = self._connections.get(problems)
        derived = self._derived_facts(connections, problems)
        # Counted afresh on each pass, and shown once a pass has read the whole file.
        skipped: dict[str, int] = {}
        owners: Counter[Owner] = Counter()
        merge = FactsMerge(facts, derived, self.messages_label)
        unknown = self._unknown = UnknownFields(self.known)
        # The ids read, to name the facts entries about no invitation: kept only
        # then, so that a large file read without facts is read in flat memory.
        seen: set[str] | None = set() if problems is not None and facts is not None else None
        if self.kind in ("yaml", "json"):
            yield from self._documents(merge, problems, unknown, seen)
        else:
            yield from self._records(merge, connections, skipped, owners, problems, unknown, seen)
        self.read_bytes = self.size or self.read_bytes
        # Updated in place: a report may hold this very dict, to show it at its end.
        self.skipped.clear()
        self.skipped.update(skipped)
        self.owner = self._owner(owners, problems)
        if problems is not None:
            entries = None if facts is None else (facts.doc, list(facts.entries))
            errors, warnings = unknown.said(self.strict, entries, seen or set())
            problems.extend(errors)
            self.warnings.extend(w for w in warnings if w not in self.warnings)

    def _owner(self, owners: Counter[Owner], problems: list[Problem] | None) -> Owner | None:
        """You: your name from ``Profile.csv``, else the one the invitations went to."""
        usual = owners.most_common(1)[0][0] if owners else None
        name = self._given_owner or self._profile.get(problems)
        if name:
            return Owner(name, usual.slug if usual is not None else None)
        return usual

    def _derived_facts(
        self, connections: Connections | None, problems: list[Problem] | None
    ) -> dict[str, dict[str, Any]] | None:
        """Each inviter's facts from the messages: read once, on the first pass."""
        if self.messages_label is None:
            return None
        if self._derived is None:
            self._derived = gather(lambda: self._read_derived(connections), problems)
        return self._derived

    def _read_derived(self, connections: Connections | None) -> dict[str, dict[str, Any]]:
        owners: Counter[Owner] = Counter()
        inviters = Inviters(self._inviters(connections, owners))
        owner = self._owner(owners, None)
        if self._messages is not None:
            from invpolicy.loading.messages import read_messages

            read_messages(self._messages, inviters, owner, self.warnings)
        elif self.export is not None:
            from invpolicy.loading.facebook import read_threads

            self.threads_read = read_threads(self.export.archive, inviters, None)
        return inviters.facts()

    def _inviters(
        self, connections: Connections | None, owners: Counter[Owner]
    ) -> Iterator[Inviter]:
        """Who each invitation is from, and since when, as far as the input says."""
        if self.kind in ("yaml", "json"):
            return inviters_in(i.facts for i in self._read_whole()[1])
        return inviters_in(self._row_data(connections, owners))

    def _row_data(self, connections: Connections | None, owners: Counter[Owner]) -> Iterator[Any]:
        """Each record's data, with the ids the iteration gives them (``-2`` and all)."""
        for row in self._rows(connections, {}, owners):
            yield row.data

    def _replay(self, connections: Connections | None, line: int) -> Iterator[tuple[str, int]]:
        """The ids of the records before ``line``, each with its line, read again."""
        for row in self._rows(connections, {}, Counter()):
            if row.line >= line:
                return
            ident = row.data.get("id") if isinstance(row.data, dict) else None
            if isinstance(ident, str):
                yield ident, row.line

    def _records(
        self,
        merge: FactsMerge,
        connections: Connections | None,
        skipped: dict[str, int],
        owners: Counter[Owner],
        problems: list[Problem] | None,
        unknown: UnknownFields,
        seen: set[str] | None,
    ) -> Iterator[Invitation]:
        first_line = FirstLines(partial(self._replay, connections))
        self.read_bytes = 0
        for row in self._rows(connections, skipped, owners, self._read):
            found = list(row.problems)
            data, doc = row.data, row.doc
            ident = data.get("id") if isinstance(data, dict) else None
            if isinstance(data, dict) and problems is not None:
                unknown.look(data, doc)
            if isinstance(ident, str):
                if seen is not None:
                    seen.add(ident)
                duplicate = duplicate_id(doc, (), ident, row.line, first_line)
                if duplicate is not None:
                    found.append(duplicate)
            invitation = None if data is None else merge.finish(data, doc, found)
            report(found, problems)
            if invitation is not None:
                yield invitation

    def _read_whole(self) -> tuple[Document, list[Invitation]]:
        if self._whole is None:
            doc = load_document(self._file, bounds=RECORDS_BOUNDS, quick=True)
            self._whole = doc, parse_invitations(doc)
        return self._whole

    def _documents(
        self,
        merge: FactsMerge,
        problems: list[Problem] | None,
        unknown: UnknownFields,
        seen: set[str] | None,
    ) -> Iterator[Invitation]:
        doc, invitations = self._read_whole()
        at: JsonPath = ("invitations",) if isinstance(doc.data, dict) else ()
        size, count = self.size or 0, len(invitations) or 1
        for index, invitation in enumerate(invitations):
            self.read_bytes = size * index // count
            if seen is not None:
                seen.add(invitation.id)
            if problems is not None:
                unknown.look(invitation.facts, doc, (*at, index))
            if not merge.adds_to(invitation.id):
                yield invitation
                continue
            data = dict(invitation.facts)
            row = Document(self.path, data, locate=partial(_item_position, doc, (*at, index)))
            found: list[Problem] = []
            merged = merge.finish(data, row, found)
            report(found, problems)
            if merged is not None:
                yield merged

    def _rows(
        self,
        connections: Connections | None,
        skipped: dict[str, int],
        owners: Counter[Owner],
        read: Callable[[int], None] | None = None,
    ) -> Iterator[Row]:
        if self.kind == "facebook":
            from invpolicy.loading.facebook import friend_request_rows

            if self._requests is None:
                self._requests = load_document(self._file, bounds=REQUESTS_BOUNDS, quick=True)
            return friend_request_rows(self._requests)
        if self.kind == "jsonl":
            return jsonl_rows(read_lines(self._file, self.path, read=read), self.path)
        required = INVITATIONS_HEADER if self.kind == "linkedin" else ()
        records, _ = open_csv(
            self._file,
            self.path,
            required=required,
            legacy=lambda dialect: self._warn(dialect.warning(self.path)),
            read=read,
        )
        if self.kind == "linkedin":
            day_first = self._day_first()
            return invitation_rows(records, self.path, connections, skipped, owners, day_first)
        return csv_rows(records, self.path)

    def _day_first(self) -> bool:
        """How the file's spreadsheet dates are written, found once by a look at them all."""
        if self._dates is None:
            self._dates = sent_at_order(self._file, self.path)
            if self._dates[1] is not None:
                self._warn(self._dates[1])
        return self._dates[0]

    def _read(self, count: int) -> None:
        self.read_bytes = count

    def _warn(self, warning: Problem) -> None:
        if warning not in self.warnings:
            self.warnings.append(warning)


def _item_position(doc: Document, path: JsonPath) -> Document:
    """Where an item of ``doc`` is, as the position of a document of its own."""
    return Document(doc.path, None, {(): doc.position(path)})


def open_invitations(
    path: str | Path,
    input_format: str | None = None,
    *,
    connections: str | Path | None = None,
    facts: str | Path | None = None,
    messages: str | Path | None = None,
    known_fields: Collection[str] = (),
    strict: bool = False,
    owner: str | None = None,
) -> InvitationSource:
    """Invitations from ``path``, in ``input_format`` (one of :data:`INPUT_FORMATS`).

    ``path`` may be a network's export, as a ZIP file or a folder: its
    invitations, connections and messages are read from it (``connections``
    and ``messages`` given here win over the export's own). Otherwise, without
    ``input_format``, the extension says which. A CSV file whose header is
    that of LinkedIn's ``Invitations.csv`` is read as LinkedIn's export, and a
    JSON file holding Facebook's received friend requests as Facebook's.
    ``connections`` is LinkedIn's ``Connections.csv``: inviters found there
    are skipped (any other input with ``connections`` is refused here).
    ``messages`` is LinkedIn's ``messages.csv``: it gives the facts
    ``exchanges`` and ``follow_up``. ``facts`` is a YAML file of facts to add
    to invitations, by id. ``known_fields`` are extra fields that installed
    plugins read: any other field an invitation holds is a warning in
    :attr:`InvitationSource.warnings`, or, under ``strict``, a problem. ``owner``
    (your name) wins over the one an export gives. Nothing
    is read here but the head of a file and
    the list of an archive's files; problems in the files come from
    :meth:`InvitationSource.check` or the iteration.
    """
    shown_as = str(path)
    given_connections: Source | None = None if connections is None else Path(connections)
    given_messages: Source | None = None if messages is None else Path(messages)
    export = None
    if input_format is None and is_archive(Path(path)):
        export = find_export(Path(path), shown_as)
        file: Source = export.invitations
        shown_as, kind = str(export.invitations), export.network
        given_connections = given_connections or export.connections
        given_messages = given_messages or export.messages
    else:
        file, kind = Path(path), input_kind(Path(path), shown_as, input_format)
    return InvitationSource(
        file,
        shown_as,
        kind,
        given_connections,
        None if facts is None else Path(facts),
        messages=given_messages,
        export=export,
        known_fields=known_fields,
        strict=strict,
        owner=owner,
    )
