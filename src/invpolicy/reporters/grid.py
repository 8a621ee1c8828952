"""Columns of fixed widths, in a frame, written a line at a time.

A table laid out from all its rows must hold them all; :class:`Grid` is
given its widths up front and writes each row as it comes. Its frame and
padding are those of the tables the reports draw:

- :meth:`Grid.boxed`: heavy lines around the header, edges, one space each
  side of a cell (the table of ``decide``, of ``compare`` with full policy
  names, and the short tables of :mod:`invpolicy.reporters.fitted`);
- :meth:`Grid.open`: a rule under the header and no edges, one space after
  each cell (``compare`` with short keys).
"""

from __future__ import annotations

from collections.abc import Sequence

from invpolicy.reporters.frames import HEAVY_HEAD, SIMPLE_HEAD, Frame
from invpolicy.reporters.lines import cells, wrap
from invpolicy.reporters.screen import Piece, Screen


class Grid:
    """A table whose column widths are fixed before any row is written."""

    def __init__(
        self,
        screen: Screen,
        widths: Sequence[int],
        *,
        frame: Frame,
        padding: tuple[int, int] = (1, 1),
        edge: bool = True,
        right: Sequence[int] = (),
    ) -> None:
        self.screen = screen
        self.out = screen.file
        self.widths = list(widths)
        self.edge = edge
        self._right = set(right)
        self._frame = frame = frame.for_encoding(screen.ascii_only)
        before, after = " " * padding[0], " " * padding[1]
        self._padded = [width + sum(padding) for width in self.widths]
        self._blank = [" " * width for width in self.widths]
        outer = ("", "") if not edge else (frame.head_left, frame.head_right)
        self._head = (outer[0] + before, after + frame.head_vertical + before, after + outer[1])
        outer = ("", "") if not edge else (frame.mid_left, frame.mid_right)
        self._body = (outer[0] + before, after + frame.mid_vertical + before, after + outer[1])

    @classmethod
    def boxed(cls, screen: Screen, widths: Sequence[int], *, right: Sequence[int] = ()) -> Grid:
        """Heavy lines around the header, edges, a space each side of a cell."""
        return cls(screen, widths, frame=HEAVY_HEAD, right=right)

    @classmethod
    def open(cls, screen: Screen, widths: Sequence[int]) -> Grid:
        """A rule under the header, no edges, a space after each cell."""
        return cls(screen, widths, frame=SIMPLE_HEAD, padding=(0, 1), edge=False)

    def header(self, titles: Sequence[str]) -> None:
        """The headers, in bold, between the frame's top and its rule.

        A header wider than its column wraps; the headers are aligned on their last line.
        """
        wrapped = [wrap(title, width) for title, width in zip(titles, self.widths, strict=True)]
        height = max(len(lines) for lines in wrapped)
        cells_ = [
            [("", "")] * (height - len(lines)) + [(line, "table.header") for line in lines]
            for lines in wrapped
        ]
        lines = self._join([self.cell(i, p) for i, p in enumerate(cells_)], self._head)
        if self.edge:
            lines.insert(0, self._frame.top(self._padded))
        lines.append(self._frame.rule(self._padded, "head", edge=self.edge))
        self.out.write("\n".join(lines) + "\n")

    def cell(self, column: int, pieces: Sequence[Piece]) -> list[str]:
        """A cell's lines, styled and padded to the column's width."""
        width = self.widths[column]
        right = column in self._right
        paint = self.screen.paint
        found = []
        for text, style in pieces:
            # The padding stays outside the style: spaces that end a line can then be dropped.
            gap = " " * (width - cells(text))
            found.append(gap + paint(text, style) if right else paint(text, style) + gap)
        return found

    def row(self, cells_: Sequence[Sequence[str]]) -> None:
        """One row: each cell as :meth:`cell` gives it; short cells are filled with spaces."""
        self.out.write("\n".join(self._join(cells_, self._body)) + "\n")

    def rule(self) -> None:
        """A line between two rows."""
        self.out.write(self._frame.rule(self._padded, "row", edge=self.edge) + "\n")

    def end(self) -> None:
        """The frame's bottom, when it has edges."""
        if self.edge:
            self.out.write(self._frame.bottom(self._padded) + "\n")

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
