"""``invpolicy diff``'s output: the regions where two policies disagree, as a table for
people or as Markdown (the JSON is :meth:`~invpolicy.authoring.diff.differ.Diff.to_json`)."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from invpolicy.text import inert

if TYPE_CHECKING:
    from invpolicy.authoring.diff.differ import Diff
    from invpolicy.authoring.diff.regions import Region
    from invpolicy.reporters.screen import Screen


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


def write_table(diff: Diff, screen: Screen) -> None:
    """The regions as a table, each cell wrapped to the screen's width."""
    from invpolicy.reporters.fitted import draw_table

    screen.print(inert(headline(diff)))
    if diff.equivalent:
        return
    rows = [
        [
            [(str(number), "")],
            [(inert(f"{region.a.decision} ({region.a.rule})"), "")],
            [(inert(f"{region.b.decision} ({region.b.rule})"), "")],
            [(inert(region.said()), "")],
            [(inert(witness_facts(region)), "")],
        ]
        for number, region in enumerate(diff.regions, 1)
    ]
    headers = ["#", inert(diff.a), inert(diff.b), "when", "for example"]
    draw_table(screen, headers, rows, right=[0], keep=[0], lines=True)


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
