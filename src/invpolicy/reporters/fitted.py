"""Short tables laid out from all their rows, fitted to the screen's width.

The agreement matrix of ``compare``, the lists of ``policies`` and
``plugins`` and the regions of ``diff`` are a few rows each: every cell is
measured first, then each column gets its widest line. When the table is
wider than the screen, the widest columns are narrowed first, down to the
next widest, until it fits (as rich lays out its tables); what does not fit
a column wraps inside it, so that nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    lines: bool = False,
) -> None:
    """The table: ``title`` above it, ``headers`` in bold, ``rows`` fitted to the screen.

    ``lines`` draws a rule between rows; ``right`` are the columns aligned right.
    """
    pad = sum(padding)
    natural = [cells(header) + pad for header in headers]
    for row in rows:
        for column, cell in enumerate(row):
            for text, _ in cell:
                widest = max((cells(line) for line in text.split("\n")), default=0)
                natural[column] = max(natural[column], widest + pad)
    room = screen.width - 2 - (len(headers) - 1)  # the edges and the lines between columns
    widths = [max(width - pad, 1) for width in fit(natural, max(room, len(headers)))]
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


def fit(widths: Sequence[int], room: int) -> list[int]:
    """``widths`` narrowed to add up to at most ``room``: the widest first, down to the next.

    What that cannot take off (every column as narrow as the others) is taken
    from all of them in turn.
    """
    widths = list(widths)
    excess = sum(widths) - room
    while excess > 0:
        widest = max(widths)
        second = max((width for width in widths if width != widest), default=0)
        if widest == second or widest <= 1:
            break
        shares = [1 if width == widest else 0 for width in widths]
        widths = _reduce(excess, shares, [widest - second] * len(widths), widths)
        excess = sum(widths) - room
    if excess > 0:
        widths = _reduce(excess, [1] * len(widths), [w - 1 for w in widths], widths)
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
