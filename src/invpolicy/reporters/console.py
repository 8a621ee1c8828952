"""The rich console that tables are drawn on.

On a terminal, rich pads every line of a table to its full width, which shows
nothing. Anywhere else (a pipe, a file) the padding would be trailing spaces
that ``diff``, ``grep`` and editors trip over, so they are left out there.

A reader that goes away (``invpolicy compare ... | head -3``) raises
``BrokenPipeError``, as any other write does, for the command line to end
quietly; rich's own habit (exit status 1) is not kept.
"""

from __future__ import annotations

import errno
from functools import cache
from typing import IO, TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console


def table_console(stream: IO[str], color: bool | None) -> Console:
    """A console writing to ``stream``: colour on a terminal only, unless ``color`` says.

    ``color`` None: as the stream is (a terminal or not), and none when
    ``$NO_COLOR`` is set; False: never; True: always, as on a terminal.
    """
    console: Console = _console_class()(
        file=stream,
        highlight=False,
        force_terminal=color,
        no_color=True if color is False else None,
    )
    if not console.is_terminal:
        console.file = cast(IO[str], NoTrailingSpaces(stream))
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
