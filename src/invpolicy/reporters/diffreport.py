"""``invpolicy diff``'s output: the regions where two policies disagree, as a table for
people or as Markdown (the JSON is :meth:`~invpolicy.authoring.diff.differ.Diff.to_json`)."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from invpolicy.text import inert

if TYPE_CHECKING:
    from invpolicy.authoring.diff.differ import Diff
    from invpolicy.authoring.diff.regions import Region


def witness_facts(region: Region) -> str:
    """The witness's facts (not its made-up id and name), as compact JSON."""
    facts = {k: v for k, v in region.witness.items() if k not in ("id", "name")}
    shown = json.dumps(facts, ensure_ascii=False) if facts else "(no facts: all unknown)"
    if region.assumes:
        shown += "; assuming " + ", ".join(
            f"{name} {json.dumps(value)}" for name, value in region.assumes.items()
        )
    return shown


def headline(diff: Diff) -> str:
    """One line: equivalent, or in how many regions they differ."""
    if diff.equivalent:
        return f"{diff.a} and {diff.b} decide alike for every invitation."
    count = len(diff.regions)
    return (
        f"{diff.a} and {diff.b} decide differently in {count} "
        f"region{'s' if count != 1 else ''} of the invitations."
    )


def write_table(diff: Diff, stream: IO[str], color: bool | None) -> None:
    """The regions as a table, drawn by rich, each cell wrapped to the terminal."""
    from rich.table import Table
    from rich.text import Text

    from invpolicy.reporters.console import table_console

    console = table_console(stream, color)
    console.print(Text(headline(diff)))
    if diff.equivalent:
        return
    table = Table(show_lines=True)
    table.add_column("#", justify="right")
    table.add_column(diff.a)
    table.add_column(diff.b)
    table.add_column("when")
    table.add_column("for example")
    for number, region in enumerate(diff.regions, 1):
        table.add_row(
            str(number),
            Text(inert(f"{region.a.decision} ({region.a.rule})")),
            Text(inert(f"{region.b.decision} ({region.b.rule})")),
            Text(inert(region.said())),
            Text(inert(witness_facts(region))),
        )
    console.print(table)


def _md(text: str) -> str:
    return inert(text).replace("|", "\\|").replace("\n", " ")


def write_markdown(diff: Diff, stream: IO[str]) -> None:
    """The regions as Markdown: a heading, a line, and a table."""
    write = stream.write
    write(f"# {_md(diff.a)} against {_md(diff.b)}\n\n{_md(headline(diff))}\n")
    if diff.equivalent:
        return
    write(f"\n| # | {_md(diff.a)} | {_md(diff.b)} | when | for example |\n")
    write("|--:|---|---|---|---|\n")
    for number, region in enumerate(diff.regions, 1):
        cells: list[Any] = [
            number,
            f"{region.a.decision} (`{region.a.rule}`)",
            f"{region.b.decision} (`{region.b.rule}`)",
            _md(region.said()),
            f"`{_md(witness_facts(region))}`",
        ]
        write("| " + " | ".join(str(cell) for cell in cells) + " |\n")
