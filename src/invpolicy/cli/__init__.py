"""The ``invpolicy`` command: the click group, and one module per command below it.

This is the top layer: it may import every other one, and nothing imports it.
A command is a thin layer over functions a Python user could call directly; it
turns their errors into clean messages and exit codes, never tracebacks.

The group lives in :mod:`invpolicy.cli.group`, imported by :func:`main` (and
when ``cli`` or ``COMMANDS`` is first asked of this package); ``invpolicy
--version`` alone is answered here, without importing click, which is a fifth
of a command's start-up.
"""

from __future__ import annotations

import sys
from typing import Any

from invpolicy.cli.stdout import reader_gone

__all__ = ["COMMANDS", "cli", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        if sys.argv[1:] == ["--version"]:
            from invpolicy.version import __version__

            try:
                print(f"invpolicy, version {__version__}")  # the line click's option prints
            except BrokenPipeError:
                reader_gone()
        else:
            from invpolicy.cli.group import cli

            cli(prog_name="invpolicy")
    finally:
        # A command may end with lines still in stdout's buffer: flushed here, a
        # reader that has gone (| head) is no error, and the exit status stays.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            reader_gone()


def __getattr__(name: str) -> Any:
    """The click group and its table of commands, imported when first asked for."""
    if name in ("cli", "COMMANDS", "CACHED_COMMANDS"):
        from invpolicy.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
