"""The frames tables are drawn in: box characters, as text, with no library.

Each frame is eight lines of four characters, top to bottom: the top edge,
the header's edges, the rule under the header, a row's edges, the line
between rows, (unused), (unused), the bottom edge; each line gives the left
character, the horizontal one, the one where columns meet, and the right
one. A stream whose encoding is not UTF-8 gets :data:`ASCII` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal


class Frame:
    """The characters of one frame, and the lines they make for given column widths."""

    def __init__(self, lines: str, *, ascii: bool = False) -> None:
        rows = lines.split("\n")
        self.ascii = ascii
        self._top = rows[0]
        self.head_left, self.head_vertical, self.head_right = rows[1][0], rows[1][2], rows[1][3]
        self._head_rule = rows[2]
        self.mid_left, self.mid_vertical, self.mid_right = rows[3][0], rows[3][2], rows[3][3]
        self._row_rule = rows[4]
        self._bottom = rows[7]

    def for_encoding(self, ascii_only: bool) -> Frame:
        """This frame, or :data:`ASCII` where the stream cannot write box characters."""
        return ASCII if ascii_only and not self.ascii else self

    def top(self, widths: Sequence[int]) -> str:
        """The top edge over columns of ``widths`` (padding included)."""
        return _line(self._top, widths, edge=True)

    def rule(self, widths: Sequence[int], level: Literal["head", "row"], *, edge: bool) -> str:
        """The line under the header (``head``) or between rows (``row``)."""
        return _line(self._head_rule if level == "head" else self._row_rule, widths, edge=edge)

    def bottom(self, widths: Sequence[int]) -> str:
        """The bottom edge under columns of ``widths``."""
        return _line(self._bottom, widths, edge=True)


def _line(chars: str, widths: Sequence[int], *, edge: bool) -> str:
    left, horizontal, cross, right = chars[0], chars[1], chars[2], chars[3]
    middle = cross.join(horizontal * width for width in widths)
    return left + middle + right if edge else middle


#: Heavy lines around the header, light ones below: the frame of the boxed tables.
HEAVY_HEAD = Frame("┏━┳┓\n┃ ┃┃\n┡━╇┩\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘")
#: No edges, a rule under the header: the open tables.
SIMPLE_HEAD = Frame("    \n    \n ── \n    \n    \n    \n    \n    ")
#: For a stream that cannot write box characters.
ASCII = Frame("+--+\n| ||\n|-+|\n| ||\n|-+|\n|-+|\n| ||\n+--+", ascii=True)
