"""fmt's comments: a YAML text read as lines, and comments put back in place.

:class:`Lines` tells what each line is and where its comment starts.
:func:`comment_roles` notes, before the rewrite, which block each comment line
belongs to and the spaces before each end-of-line comment; :func:`tidy` puts
them back after it, and :func:`lost_comment` finds a comment the rewrite lost.
"""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: Long enough that no line is ever re-wrapped.
WIDTH = 1 << 30


def all_nodes(root: Node) -> Iterator[Node]:
    """Every node of a composed tree, each once (an alias's node is shared)."""
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


def indent_of(line: str) -> int:
    """How many spaces ``line`` starts with."""
    return len(line) - len(line.lstrip())


class Lines:
    """A YAML text as lines, each with its kind and the column of its comment.

    A kind is "scalar" (a line inside a multi-line string, left as it is),
    "blank", "comment" (a whole-line comment) or "content". Lines are
    right-stripped, except inside strings.
    """

    def __init__(self, text: str, yaml: YAML) -> None:
        covered: dict[int, list[tuple[int, int]]] = {}
        for node in all_nodes(yaml.compose(text)):
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
        return next((indent_of(self.lines[n]) for n in after), 0)

    def levels_above(self, number: int) -> list[int]:
        """The indentation levels open before line ``number``, outermost first.

        They are read from the content lines above, going out one level at a
        time; a list item's line gives its dashes' columns and its content's.
        """
        levels: list[int] = []
        limit = WIDTH
        for n in range(number - 1, -1, -1):
            line, indent = self.lines[n], indent_of(self.lines[n])
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


def lost_comment(before: Lines, after: Lines) -> tuple[int, int, str] | None:
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
Roles = dict[tuple[str, str], list[int]]


def comment_roles(before: Lines) -> Roles:
    """Where each comment of ``before`` is, for :func:`tidy` to put it back (see :data:`Roles`)."""
    roles: Roles = {}
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


def tidy(text: str, yaml: YAML, roles: Roles) -> str:
    """Place comments, keep one blank line at most, strip trailing spaces.

    A comment line is indented like the line below it, unless it was indented
    deeper in the file (``roles``): then it closes the block above it, at the
    same level of that block as before. An end-of-line comment keeps the
    spaces that were before it.
    """
    page = Lines(text, yaml)
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


def _pop(roles: Roles, key: tuple[str, str], default: int) -> int:
    found = roles.get(key)
    return found.pop(0) if found else default
