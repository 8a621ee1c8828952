"""Lines of text for people, measured in terminal cells and written one at a time.

A report of many rows is written a line at a time, never laid out whole;
this module holds what its writers share:

- :func:`cells`: the width of a text on a terminal (a wide character takes
  two cells, a combining accent none).
- :func:`wrap`: text to lines of at most a width, at spaces, and a word
  longer than the width cut where it must be.
- :class:`Spool`: a section that comes after the rows, kept on a temporary
  file once it grows, so that memory does not grow with the rows.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import IO

#: A word and the spaces before it.
_WORDS = re.compile(r"\s*\S+")


def cells(text: str) -> int:
    """The width of ``text`` on a terminal, in cells."""
    if text.isascii():
        return len(text)
    return sum(_widths(text))


#: Zero-width joiner, variation selector 16 (emoji presentation), emoji skin tones.
_JOINER, _EMOJI_STYLE, _TONES = 0x200D, 0xFE0F, range(0x1F3FB, 0x1F400)
#: Hangul vowels and final consonants, which join the syllable before them.
_JAMO = (range(0x1160, 0x1200), range(0xD7B0, 0xD800))


def _widths(text: str) -> Iterator[int]:
    """The cells each character of ``text`` adds, as terminals draw them.

    An emoji sequence (people joined by a zero-width joiner, a skin tone, an
    emoji style) takes the cells of its first emoji; a decomposed Hangul
    syllable those of its first letter.
    """
    before, joined = 0, False
    for character in text:
        code = ord(character)
        if joined:
            width, joined = 0, False
        elif code == _JOINER:
            width, joined = 0, True
        elif code in _TONES and before == 2:
            width = 0
        elif code == _EMOJI_STYLE:
            width = 1 if before == 1 else 0  # a symbol drawn as an emoji: two cells
        elif code in _JAMO[0] or code in _JAMO[1]:
            width = 0
        else:
            width = _cell(character)
        if width:
            before = width
        yield width


@lru_cache(maxsize=4096)
def _cell(character: str) -> int:
    """The cells one character takes: 2 for East Asian wide ones, 0 for marks and controls."""
    code = ord(character)
    if code < 32 or 0x7F <= code < 0xA0:
        return 0
    if unicodedata.combining(character) or unicodedata.category(character) in ("Me", "Mn", "Cf"):
        return 0 if code != 0xAD else 1  # the soft hyphen shows
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def _fit(word: str, width: int) -> str:
    """The longest start of ``word`` that takes at most ``width`` cells (a mark or a
    joined character stays with the character before it)."""
    used = 0
    for index, size in enumerate(_widths(word)):
        used += size
        if used > width:
            return word[:index]
    return word


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
        line, used, start = "", 0, len(lines)
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
        if line or len(lines) == start:  # nothing left after the last piece: no empty line
            lines.append(line)
    return lines


def _chop(word: str, width: int) -> str:
    """The start of ``word`` to put on a line of ``width`` cells (one character at least).

    Up to a hyphen, an underscore or a slash when there is one in the second
    half of the line (``stock-text-`` then ``stranger``), else all that fits.
    """
    piece = word[:width] if word.isascii() else _fit(word, width) or word[:1]
    cut = max(piece.rfind(mark, 0, len(piece) - 1) for mark in "-_/")
    return piece[: cut + 1] if cut >= len(piece) // 2 else piece


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
