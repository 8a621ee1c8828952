"""Read YAML and JSON files as plain data, safely, remembering where each value was.

Policy and invitation files come from strangers. They are parsed by ruamel.yaml
into a node tree and turned into plain ``dict``/``list``/scalars here, so that:

* no tag is ever constructed into a Python object: any tag outside the core
  schema (``!!python/...``, ``!custom``, ``!!binary``...) is an error;
* duplicate keys, merge keys, too deep nesting and alias bombs are errors;
* every key and value keeps its line and column, so an error found later (by a
  JSON Schema, by a plugin) can point at the right place in the file.
"""

from __future__ import annotations

import math
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.document import Document, JsonPath
from invpolicy.io.files import Source, read_text
from invpolicy.io.limits import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    MAX_INT_BITS,
    TOO_DEEP,
    characters,
    text_problem,
)

_CORE = "tag:yaml.org,2002:"


def load_document(path: str | Source, *, allow_empty: bool = False) -> Document:
    """Read and parse a YAML or JSON file into a :class:`Document`.

    ``allow_empty`` is as for :func:`parse_document`.
    """
    shown = str(path)
    return parse_document(read_text(path), shown, allow_empty=allow_empty)


def parse_document(text: str, shown: str, *, allow_empty: bool = False) -> Document:
    """Parse YAML (or JSON, which YAML 1.2 reads) from ``text``.

    Text with no document at all (nothing, or only comments) is an error,
    unless ``allow_empty``: then the document's data is None, as for an
    empty document (``---`` alone).
    """
    kind = "JSON" if shown.lower().endswith(".json") else "YAML"
    yaml = YAML(typ="rt")
    yaml.Composer = _ShallowComposer
    try:
        root = yaml.compose(text)
    except _TooDeep as exc:
        raise InvpolicyError(Problem(shown, exc.line + 1, exc.column + 1, TOO_DEEP)) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = exc.problem or exc.context or "syntax error"
        if "another document" in what:
            what = "a second document starts here; the file must hold one document"
        raise InvpolicyError(Problem(shown, line, col, f"invalid {kind}: {what}")) from None
    except YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
        raise InvpolicyError(Problem(shown, 1, 1, f"invalid {kind}: {first}")) from None
    except RecursionError:
        raise InvpolicyError(Problem(shown, 1, 1, "nesting is too deep")) from None
    if root is None:
        if allow_empty:
            return Document(shown, None)
        raise InvpolicyError(Problem(shown, 1, 1, "file is empty"))
    return _Builder(shown).build(root)


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.line: int = mark.line
        self.column: int = mark.column


