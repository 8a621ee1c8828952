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

from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.archive import is_archive
from invpolicy.io.document import Document, JsonPath
from invpolicy.io.files import Source
from invpolicy.io.safeload import load_document
from invpolicy.loading.dialect import open_csv
from invpolicy.loading.export import Export, facts_name, find_export
from invpolicy.loading.facts import FactsMerge, load_facts, read_facts
from invpolicy.loading.formats import INPUT_FORMATS, input_kind
from invpolicy.loading.idindex import IdIndex
from invpolicy.loading.invitations import duplicate_id, parse_invitations
from invpolicy.loading.linkedin import (
    INVITATIONS_HEADER,
    Connections,
    invitation_rows,
    profile_slug,
    read_connections,
    read_profile_name,
)
from invpolicy.loading.records import Row, csv_rows, jsonl_rows, read_lines
from invpolicy.loading.talks import Inviter, Inviters, Owner, invitation_time
from invpolicy.model.invitation import Invitation

__all__ = [
    "INPUT_FORMATS",
    "InvitationSource",
    "facts_path_for",
    "open_invitations",
    "read_facts",
]

_Loaded = TypeVar("_Loaded")


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
        #: After a full iteration or :meth:`check` of LinkedIn's export: you,
        #: from ``Profile.csv`` or from whom the invitations were sent to.
        self.owner: Owner | None = None
        #: How many of Facebook's message threads were read, once read.
        self.threads_read = 0
        self._file = file
        #: What is worth saying but stops nothing (a file read as Windows-1252,
        #: fields invpolicy does not know), found by :meth:`check`, each once.
        self.warnings: list[Problem] = []
        self._profile = _SideFile(
            partial(read_profile_name, warnings=self.warnings),
            None if export is None else export.profile,
        )
        self._facts = _SideFile(load_facts, facts)
        self._connections = _SideFile(
            partial(read_connections, warnings=self.warnings), connections
        )
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
        derived = self._derived_facts(connections, problems)
        # Counted afresh on each pass, and shown once a pass has read the whole file.
        skipped: dict[str, int] = {}
        owners: Counter[Owner] = Counter()
        merge = FactsMerge(facts, derived, self.messages_label)
        if self.kind in ("yaml", "json"):
            yield from self._documents(merge, problems)
        else:
            yield from self._records(merge, connections, skipped, owners, problems)
        self.skipped = skipped
        self.owner = self._owner(owners, problems)

    def _owner(self, owners: Counter[Owner], problems: list[Problem] | None) -> Owner | None:
        """You: your name from ``Profile.csv``, else the one the invitations went to."""
        usual = owners.most_common(1)[0][0] if owners else None
        name = self._profile.get(problems)
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
            self._derived = _gather(lambda: self._read_derived(connections), problems)
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
            items: Iterator[Any] = (i.facts for i in self._read_whole()[1])
        else:
            items = self._row_data(connections, owners)
        for data in items:
            if not isinstance(data, dict):
                continue
            ident, name, since = data.get("id"), data.get("name"), data.get("sent_at")
            when = invitation_time(since)
            if isinstance(ident, str) and isinstance(name, str) and when is not None:
                url = data.get("profile_url")
                slug = profile_slug(url) if isinstance(url, str) else None
                yield Inviter(ident, name, slug, when)

    def _row_data(self, connections: Connections | None, owners: Counter[Owner]) -> Iterator[Any]:
        """Each record's data, with the ids the iteration gives them (``-2`` and all)."""
        first_line = IdIndex()
        for row in self._rows(connections, first_line, {}, owners):
            ident = row.data.get("id") if isinstance(row.data, dict) else None
            if isinstance(ident, str):
                # As the iteration does: an id is taken once seen, so the next gets ``-2``.
                duplicate_id(row.doc, (), ident, row.line, first_line)
            yield row.data

    def _records(
        self,
        merge: FactsMerge,
        connections: Connections | None,
        skipped: dict[str, int],
        owners: Counter[Owner],
        problems: list[Problem] | None,
    ) -> Iterator[Invitation]:
        first_line = IdIndex()
        for row in self._rows(connections, first_line, skipped, owners):
            found = list(row.problems)
            data, doc = row.data, row.doc
            ident = data.get("id") if isinstance(data, dict) else None
            if isinstance(ident, str):
                duplicate = duplicate_id(doc, (), ident, row.line, first_line)
                if duplicate is not None:
                    found.append(duplicate)
            invitation = None if data is None else merge.finish(data, doc, found)
            _report(found, problems)
            if invitation is not None:
                yield invitation

    def _read_whole(self) -> tuple[Document, list[Invitation]]:
        if self._whole is None:
            doc = load_document(self._file)
            self._whole = doc, parse_invitations(doc)
        return self._whole

    def _documents(self, merge: FactsMerge, problems: list[Problem] | None) -> Iterator[Invitation]:
        doc, invitations = self._read_whole()
        at: JsonPath = ("invitations",) if isinstance(doc.data, dict) else ()
        for index, invitation in enumerate(invitations):
            if not merge.adds_to(invitation.id):
                yield invitation
                continue
            data = dict(invitation.facts)
            row = Document(self.path, data, {(): doc.position((*at, index))})
            found: list[Problem] = []
            merged = merge.finish(data, row, found)
            _report(found, problems)
            if merged is not None:
                yield merged

    def _rows(
        self,
        connections: Connections | None,
        first_line: IdIndex,
        skipped: dict[str, int],
        owners: Counter[Owner],
    ) -> Iterator[Row]:
        if self.kind == "facebook":
            from invpolicy.loading.facebook import friend_request_rows

            if self._requests is None:
                self._requests = load_document(self._file)
            return friend_request_rows(self._requests, first_line)
        if self.kind == "jsonl":
            return jsonl_rows(read_lines(self._file, self.path), self.path)
        required = INVITATIONS_HEADER if self.kind == "linkedin" else ()
        records, _ = open_csv(
            self._file,
            self.path,
            required=required,
            legacy=lambda dialect: self._warn(dialect.warning(self.path)),
        )
        if self.kind == "linkedin":
            return invitation_rows(records, self.path, connections, first_line, skipped, owners)
        return csv_rows(records, self.path)

    def _warn(self, warning: Problem) -> None:
        if warning not in self.warnings:
            self.warnings.append(warning)


