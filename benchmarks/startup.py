"""Start-up: the commands a person runs dozens of times, against ``python -c pass``.

Each command's wall time is the median of several runs, the commands taking
turns, on a warm cache of compiled policies (its own folder, filled by an
untimed first run). Where its time goes is measured apart, with
``python -X importtime``: the time spent importing, module by module, added up
by the package each module belongs to.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import measure
from figures import table
from targets import Target, goal, verdict

PYTHON = "Python alone"
CLICK = "click alone"
#: Each command's target and goal, as a multiple of ``python -c pass``.
LIMITS: dict[str, tuple[float, float | None]] = {
    "version": (4.0, None),
    "compare, 1 invitation": (6.0, 4.0),
    "validate, 1 policy": (6.0, None),
    "policies": (6.0, None),
}
#: The packages whose import time is shown apart; the rest is Python's own.
PACKAGES = (
    "invpolicy",
    "click",
    "pluggy",
    "platformdirs",
    "orjson",
    "jsonschema",
    "rich",
    "ruamel",
)
OTHER = "standard library and the rest"
#: Runs of each command under ``-X importtime``: the median of each package's time.
IMPORT_RUNS = 5


@dataclass(frozen=True)
class StartUp:
    """The median wall time of one command, and its import time by package (ms)."""

    label: str
    command: str
    seconds: float
    imports: Mapping[str, float] = field(default_factory=dict)


def commands(invpolicy: str, one: Path) -> dict[str, tuple[str, list[str]]]:
    """Each command: how the page shows it, and its argv."""
    return {
        PYTHON: ("python -c pass", [sys.executable, "-c", "pass"]),
        # What any command of a click program pays before its own code runs.
        CLICK: ("python -c 'import click'", [sys.executable, "-c", "import click"]),
        "version": ("invpolicy --version", [invpolicy, "--version"]),
        "compare, 1 invitation": (
            f"invpolicy compare {one.name} -p strong-ties-only",
            [invpolicy, "compare", str(one), "-p", "strong-ties-only"],
        ),
        "compare, no cache": (
            f"invpolicy compare {one.name} -p strong-ties-only --no-cache",
            [invpolicy, "compare", str(one), "-p", "strong-ties-only", "--no-cache"],
        ),
        "validate, 1 policy": (
            "invpolicy validate strong-ties-only",
            [invpolicy, "validate", "strong-ties-only"],
        ),
        "policies": ("invpolicy policies", [invpolicy, "policies"]),
    }


def measure_startup(
    invpolicy: str, one: Path, workdir: Path, runs: int, note: Callable[[str], None]
) -> list[StartUp]:
    """Time each command (median of ``runs``), then find where its imports go."""
    cache = workdir / "cache"
    environment = {"INVPOLICY_CACHE_DIR": str(cache)}
    found = commands(invpolicy, one)
    note(f"Timing start-up, {runs} runs of each command...")
    for _, argv in found.values():
        # Once untimed: fill the cache, warm the file caches, compile the bytecode.
        measure.run_child(argv, environment=environment)
    medians = measure.median_seconds(
        {label: argv for label, (_, argv) in found.items()}, runs, environment=environment
    )
    note(f"Import times, {IMPORT_RUNS} runs of each command under python -X importtime...")
    return [
        StartUp(label, shown, medians[label], import_times(argv, environment))
        for label, (shown, argv) in found.items()
    ]


_LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)")


#: The key of :func:`parse_importtime`'s result that counts the modules imported.
MODULES = "modules"


def parse_importtime(stderr: str) -> dict[str, float]:
    """``-X importtime``'s report, each module's own time (µs) added up by package, in ms;
    and under :data:`MODULES`, how many modules were imported."""
    totals: dict[str, float] = {MODULES: 0}
    for line in stderr.splitlines():
        matched = _LINE.match(line)
        if matched is None:
            continue
        top = matched.group(2).split(".")[0]
        package = top if top in PACKAGES else OTHER
        totals[package] = totals.get(package, 0.0) + int(matched.group(1)) / 1000
        totals[MODULES] += 1
    return totals


def import_times(argv: Sequence[str], environment: Mapping[str, str]) -> dict[str, float]:
    """The median, over :data:`IMPORT_RUNS` runs, of each package's import time (ms)."""
    if argv[0] == sys.executable:
        command = [sys.executable, "-X", "importtime", *argv[1:]]
    else:  # the console script: a Python file, run by this interpreter
        command = [sys.executable, "-X", "importtime", *argv]
    runs: list[dict[str, float]] = []
    env = {**measure.child_environment(), **environment}
    for _ in range(IMPORT_RUNS):
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, check=False, timeout=120
        )
        runs.append(parse_importtime(done.stderr))
    names = {name for run in runs for name in run}
    return {name: statistics.median(run.get(name, 0.0) for run in runs) for name in names}


