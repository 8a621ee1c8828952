"""Read a facts file, and merge its facts over the invitations they are about.

:func:`facts_path_for` names the facts file that goes with an input.

A facts file is YAML: a mapping from invitation ids to mappings of facts (what
``decide --interactive`` saves). A merged invitation's problems with a fact
point into the facts file, at that fact. :class:`FactsMerge` also adds the
facts derived from messages, under the facts file's, and records where each
added fact came from.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io import safeload
from invpolicy.io.archive import is_archive
from invpolicy.io.bounds import ENTRIES_BOUNDS
from invpolicy.io.document import Document, JsonPath
from invpolicy.io.files import Source
from invpolicy.io.limits import text_problems
from invpolicy.loading.export import facts_name, find_export
from invpolicy.loading.unknown import unknown_fact_problems
from invpolicy.model.invitation import Invitation, build_invitation, invitation_problems
from invpolicy.schema.check import shown


def read_facts(path: str | Path) -> dict[str, dict[str, Any]]:
    """The facts file: a mapping from invitation ids to mappings of facts."""
    facts = load_facts(Path(path))
    if facts.problems:
        raise InvpolicyError(sorted(facts.problems))
    return facts.entries


@dataclass
class Facts:
    """The facts file: the entries that are mappings, and what is wrong with the others."""

    doc: Document
    entries: dict[str, dict[str, Any]]
    problems: list[Problem]

    def merged(self, data: Any, doc: Document) -> tuple[Any, Document]:
        """``data`` with its entry's facts over it, and where each of its values is."""
        ident = data.get("id") if isinstance(data, dict) else None
        if not isinstance(ident, str) or not (entry := self.entries.get(ident)):
            return data, doc
        data = {**data, **entry}
        return data, _WithFacts(doc, self.doc, ident, entry, data)


def load_facts(path: Source, known: Collection[str] | None = None) -> Facts:
    """The facts file, its problems kept for the caller to report.

    A file with no facts yet (empty, only comments, or an empty document) is
    fine: it has no entries. With ``known`` (the fields invpolicy and its
    plugins know), a field not among them is a problem: the file exists only
    for invpolicy, so it is a typo.
    """
    doc = safeload.load_document(path, allow_empty=True, bounds=ENTRIES_BOUNDS, quick=True)
    if doc.data is None:
        return Facts(doc, {}, [])
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
    if known is not None:
        problems.extend(unknown_fact_problems(doc, entries, known))
    return Facts(doc, entries, problems)


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
        #: The facts that come from the facts file (a broken link is said at one of them).
        self.merged_keys = self._keys

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> Problem:
        if path and path[0] in self._keys:
            return self._facts.problem((self._ident, *path), f"{self._ident}.{message}", key=key)
        return self._row.problem(path, message, key=key)


class FactsMerge:
    """What is added to each invitation: facts derived from messages, then the facts file's."""

    def __init__(
        self,
        facts: Facts | None,
        derived: dict[str, dict[str, Any]] | None,
        derived_from: str | None,
    ) -> None:
        self._facts = facts
        self._derived = derived or {}
        self._derived_from = derived_from or ""

    def adds_to(self, ident: str) -> bool:
        return ident in self._derived or (self._facts is not None and ident in self._facts.entries)

    def finish(self, data: Any, doc: Document, found: list[Problem]) -> Invitation | None:
        """Merge the facts over ``data``, validate it and build the invitation.

        A derived fact fills only what the invitation leaves unknown; the facts
        file wins over both. Problems go to ``found``: then there is no invitation.
        """
        ident = data.get("id") if isinstance(data, dict) else None
        origins: dict[str, str] = {}
        if isinstance(ident, str):
            extra = self._derived.get(ident)
            if extra:
                added = {k: v for k, v in extra.items() if data.get(k) is None}
                data = {**data, **added}
                origins.update(dict.fromkeys(added, self._derived_from))
            if self._facts is not None:
                entry = self._facts.entries.get(ident)
                if entry:
                    data, doc = self._facts.merged(data, doc)
                    origins.update(dict.fromkeys(entry, self._facts.doc.path))
        found.extend(text_problems(data, doc))
        found.extend(invitation_problems(data, doc))
        return None if found else build_invitation(data, origins)


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
