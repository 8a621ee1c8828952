"""Long output through a pager, as git does: ``less -FRX`` on a terminal.

``-F`` makes less quit at once when the output fits on one screen (a short
report prints as usual), ``-R`` shows colours, ``-X`` leaves the output on
the screen. ``$INVPOLICY_PAGER`` names another pager (a command and its
arguments, run without a shell); empty or ``cat``, none. ``--no-pager`` turns
it off for one command. There is never a pager when stdout is not a terminal,
when the report goes to a file (``--output``), when the command asks
questions (``--interactive``), or when the pager cannot be found.

The pager starts with the first character written to stdout, so that
messages before the report (and a progress line, and an error that stops
the command before any output) go to the terminal as usual; what is written
to stderr while the pager runs waits until it is done, so that it neither
breaks into the pager's screen nor comes before the report it follows.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, TextIO, TypeVar, cast

import click

if TYPE_CHECKING:
    import subprocess

F = TypeVar("F", bound=Callable[..., Any])

#: The environment variable that names the pager.
PAGER_VARIABLE = "INVPOLICY_PAGER"
#: The pager when ``$INVPOLICY_PAGER`` is not set.
DEFAULT_PAGER = ("less", "-FRX")


def pager_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The pager to run, as a program and its arguments; None for no pager.

    ``$INVPOLICY_PAGER`` if set (empty or ``cat``: no pager), else ``less
    -FRX``. A pager that cannot be found is no pager: the output is printed
    as it is (with a warning on stderr for one ``$INVPOLICY_PAGER`` names).
    """
    # Imported here: a command that never writes to a terminal needs neither.
    import shlex
    import shutil

    environ = os.environ if environ is None else environ
    value = environ.get(PAGER_VARIABLE)
    if value is None:
        argv = list(DEFAULT_PAGER)
    else:
        try:
            argv = shlex.split(value, posix=os.name != "nt")
        except ValueError:
            argv = [value]
        if not argv or argv == ["cat"]:
            return None
    program = shutil.which(argv[0])
    if program is None:
        if value is not None:
            click.echo(
                f"Warning: {PAGER_VARIABLE}: no such program: {argv[0]}; printing without a pager",
                err=True,
            )
        return None
    return [program, *argv[1:]]


def paged(command: F) -> F:
    """Give a command ``--no-pager``, and send what it writes to a terminal through the pager.

    Goes right under ``@click.command()``. A command with ``output`` (a file
    to write) or ``interactive`` set runs without the pager.
    """

    @functools.wraps(command)
    def run(*args: Any, no_pager: bool, **kwargs: Any) -> Any:
        wanted = not (no_pager or kwargs.get("output") or kwargs.get("interactive"))
        with paging(wanted):
            return command(*args, **kwargs)

    option = click.Option(
        ["--no-pager"],
        is_flag=True,
        help=f"Print straight to the terminal, without the pager (less -FRX, or "
        f"${PAGER_VARIABLE}).",
    )
    # First in the list is last in --help: after the command's own options.
    run.__dict__.setdefault("__click_params__", []).insert(0, option)
    return cast(F, run)


@contextlib.contextmanager
def paging(wanted: bool = True) -> Iterator[None]:
    """Inside, stdout goes through the pager when ``wanted`` and stdout is a terminal.

    On leaving, waits for the pager to be closed, then prints what was written
    to stderr meanwhile. A pager closed before the end of the output (``q`` in
    less) ends the output quietly.
    """
    argv = pager_command() if wanted and _is_terminal(sys.stdout) else None
    if argv is None:
        yield
        return
    terminal, errors = sys.stdout, sys.stderr
    pager = _PagerStream(argv, terminal)
    held = _HeldStream(errors, pager)
    sys.stdout, sys.stderr = cast(IO[str], pager), cast(IO[str], held)
    try:
        yield
    except BrokenPipeError:
        if not pager.started:
            raise
    finally:
        sys.stdout, sys.stderr = terminal, errors
        pager.finish()
        held.release()


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _PagerStream:
    """Stdout while paging: starts the pager at the first write, and writes to it.

    It says it is a terminal, so that tables keep their colours and layout
    (the pager shows them on the terminal, with ``-R``).
    """

    def __init__(self, argv: list[str], terminal: TextIO) -> None:
        self.argv = argv
        self.terminal = terminal
        self.encoding = terminal.encoding
        self.errors = terminal.errors
        self.process: subprocess.Popen[bytes] | None = None
        self._target: IO[str] | None = None

    @property
    def started(self) -> bool:
        return self._target is not None

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._target is None:
            if not text:
                return 0
            self._target = self._start()
        return self._target.write(text)

    def _start(self) -> IO[str]:
        import io
        import subprocess

        self.terminal.flush()
        try:
            self.process = subprocess.Popen(self.argv, stdin=subprocess.PIPE)
        except OSError as exc:
            click.echo(f"Warning: cannot start the pager {self.argv[0]}: {exc}", err=True)
            return self.terminal
        assert self.process.stdin is not None
        return io.TextIOWrapper(self.process.stdin, encoding=self.encoding, errors=self.errors)

    def flush(self) -> None:
        if self._target is not None:
            self._target.flush()

    def isatty(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def finish(self) -> None:
        """Close the pager's input and wait until it is closed."""
        if self.process is None or self._target is None:
            return
        with contextlib.suppress(BrokenPipeError):  # the pager was closed before the end
            self._target.close()
        while True:
            try:
                self.process.wait()
                return
            except KeyboardInterrupt:
                continue  # Ctrl-C is for the pager: the terminal is its until it quits


class _HeldStream:
    """Stderr while paging: written through until the pager starts, then held.

    What is held is written by :meth:`release`, once the pager is done.
    """

    def __init__(self, stream: TextIO, pager: _PagerStream) -> None:
        self.stream = stream
        self.pager = pager
        self.encoding = stream.encoding
        self.errors = stream.errors
        self._held: list[str] = []

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.pager.started:
            self._held.append(text)
            return len(text)
        return self.stream.write(text)

    def flush(self) -> None:
        if not self.pager.started:
            self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    def release(self) -> None:
        """Write what was held."""
        if self._held:
            self.stream.write("".join(self._held))
            self._held.clear()
        self.stream.flush()
