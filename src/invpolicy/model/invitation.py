"""An invitation: who sent it, and the facts known about it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import field
from functools import cache
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.frozen import frozen
from invpolicy.io.document import Document, JsonPath, dotted
from invpolicy.resources import inlined_schema, validator
from invpolicy.schema.check import check, quick_test
from invpolicy.schema.links import broken

DEFAULT_NETWORK = "linkedin"


@frozen
class Invitation:
    """One invitation. ``facts`` holds what is known; an absent key is unknown.

    ``origins`` says where a fact came from when it was not the invitations
    file: the facts file, or the messages it was derived from.
    """

    id: str
    name: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

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
    to say what is wrong. A valid invitation must also keep the links between
    its facts (:mod:`invpolicy.schema.links`).
    """
    if not _quick_test()(data):
        problems = check(validator("invitation", "invitation"), data, doc, at)
        if problems:
            return problems
    return link_problems(data, doc, at)


def link_problems(data: Any, doc: Document, at: JsonPath = ()) -> list[Problem]:
    """The links between facts that ``data`` breaks, each at the fact that breaks it.

    That is the fact written in the facts file, when one of the two comes from
    there (``doc`` knows which, see :class:`invpolicy.loading.facts.FactsMerge`).
    """
    if not isinstance(data, dict):
        return []
    merged: Collection[str] = getattr(doc, "merged_keys", ())
    problems = []
    for link, value, bound in broken(data):
        if link.at_most in merged and link.fact not in merged:
            where = (*at, link.at_most)
            message = f"{bound} is less than {link.fact} ({value}), which is part of it"
        else:
            where = (*at, link.fact)
            message = f"{value} is more than {link.at_most} ({bound}), which it is part of"
        problems.append(doc.problem(where, f"{dotted(where)}: {message}"))
    return problems


@cache
def _quick_test() -> Callable[[Any], bool]:
    test = quick_test(inlined_schema("invitation", "invitation"))
    assert test is not None, "the invitation schema uses only keywords quick_test reads"
    return test


def build_invitation(
    data: Mapping[str, Any], origins: Mapping[str, str] | None = None
) -> Invitation:
    """The :class:`Invitation` for a mapping that the invitation schema accepts.

    ``origins`` names where some facts came from (see :class:`Invitation`).
    """
    # null means unknown, like an absent key: drop it so criteria see one thing.
    facts = {key: value for key, value in data.items() if value is not None}
    facts.setdefault("network", DEFAULT_NETWORK)
    known = {key: where for key, where in (origins or {}).items() if key in facts}
    return Invitation(id=facts["id"], name=facts["name"], facts=facts, origins=known)
