"""Invitation files: a list of invitations, or a mapping with the key ``invitations``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.bounds import RECORDS_BOUNDS
from invpolicy.io.document import Document, JsonPath, dotted
from invpolicy.io.safeload import load_document
from invpolicy.loading.idindex import FirstLines
from invpolicy.model.invitation import Invitation, build_invitation, invitation_problems


def duplicate_id(
    doc: Document, path: JsonPath, ident: str, line: int, seen: FirstLines
) -> Problem | None:
    """The problem if ``ident`` was seen before; else None, and ``ident`` is remembered."""
    first = seen.first(ident, line)
    if first is None:
        return None
    where = (*path, "id")
    message = f"{dotted(where)}: duplicate invitation id '{ident}' (first at line {first})"
    return doc.problem(where, message)


def load_invitations(path: str | Path) -> list[Invitation]:
    """Read and validate an invitations file (YAML or JSON)."""
    doc = load_document(path, bounds=RECORDS_BOUNDS, quick=True)
    return parse_invitations(doc)


def parse_invitations(doc: Document) -> list[Invitation]:
    """Validate a parsed invitations document; every problem is reported at once."""
    items, at = _items(doc)
    problems: list[Problem] = []
    # The items are in memory already: an id's index costs little beside them.
    seen: dict[str, int] = {}
    invitations: list[Invitation] = []
    for index, item in enumerate(items):
        path: JsonPath = (*at, index)
        found = invitation_problems(item, doc, path)
        problems.extend(found)
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str):
            # The index is kept, not the line: a line is looked up only for a duplicate.
            first = seen.get(ident)
            if first is not None:
                line = doc.position((*at, first))[0]
                message = f"{dotted((*path, 'id'))}: duplicate invitation id '{ident}' "
                problems.append(doc.problem((*path, "id"), f"{message}(first at line {line})"))
                continue
            seen[ident] = index
        if not found:
            invitations.append(build_invitation(item))
    if problems:
        raise InvpolicyError(sorted(problems))
    return invitations


def _items(doc: Document) -> tuple[list[Any], JsonPath]:
    data = doc.data
    if isinstance(data, list):
        return data, ()
    if isinstance(data, dict) and "invitations" in data:
        if isinstance(data["invitations"], list):
            return data["invitations"], ("invitations",)
        raise InvpolicyError(doc.problem(("invitations",), "invitations: expected a list"))
    raise InvpolicyError(
        doc.problem((), "expected a list of invitations, or a mapping with the key 'invitations'")
    )
