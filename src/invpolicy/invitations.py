"""Invitation files: a list of invitations, or a mapping with the key ``invitations``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.resources import validator
from invpolicy.schemacheck import check, dotted
from invpolicy.source import Document, JsonPath, load_document

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
        problems = check(validator("invitation", "invitation"), doc.data, doc)
        if problems:
            raise InvpolicyError(problems)
        return build_invitation(doc.data)


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
    first_line: dict[str, int] = {}
    invitations: list[Invitation] = []
    for index, item in enumerate(items):
        path: JsonPath = (*at, index)
        found = check(validator("invitation", "invitation"), item, doc, path)
        problems.extend(found)
        line, _ = doc.position(path)
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str):
            if ident in first_line:
                problems.append(
                    doc.problem(
                        (*path, "id"),
                        f"{dotted((*path, 'id'))}: duplicate invitation id '{ident}' "
                        f"(first at line {first_line[ident]})",
                    )
                )
                continue
            first_line[ident] = line
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
