"""Give policy and test files one canonical layout, keeping every comment.

The layout, the same for every file:

* keys in a fixed order (``format, name, extends, title...`` at the top, ``id,
  description, when, decision, reply`` in a rule...; see the ``*_ORDER``
  tuples); keys fmt does not know keep their place after the known ones, and
  free mappings (criterion parameters, reply parameters, facts) keep the
  author's order; list items are never reordered;
* two spaces per level, list dashes indented by two under their key;
* strings plain wherever YAML reads them back as the same string, otherwise in
  double quotes (and ``"yes"``, ``"no"``, ``"on"``, ``"off"``, ``"y"``, ``"n"``
  stay quoted: YAML 1.1 tools read them as booleans); folded (``>-``) and
  literal (``|``) blocks stay blocks, with the author's line breaks: fmt never
  re-wraps prose;
* flow collections (``{at_least: 1}``) stay flow and block ones stay block;
* ``null`` written out, except for a criterion without parameters, which is
  left empty (``- met_in_person:``, ``{met_in_person: }``);
* a comment line goes with the line below it (it moves with that key, and is
  indented like it), unless it is indented deeper than that line: then it
  closes the block above and stays at its level; comments above a mapping's
  first key stay at its top (at the top of the file: the header, such as the
  ``# yaml-language-server`` line, stays first); an end-of-line comment keeps
  the spaces before it; runs of blank lines become one, and there is none at
  the start or the end of the file;
* the byte-order mark and the CRLF line endings of the file are kept.

The file is parsed by the safe loader first, and the result is checked before
anything is written: same data, same comments, or an error and nothing written.
"""

from __future__ import annotations

import codecs
import difflib
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.representer import RoundTripRepresenter

from invpolicy.atomic import atomic_write
from invpolicy.errors import InvpolicyError, Problem
from invpolicy.source import parse_document, read_text

TOP_ORDER = (
    "format",
    "name",
    "extends",
    "title",
    "summary",
    "author",
    "sources",
    "language",
    "scoring",
    "rules",
    "insert",
    "replace",
    "drop",
    "reply_params",
    "examples",
)
TEST_FILE_ORDER = ("policy", "examples")
RULE_ORDER = ("id", "description", "when", "decision", "reply")
REPLY_ORDER = ("generator", "params")
SIGNAL_ORDER = ("id", "description", "when", "weight")
SOURCE_ORDER = ("article", "title", "note")
INSERTION_ORDER = ("before", "after", "rules")
EXAMPLE_ORDER = ("name", "invitation", "expect")
EXPECT_ORDER = ("decision", "rule", "generator")
INVITATION_ORDER = ("id", "name")

#: What ``fmt`` finds in a directory.
YAML_SUFFIXES = (".yaml", ".yml")
#: Long enough that no line is ever re-wrapped.
WIDTH = 1 << 30


