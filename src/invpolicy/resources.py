"""Where the bundled schemas and policies are, installed or in a source checkout."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The ``schemas`` or ``policies`` folder shipped with invpolicy.

    A wheel carries them inside the package; an editable install of a source
    checkout finds them at the top of the repository.
    """
    packaged = _HERE / name
    if packaged.is_dir():
        return packaged
    return _HERE.parent.parent / name


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A bundled JSON Schema, by name: ``policy`` or ``invitation``."""
    path = data_dir("schemas") / f"{name}.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def inlined_schema(name: str, definition: str | None = None) -> dict[str, Any]:
    """A bundled schema, or one of its ``$defs``, with its references inlined.

    What :func:`validator` checks with; reading it needs no jsonschema.
    """
    schema = load_schema(name)
    if definition is not None:
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    inlined: dict[str, Any] = _inlined(schema, schema.get("$defs", {}), ())
    return inlined


@cache
def validator(name: str, definition: str | None = None) -> Validator:
    """A validator for a bundled schema, or for one of its ``$defs``; built once."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(inlined_schema(name, definition))


def _inlined(node: Any, defs: dict[str, Any], within: tuple[str, ...]) -> Any:
    """``node`` with each ``$ref`` to one of ``defs`` replaced by the definition.

    Following a reference costs more than the check it leads to, for every
    invitation read; a definition that refers to itself (a condition holds
    conditions) keeps its reference.
    """
    if isinstance(node, list):
        return [_inlined(item, defs, within) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    name = ref.removeprefix("#/$defs/") if isinstance(ref, str) else None
    rest = {key: _inlined(value, defs, within) for key, value in node.items() if key != "$ref"}
    if name is None or name not in defs or name in within:
        return {"$ref": ref, **rest} if ref is not None else rest
    target = _inlined(defs[name], defs, (*within, name))
    if all(key in _ANNOTATIONS or key.startswith("x-") for key in rest):
        return {**target, **rest}
    return {**rest, "allOf": [target, *rest.get("allOf", ())]}


#: Keywords that check nothing, kept beside an inlined definition (and "x-" ones,
#: invpolicy's own annotations).
_ANNOTATIONS = {
    "$comment",
    "$defs",
    "$id",
    "$schema",
    "default",
    "description",
    "examples",
    "title",
}
