"""What an installed policy says about itself, for ``invpolicy policies``."""

from __future__ import annotations

from invpolicy.errors import InvpolicyError
from invpolicy.frozen import frozen
from invpolicy.io.safeload import load_document
from invpolicy.loading.catalog import PolicyEntry
from invpolicy.loading.policycache import cached_policy
from invpolicy.plugins.registry import Registry

#: The fields of a policy that ``invpolicy policies`` shows.
ABOUT = ("title", "summary", "author")


@frozen
class About:
    """What a policy says about itself; ``problem`` when its file cannot be read."""

    title: str = ""
    summary: str = ""
    author: str = ""
    problem: str = ""


def about(entry: PolicyEntry, registry: Registry, *, cache: bool = True) -> About:
    """The policy's title, summary and author, and its first problem if it does not validate.

    A policy that the cache of compiled policies holds is not read again
    (:mod:`invpolicy.loading.policycache`), unless ``cache`` is false or the
    cache is off.
    """
    try:
        policy, _ = cached_policy(entry.path, registry, cache=cache)
    except InvpolicyError as exc:
        return _broken(entry, exc)
    return About(policy.title, policy.summary, policy.author)


def _broken(entry: PolicyEntry, exc: InvpolicyError) -> About:
    """What a policy with problems says about itself, and its first problem."""
    more = len(exc.problems) - 1
    problem = str(exc.problems[0]) + (f" (and {more} more)" if more else "")
    try:
        doc = load_document(entry.path)
    except InvpolicyError:
        return About(problem=problem)
    data = doc.data
    if not isinstance(data, dict):
        return About(problem=f"{entry.path}:1:1: not a policy (a mapping is expected)")
    fields = {key: data.get(key) for key in ABOUT}
    text = {key: value if isinstance(value, str) else "" for key, value in fields.items()}
    return About(**text, problem=problem)