@dataclass(frozen=True)
class Formatted:
    """A file's text as it is (``old``) and in the canonical layout (``new``)."""

    path: Path
    old: str
    new: str

    @property
    def changed(self) -> bool:
        """Whether formatting changes the file."""
        return self.old != self.new

    def diff(self, max_lines: int | None = None) -> str:
        """A unified diff from the file to its formatted text, cut after ``max_lines`` lines."""
        lines = list(
            difflib.unified_diff(
                _lf(self.old).splitlines(keepends=True),
                _lf(self.new).splitlines(keepends=True),
                str(self.path),
                f"{self.path} (formatted)",
                n=1,
            )
        )
        if max_lines is not None and len(lines) > max_lines + 2:
            rest = len(lines) - max_lines - 2
            lines = [*lines[: max_lines + 2], f"... ({rest} more diff lines)\n"]
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def format_text(text: str, shown: str = "<text>") -> str:
    """Return ``text`` (a policy or a ``*.test.yaml`` file) in the canonical layout.

    ``shown`` names the file in errors, and a name ending in ``.test.yaml`` or
    ``.test.yml`` marks a test file. Raises :class:`InvpolicyError` for a file
    the safe loader refuses, or that is not a mapping. A leading byte-order
    mark and CRLF line endings are kept.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    crlf = "\r\n" in body
    out = _format(body.replace("\r\n", "\n"), shown)
    return bom + (out.replace("\n", "\r\n") if crlf else out)


def preview_file(path: str | Path) -> Formatted:
    """Read and format ``path`` without writing anything."""
    path = Path(path)
    old = read_text(path)
    try:
        with path.open("rb") as stream:
            if stream.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
                old = "\ufeff" + old
    except OSError:  # pragma: no cover - read_text just opened it
        pass
    return Formatted(path, old, format_text(old, str(path)))


def write_formatted(formatted: Formatted) -> None:
    """Replace the file with its formatted text, atomically, if it changes."""
    if not formatted.changed:
        return
    try:
        atomic_write(formatted.path, formatted.new)
    except OSError as exc:
        shown = str(formatted.path)
        raise InvpolicyError(Problem(shown, 1, 1, f"cannot write: {exc.strerror}")) from None


def format_file(path: str | Path) -> bool:
    """Give ``path`` the canonical layout, in place; return whether it changed."""
    formatted = preview_file(path)
    write_formatted(formatted)
    return formatted.changed


def yaml_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """The files ``fmt`` formats for ``paths``, and the paths it cannot use.

    A file is taken whatever its name, except ``.json``; a directory gives
    every ``*.yaml`` and ``*.yml`` file under it, recursively, sorted, leaving
    out hidden files and directories (a name starting with a dot).
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                sorted(
                    child
                    for child in path.rglob("*")
                    if child.suffix.lower() in YAML_SUFFIXES
                    and child.is_file()
                    and not any(p.startswith(".") for p in child.relative_to(path).parts)
                )
            )
        elif not path.exists():
            problems.append(Problem(str(given), 1, 1, "no such file or directory"))
        elif path.suffix.lower() == ".json":
            problems.append(
                Problem(str(given), 1, 1, "fmt writes YAML: a .json file is left as is")
            )
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values()), problems


# The work: safe load, put keys in order as lines of text, let ruamel.yaml
# write the layout, then place comments and blank lines, and check the result.


