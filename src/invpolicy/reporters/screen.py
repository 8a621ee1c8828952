"""Where reports for people are drawn: a stream, its width, and how styles show.

Off a terminal (a pipe, a file, colour turned off) a :class:`Screen` writes
plain text, and no drawing library is imported: lines are wrapped to the
width, styles are left out, and so are the spaces that would end a line
(``diff``, ``grep`` and editors trip over them). On a terminal, or with
colour forced, a :class:`TerminalScreen` paints each style with the escape
codes rich writes for it; rich is imported then, and only then.

Whether the stream is a terminal is decided as rich decides it
(``TTY_COMPATIBLE``, ``FORCE_COLOR``, the stream's ``isatty``), and so is the
width (``COLUMNS``, else the size of the terminal the process runs in, else
80), so that a table looks the same whichever draws it.

A reader that goes away (``invpolicy compare ... | head -3``) raises
``BrokenPipeError``, as any other write does, for the command line to end
quietly.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from functools import cache
from typing import IO, TYPE_CHECKING, Any, cast

from invpolicy.reporters.lines import cells, wrap

if TYPE_CHECKING:
    from rich.console import Console

#: One line of a cell or of a text: its text and its style (a rich style or theme name).
Piece = tuple[str, str]

#: The width when nothing says another.
DEFAULT_WIDTH = 80


class Screen:
    """Plain text on ``file``: lines of at most ``width`` cells, no styles."""

    def __init__(self, file: IO[str], width: int, *, ascii_only: bool = False) -> None:
        self.file = file
        self.width = width
        #: True when the stream's encoding cannot write box characters.
        self.ascii_only = ascii_only

    def paint(self, text: str, style: str = "") -> str:
        """``text`` as it is written in ``style``: unchanged here."""
        return text

    def print(self, text: str = "", style: str = "") -> None:
        """``text`` in ``style``, wrapped to the width, and a line break."""
        self.file.write("".join(self.paint(line, style) + "\n" for line in wrap(text, self.width)))

    def print_pieces(self, pieces: Sequence[Piece]) -> None:
        """One line of several styles, wrapped to the width when it does not fit."""
        self.file.write(self.pieces_text(pieces))

    def pieces_text(self, pieces: Sequence[Piece]) -> str:
        """What :meth:`print_pieces` writes, as text."""
        # Tabs become spaces first, as wrapping makes them, each where its column puts it.
        expanded: list[Piece] = []
        before = ""
        for part, style in pieces:
            whole = (before + part).expandtabs(8)
            expanded.append((whole[len(before.expandtabs(8)) :], style))
            before += part
        text = "".join(part for part, _ in expanded)
        if cells(text) <= self.width:
            return "".join(self.paint(part, style) for part, style in expanded) + "\n"
        lines = []
        # Each line is a stretch of ``text``: its parts keep the style of the piece they are in.
        starts, position = [], 0
        for part, _ in expanded:
            starts.append(position)
            position += len(part)
        cursor = 0
        for line in wrap(text, self.width):
            found = text.find(line, cursor) if line else -1
            begin = cursor if found < 0 else found
            end = begin + len(line)
            cursor = end
            painted = []
            for (part, style), start in zip(expanded, starts, strict=True):
                low, high = max(start, begin), min(start + len(part), end)
                if low < high:
                    painted.append(self.paint(text[low:high], style))
            lines.append("".join(painted) + "\n")
        return "".join(lines)


class TerminalScreen(Screen):
    """A terminal (or colour forced): styles painted as rich's ``console`` writes them."""

    def __init__(self, console: Console) -> None:
        from rich.console import COLOR_SYSTEMS

        super().__init__(console.file, console.width, ascii_only=console.options.ascii_only)
        self._console = console
        system = console.color_system
        # A legacy Windows console takes its colours through calls, not codes: none here.
        self._system = None if system is None or console.legacy_windows else COLOR_SYSTEMS[system]
        self._codes: dict[str, tuple[str, str]] = {}

    def paint(self, text: str, style: str = "") -> str:
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


def open_screen(stream: IO[str], color: bool | None) -> Screen:
    """The screen to draw on ``stream``: colour on a terminal only, unless ``color`` says.

    ``color`` None: as the stream is (a terminal or not), and no colour when
    ``$NO_COLOR`` is set; False: never; True: always, as on a terminal.
    """
    if is_terminal(stream, color):
        return TerminalScreen(terminal_console(stream, color))
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    plain = cast(IO[str], NoTrailingSpaces(stream))
    return Screen(plain, screen_width(), ascii_only=not encoding.startswith("utf"))


def is_terminal(stream: IO[str], color: bool | None) -> bool:
    """Whether ``stream`` is drawn on as a terminal, as rich decides it."""
    if color is not None:
        return color
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return False  # IDLE says it is a terminal, but shows escape codes as they are.
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    isatty = getattr(stream, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:  # a closed stream
        return False


def screen_width() -> int:
    """``$COLUMNS``, else the width of the terminal the process runs in, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns):
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or DEFAULT_WIDTH
        except (AttributeError, ValueError, OSError):
            continue
    return DEFAULT_WIDTH


def terminal_console(stream: IO[str], color: bool | None) -> Console:
    """A rich console writing to ``stream``, as a terminal."""
    console: Console = _console_class()(
        file=stream,
        highlight=False,
        force_terminal=color,
        no_color=True if color is False else None,
    )
    return console


@cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class TableConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, "Broken pipe") from None

    return TableConsole


class NoTrailingSpaces:
    """A text stream that writes what it is given, less the spaces that end a line.

    Spaces at the end of a write are held until it is known whether a line
    ends there (they are dropped) or text follows (they are written).
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._spaces = ""

    def write(self, text: str) -> int:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i:
                self.stream.write("\n")
                self._spaces = ""
            stripped = line.rstrip(" ")
            if stripped:
                self.stream.write(self._spaces + stripped)
                self._spaces = ""
            self._spaces += line[len(stripped) :]
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        # encoding, errors, fileno...: those of the stream.
        return getattr(self.stream, name)
