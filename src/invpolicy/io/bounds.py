"""What a document may hold: the bounds every reader of YAML and JSON keeps to.

:mod:`invpolicy.io.composer` (the careful reader) and :mod:`invpolicy.io.fastload`
(the quick one) stop at the same bounds; this module needs no parser.
"""

from __future__ import annotations

from typing import Any

from invpolicy.frozen import frozen

#: Values in a policy (or a test file, a facts file...): the bundled policies hold a few hundred.
MAX_NODES = 20_000
#: Values in one invitation of an invitations file: its facts hold a few dozen.
MAX_RECORD_NODES = 1_000
#: Items of an invitations list that are not invitations, before reading stops.
MAX_NON_RECORDS = 100


@frozen
class Bounds:
    """What one document may hold. ``nodes`` None: no bound on the whole (a list of
    records, each bounded, may be long)."""

    nodes: int | None = MAX_NODES
    records: bool = False
    record_nodes: int = MAX_RECORD_NODES
    non_records: int = MAX_NON_RECORDS
    #: In a mapping document, the keys whose lists hold the records.
    record_keys: frozenset[str] = frozenset({"invitations"})


POLICY_BOUNDS = Bounds()
#: An invitations file: as many invitations as the file's size allows, each bounded.
RECORDS_BOUNDS = Bounds(nodes=None, records=True)
#: Facebook's friend requests: a list of small records under one of two keys.
REQUESTS_BOUNDS = Bounds(
    nodes=None,
    records=True,
    record_keys=frozenset({"received_requests_v2", "received_requests"}),
)
#: A facts file: a mapping of ids to small mappings, as many as the size allows.
ENTRIES_BOUNDS = Bounds(nodes=None)


class TooMuch(Exception):
    """A bound passed, where: the problem's place and words."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line: int = mark.line
        self.column: int = mark.column
        self.message = message