class _SideFile(Generic[_Loaded]):
    """The facts, connections or profile file: read on first use, and kept once read."""

    def __init__(self, load: Callable[[Source], _Loaded], path: Source | None) -> None:
        self._load = load
        self._path = path
        self._loaded: _Loaded | None = None

    def get(self, problems: list[Problem] | None) -> _Loaded | None:
        """The file's content; when checking, a problem does not stop the check."""
        path = self._path
        if path is None or self._loaded is not None:
            return self._loaded
        self._loaded = _gather(lambda: self._load(path), problems)
        return self._loaded


def _gather(read: Callable[[], _Loaded], problems: list[Problem] | None) -> _Loaded | None:
    """What ``read`` gives; its problems are raised when iterating, kept when checking."""
    try:
        return read()
    except InvpolicyError as exc:
        if problems is None:
            raise
        problems.extend(exc.problems)
        return None


def open_invitations(
    path: str | Path,
    input_format: str | None = None,
    *,
    connections: str | Path | None = None,
    facts: str | Path | None = None,
    messages: str | Path | None = None,
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
    to invitations, by id. Nothing is read here but the head of a file and
    the list of an archive's files; problems in the files come from
    :meth:`InvitationSource.check` or the iteration.
    """
    shown_as = str(path)
    given_connections = None if connections is None else Path(connections)
    given_messages = None if messages is None else Path(messages)
    fact_file = None if facts is None else Path(facts)
    if input_format is None and is_archive(Path(path)):
        export = find_export(Path(path), shown_as)
        return InvitationSource(
            export.invitations,
            str(export.invitations),
            export.network,
            given_connections or export.connections,
            fact_file,
            messages=given_messages or export.messages,
            export=export,
        )
    kind = input_kind(Path(path), shown_as, input_format)
    return InvitationSource(
        Path(path), shown_as, kind, given_connections, fact_file, messages=given_messages
    )


def facts_path_for(invitations_path: str | Path) -> Path:
    """The default facts file for an invitations file: ``<stem>.facts.yaml`` beside it.

    For a network's export (a ZIP file or a folder), it is named after the
    network (``linkedin.facts.yaml``), beside the export, so that next month's
    export, with another date in its name, finds the same answers.
    """
    path = Path(invitations_path)
    if is_archive(path):
        try:
            network = find_export(path, str(path)).network
        except InvpolicyError:
            network = path.stem  # opening it will say what is wrong
        # Beside the export, even when it is given as "." from inside it.
        beside = path if path.name not in ("", "..") else path.resolve()
        return beside.parent / facts_name(network)
    return path.with_name(f"{path.stem}.facts.yaml")


def _report(found: list[Problem], problems: list[Problem] | None) -> None:
    """Raise ``found`` when iterating; add them to ``problems`` when checking."""
    if found and problems is None:
        raise InvpolicyError(sorted(found))
    if problems is not None:
        problems.extend(found)
