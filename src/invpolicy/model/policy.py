"""A policy as data: its rules, signals, replies, sources and worked examples.

Nothing here reads a file or knows the engine: :mod:`invpolicy.loading` builds
these values from a document, :mod:`invpolicy.engine` compiles them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from invpolicy.errors import Location
from invpolicy.frozen import frozen
from invpolicy.model.conditions import Condition
from invpolicy.model.invitation import Invitation

#: The newest policy format this version of invpolicy reads.
FORMAT_VERSION = 1


@frozen
class Signal:
    """A weighted condition: ``weight`` points when ``when`` is true."""

    id: str
    when: Condition
    weight: float
    description: str = ""
    at: Location = field(default=Location(), compare=False)


@frozen
class ReplySpec:
    """Which generator writes the reply, and with what parameters."""

    generator: str
    params: Mapping[str, Any] = field(default_factory=dict)


@frozen
class Rule:
    """One rule: if ``when`` is true (or absent), ``decision`` with ``reply``."""

    id: str
    when: Condition | None
    decision: str
    reply: ReplySpec | None = None
    description: str = ""
    #: Where the rule is written (in the extending file, or in the one it extends).
    at: Location = field(default=Location(), compare=False)


@frozen
class Source:
    """An article a policy comes from."""

    article: str
    title: str = ""
    note: str = ""


@frozen
class Example:
    """A worked example: an invitation, and what the policy must decide for it.

    ``rule`` and ``generator`` are checked only when given; ``expects_reply``
    tells a ``generator: null`` (no reply wanted) from no expectation at all.
    """

    name: str
    invitation: Invitation
    decision: str
    rule: str | None = None
    generator: str | None = None
    expects_generator: bool = False
    at: Location = field(default=Location(), compare=False)


@frozen
class Policy:
    """A validated policy file."""

    name: str
    title: str
    summary: str
    author: str
    sources: tuple[Source, ...]
    rules: tuple[Rule, ...]
    language: str = "en"
    format: int = FORMAT_VERSION
    path: str = ""
    scoring: tuple[Signal, ...] = ()
    examples: tuple[Example, ...] = ()
    #: The policy this one extends, as written, and the files of the whole chain.
    extends: str = ""
    parents: tuple[str, ...] = ()
