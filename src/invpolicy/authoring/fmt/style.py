"""fmt's scalar styles: which strings keep their quotes, and how nulls are written.

:func:`layout_yaml` is the ruamel.yaml instance that writes fmt's layout: two
spaces per level, double quotes where quotes are needed (also for the strings
that YAML 1.1 tools read as something else, see :func:`plain_is_safe`), and
``null`` written out except for a criterion without parameters
(:func:`leave_empty`).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver

from invpolicy.authoring.fmt.comments import WIDTH
from invpolicy.model.visitor import walk_written


def layout_yaml() -> YAML:
    """A round-trip ruamel.yaml instance that writes fmt's layout."""
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.Emitter = _Emitter
    yaml.width = WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    # [{a: 1}] keeps its braces instead of becoming [a: 1].
    yaml.brace_single_entry_mapping_in_flow_sequence = True
    return yaml


class _Empty:
    """A criterion without parameters: written ``met_in_person:``, not ``met_in_person: null``."""


_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
#: Words that some tools read as booleans or null in any case (``yEs``, ``NuLL``).
_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"))
#: Numbers in base 60 (``12:30``, ``80:80``, ``1:2:3.5``), whatever the range of
#: their parts: YAML 1.1 tools differ on which ones they read as numbers.
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-9_]+)+(?:\.[0-9_]*)?")


@functools.cache
def _resolvers() -> tuple[VersionedResolver, VersionedResolver]:
    return VersionedResolver(version=(1, 2)), VersionedResolver(version=(1, 1))


def plain_is_safe(value: str) -> bool:
    """Whether ``value`` written plain reads back as the same string in YAML 1.2 and 1.1.

    YAML 1.1 tools (PyYAML, older parsers) read ``yes``, ``off``, ``12:30``,
    ``0b101``, ``1_000`` or ``2024-01-31`` as booleans, numbers and dates.
    Whether the plain text is valid YAML at all (``a: b``, ``#x``) is the
    emitter's business, not this function's.
    """
    if value.lower() in _WORDS or _SEXAGESIMAL.fullmatch(value):
        return False
    return all(
        resolver.resolve(ScalarNode, value, (True, False)) == _STR for resolver in _resolvers()
    )


def leave_empty(condition: Any) -> None:
    """Mark the criteria without parameters in ``condition`` (and in its parts)."""
    # Every key, not just the first: fmt lays out files the schema would refuse.
    # The walk is listed first, so that the mappings are changed once it is done.
    for at, written in list(walk_written(condition, every_key=True)):
        if not written.parts and written.value is None:
            # One object each: a shared one would be written as an anchor and aliases.
            _mapping_at(condition, at)[written.key] = _Empty()


def _mapping_at(condition: Any, path: tuple[str | int, ...]) -> Any:
    """The mapping at ``path`` below ``condition`` (a path that walk_written gave)."""
    for step in path:
        condition = condition[step]
    return condition


class _Representer(RoundTripRepresenter):
    """``null`` written out, except for the criteria marked :class:`_Empty`."""

    def represent_none(self, data: Any) -> Any:
        return self.represent_scalar(_NULL, "null")

    def represent_empty(self, data: Any) -> Any:
        return self.represent_scalar(_NULL, "")


_Representer.add_representer(type(None), _Representer.represent_none)
_Representer.add_representer(_Empty, _Representer.represent_empty)


class _Emitter(RoundTripEmitter):
    """Double quotes where quotes are needed; ``{key: }`` for an empty value in a flow map."""

    def _empty_flow_value(self) -> bool:
        return bool(
            self.event.value == ""
            and self.flow_level
            and self.mapping_context
            and not self.simple_key_context
            and str(getattr(self.event.tag, "value", self.event.tag)) == _NULL
        )

    def choose_scalar_style(self) -> Any:
        if self._empty_flow_value():
            return ""
        style = super().choose_scalar_style()
        tag = str(getattr(self.event.tag, "value", self.event.tag))
        if style == "" and tag == _STR and not plain_is_safe(self.event.value):
            return '"'
        if style == "'" and not (self.event.value == "" and self.event.implicit[0]):
            # A null written as '' becomes "null" upstream, which needs the "'".
            return '"'
        return style

    def write_plain(self, text: Any, split: Any = True) -> None:
        if not text and self._empty_flow_value() and not self.whitespace:
            self.stream.write(" ")
            self.column += 1
            return
        super().write_plain(text, split)
