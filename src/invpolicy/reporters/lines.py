"""Lines for a terminal, written one at a time: styled as rich styles them, wrapped by cells.

A report of many rows cannot be one rich renderable: rich lays a table out
once it has every row, and drawing even a one-row table costs about half a
millisecond. The tables of ``decide`` and ``compare`` are written a line at
a time instead, with rich's styles, its measure of a character's width on a
terminal (``rich.cells``) and its box characters; this module holds what
they share:

- :class:`Painter`: a style's escape codes, exactly as the console would
  write them (none off a terminal, no colour under ``NO_COLOR``).
- :func:`wrap`: text to lines of at most a width, at spaces, and a word
  longer than the width cut where it must be.
- :class:`Spool`: a section that comes after the rows, kept on a temporary
  file once it grows, so that memory does not grow with the rows.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

#: A word and the spaces before it.
_WORDS = re.compile(r"\s*\S+")


def cells(text: str) -> int:
    """The width of ``text`` on a terminal, in cells."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells.

    Lines break at its line breaks and at spaces; a word wider than ``width``
    (an id, a URL) is cut into pieces so that nothing is lost. Tabs are spaces.
    """
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.expandtabs(8).split("\n"):
        if cells(paragraph) <= width:
            lines.append(paragraph)
            continue
        line, used = "", 0
        for word in _WORDS.findall(paragraph):
            size = cells(word)
            if used + size <= width:
                line, used = line + word, used + size
                continue
            if line:
                lines.append(line)
            if used:  # The spaces that led to this word end the line before it.
                word = word.lstrip()
                size = cells(word)
            while size > width:
                piece = _chop(word, width)
                lines.append(piece)
                word = word[len(piece) :]
                size = cells(word)
            line, used = word, size
        lines.append(line)
    return lines


def _chop(word: str, width: int) -> str:
    """The start of ``word`` to put on a line of ``width`` cells (one character at least).

    Up to a hyphen, an underscore or a slash when there is one in the second
    half of the line (``stock-text-`` then ``stranger``), else all that fits.
    """
    if word.isascii():
        piece = word[:width]
    else:
        from rich.cells import chop_cells

        piece = chop_cells(word, width)[0] or word[:1]
    cut = max(piece.rfind(mark, 0, len(piece) - 1) for mark in "-_/")
    return piece[: cut + 1] if cut >= len(piece) // 2 else piece


class Painter:
    """Styles as the console writes them: escape codes on a terminal, nothing elsewhere."""

    def __init__(self, console: Console) -> None:
        from rich.console import COLOR_SYSTEMS

        self._console = console
        system = console.color_system
        # A legacy Windows console takes its colours through calls, not codes: none here.
        self._system = None if system is None or console.legacy_windows else COLOR_SYSTEMS[system]
        self._codes: dict[str, tuple[str, str]] = {}

    @property
    def active(self) -> bool:
        """True when styles show (a terminal, or colour forced)."""
        return self._system is not None

    def __call__(self, text: str, style: str = "") -> str:
        """``text`` in ``style``: a rich style or theme name (``"dim"``, ``"table.header"``)."""
        if not style or not text or self._system is None:
            return text
        codes = self._codes.get(style)
        if codes is None:
            codes = self._codes[style] = self._make(style)
        return codes[0] + text + codes[1]

    def _make(self, style: str) -> tuple[str, str]:
        parsed = self._console.get_style(style)
        if self._console.no_color:
            parsed = parsed.without_color
        before, _, after = parsed.render("\0", color_system=self._system).partition("\0")
        return before, after


class Spool:
    """Text to write later: in memory up to ``limit`` characters, then on a temporary file.

    The sections that follow a table (the facts lacked, the explanations, the
    replies) list the rows again, after the summary; a large report keeps
    them on disk, not in memory. :meth:`close` removes the file.
    """

    def __init__(self, limit: int = 1 << 20) -> None:
        self._limit = limit
        self._parts: list[str] = []
        self._size = 0
        self._file: IO[str] | None = None

    def __bool__(self) -> bool:
        return self._file is not None or bool(self._parts)

    def write(self, text: str) -> None:
        """Keep ``text``, after what was kept before."""
        if self._file is not None:
            self._file.write(text)
            return
        self._parts.append(text)
        self._size += len(text)
        if self._size > self._limit:
            # Open until close(); removed then, or when the process ends.
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
            self._file.writelines(self._parts)
            self._parts = []

    def chunks(self) -> Iterator[str]:
        """Everything kept, in order, a piece at a time."""
        if self._file is None:
            yield from self._parts
            return
        self._file.seek(0)
        while chunk := self._file.read(1 << 16):
            yield chunk

    def copy_to(self, stream: IO[str]) -> None:
        """Write everything kept to ``stream``, in order."""
        for chunk in self.chunks():
            stream.write(chunk)

    def close(self) -> None:
        """Forget what was kept; the temporary file is removed."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._parts = []
