"""Invitation files: a list of invitations, or a mapping with the key ``invitations``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.idindex import IdIndex
from invpolicy.resources import validator
from invpolicy.schemacheck import check, quick_test
from invpolicy.source import Document, JsonPath, dotted, load_document

DEFAULT_NETWORK = "linkedin"


@dataclass(frozen=True)
class Invitation:
    """One invitation. ``facts`` holds what is known; an absent key is unknown."""

    id: str
    name: str
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def language(self) -> str | None:
        """The reply language the invitation asks for, if any."""
        value = self.facts.get("language")
        return value if isinstance(value, str) else None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "<invitation>") -> Invitation:
        """Validate one invitation given as a mapping (as in a file).

        ``where`` names it in error messages.
        """
        doc = Document(where, dict(data))
        problems = invitation_problems(doc.data, doc)
        if problems:
            raise InvpolicyError(problems)
        return build_invitation(doc.data)


def invitation_problems(data: Any, doc: Document, at: JsonPath = ()) -> list[Problem]:
    """What the invitation schema finds wrong with ``data`` (at ``at`` in ``doc``).

    A file may hold a million invitations: each is first given to a plain test
    built once from the schema, and jsonschema runs only on those it refuses,
    to say what is wrong.
    """
    if _quick_test()(data):
        return []
    return check(validator("invitation", "invitation"), data, doc, at)


@cache
def _quick_test() -> Callable[[Any], bool]:
    test = quick_test(validator("invitation", "invitation").schema)
    assert test is not None, "the invitation schema uses only keywords quick_test reads"
    return test


def duplicate_id(
    doc: Document, path: JsonPath, ident: str, line: int, seen: IdIndex
) -> Problem | None:
    """The problem if ``ident`` was seen before; else None, and ``ident`` is remembered."""
    first = seen.get(ident)
    if first is None:
        seen.add(ident, line)
        return None
    where = (*path, "id")
    message = f"{dotted(where)}: duplicate invitation id '{ident}' (first at line {first})"
    return doc.problem(where, message)


def build_invitation(data: Mapping[str, Any]) -> Invitation:
    """The :class:`Invitation` for a mapping that the invitation schema accepts."""
    # null means unknown, like an absent key: drop it so criteria see one thing.
    facts = {key: value for key, value in data.items() if value is not None}
    facts.setdefault("network", DEFAULT_NETWORK)
    return Invitation(id=facts["id"], name=facts["name"], facts=facts)


def load_invitations(path: str | Path) -> list[Invitation]:
    """Read and validate an invitations file (YAML or JSON)."""
    doc = load_document(path)
    return parse_invitations(doc)


def parse_invitations(doc: Document) -> list[Invitation]:
    """Validate a parsed invitations document; every problem is reported at once."""
    items, at = _items(doc)
    problems: list[Problem] = []
    seen = IdIndex()
    invitations: list[Invitation] = []
    for index, item in enumerate(items):
        path: JsonPath = (*at, index)
        found = invitation_problems(item, doc, path)
        problems.extend(found)
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str):
            duplicate = duplicate_id(doc, path, ident, doc.position(path)[0], seen)
            if duplicate is not None:
                problems.append(duplicate)
                continue
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
