"""Clocks: in-process loops, child processes, and the machine they ran on."""

from __future__ import annotations

import datetime
import gc
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def best_times(loops: Mapping[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The shortest of ``repeat`` runs of each loop, in seconds.

    The loops take turns (one run of each, then again), so that a slow spell of
    the machine does not fall on one loop only. A full garbage collection runs
    before each run; the collector stays on while the loop runs.
    """
    best = dict.fromkeys(loops, float("inf"))
    for _ in range(repeat):
        for name, loop in loops.items():
            gc.collect()
            start = time.perf_counter()
            loop()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def each(function: Callable[[T], object], items: Sequence[T]) -> Callable[[], None]:
    """A loop calling ``function`` on every item, the results thrown away."""

    def loop() -> None:
        for item in items:
            function(item)

    return loop


class Aborted(Exception):
    """The run cannot give honest figures: a contender decides differently, a tool is missing."""


class ChildFailed(RuntimeError):
    """A command run by :func:`run_child` exited with an error.

    ``status`` is its exit status, ``stderr`` the end of what it wrote on
    standard error.
    """

    def __init__(self, argv: Sequence[str], status: int, stderr: str) -> None:
        super().__init__(f"{' '.join(argv)} failed:\n{stderr}")
        self.status = status
        self.stderr = stderr


@dataclass(frozen=True)
class ChildRun:
    """One run of a command: its wall time, and its peak resident memory."""

    seconds: float
    max_rss_kib: int


#: Starts a command, its output sent to the file named by its first argument,
#: and prints its wall time, its peak resident memory in KiB (ru_maxrss on
#: Linux) and its exit status. On Linux a process started with exec inherits,
#: in ru_maxrss, the peak of the process it replaced: started straight from the
#: harness, which holds the corpus, every command would report at least the
#: harness's size. This small process starts it instead, so that the figure is
#: the command's own.
_WRAPPER = """\
import os, sys, time
flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
output = [(os.POSIX_SPAWN_OPEN, 1, sys.argv[1], flags, 0o644)]
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ, file_actions=output)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_child(
    argv: Sequence[str],
    *,
    stdout: Path | None = None,
    environment: Mapping[str, str] | None = None,
) -> ChildRun:
    """Run ``argv``: its wall time and its own peak memory.

    Its standard output goes to the file ``stdout`` (replaced), or is thrown
    away; ``environment`` adds variables to the harness's own. The command runs
    with Python's bytecode cache on, as by default, even where
    ``PYTHONDONTWRITEBYTECODE`` is set: otherwise a command from an editable
    install would compile its modules at every start, and its time would be the
    compiler's. Raises :class:`ChildFailed`, with the end of its standard error,
    if the command fails.
    """
    env = child_environment()
    env.update(environment or {})
    output = str(stdout) if stdout is not None else os.devnull
    with tempfile.TemporaryFile() as errors:
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, output, *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            check=False,
        )
        found = done.stdout.split()
        if done.returncode != 0 or found[2] != "0":
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-2000:]
            status = int(found[2]) if done.returncode == 0 else done.returncode
            raise ChildFailed(argv, status, message)
    seconds, max_rss_kib, _ = found
    return ChildRun(float(seconds), int(max_rss_kib))


def child_environment() -> dict[str, str]:
    """The environment a command runs in: the harness's own, with the bytecode cache on."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def median_seconds(
    commands: dict[str, Sequence[str]],
    runs: int,
    *,
    environment: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """The median wall time of ``runs`` runs of each command, the commands taking turns."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(run_child(argv, environment=environment).seconds)
    return {name: statistics.median(found) for name, found in times.items()}


@dataclass(frozen=True)
class Machine:
    """What the figures were measured on."""

    cpu: str
    cores: int
    system: str
    python: str
    load: float
    date: str


def _cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    try:
        lines: Iterable[str] = cpuinfo.read_text().splitlines()
    except OSError:
        lines = ()
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return platform.processor() or "unknown"


def machine() -> Machine:
    """This machine, its load over the last minute, and the time now."""
    now = datetime.datetime.now(datetime.UTC)
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 1,
        system=platform.platform(terse=True),
        python=f"{platform.python_implementation()} {platform.python_version()}",
        load=os.getloadavg()[0],
        date=now.strftime("%Y-%m-%d %H:%M UTC"),
    )