class _ShallowComposer(Composer):
    """Stops at the first node nested deeper than :data:`MAX_DEPTH`, as it is read.

    The parser slows down with depth on every token, so a file of deep
    brackets must be refused when the limit is reached, not once it is read.
    """

    nesting = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.nesting += 1
        try:
            if self.nesting > MAX_DEPTH + 1:  # the root is at depth 0
                raise _TooDeep(self.parser.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.nesting -= 1


class _Builder:
    """Turn a composed node tree into plain data and a position index."""

    def __init__(self, shown: str) -> None:
        self.doc = Document(shown, None)
        self.expanded = 0
        self.built: dict[int, Any] = {}
        #: Of each anchored value: how many values it holds, and how deep they nest.
        self.sizes: dict[int, tuple[int, int]] = {}

    def build(self, root: Any) -> Document:
        self.doc.data = self._node(root, (), 0)
        return self.doc

    def _fail(self, node: Any, message: str) -> InvpolicyError:
        mark = node.start_mark
        return InvpolicyError(Problem(self.doc.path, mark.line + 1, mark.column + 1, message))

    def _node(self, node: Any, path: JsonPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self._fail(node, TOO_DEEP)
        key = id(node)
        if key in self.built:
            # An alias: share the value already built, but count what it expands to,
            # and how deep it nests where it is used.
            count, height = self.sizes[key]
            self.expanded += count
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise self._fail(node, "aliases expand to too many values")
            if depth + height > MAX_DEPTH:
                raise self._fail(node, TOO_DEEP)
            return self.built[key]
        self.doc.value_positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            value: Any = self._mapping(node, path, depth)
        elif isinstance(node, SequenceNode):
            self._check_tag(node, "seq")
            value = [self._node(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        else:
            value = self._scalar(node)
        if node.anchor is not None:
            self.built[key] = value
            self.sizes[key] = _size(value)
        return value

    def _mapping(self, node: Any, path: JsonPath, depth: int) -> dict[str, Any]:
        self._check_tag(node, "map")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if _tag(key_node) == _CORE + "merge":
                raise self._fail(key_node, "merge keys ('<<') are not supported")
            if not isinstance(key_node, ScalarNode):
                raise self._fail(key_node, "a key must be a plain string")
            self._check_scalar_tag(key_node)
            name = characters(str(key_node.value))
            why = text_problem(name)
            if why is not None:
                raise self._fail(key_node, why)
            if name in result:
                first = self.doc.key_positions[(*path, name)]
                raise self._fail(key_node, f"duplicate key '{name}' (first at line {first[0]})")
            self.doc.key_positions[(*path, name)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[name] = self._node(value_node, (*path, name), depth + 1)
        return result

    def _check_tag(self, node: Any, expected: str) -> None:
        if _tag(node) != _CORE + expected:
            raise self._fail(node, _tag_message(_tag(node)))

    def _check_scalar_tag(self, node: Any) -> str:
        tag = _tag(node)
        if not tag.startswith(_CORE) or tag[len(_CORE) :] not in _SCALARS:
            raise self._fail(node, _tag_message(tag))
        return tag[len(_CORE) :]

    def _scalar(self, node: Any) -> Any:
        kind = self._check_scalar_tag(node)
        text: str = characters(node.value)
        why = text_problem(text)
        if why is not None:
            raise self._fail(node, why)
        if node.style == ">":
            # ruamel marks where a folded block was folded with BEL characters
            # (for round-tripping); they are not part of the text.
            text = text.replace("\a", "")
        shown = text if len(text) <= 40 else text[:37] + "..."
        try:
            return _SCALARS[kind](text)
        except OverflowError:
            message = f"'{shown}' is too large a number (more than {MAX_INT_BITS} bits)"
            raise self._fail(node, message) from None
        except ValueError:
            if kind == "float":
                raise self._fail(node, f"'{shown}' is not a finite number") from None
            raise self._fail(node, f"'{shown}' is not a valid {kind}") from None


def _tag(node: Any) -> str:
    tag = node.tag
    return str(getattr(tag, "value", tag))


def _tag_message(tag: str) -> str:
    shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
    return f"the YAML tag '{shown}' is not allowed: these files hold plain data only"


def _int(text: str) -> int:
    clean = text.replace("_", "")
    if clean.lower().lstrip("+-").startswith(("0x", "0o", "0b")):
        value = int(clean, 0)
    else:
        value = int(clean, 10)
    if value.bit_length() > MAX_INT_BITS:
        raise OverflowError(text)
    return value


def _float(text: str) -> float:
    # .inf, .nan and numbers too large for a float have no place in a policy
    # or an invitation, and JSON cannot write them.
    lowered = text.lower()
    value = math.nan if lowered.endswith((".inf", ".nan")) else float(text.replace("_", ""))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    raise ValueError(text)


_SCALARS: dict[str, Any] = {
    "str": str,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "null": lambda _text: None,
    # Dates stay text: the schemas decide what a date field accepts.
    "timestamp": str,
}


def _size(value: Any) -> tuple[int, int]:
    """How many values ``value`` holds (itself included), and how deep they nest."""
    count = height = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        count += 1
        height = max(height, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return count, height
