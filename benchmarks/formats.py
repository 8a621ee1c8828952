"""The corpus written as invitations files, in the four formats ``invpolicy compare`` reads.

Each file holds, of each invitation, only the facts that the compared policies
and their replies read (:data:`FACTS`), the way a person would write them: a
JSON array with one compact invitation a line, JSON Lines, a YAML list in block
style, and a CSV table whose columns are the facts (lists as items separated by
``;``; an empty cell is unknown, so an empty note is written as no note, which
the policies read alike). Every file of a run is a prefix of the same seeded corpus
(:func:`corpus.stream`), written in one pass, so that a million invitations
never sit in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, TextIO

import corpus
from ruamel.yaml import YAML

#: The policies that ``invpolicy compare`` and the baseline script run.
COMPARED = ("strong-ties-only", "ask-first", "common-ground")
#: What the files hold of each invitation: the facts that those policies and
#: their replies read.
FACTS = (
    "id",
    "name",
    "language",
    "met_in_person",
    "exchanges",
    "mutual_connections",
    "shared_groups",
    "common_ground",
    "message",
    "follow_up",
)
#: Each format's name on the page, by its file extension.
LABELS = {"json": "JSON array", "jsonl": "JSON Lines", "yaml": "YAML", "csv": "CSV"}


def trim(record: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of ``record`` that the files hold, in the order of :data:`FACTS`."""
    return {key: record[key] for key in FACTS if key in record}


def _compact(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class _Writer(Protocol):
    def add(self, record: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class _JsonLines:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def add(self, record: dict[str, Any]) -> None:
        self.out.write(_compact(record) + "\n")

    def close(self) -> None:
        self.out.close()


class _JsonArray:
    """``[``, one invitation a line with a comma after all but the last, ``]``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.separator = "[\n"

    def add(self, record: dict[str, Any]) -> None:
        self.out.write(self.separator + _compact(record))
        self.separator = ",\n"

    def close(self) -> None:
        self.out.write("[]\n" if self.separator == "[\n" else "\n]\n")
        self.out.close()


class _Yaml:
    """A YAML list in block style, written by ruamel.yaml's safe dumper at the end."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.records: list[dict[str, Any]] = []

    def add(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    def close(self) -> None:
        yaml = YAML(typ="safe")
        yaml.default_flow_style = False
        yaml.allow_unicode = True
        yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # id, name first
        yaml.dump(self.records, self.out)
        self.out.close()


def csv_cell(value: Any) -> str:
    """A fact as a CSV cell: ``true``/``false``, a number, a text, or a list's items.

    A list's items are separated by ``;``; a known empty list is ``;`` alone.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value) if value else ";"
    return str(value)


class _Csv:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.writer = csv.writer(out)
        self.writer.writerow(FACTS)

    def add(self, record: dict[str, Any]) -> None:
        self.writer.writerow([csv_cell(record[k]) if k in record else "" for k in FACTS])

    def close(self) -> None:
        self.out.close()


_WRITERS: dict[str, Callable[[TextIO], _Writer]] = {
    "json": _JsonArray,
    "jsonl": _JsonLines,
    "yaml": _Yaml,
    "csv": _Csv,
}


def write(plan: Mapping[Path, int], seed: int = corpus.SEED) -> dict[Path, int]:
    """Write each file of ``plan`` with the corpus's first N invitations; each file's bytes.

    ``plan`` maps a path, whose extension gives the format, to its number of
    invitations. The corpus is drawn once, for the largest file.
    """
    todo = sorted(plan.items(), key=lambda item: item[1])
    writers: list[tuple[int, _Writer]] = []
    for path, size in todo:
        # newline="" lets the csv module write its own line endings.
        out = path.open("w", encoding="utf-8", newline="")
        writers.append((size, _WRITERS[path.suffix.removeprefix(".")](out)))
    open_from = 0
    for index, record in enumerate(corpus.stream(todo[-1][1] if todo else 0, seed)):
        while writers[open_from][0] <= index:
            writers[open_from][1].close()
            open_from += 1
        trimmed = trim(record)
        for _, writer in writers[open_from:]:
            writer.add(trimmed)
    for _, writer in writers[open_from:]:
        writer.close()
    return {path: path.stat().st_size for path in plan}