def startup_table(startup: Sequence[StartUp]) -> str:
    base = startup[0].seconds
    rows = []
    for s in startup:
        limits = LIMITS.get(s.label)
        wanted = "" if limits is None else f"at most {limits[0]:g}x"
        if limits is not None and limits[1] is not None:
            wanted += f" (goal {limits[1]:g}x)"
        rows.append(
            [
                s.label,
                f"`{s.command}`",
                f"{s.seconds * 1000:.1f}",
                f"{s.seconds / base:.2f}",
                wanted,
            ]
        )
    return table(["", "command", "median ms", "x `python -c pass`", "target"], rows, right=[2, 3])


def imports_table(startup: Sequence[StartUp]) -> str:
    """Each command's import time, by package (ms): where its start-up goes."""
    shown = [name for name in (*PACKAGES, OTHER) if any(name in s.imports for s in startup)]
    rows = []
    for s in startup:
        total = sum(value for name, value in s.imports.items() if name != MODULES)
        cells = [f"{s.imports[name]:.1f}" if s.imports.get(name) else "-" for name in shown]
        rows.append([s.label, f"{s.imports.get(MODULES, 0):.0f}", f"{total:.1f}", *cells])
    headers = ["", MODULES, "all imports", *shown]
    return table(headers, rows, right=list(range(1, len(headers))))


def targets(startup: Sequence[StartUp]) -> list[Target]:
    """A target for each command that has one, against ``python -c pass``."""
    base = startup[0].seconds
    found = []
    for s in startup[1:]:
        limits = LIMITS.get(s.label)
        if limits is None:
            continue
        limit, aim = limits
        ratio = s.seconds / base
        aimed = f" (goal {aim:g}x)" if aim is not None else ""
        line = (
            f"`{s.command}` at most {limit:g}x `python -c pass`{aimed}: "
            f"{ratio:.2f}x, {verdict(ratio, limit)}{goal(ratio, aim)}."
        )
        what = f"start-up, {s.label}, ÷ `python -c pass`"
        wanted = f"at most {limit:g}x" + (f" (goal {aim:g}x)" if aim is not None else "")
        found.append(Target(line, what, f"{ratio:.2f}x", wanted, ratio <= limit))
    return found


TEXT = """\
The wall time of each command, from its start to its exit, as a child of a
small Python process that times it: the median of {runs}, the commands taking
turns, after one untimed run of each, which fills the cache of compiled
policies (a folder of the benchmark's own), warms the file caches and compiles
the bytecode. Python's bytecode cache is on, as by default, even where
`PYTHONDONTWRITEBYTECODE` is set (otherwise an editable install would compile
its modules at every start, and the figure would time the compiler).
`python -c pass` starts the interpreter alone, which every Python command
pays; `invpolicy` is the executable installed beside the interpreter that runs
the benchmark. `compare` reads one invitation from a JSON Lines file, decides
it with one policy, and prints the table; with `--no-cache`, it reads and
checks the policy file as if for the first time."""

IMPORTS_TEXT = """\
Where the time goes: each command, {runs} under `python -X importtime`:
how many modules it imports, and each module's own import time added up by the
package it belongs to (the median of the runs, in ms; `-X importtime` slows
imports down, so these add up to more than the wall times above allow).
"invpolicy" is its own modules, the built-in criteria and reply generators
among them; the installed plugins' modules count with the rest. A warm
`compare` needs neither jsonschema (imported only when an input has a problem
to explain) nor ruamel.yaml (the policies come from the cache; the invitations
are JSON Lines), and its table, written into a pipe, is plain text drawn
without rich (imported only to paint styles on a terminal). `--version` alone
is answered before click is imported.

What stands in the way of the targets: first, click. Importing it and what it
needs (`inspect`, `typing`, `enum`, `uuid`, `datetime`) is the "click alone"
row, about four times `python -c pass` on its own, which every command of a
click program pays before its own code runs: the goal of 4x for `compare` is
out of reach for any click command, and 6x leaves about two `python -c pass`
for reading the cache, the plugins and the input, deciding and drawing. Then
the number of modules a command imports, each read from its bytecode file and
run, as the table above counts them: an immutable class costs about 0.4 ms to
define even with `@frozen` (its `__init__`, `__setattr__` and `__delattr__`
are still compiled for each class; 0.7 ms with `@dataclass(frozen=True)`,
measured apart), and the modules on the way to a decision define some forty.
Meeting 6x would take a start-up path of far fewer modules: the readers of
LinkedIn's export and of messages imported only for those inputs, and the
model's classes defined without compiling methods."""
