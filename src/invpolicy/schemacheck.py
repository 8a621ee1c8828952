"""Validate a document against a JSON Schema and say what is wrong, where."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from invpolicy.errors import Problem, did_you_mean
from invpolicy.source import Document, JsonPath

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    type(None): "null",
}


def dotted(path: Iterable[str | int]) -> str:
    """``("rules", 0, "when")`` -> ``rules[0].when``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def check(validator: Validator, instance: Any, doc: Document, at: JsonPath = ()) -> list[Problem]:
    """Every problem the validator finds in ``instance`` (found at ``at`` in ``doc``)."""
    problems: list[Problem] = []
    for error in validator.iter_errors(instance):
        problems.extend(_problems(error, doc, at))
    return sorted(set(problems))


def _problems(error: ValidationError, doc: Document, at: JsonPath) -> list[Problem]:
    from jsonschema.exceptions import best_match

    if error.validator in ("anyOf", "oneOf") and error.context:
        error = best_match(error.context)
    path: JsonPath = (*at, *error.absolute_path)
    where = dotted(path)
    prefix = f"{where}: " if where else ""
    kind = error.validator
    value: Any = error.validator_value
    schema = _as_mapping(error.schema)
    if kind == "additionalProperties" and value is False and isinstance(error.instance, dict):
        known = list(_as_mapping(schema.get("properties")))
        return [
            doc.problem(
                (*path, key),
                f"{prefix}unknown key '{key}'{did_you_mean(str(key), known)}",
                key=True,
            )
            for key in error.instance
            if key not in known
        ]
    if kind == "required" and isinstance(error.instance, dict):
        # jsonschema yields one error per missing key, each naming all the
        # required keys; check() drops the repeats.
        return [
            doc.problem(path, f"{prefix}missing required key '{key}'", key=True)
            for key in value
            if key not in error.instance
        ]
    if kind == "enum":
        choices = ", ".join(str(v) for v in value if v is not None)
        hint = did_you_mean(str(error.instance), [str(v) for v in value])
        message = f"{prefix}{shown(error.instance)} is not one of: {choices}{hint}"
    elif kind == "type":
        expected = value if isinstance(value, list) else [value]
        wanted = " or ".join(t for t in expected if t != "null")
        got = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
        message = f"{prefix}expected {wanted}, got {got} ({shown(error.instance)})"
    elif kind in _as_mapping(schema.get("x-messages")):
        # The schema words this error for people (a condition's single key...).
        message = f"{prefix}{schema['x-messages'][kind]}"
    elif kind == "uniqueItems" and isinstance(error.instance, list):
        message = f"{prefix}{shown(_first_repeat(error.instance))} is listed twice"
    elif kind in ("minProperties", "maxProperties", "minItems", "maxItems") and isinstance(
        error.instance, dict | list
    ):
        noun = "key" if kind.endswith("Properties") else "item"
        bound = "at least" if kind.startswith("min") else "at most"
        plural = "" if value == 1 else "s"
        message = f"{prefix}expected {bound} {value} {noun}{plural}, got {len(error.instance)}"
    else:
        message = f"{prefix}{error.message}"
    return [doc.problem(path, message)]


def _first_repeat(items: list[Any]) -> Any:
    """The first item of ``items`` that equals an earlier one."""
    for i, item in enumerate(items):
        if item in items[:i]:
            return item
    return None


def shown(value: Any) -> str:
    """A value as the user wrote it: JSON, shortened."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
