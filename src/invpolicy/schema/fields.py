"""The invitation fields, as the invitation schema describes them.

What-if analysis, ``decide --interactive`` and reading a CSV file's cells need
to know, for each fact, what kind of value it holds: this reads it from the
schema rather than repeating it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from invpolicy.frozen import frozen
from invpolicy.resources import load_schema


@frozen
class Field:
    """One invitation field.

    ``kind`` is ``boolean``, ``integer``, ``number``, ``strings`` (a list of
    strings), ``choice`` (one of ``choices``) or ``string``. ``at_most`` names
    another number field that this one never exceeds (the schema's
    ``x-at-most``): when that one is known, it bounds this one.
    """

    name: str
    kind: str
    description: str
    choices: tuple[str, ...] = ()
    at_most: str | None = None
    #: The field in plain words, for people: "Have you met in person?".
    label: str = ""


@cache
def invitation_fields() -> dict[str, Field]:
    """Every field the invitation schema knows, in the schema's order."""
    schema = load_schema("invitation")
    defs = schema["$defs"]
    fields: dict[str, Field] = {}
    for name, spec in defs["invitation"]["properties"].items():
        description = spec.get("description", "")
        at_most = spec.get("x-at-most")
        label = spec.get("title") or description.rstrip(".") or name
        if "$ref" in spec:
            spec = defs[spec["$ref"].rsplit("/", 1)[1]]
        fields[name] = Field(name, _kind(spec), description, _choices(spec), at_most, label)
    return fields


def _kind(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return "choice"
    types = spec.get("type", [])
    types = [types] if isinstance(types, str) else types
    for kind in ("boolean", "integer", "number"):
        if kind in types:
            return kind
    if "array" in types:
        return "strings"
    return "string"


def _choices(spec: dict[str, Any]) -> tuple[str, ...]:
    return tuple(value for value in spec.get("enum", ()) if isinstance(value, str))


def shown(value: Any) -> str:
    """A fact's value as the explanations write it: ``true``, ``3``, ``[a, b]``."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return str(value)
