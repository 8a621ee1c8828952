"""fmt's key order: which mappings have a canonical order, and putting keys in it.

The ``*_ORDER`` tuples give the order of each kind of mapping; :func:`targets`
finds those mappings in a file. :func:`order_lines` puts the keys of block
mappings in order by moving lines of text, so that each key takes its comments
and blank lines along; ruamel.yaml then writes the layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from invpolicy.authoring.fmt.comments import all_nodes, indent_of
from invpolicy.frozen import frozen

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


def canonical(keys: list[str], order: Sequence[str]) -> list[str]:
    """``keys`` in ``order``; the keys it does not name follow, in their own order."""
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


def targets(root: Any, test_file: bool) -> Iterator[tuple[Any, tuple[str, ...]]]:
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


def order_lines(text: str, yaml: YAML, test_file: bool) -> str:
    """Put the keys of block mappings in order by moving lines of text.

    A key takes along the blank and comment lines above it, except comment
    lines indented deeper than the key, which close the value before it. All
    moves are planned on the original text, then made innermost first: each
    stays inside one chunk of the mapping around it. Flow mappings, and files
    with anchors, are left to ruamel.yaml.
    """
    root = yaml.compose(text)
    if any(node.anchor is not None for node in all_nodes(root)):
        return text
    lines = text.split("\n")
    plans = [
        _plan(lines, node, order) for node, order in targets(root, test_file) if not node.flow_style
    ]
    for plan in reversed(plans):
        if plan is not None:
            plan.apply(lines)
    return "\n".join(lines)


@frozen
class _Plan:
    """How to reorder one block mapping: its chunks of lines, in the new order."""

    col: int
    first: int
    last: int
    chunks: tuple[tuple[int, int, int], ...]  # first line, key line, last line

    def apply(self, lines: list[str]) -> None:
        prefix = lines[self.first][: self.col]
        outer = " " * indent_of(prefix) if prefix.strip() else prefix
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
    wanted = canonical(keys, order)
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
