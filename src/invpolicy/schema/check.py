"""Validate a document against a JSON Schema and say what is wrong, where."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from invpolicy.errors import Problem, did_you_mean
from invpolicy.io.document import Document, JsonPath, dotted

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


def check(validator: Validator, instance: Any, doc: Document, at: JsonPath = ()) -> list[Problem]:
    """Every problem the validator finds in ``instance`` (found at ``at`` in ``doc``)."""
    problems: list[Problem] = []
    for error in validator.iter_errors(instance):
        problems.extend(_problems(error, doc, at))
    return sorted(set(problems))


_Quick = Callable[[Any], bool]


def quick_test(schema: Any) -> _Quick | None:
    """A test of ``schema``'s meaning, or None if it uses a keyword not handled here."""
    if schema is True or schema == {}:
        return lambda _instance: True
    if not isinstance(schema, Mapping):
        return None
    # "x-" keywords are annotations for invpolicy (links between facts), not assertions.
    if {keyword for keyword in schema if not keyword.startswith("x-")} - _HANDLED:
        return None
    tests: list[_Quick] = []
    for keyword, value in schema.items():
        test = _KEYWORDS[keyword](value) if keyword in _KEYWORDS else _skip
        if test is None:
            return None
        if test is not _skip:
            tests.append(test)
    return lambda instance: all(test(instance) for test in tests)


def _skip(_instance: Any) -> bool:
    return True


def _type_test(value: Any) -> _Quick:
    names = value if isinstance(value, list) else [value]
    # bool is an int to Python, never an integer or a number to JSON Schema.
    kinds = tuple(kind for name in names for kind in _TYPES.get(name, ()))
    return lambda instance: type(instance) in kinds


def _properties_test(value: Mapping[str, Any]) -> _Quick | None:
    tests = {name: quick_test(schema) for name, schema in value.items()}
    if any(test is None for test in tests.values()):
        return None
    known: dict[str, _Quick] = {name: test for name, test in tests.items() if test is not None}

    def test(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        for key, item in instance.items():
            check = known.get(key)
            if check is not None and not check(item):
                return False
        return True

    return test


def _items_test(value: Any) -> _Quick | None:
    each = quick_test(value)
    if each is None:
        return None
    return lambda instance: not isinstance(instance, list) or all(each(i) for i in instance)


def _enum_test(value: list[Any]) -> _Quick | None:
    if any(isinstance(choice, list | dict) for choice in value):
        return None  # [1] == [True] to Python, not to JSON Schema
    choices = [(type(choice), choice) for choice in value]
    return lambda instance: (type(instance), instance) in choices


def _pattern_test(value: str) -> _Quick:
    pattern = re.compile(value)
    return lambda instance: not isinstance(instance, str) or pattern.search(instance) is not None


_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}
_KEYWORDS: dict[str, Callable[[Any], _Quick | None]] = {
    "type": _type_test,
    "properties": _properties_test,
    "items": _items_test,
    "enum": _enum_test,
    "pattern": _pattern_test,
    "required": lambda names: lambda i: not isinstance(i, dict) or all(n in i for n in names),
    "additionalProperties": lambda allowed: _skip if allowed is True else None,
    "minLength": lambda least: lambda i: not isinstance(i, str) or len(i) >= least,
    "minimum": lambda least: lambda i: type(i) not in (int, float) or i >= least,
}
#: What a quick test reads: its keywords, and those that check nothing.
_HANDLED = {*_KEYWORDS, "$comment", "$defs", "$id", "$schema", "default", "description", "title"}


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
    elif kind in _as_mapping(schema.get("x-messages")):
        # The schema words this error for people (a condition's single key...).
        got = ""
        if kind == "type":
            kind_of = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
            got = f"; got {kind_of} ({shown(error.instance)})"
        message = f"{prefix}{schema['x-messages'][kind]}{got}"
    elif kind == "type":
        expected = value if isinstance(value, list) else [value]
        wanted = " or ".join(t for t in expected if t != "null")
        got = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
        message = f"{prefix}expected {wanted}, got {got} ({shown(error.instance)})"
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
