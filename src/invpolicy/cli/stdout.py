"""Standard output whose reader has gone (``invpolicy compare ... | head -3``)."""

from __future__ import annotations

import os
import sys


def reader_gone() -> None:
    """Send what stdout still holds to the null device, so that no flush fails again.

    Python flushes stdout once more at exit, and would print "Exception
    ignored ... BrokenPipeError" and exit 120 (the fix the Python
    documentation gives, in "Note on SIGPIPE").
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a file: nothing is flushed at exit (click's CliRunner)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
