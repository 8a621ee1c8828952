"""Markdown tables, and the figures as the page writes them."""

from __future__ import annotations

from collections.abc import Sequence


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int]) -> str:
    """A Markdown table, its columns padded; the columns in ``right`` aligned right."""
    cells = [list(headers), *[list(row) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)
    )
    return "\n".join([line(cells[0]), f"|{rule}|", *map(line, cells[1:])])


def us(seconds: float, size: int) -> str:
    """Microseconds per item."""
    return f"{seconds / size * 1e6:.2f}"


def rate(seconds: float, size: int) -> str:
    """Items per second."""
    return f"{size / seconds:,.0f}"


def mib(kib: int) -> str:
    """KiB as MiB."""
    return f"{kib / 1024:.1f}"


def mib_of_bytes(count: int) -> str:
    """Bytes as MiB."""
    return f"{count / 1024 / 1024:.2f}"


def count_runs(count: int) -> str:
    """The number of runs, in words: "1 run", "3 runs"."""
    return "1 run" if count == 1 else f"{count} runs"


def duration(seconds: float) -> str:
    """A duration in minutes and seconds: "11 min 20 s", "42 s"."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
