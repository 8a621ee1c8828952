"""Give policy and test files one canonical layout, keeping every comment.

The layout, the same for every file:

* keys in a fixed order (``format, name, extends, title...`` at the top, ``id,
  description, when, decision, reply`` in a rule...; see the ``*_ORDER``
  tuples in :mod:`invpolicy.fmtorder`); keys fmt does not know keep their place
  after the known ones, and free mappings (criterion parameters, reply
  parameters, facts) keep the author's order; list items are never reordered;
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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.representer import RoundTripRepresenter

from invpolicy.atomic import atomic_write
from invpolicy.errors import InvpolicyError, Problem
from invpolicy.fmtcomments import WIDTH, Lines, comment_roles, lost_comment, tidy
from invpolicy.fmtorder import RULE_ORDER, SIGNAL_ORDER, canonical, order_lines, targets
from invpolicy.source import parse_document, read_text

#: What ``fmt`` finds in a directory.
YAML_SUFFIXES = (".yaml", ".yml")


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
        ordered = order_lines(_without_document_start(text), yaml, test_file)
        roles = comment_roles(Lines(ordered, yaml))
        data = yaml.load(ordered)
        for mapping, order in reversed(list(targets(data, test_file))):
            for key in canonical(list(mapping), order):
                mapping.move_to_end(key)
            if order in (RULE_ORDER, SIGNAL_ORDER):
                _leave_empty(mapping.get("when"))
        stream = io.StringIO()
        yaml.dump(data, stream)
        out = tidy(stream.getvalue(), yaml, roles)
        lost = lost_comment(Lines(text, yaml), Lines(out, yaml))
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
