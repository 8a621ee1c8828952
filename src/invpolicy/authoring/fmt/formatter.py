"""Give policy and test files one canonical layout, keeping every comment.

The layout, the same for every file:

* keys in a fixed order (``format, name, extends, title...`` at the top, ``id,
  description, when, decision, reply`` in a rule...; see the ``*_ORDER``
  tuples in :mod:`invpolicy.authoring.fmt.order`); keys fmt does not know keep their place
  after the known ones, and free mappings (criterion parameters, reply
  parameters, facts) keep the author's order; list items are never reordered;
* two spaces per level, list dashes indented by two under their key;
* strings plain wherever both YAML 1.2 and YAML 1.1 read them back as the
  same string, otherwise in double quotes (``"yes"``, ``"off"``, ``"12:30"``,
  ``"0b101"``, ``"1_000"`` stay quoted: YAML 1.1 tools read them as booleans
  and numbers); folded (``>-``) and literal (``|``) blocks stay blocks, with
  the author's line breaks: fmt never re-wraps prose;
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
Only regular files are read, and a read-only file is never rewritten. In a
folder, only policy and test files are formatted (:func:`is_policy_or_test`).
"""

from __future__ import annotations

import codecs
import difflib
import io
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from invpolicy.authoring.fmt.comments import Lines, comment_roles, lost_comment, tidy
from invpolicy.authoring.fmt.order import RULE_ORDER, SIGNAL_ORDER, canonical, order_lines, targets
from invpolicy.authoring.fmt.style import layout_yaml, leave_empty
from invpolicy.errors import InvpolicyError, Problem
from invpolicy.frozen import frozen
from invpolicy.io.atomic import atomic_write
from invpolicy.io.files import read_text
from invpolicy.io.safeload import parse_document
from invpolicy.loading.catalog import is_yaml_file
from invpolicy.loading.testfile import is_test_file


class NotPolicyFile(Exception):
    """A file found in a folder that is not a policy or a test file: ``fmt`` leaves it alone."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@frozen
class Found:
    """A file for ``fmt``: named on the command line, or found in a folder (``in_folder``)."""

    path: Path
    in_folder: bool = False


@frozen
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


def format_text(text: str, shown: str = "<text>", *, only_policies: bool = False) -> str:
    """Return ``text`` (a policy or a ``*.test.yaml`` file) in the canonical layout.

    ``shown`` names the file in errors, and a name ending in ``.test.yaml`` or
    ``.test.yml`` marks a test file. Raises :class:`InvpolicyError` for a file
    the safe loader refuses, or that is not a mapping. A leading byte-order
    mark and CRLF line endings are kept. With ``only_policies``, raises
    :class:`NotPolicyFile` for a text that is not a policy or a test file.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    crlf = "\r\n" in body
    out = _format(body.replace("\r\n", "\n"), shown, only_policies)
    return bom + (out.replace("\n", "\r\n") if crlf else out)


def is_policy_or_test(data: Any, name: str) -> bool:
    """Whether a file named ``name`` holding ``data`` is a policy or a test file.

    A test file as :func:`~invpolicy.loading.testfile.is_test_file` says, or
    a mapping with ``format`` and ``name`` or ``extends`` (a policy).
    """
    if is_test_file(name, data):
        return True
    return isinstance(data, dict) and "format" in data and ("name" in data or "extends" in data)


#: A top-level key of a policy or a test file, at the start of a line.
_TOP_KEY = re.compile(r"^[\"']?(format|name|extends|policy|examples)[\"']?[ \t]*:", re.MULTILINE)


def _looks_like_policy(text: str, name: str) -> bool:
    """:func:`is_policy_or_test` for a text the safe loader refuses, by its top-level keys."""
    return is_policy_or_test(dict.fromkeys(_TOP_KEY.findall(text)), name)


