"""What an installed policy says about itself, for ``invpolicy policies``."""

from __future__ import annotations

from dataclasses import dataclass

from invpolicy.errors import InvpolicyError
from invpolicy.io.safeload import load_document
from invpolicy.loading.catalog import PolicyEntry
from invpolicy.loading.parse import parse_policy
from invpolicy.plugins.registry import Registry

#: The fields of a policy that ``invpolicy policies`` shows.
ABOUT = ("title", "summary", "author")


@dataclass(frozen=True)
class About:
    """What a policy says about itself; ``problem`` when its file cannot be read."""

    title: str = ""
    summary: str = ""
    author: str = ""
    problem: str = ""


def about(entry: PolicyEntry, registry: Registry) -> About:
    """The policy's title, summary and author, and its first problem if it does not validate."""
    try:
        doc = load_document(entry.path)
    except InvpolicyError as exc:
        return About(problem=str(exc.problems[0]))
    data = doc.data
    if not isinstance(data, dict):
        return About(problem=f"{entry.path}:1:1: not a policy (a mapping is expected)")
    fields = {key: data.get(key) for key in ABOUT}
    text = {key: v if isinstance(v, str) else "" for key, v in fields.items()}
    try:
        parse_policy(doc, registry, stem=entry.path.stem)
    except InvpolicyError as exc:
        more = len(exc.problems) - 1
        problem = str(exc.problems[0]) + (f" (and {more} more)" if more else "")
        return About(**text, problem=problem)
    return About(**text)
