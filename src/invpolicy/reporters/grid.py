"""Columns of fixed widths, framed by a rich box and written a line at a time.

A rich ``Table`` measures every row before it draws the first, so it holds
them all; :class:`Grid` is given its widths up front and writes each row as
it comes. It draws the two frames the reports use, with rich's own box
characters (ASCII where the terminal's encoding has no others):

- ``boxed``: rich's ``HEAVY_HEAD`` with its edges, one space each side of a
  cell (the table of ``decide``, and of ``compare`` with full policy names);
- open: a rule under the header and no edges, one space after each cell
  (``compare`` with short keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from invpolicy.reporters.lines import Painter, cells

if TYPE_CHECKING:
    from rich.console import Console

#: One line of a cell: its text (at most the column's width) and its style.
Piece = tuple[str, str]


class Grid:
    """A table whose column widths are fixed before any row is written."""

    def __init__(
        self,
        console: Console,
        widths: Sequence[int],
        *,
        boxed: bool,
        right: Sequence[int] = (),
    ) -> None:
        from rich import box

        self.out: IO[str] = console.file
        self.paint = Painter(console)
        self.widths = list(widths)
        self.boxed = boxed
        self._right = set(right)
        frame = (box.HEAVY_HEAD if boxed else box.SIMPLE_HEAD).substitute(console.options)
        self._box = frame
        self._blank = [" " * width for width in self.widths]
        if boxed:
            self._padded = [width + 2 for width in self.widths]
            self._head = (
                frame.head_left + " ",
                " " + frame.head_vertical + " ",
                " " + frame.head_right,
            )
            self._body = (
                frame.mid_left + " ",
                " " + frame.mid_vertical + " ",
                " " + frame.mid_right,
            )
        else:
            self._padded = [width + 1 for width in self.widths]
            # No edges; each cell is followed by a space and the box's divider (a space).
            self._head = ("", " " + frame.head_vertical, "")
            self._body = ("", " " + frame.mid_vertical, "")

    def header(self, titles: Sequence[str]) -> None:
        """The headers, in bold, between the frame's top and its rule."""
        cells_ = [[(title, "table.header")] for title in titles]
        lines = self._lines(cells_, self._head)
        if self.boxed:
            lines.insert(0, self._box.get_top(self._padded))
        lines.append(self._box.get_row(self._padded, "head", edge=self.boxed))
        self.out.write("\n".join(lines) + "\n")

    def cell(self, column: int, pieces: Sequence[Piece]) -> list[str]:
        """A cell's lines, styled and padded to the column's width."""
        width = self.widths[column]
        right = column in self._right
        return [_styled(self.paint, text, style, width, right) for text, style in pieces]

    def row(self, cells_: Sequence[Sequence[str]]) -> None:
        """One row: each cell as :meth:`cell` gives it; short cells are filled with spaces."""
        self.out.write("\n".join(self._join(cells_, self._body)) + "\n")

    def end(self) -> None:
        """The frame's bottom, when it has one."""
        if self.boxed:
            self.out.write(self._box.get_bottom(self._padded) + "\n")

    def _lines(self, pieces: Sequence[Sequence[Piece]], frame: tuple[str, str, str]) -> list[str]:
        return self._join([self.cell(i, p) for i, p in enumerate(pieces)], frame)

    def _join(self, cells_: Sequence[Sequence[str]], frame: tuple[str, str, str]) -> list[str]:
        left, between, right = frame
        height = max(len(cell) for cell in cells_)
        blank = self._blank
        return [
            left
            + between.join(cell[i] if i < len(cell) else blank[c] for c, cell in enumerate(cells_))
            + right
            for i in range(height)
        ]


def _styled(paint: Painter, text: str, style: str, width: int, right: bool) -> str:
    # The padding stays outside the style: spaces that end a line can then be dropped.
    gap = " " * (width - cells(text))
    return gap + paint(text, style) if right else paint(text, style) + gap
