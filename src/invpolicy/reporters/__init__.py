"""Output formats: the one ``--format`` registry that every command offers its choices from.

Each format is a small :class:`~invpolicy.reporters.base.Reporter` class; a
command writes one kind of output (:data:`KINDS`) and offers the formats that
write it (:func:`format_names`). This module imports no format: a format's
module is imported by :func:`reporter_class` when it is used, and imports its
libraries (rich, csv, tabulate, jinja2) inside the methods that use them, so
that offering the choices costs nothing at start-up.

Text from invitations and policies is untrusted: every format shows it as
plain text (never as terminal markup, never as live HTML, never as a
spreadsheet formula).

This layer may import every layer below the CLI but the package root.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from invpolicy.frozen import frozen

if TYPE_CHECKING:
    from invpolicy.reporters.base import Reporter

#: What a command writes: each is a method of :class:`~invpolicy.reporters.base.Reporter`.
KINDS = (
    "decisions",
    "policies",
    "plugins",
    "findings",
    "tests",
    "validation",
    "policy",
    "diff",
)


@frozen
class Format:
    """One value of ``--format``: the class that writes it, and the kinds it writes."""

    name: str
    #: ``module:Class``, imported only when the format is used.
    location: str
    writes: frozenset[str]

    def reporter(self) -> type[Reporter]:
        """The format's class."""
        module, attribute = self.location.split(":")
        cls: type[Reporter] = getattr(importlib.import_module(module), attribute)
        return cls


def _format(name: str, location: str, *writes: str) -> Format:
    assert set(writes) <= set(KINDS), writes
    return Format(name, location, frozenset(writes))


#: Every format, in the order the choices are offered.
FORMATS: tuple[Format, ...] = (
    _format(
        "table",
        "invpolicy.reporters.tables:TableReporter",
        "decisions",
        "policies",
        "plugins",
        "diff",
    ),
    _format("text", "invpolicy.reporters.text:TextReporter", "findings", "tests", "validation"),
    _format("yaml", "invpolicy.reporters.yamlfile:YamlReporter", "policy"),
    _format("json", "invpolicy.reporters.jsonfile:JsonReporter", *KINDS),
    _format("jsonl", "invpolicy.reporters.jsonfile:JsonLinesReporter", "decisions"),
    _format("csv", "invpolicy.reporters.files:CsvReporter", "decisions"),
    _format("markdown", "invpolicy.reporters.files:MarkdownReporter", "decisions", "diff"),
    _format("html", "invpolicy.reporters.files:HtmlReporter", "decisions"),
)

FORMAT_BY_NAME = {fmt.name: fmt for fmt in FORMATS}


def format_names(kind: str) -> list[str]:
    """The formats that write ``kind``, in the order ``--format`` offers them."""
    if kind not in KINDS:
        raise ValueError(f"no output is of kind {kind!r}; kinds: {', '.join(KINDS)}")
    return [fmt.name for fmt in FORMATS if kind in fmt.writes]


def reporter_class(name: str) -> type[Reporter]:
    """The class of the format named ``name`` (a value of ``--format``)."""
    return FORMAT_BY_NAME[name].reporter()


__all__ = ["FORMATS", "FORMAT_BY_NAME", "KINDS", "Format", "format_names", "reporter_class"]
