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

import re
from typing import TYPE_CHECKING, Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.bounds import POLICY_BOUNDS, Bounds, TooMuch
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
from invpolicy.io.scalars import SCALARS

if TYPE_CHECKING:
    from ruamel.yaml.error import MarkedYAMLError

_CORE = "tag:yaml.org,2002:"


def load_document(
    path: str | Source,
    *,
    allow_empty: bool = False,
    bounds: Bounds = POLICY_BOUNDS,
    quick: bool = False,
) -> Document:
    """Read and parse a YAML or JSON file into a :class:`Document`.

    ``allow_empty``, ``bounds`` and ``quick`` are as for :func:`parse_document`.
    """
    shown = str(path)
    text = read_text(path)
    return parse_document(text, shown, allow_empty=allow_empty, bounds=bounds, quick=quick)


def parse_document(
    text: str,
    shown: str,
    *,
    allow_empty: bool = False,
    bounds: Bounds = POLICY_BOUNDS,
    quick: bool = False,
) -> Document:
    """Parse YAML (or JSON, which YAML 1.2 reads) from ``text``.

    Text with no document at all (nothing, or only comments) is an error,
    unless ``allow_empty``: then the document's data is None, as for an
    empty document (``---`` alone). ``bounds`` limits the values read, as
    they are read (:mod:`invpolicy.io.composer`): a policy's by default.

    ``quick`` reads the file with a parser in C and leaves the positions for
    later (:mod:`invpolicy.io.fastload`): for files whose values are read
    without their positions unless there is a problem, such as a file of
    invitations. The data, and any problem, are the same either way.
    """
    if quick:
        from invpolicy.io.fastload import quick_data, quick_positions

        found = quick_data(text, shown, bounds)
        if found is not None:

            def locate() -> Document:
                # The positions, from the parser in C if it reads the text as the data was.
                located = quick_positions(text, shown, bounds)
                if located is not None and located.data == found[0]:
                    return located
                return parse_document(text, shown, allow_empty=allow_empty, bounds=bounds)

            return Document(shown, found[0], locate=locate)
    # ruamel.yaml is imported here, not at start-up: a command that reads no YAML
    # with positions (JSON inputs, policies from the cache) never needs it.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from invpolicy.io.composer import bounded_composer

    kind = "JSON" if shown.lower().endswith(".json") else "YAML"
    yaml = YAML(typ="rt")
    yaml.Composer = bounded_composer(bounds)
    try:
        root = yaml.compose(text)
    except TooMuch as exc:
        raise InvpolicyError(Problem(shown, exc.line + 1, exc.column + 1, exc.message)) from None
    except MarkedYAMLError as exc:
        raise InvpolicyError(_syntax_problem(exc, text, shown, kind)) from None
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


def _syntax_problem(exc: MarkedYAMLError, text: str, shown: str, kind: str) -> Problem:
    """The parser's error as a located problem, in plain words when they are known.

    The parser's own words become the problem's ``detail``. The position is
    the parser's, except where it points past the mistake: at the end of the
    file for a quote or a bracket never closed, on the next line for a line
    without its ':'. Then it is the place of the mistake.
    """
    said = _Said(exc, text)
    words = [
        f"{what} at {mark.line + 1}:{mark.column + 1}" if mark is not None else what
        for what, mark in ((said.context, said.opened), (said.problem, said.at))
        if what
    ]
    plain = _plain(said, json=kind == "JSON") or said.problem or said.context or "syntax error"
    mark = said.at or said.opened
    line, col = said.mistake() or ((mark.line, mark.column) if mark is not None else (0, 0))
    message = f"invalid {kind}: {plain}"
    return Problem(shown, line + 1, col + 1, message, detail="; ".join(words))


#: What ruamel.yaml found where it expected something else: "but found '-'", "but got ('{',)".
_FOUND = re.compile(r"but (?:found|got) \(?'(.*?)',?\)?$")
#: The longest key ruamel.yaml reads as a key (on one line, its "simple key").
_MAX_KEY = 1024
_QUOTE = "put the value in quotes"
_ESCAPES = ("found unknown escape", "expected escape sequence")
_BACKSLASH = "write '\\\\' for a backslash"
_INDENT = "this line is not indented like the lines above it"
_JSON_TEXT = "cannot start a JSON value: write text in double quotes"


class _Said:
    """What the parser said, and where, read against the text it read."""

    def __init__(self, exc: MarkedYAMLError, text: str) -> None:
        self.problem, self.context = exc.problem or "", exc.context or ""
        self.at, self.opened = exc.problem_mark, exc.context_mark
        self.found = match[1] if (match := _FOUND.search(self.problem)) else ""
        self.text = text

    def char(self, mark: Any, shift: int = 0) -> str:
        """The character at ``mark`` (``shift`` characters on), or ""."""
        index = -1 if mark is None else mark.index + shift
        return self.text[index] if 0 <= index < len(self.text) else ""

    def before(self, mark: Any) -> str:
        """What its line holds before ``mark``."""
        return self.text[self.text.rfind("\n", 0, mark.index) + 1 : mark.index] if mark else ""

    def mistake(self) -> tuple[int, int] | None:
        """Where the mistake is (0-based) when the parser points past it; else None."""
        unclosed = "end of stream" in self.problem and "quoted" in self.context
        if self.opened is not None and (
            self.problem == "could not find expected ':'"
            or self.found == "<stream end>"
            or unclosed
        ):
            return self.opened.line, self.opened.column
        backslash = self.before(self.at).rfind("\\")
        if self.problem.startswith(_ESCAPES) and backslash >= 0:
            return self.at.line, backslash  # where the escape starts
        return None