def preview_file(path: str | Path, *, only_policies: bool = False) -> Formatted:
    """Read and format ``path`` without writing anything.

    Only a regular file is read (a pipe could block for ever). With
    ``only_policies`` (a file found in a folder), raises :class:`NotPolicyFile`
    for a file that is not a policy or a test file, or that cannot be read as
    text and is not named as a test file.
    """
    path = Path(path)
    if not _is_regular(path):
        raise InvpolicyError(Problem(str(path), 1, 1, "not a regular file"))
    try:
        old = read_text(path)
    except InvpolicyError as exc:
        if only_policies and not is_test_file(path):
            raise NotPolicyFile(path, exc.problems[0].message) from None
        raise
    try:
        with path.open("rb") as stream:
            if stream.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
                old = "\ufeff" + old
    except OSError:  # pragma: no cover - read_text just opened it
        pass
    return Formatted(path, old, format_text(old, str(path), only_policies=only_policies))


def write_formatted(formatted: Formatted) -> None:
    """Replace the file with its formatted text, atomically, if it changes.

    A file whose owner may not write it (``chmod a-w``) is refused, even when
    the user could replace it anyway (root, or a writable folder).
    """
    if not formatted.changed:
        return
    shown = str(formatted.path)
    try:
        mode = formatted.path.stat().st_mode
    except OSError as exc:
        raise InvpolicyError(Problem(shown, 1, 1, f"cannot write: {exc.strerror}")) from None
    if not mode & stat.S_IWUSR:
        raise InvpolicyError(Problem(shown, 1, 1, "read-only file: not changed"))
    try:
        atomic_write(formatted.path, formatted.new)
    except OSError as exc:
        raise InvpolicyError(Problem(shown, 1, 1, f"cannot write: {exc.strerror}")) from None


def format_file(path: str | Path) -> bool:
    """Give ``path`` the canonical layout, in place; return whether it changed."""
    formatted = preview_file(path)
    write_formatted(formatted)
    return formatted.changed


def yaml_files(paths: Iterable[str | Path]) -> tuple[list[Found], list[Problem]]:
    """The files ``fmt`` considers for ``paths``, and the paths it cannot use.

    A file is taken whatever its name, except ``.json``, if it is a regular
    file; a directory gives every regular ``*.yaml`` and ``*.yml`` file under
    it, recursively, sorted, leaving out hidden files and directories (a name
    starting with a dot), each marked ``in_folder``. A file both named and
    found in a folder counts as named.
    """
    found: list[Found] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                Found(child, in_folder=True)
                for child in sorted(path.rglob("*"))
                if is_yaml_file(child)
                and not any(p.startswith(".") for p in child.relative_to(path).parts)
                and _is_regular(child)
            )
        elif not path.exists():
            problems.append(Problem(str(given), 1, 1, "no such file or directory"))
        elif path.suffix.lower() == ".json":
            problems.append(
                Problem(str(given), 1, 1, "fmt writes YAML: a .json file is left as is")
            )
        elif not _is_regular(path):
            problems.append(Problem(str(given), 1, 1, "not a regular file"))
        else:
            found.append(Found(path))
    unique: dict[Path, Found] = {}
    for item in found:
        key = item.path.resolve()
        if key not in unique or (unique[key].in_folder and not item.in_folder):
            unique[key] = item
    return list(unique.values()), problems


def _is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (after links): not a pipe, a device, a folder."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# The work: safe load, put keys in order as lines of text, let ruamel.yaml
# write the layout, then place comments and blank lines, and check the result.


def _format(text: str, shown: str, only_policies: bool = False) -> str:
    try:
        document = parse_document(text, shown)
    except InvpolicyError:
        if only_policies and not _looks_like_policy(text, shown):
            raise NotPolicyFile(Path(shown), "not YAML that fmt can read") from None
        raise
    if only_policies and not is_policy_or_test(document.data, shown):
        raise NotPolicyFile(Path(shown), "not a policy or test file")
    if not isinstance(document.data, dict):
        found = "a list" if isinstance(document.data, list) else "a single value"
        message = f"a policy or test file must be a YAML mapping of keys, not {found}"
        raise InvpolicyError(document.problem((), message))
    test_file = is_test_file(shown, document.data)
    yaml = layout_yaml()
    ordered = text
    try:
        ordered = order_lines(_without_document_start(text), yaml, test_file)
        roles = comment_roles(Lines(ordered, yaml))
        data = yaml.load(ordered)
        for mapping, order in reversed(list(targets(data, test_file))):
            for key in canonical(list(mapping), order):
                mapping.move_to_end(key)
            if order in (RULE_ORDER, SIGNAL_ORDER):
                leave_empty(mapping.get("when"))
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
