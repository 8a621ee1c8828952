"""ruamel.yaml's composer, bounded: the cost of a file is held to its structure, as it is read.

ruamel.yaml's composer is pure Python: each value it builds costs time and
hundreds of bytes, so a 4 MB file of two million zeros would take minutes and
gigabytes before anything could check it. The composer here counts as it goes
and stops at the first value past a bound, where it is:

- nesting deeper than :data:`~invpolicy.io.limits.MAX_DEPTH` (the parser slows
  down with depth on every token);
- more than :attr:`Bounds.nodes` values in the whole document (a policy holds a
  few hundred);
- in an invitations file (``records``): more than :attr:`Bounds.record_nodes`
  values in one invitation, or more than :attr:`Bounds.non_records` items of
  the list that are not invitations at all.

An anchor set twice is refused too (ruamel.yaml only warns, then uses the second).
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.events import AliasEvent, MappingStartEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from invpolicy.io.bounds import (
    ENTRIES_BOUNDS,
    MAX_NODES,
    MAX_NON_RECORDS,
    MAX_RECORD_NODES,
    POLICY_BOUNDS,
    RECORDS_BOUNDS,
    REQUESTS_BOUNDS,
    Bounds,
    TooMuch,
)
from invpolicy.io.limits import MAX_DEPTH, TOO_DEEP

__all__ = [
    "ENTRIES_BOUNDS",
    "MAX_NODES",
    "MAX_NON_RECORDS",
    "MAX_RECORD_NODES",
    "POLICY_BOUNDS",
    "RECORDS_BOUNDS",
    "REQUESTS_BOUNDS",
    "Bounds",
    "TooMuch",
    "bounded_composer",
]


def bounded_composer(bounds: Bounds) -> type[Composer]:
    """A composer class that keeps to ``bounds``."""
    return type("BoundedComposer", (_BoundedComposer,), {"bounds": bounds})


class _BoundedComposer(Composer):
    bounds: Bounds = POLICY_BOUNDS
    nesting = 0
    nodes = 0
    #: The key at the top of a mapping document being composed ("invitations"...).
    top_key: Any = None
    record_nodes = 0
    record_depth = 0
    non_records = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.nesting += 1
        try:
            event = self.parser.peek_event()
            if self.nesting > MAX_DEPTH + 1:  # the root is at depth 0
                raise TooMuch(event.start_mark, TOO_DEEP)
            self._count(event, parent, index)
            if event.anchor in self.anchors and not isinstance(event, AliasEvent):
                first = self.anchors[event.anchor].start_mark
                duplicate = f"found duplicate anchor {event.anchor!r}"
                raise ComposerError(duplicate, first, "second occurrence", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            if self.nesting == self.record_depth:
                self.record_depth = 0
            self.nesting -= 1

    def _count(self, event: Any, parent: Any, index: Any) -> None:
        bounds = self.bounds
        self.nodes += 1
        if bounds.nodes is not None and self.nodes > bounds.nodes:
            raise TooMuch(
                event.start_mark,
                f"more than {bounds.nodes:,} values: far more than a policy holds; reading "
                "stopped here",
            )
        if not bounds.records:
            return
        if self.nesting == 2 and isinstance(parent, MappingNode):
            self.top_key = index.value if isinstance(index, ScalarNode) else None
        if self._is_record(parent):
            self.record_depth, self.record_nodes = self.nesting, 0
            if not isinstance(event, MappingStartEvent):
                self.non_records += 1
                if self.non_records > bounds.non_records:
                    raise TooMuch(
                        event.start_mark,
                        f"more than {bounds.non_records} items of the list are not "
                        "invitations (a mapping with id and name each): reading stopped here",
                    )
        elif self.record_depth and self.nesting > self.record_depth:
            self.record_nodes += 1
            if self.record_nodes > bounds.record_nodes:
                raise TooMuch(
                    event.start_mark,
                    f"more than {bounds.record_nodes:,} values in one invitation: reading "
                    "stopped here",
                )

    def _is_record(self, parent: Any) -> bool:
        """Whether the node about to be composed is an item of the invitations list."""
        if not isinstance(parent, SequenceNode):
            return False
        return self.nesting == 2 or (self.nesting == 3 and self.top_key in self.bounds.record_keys)