def _plain(said: _Said, *, json: bool) -> str | None:
    """Plain words for what the parser said; None: its words are kept.

    A JSON file gets JSON words where YAML's advice would mislead.
    """
    problem, found, bracket = said.problem, said.found, said.char(said.opened)
    if problem in _SCANNER_WORDS:
        return _SCANNER_WORDS[problem]
    if problem.endswith("that cannot start any token"):
        char = problem.split("'")[1]
        if char == "\\t":
            return "a tab outside the brackets: use spaces" if json else "a tab: indent with spaces"
        return f"'{char}' {_JSON_TEXT}" if json else f"'{char}' cannot start a value: {_QUOTE}"
    if problem.startswith("found undefined alias"):
        name = problem.split("'", 1)[1][:-1]
        if json:
            return f"'*' {_JSON_TEXT}"
        return f"'*{name}' refers to an anchor '&{name}' not set above: {_QUOTE} if it is text"
    if said.context.startswith("found duplicate anchor"):
        name = said.context.split("'")[1]
        first = f"first at line {said.opened.line + 1}"
        return f"the anchor '&{name}' is set a second time ({first}): give each its own name"
    if said.context.startswith(("while scanning an anchor", "while scanning an alias")):
        return f"'{bracket}' must be followed by a name: {_QUOTE} if it is text"
    if said.context == "while scanning a quoted scalar" and "end of stream" in problem:
        if json:
            return 'this string is never closed: end it with "'
        return f"this {bracket} is never closed: end the value with {bracket}"
    if problem.startswith("found unknown escape character"):
        escape = "\\" + problem.split("'")[1]
        if json:
            return f"'{escape}' is not a JSON escape: {_BACKSLASH}"
        return f"'{escape}' is not an escape: {_BACKSLASH}, or use single quotes"
    if problem.startswith("expected escape sequence of"):
        digits = problem.split()[4]
        escape = "\\" + {"2": "x", "4": "u", "8": "U"}.get(digits, "")
        return f"'{escape}' must be followed by {digits} hexadecimal digits: {_BACKSLASH}"
    if problem.startswith(("expected ',' or ']'", "expected ',' or '}'")):
        close = problem[len("expected ',' or '")]
        if found == "<stream end>":
            return f"this '{bracket}' is never closed: add '{close}' where it ends"
        key = said.before(said.at)
        if found == ":" and len(key) - 1 - max(key.rfind(c) for c in "{[,") > _MAX_KEY:
            return f"the key before this ':' is longer than {_MAX_KEY:,} characters"
        if found == "<scalar>" and close == "}":
            return "a ':' (after a key) or a ',' (between entries) is missing before this"
        where = f"line {said.opened.line + 1}, column {said.opened.column + 1}"
        return f"a ',' is missing before this, or the '{bracket}' at {where} is not closed"
    if problem.startswith("expected <block end>"):
        if found in _BLOCK_WORDS:
            return _BLOCK_WORDS[found]
        before = said.before(said.at).rstrip()
        if not before:
            return _INDENT
        if before[-1] == "'" and json:
            return "more after the closing ': JSON strings are in double quotes"
        if before[-1] in _QUOTES:
            return f"more after the closing {before[-1]}: {_QUOTES[before[-1]]}"
        return "more after the end of a value: put the whole value in quotes"
    if problem.startswith("expected '<document start>'"):
        if json:
            return "more after the end of the JSON value: the file must hold one value"
        return _INDENT if found.startswith("<block") else "more after the end of the document"
    if "another document" in problem:
        if json:
            return "a second JSON value starts here: the file must hold one value"
        return "a second document starts here: the file must hold one document"
    if problem.startswith("expected chomping or indentation indicators"):
        return "only '-', '+' or a digit may follow '|' or '>': write the text on the lines below"
    if problem.startswith("expected the node content") and found in (",", "]", "}"):
        return f"a value is missing before this '{found}'"
    if problem.startswith("expected the node content") and found == "<stream end>":
        return "the file ends where a value should be"
    return None


#: The scanner's words that need nothing from the text to be said plainly.
_SCANNER_WORDS = {
    "mapping values are not allowed here": f"a ':' inside a value: {_QUOTE}",
    "mapping keys are not allowed here": f"a '?' inside a value: {_QUOTE}",
    "sequence entries are not allowed here": (
        f"a list cannot start on the line of its key: {_QUOTE}, or write each item below "
        "it on a line of its own, indented, as '- item'"
    ),
    "could not find expected ':'": (
        "this line is not 'key: value': put ': ' after the key, or indent the line into the "
        "value above"
    ),
}
#: How to write a quote inside a value in quotes.
_QUOTES = {
    "'": "to write ' inside single quotes, double it ('')",
    '"': 'to write " inside double quotes, write \\"',
}
#: A block mapping or list ended by what cannot be in it.
_BLOCK_WORDS = {
    "-": "a list item where a key was expected: indent the list under its key",
    "?": "a 'key: value' where a list item was expected: start it with '- ', or indent it",
}


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
        # ruamel.yaml's node classes, by their id: mapping, sequence, scalar.
        if node.id == "mapping":
            value: Any = self._mapping(node, path, depth)
        elif node.id == "sequence":
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
            if key_node.id != "scalar":
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
        if not tag.startswith(_CORE) or tag[len(_CORE) :] not in SCALARS:
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
            return SCALARS[kind](text)
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
