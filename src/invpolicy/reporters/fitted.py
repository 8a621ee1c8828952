"""Short tables laid out from all their rows, fitted to the screen's width.

The agreement matrix of ``compare``, the lists of ``policies`` and
``plugins`` and the regions of ``diff`` are a few rows each: every cell is
measured first, then each column gets its widest line. When the table is
wider than the screen, the widest columns are narrowed first, down to the
next widest, until it fits (as rich lays out its tables); what does not fit
a column wraps inside it, so that nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from invpolicy.reporters.frames import HEAVY_HEAD, Frame
from invpolicy.reporters.grid import Grid
from invpolicy.reporters.lines import cells, wrap
from invpolicy.reporters.screen import Piece, Screen

#: A cell: its lines, each with a style; a line longer than the column wraps.
Cell = Sequence[Piece]


def draw_table(
    screen: Screen,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    title: str = "",
    frame: Frame = HEAVY_HEAD,
    padding: tuple[int, int] = (1, 1),
    right: Sequence[int] = (),
    keep: Sequence[int] = (),
    least: Mapping[int, int] | None = None,
    lines: bool = False,
) -> None:
    """The table: ``title`` above it, ``headers`` in bold, ``rows`` fitted to the screen.

    ``lines`` draws a rule between rows; ``right`` are the columns aligned
    right; ``keep`` those never narrowed (numbers, which a cut would change),
    and ``least`` the narrowest some others may get (1 for the rest): when
    that does not fit, the table is wider than the screen.
    """
    count = len(headers)
    natural = [cells(header) for header in headers]
    for row in rows:
        for column, cell in enumerate(row):
            for text, _ in cell:
                widest = max((cells(line) for line in text.expandtabs(8).split("\n")), default=0)
                natural[column] = max(natural[column], widest)
    natural = [max(width, 1) for width in natural]
    # The edges, the lines between columns and the padding are not the cells'.
    room = screen.width - 2 - (count - 1) - sum(padding) * count
    least = least or {}
    minimums = [
        natural[column] if column in keep else min(least.get(column, 1), natural[column])
        for column in range(count)
    ]
    widths = fit(natural, room, minimums)
    grid = Grid(screen, widths, frame=frame, padding=padding, right=right)
    if title:
        screen.print(title, "table.title")
    grid.header(headers)
    for number, row in enumerate(rows):
        if lines and number:
            grid.rule()
        grid.row(
            [
                grid.cell(column, [(line, style) for text, style in cell for line in wrap(text, w)])
                for column, (cell, w) in enumerate(zip(row, widths, strict=True))
            ]
        )
    grid.end()


def fit(widths: Sequence[int], room: int, minimums: Sequence[int] = ()) -> list[int]:
    """``widths`` narrowed to add up to at most ``room``: the widest first, down to the next.

    No column goes below its minimum (1 unless ``minimums`` says): when even
    that is too wide, the widths that result add up to more than ``room``.
    """
    widths = list(widths)
    low = list(minimums) or [1] * len(widths)
    excess = sum(widths) - room
    while excess > 0:
        free = [width for width, least in zip(widths, low, strict=True) if width > least]
        if not free:
            break
        widest = max(free)
        second = max((width for width in free if width != widest), default=0)
        shares = [
            1 if width == widest and width > least else 0
            for width, least in zip(widths, low, strict=True)
        ]
        most = [
            min(widest - second, width - least) for width, least in zip(widths, low, strict=True)
        ]
        narrowed = _reduce(excess, shares, most, widths)
        if narrowed == widths:
            break
        widths = narrowed
        excess = sum(widths) - room
    return widths


def _reduce(total: int, shares: list[int], most: list[int], values: list[int]) -> list[int]:
    """``total`` taken from ``values`` in proportion to ``shares``, at most ``most`` from each."""
    shares = [share if limit > 0 else 0 for share, limit in zip(shares, most, strict=True)]
    left, remaining = sum(shares), total
    result = []
    for share, limit, value in zip(shares, most, values, strict=True):
        if share and left > 0:
            taken = min(limit, round(share * remaining / left))
            result.append(value - taken)
            remaining -= taken
            left -= share
        else:
            result.append(value)
    return result