def _format(text: str, shown: str) -> str:
    document = parse_document(text, shown)
    if not isinstance(document.data, dict):
        found = "a list" if isinstance(document.data, list) else "a single value"
        message = f"a policy or test file must be a YAML mapping of keys, not {found}"
        raise InvpolicyError(document.problem((), message))
    test_file = shown.lower().endswith((".test.yaml", ".test.yml")) or (
        "policy" in document.data and "format" not in document.data
    )
    yaml = _yaml()
    ordered = text
    try:
        ordered = _order_lines(_without_document_start(text), yaml, test_file)
        roles = _comment_roles(_Lines(ordered, yaml))
        data = yaml.load(ordered)
        for mapping, order in reversed(list(_targets(data, test_file))):
            for key in _canonical(list(mapping), order):
                mapping.move_to_end(key)
            if order in (RULE_ORDER, SIGNAL_ORDER):
                _leave_empty(mapping.get("when"))
        stream = io.StringIO()
        yaml.dump(data, stream)
        out = _tidy(stream.getvalue(), yaml, roles)
        lost = _lost_comment(_Lines(text, yaml), _Lines(out, yaml))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark if ordered == text else None
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise _cannot(shown, line, col, f": {exc.problem or exc.context}") from None
    except (YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise _cannot(shown, 1, 1, f" ({type(exc).__name__}: {exc})") from None
    if lost is not None:
        line, col, comment = lost
        message = f"fmt cannot keep the comment '{comment}' in place; file left as is"
        raise InvpolicyError(Problem(shown, line, col, message))
    try:
        same = _same(document.data, parse_document(out, shown).data)
    except InvpolicyError:
        same = False
    if not same:
        raise _cannot(shown, 1, 1, " without changing its data (a bug in invpolicy)")
    return out


def _without_document_start(text: str) -> str:
    """``text`` without its ``---`` line, which ruamel.yaml drops with the comments above it."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        rest = line[3:].strip()
        if line.startswith("---") and line[3:4] in ("", " ", "\t") and rest[:1] in ("", "#"):
            lines[number : number + 1] = [rest] if rest else []
            return "\n".join(lines)
        if line.strip() and not line.lstrip().startswith("#"):
            break
    return text


def _cannot(shown: str, line: int, col: int, why: str) -> InvpolicyError:
    message = f"fmt cannot lay out this file{why}; file left as is"
    return InvpolicyError(Problem(shown, line, col, message))


def _yaml() -> YAML:
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
#: Strings that YAML 1.2 reads as strings but YAML 1.1 tools (and people) as
#: booleans: they stay quoted. (true and false are booleans in both.)
_YAML11_BOOLEANS = frozenset(
    word
    for base in ("y", "yes", "n", "no", "on", "off")
    for word in (base, base.capitalize(), base.upper())
)


def _leave_empty(condition: Any) -> None:
    """Mark the criteria without parameters in ``condition`` (and in its parts)."""
    if not isinstance(condition, dict):
        return
    for key, value in condition.items():
        if key in ("all", "any") and isinstance(value, list):
            for part in value:
                _leave_empty(part)
        elif key == "not":
            _leave_empty(value)
        elif value is None:
            # One object each: a shared one would be written as an anchor and aliases.
            condition[key] = _Empty()


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
        if style == "" and self.event.value in _YAML11_BOOLEANS:
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


def _canonical(keys: list[str], order: Sequence[str]) -> list[str]:
    known = [k for k in order if k in keys]
    return known + [k for k in keys if k not in order]


def _child(mapping: Any, key: str) -> Any:
    if isinstance(mapping, MappingNode):
        return next((v for k, v in mapping.value if k.value == key), None)
    return mapping.get(key) if isinstance(mapping, dict) else None


def _is_map(value: Any) -> bool:
    return isinstance(value, MappingNode | dict)


def _elements(value: Any) -> list[Any]:
    if isinstance(value, SequenceNode):
        return list(value.value)
    return list(value) if isinstance(value, list) else []


def _targets(root: Any, test_file: bool) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Every mapping with a canonical key order, parents before their children.

    Works on a composed node tree and on loaded data alike.
    """
    Then = Callable[[Any], Iterator[tuple[Any, tuple[str, ...]]]] | None

    def each(parent: Any, key: str, order: tuple[str, ...], then: Then = None) -> Iterator[Any]:
        for item in _elements(_child(parent, key)):
            if _is_map(item):
                yield item, order
                if then is not None:
                    yield from then(item)

    def rule(item: Any) -> Iterator[tuple[Any, tuple[str, ...]]]:
        if _is_map(_child(item, "reply")):
            yield _child(item, "reply"), REPLY_ORDER

    def example(item: Any) -> Iterator[tuple[Any, tuple[str, ...]]]:
        for key, order in (("invitation", INVITATION_ORDER), ("expect", EXPECT_ORDER)):
            if _is_map(_child(item, key)):
                yield _child(item, key), order

    def insertion(item: Any) -> Iterator[tuple[Any, tuple[str, ...]]]:
        yield from each(item, "rules", RULE_ORDER, rule)

    yield root, TEST_FILE_ORDER if test_file else TOP_ORDER
    if not test_file:
        yield from each(root, "sources", SOURCE_ORDER)
        yield from each(root, "scoring", SIGNAL_ORDER)
        yield from each(root, "rules", RULE_ORDER, rule)
        yield from each(root, "insert", INSERTION_ORDER, insertion)
        yield from each(root, "replace", RULE_ORDER, rule)
    yield from each(root, "examples", EXAMPLE_ORDER, example)


def _order_lines(text: str, yaml: YAML, test_file: bool) -> str:
    """Put the keys of block mappings in order by moving lines of text.

    A key takes along the blank and comment lines above it, except comment
    lines indented deeper than the key, which close the value before it. All
    moves are planned on the original text, then made innermost first: each
    stays inside one chunk of the mapping around it. Flow mappings, and files
    with anchors, are left to ruamel.yaml.
    """
    root = yaml.compose(text)
    if any(node.anchor is not None for node in _nodes(root)):
        return text
    lines = text.split("\n")
    plans = [
        _plan(lines, node, order)
        for node, order in _targets(root, test_file)
        if not node.flow_style
    ]
    for plan in reversed(plans):
        if plan is not None:
            plan.apply(lines)
    return "\n".join(lines)


@dataclass(frozen=True)
class _Plan:
    """How to reorder one block mapping: its chunks of lines, in the new order."""

    col: int
    first: int
    last: int
    chunks: tuple[tuple[int, int, int], ...]  # first line, key line, last line

    def apply(self, lines: list[str]) -> None:
        prefix = lines[self.first][: self.col]
        outer = " " * _indent(prefix) if prefix.strip() else prefix
        new: list[str] = []
        for index, (start, key_line, end) in enumerate(self.chunks):
            # The comments above the new first key go above the prefix's line
            # (a list item's "- "), indented like it; the prefix goes on the key's line.
            head = lines[start:key_line]
            new.extend(outer + line.lstrip() if index == 0 and line else line for line in head)
            new.append((prefix if index == 0 else " " * self.col) + lines[key_line][self.col :])
            new.extend(lines[key_line + 1 : end + 1])
        lines[self.first : self.last + 1] = new


def _plan(lines: list[str], node: MappingNode, order: Sequence[str]) -> _Plan | None:
    keys = [k.value for k, _ in node.value]
    wanted = _canonical(keys, order)
    if wanted == keys:
        return None
    first = node.value[0][0].start_mark
    col = first.column
    if "?" in lines[first.line][:col]:
        return None
    chunks: dict[str, tuple[int, int, int]] = {}
    end = first.line - 1
    for key, value in node.value:
        mark = key.start_mark
        if mark.line <= end or mark.column != col or key.end_mark.line != mark.line:
            return None
        if chunks and lines[mark.line][:col].strip():
            return None
        start = mark.line if not chunks else end + 1
        try:
            end = max(mark.line, _last_line(value, lines))
        except _Unplaced:
            return None
        end = _closing_comments(lines, end, col)
        chunks[key.value] = (start, mark.line, end)
    return _Plan(col, first.line, end, tuple(chunks[k] for k in wanted))


def _closing_comments(lines: list[str], end: int, col: int) -> int:
    """``end``, moved down over the comment lines right after it indented deeper than ``col``."""
    while end + 1 < len(lines):
        line = lines[end + 1]
        stripped = line.lstrip()
        if not stripped.startswith("#") or len(line) - len(stripped) <= col:
            break
        end += 1
    return end


class _Unplaced(Exception):
    """An empty list item: its line is not known, so its list is not moved as text."""


def _last_line(node: Node, lines: list[str]) -> int:
    """The last line (0-based) holding part of ``node``; -1 for an empty value.

    ruamel.yaml places an empty value at the next token, which may be lines
    further down: its key's line is what counts.
    """
    if isinstance(node, ScalarNode) and node.value == "" and not node.style:
        return -1
    if isinstance(node, MappingNode) and not node.flow_style:
        return max(max(_last_line(k, lines), _last_line(v, lines)) for k, v in node.value)
    if isinstance(node, SequenceNode) and not node.flow_style:
        found = [_last_line(item, lines) for item in node.value]
        if min(found) < 0:
            raise _Unplaced
        return max(found)
    mark = node.end_mark
    last: int = mark.line if mark.column > 0 else mark.line - 1
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        # A block scalar's end takes in the blank lines after it; only kept
        # trailing newlines ("|+") are its own.
        kept = max(0, len(node.value) - len(node.value.rstrip("\n")) - 1)
        blank = 0
        while last - blank > node.start_mark.line and not lines[last - blank].strip():
            blank += 1
        last -= max(0, blank - kept)
    return max(last, int(node.start_mark.line))


def _nodes(root: Node) -> Iterator[Node]:
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


class _Lines:
    """A YAML text as lines, each with its kind and the column of its comment.

    A kind is "scalar" (a line inside a multi-line string, left as it is),
    "blank", "comment" (a whole-line comment) or "content". Lines are
    right-stripped, except inside strings.
    """

    def __init__(self, text: str, yaml: YAML) -> None:
        covered: dict[int, list[tuple[int, int]]] = {}
        for node in _nodes(yaml.compose(text)):
            if isinstance(node, ScalarNode):
                start, end = node.start_mark, node.end_mark
                for number in range(start.line, end.line + 1):
                    first = start.column if number == start.line else 0
                    last = end.column if number == end.line else WIDTH
                    covered.setdefault(number, []).append((first, last))
        self.lines = text.split("\n")
        self.kinds: list[str] = []
        self.comments: list[int] = []  # the column where a comment starts, or -1
        for number, line in enumerate(self.lines):
            ranges = covered.get(number, [])
            if (0, WIDTH) in ranges:
                self.kinds.append("scalar")
                self.comments.append(-1)
                continue
            line = self.lines[number] = line.rstrip()
            col = _comment_at(line, ranges)
            self.comments.append(col)
            if not line:
                self.kinds.append("blank")
            else:
                whole = col >= 0 and not line[:col].strip()
                self.kinds.append("comment" if whole else "content")

    def texts(self) -> list[tuple[int, int, str]]:
        """Every comment: its line and column (1-based) and its text."""
        return [(n + 1, c + 1, self.lines[n][c:]) for n, c in enumerate(self.comments) if c >= 0]

    def indent_below(self, number: int) -> int:
        """The indentation of the first content line after line ``number`` (0 if none)."""
        after = (n for n in range(number + 1, len(self.lines)) if self.kinds[n] == "content")
        return next((_indent(self.lines[n]) for n in after), 0)

    def levels_above(self, number: int) -> list[int]:
        """The indentation levels open before line ``number``, outermost first.

        They are read from the content lines above, going out one level at a
        time; a list item's line gives its dashes' columns and its content's.
        """
        levels: list[int] = []
        limit = WIDTH
        for n in range(number - 1, -1, -1):
            line, indent = self.lines[n], _indent(self.lines[n])
            if self.kinds[n] != "content" or indent >= limit:
                continue
            found = [col := indent]
            while line.startswith("- ", col) or line[col:] == "-":
                col = len(line) - len(line[col + 1 :].lstrip(" "))
                found.append(col)
            levels[:0] = [level for level in found if level < limit]
            limit = indent
        return levels


def _comment_at(line: str, ranges: list[tuple[int, int]]) -> int:
    """Column of the comment on ``line``, or -1."""
    for col, char in enumerate(line):
        if char != "#" or (col > 0 and line[col - 1] not in " \t"):
            continue
        if not any(start <= col < end for start, end in ranges):
            return col
    return -1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _lost_comment(before: _Lines, after: _Lines) -> tuple[int, int, str] | None:
    """The first comment of ``before`` that ``after`` lacks (where, and its text), if any."""
    remaining = [comment for _, _, comment in after.texts()]
    for line, col, comment in before.texts():
        if comment not in remaining:
            return line, col, comment
        remaining.remove(comment)
    return None


#: Where each comment was, by its text, in order: for a comment line, -1 if it
#: is about the line below, else the level (0 = outermost) of the block above
#: that it closes; for an end-of-line comment, the spaces before it.
_Roles = dict[tuple[str, str], list[int]]


def _comment_roles(before: _Lines) -> _Roles:
    roles: _Roles = {}
    for number, kind in enumerate(before.kinds):
        line, col = before.lines[number], before.comments[number]
        if col < 0:
            continue
        if kind == "content":
            roles.setdefault(("end", line[col:]), []).append(col - len(line[:col].rstrip()))
            continue
        role = -1
        if col > before.indent_below(number):
            levels = before.levels_above(number)
            role = max((i for i, level in enumerate(levels) if level <= col), default=-1)
        roles.setdefault(("line", line[col:]), []).append(role)
    return roles


def _tidy(text: str, yaml: YAML, roles: _Roles) -> str:
    """Place comments, keep one blank line at most, strip trailing spaces.

    A comment line is indented like the line below it, unless it was indented
    deeper in the file (``roles``): then it closes the block above it, at the
    same level of that block as before. An end-of-line comment keeps the
    spaces that were before it.
    """
    page = _Lines(text, yaml)
    out: list[str] = []
    kept = 0  # how many lines at the end of ``out`` are inside a string
    for number, kind in enumerate(page.kinds):
        line, col = page.lines[number], page.comments[number]
        kept = kept + 1 if kind == "scalar" else 0
        if kind == "blank":
            if out and out[-1].strip():
                out.append("")
            continue
        if kind == "comment":
            role = _pop(roles, ("line", line[col:]), -1)
            levels = page.levels_above(number)
            indent = levels[min(role, len(levels) - 1)] if role >= 0 and levels else -1
            line = " " * (indent if indent >= 0 else page.indent_below(number)) + line[col:]
        elif col >= 0:
            gap = _pop(roles, ("end", line[col:]), col - len(line[:col].rstrip()))
            line = line[:col].rstrip() + " " * max(gap, 1) + line[col:]
        out.append(line)
    while len(out) > kept and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def _pop(roles: _Roles, key: tuple[str, str], default: int) -> int:
    found = roles.get(key)
    return found.pop(0) if found else default


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (``1 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _lf(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n")
