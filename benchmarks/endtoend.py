"""``invpolicy compare`` end to end, as a user runs it, beside a hand-written script.

Every figure comes from a child process (:func:`measure.run_child`): its wall
time and its peak resident memory. The parts, on files of the seeded corpus
written by :mod:`formats`:

- **formats**: ``compare --format json -o OUT`` on the same invitations as a
  JSON array, JSON Lines, YAML and CSV, each beside ``benchmarks/baseline.py``
  (the script one might write instead) on the same file, where the script reads
  that format; and ``--format jsonl`` on the JSON Lines file.
- **reports**: the default table (standard output to a file, ``COLUMNS=120``),
  ``--format html -o`` and ``--format json -o`` on one JSON Lines file.
- **memory**: ``--format json -o`` on a small and a ten times larger file, in
  JSON Lines and in CSV, then once on the largest JSON Lines file.

A command that refuses a file, or fails on it, is recorded with its error line
and the run goes on; the script failing, or deciding differently from the
command, stops the run (:class:`measure.Aborted`).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import formats
import measure

FORMATS_SIZE = 20_000
REPORTS_SIZE = 30_000
MEMORY_SIZES = (30_000, 300_000)
LARGEST_SIZE = 1_000_000
#: --quick multiplies every size by this.
QUICK_SCALE = 0.01
#: The terminal width the table is drawn for, so that its layout is the same everywhere.
COLUMNS = "120"
BASELINE = Path(__file__).resolve().with_name("baseline.py")
#: The input formats the baseline script reads.
SCRIPT_FORMATS = ("json", "jsonl", "yaml")
INPUT_FORMATS = ("json", "jsonl", "yaml", "csv")
MEMORY_FORMATS = ("jsonl", "csv")
REPORTS = ("json", "table", "html")


@dataclass(frozen=True)
class Sizes:
    """How many invitations each part's files hold."""

    formats: int
    reports: int
    memory: tuple[int, int]
    #: None when the largest file is left out.
    largest: int | None

    @classmethod
    def scaled(cls, scale: float, *, largest: bool = True) -> Sizes:
        """The sizes above times ``scale``, each at least 10 (the memory pair ten apart)."""

        def times(size: int, least: int = 10) -> int:
            return max(least, round(size * scale))

        small = times(MEMORY_SIZES[0])
        return cls(
            formats=times(FORMATS_SIZE),
            reports=times(REPORTS_SIZE),
            memory=(small, times(MEMORY_SIZES[1], least=10 * small)),
            largest=times(LARGEST_SIZE) if largest else None,
        )


@dataclass(frozen=True)
class File:
    """An invitations file given to the commands."""

    format: str
    size: int
    bytes: int = 0

    @property
    def name(self) -> str:
        return f"invitations-{self.size}.{self.format}"

    @property
    def label(self) -> str:
        return formats.LABELS[self.format]


@dataclass(frozen=True)
class Outcome:
    """A command on one file: the shortest wall time and the largest peak of its runs.

    ``failure`` is the error line of a command that refused the file (nothing
    timed), or the last line of its traceback if it crashed (``crashed``).
    """

    file: File
    runs: int = 0
    seconds: float = 0.0
    max_rss_kib: int = 0
    #: The size of the report it wrote.
    out_bytes: int = 0
    failure: str = ""
    crashed: bool = False

    @property
    def ok(self) -> bool:
        return not self.failure


@dataclass
class EndToEnd:
    """Every figure of the end-to-end section."""

    sizes: Sizes
    repeat: int
    #: compare --format json -o, by input format.
    compare: dict[str, Outcome] = field(default_factory=dict)
    #: The baseline script, by input format.
    script: dict[str, Outcome] = field(default_factory=dict)
    #: compare --format jsonl -o on the JSON Lines file of the formats part.
    jsonl_output: Outcome | None = None
    #: The reports part, by report format.
    reports: dict[str, Outcome] = field(default_factory=dict)
    #: The memory part, by input format: on the small file, then the large one.
    memory: dict[str, tuple[Outcome, Outcome]] = field(default_factory=dict)
    largest: Outcome | None = None


@dataclass(frozen=True)
class Command:
    """A command line to time, and where its report goes."""

    argv: list[str]
    out: Path
    #: The report comes on standard output, which goes to ``out``.
    to_stdout: bool = False
    environment: Mapping[str, str] = field(default_factory=dict)
    #: Its failure stops the run (the baseline script).
    must_succeed: bool = False


_PLACE = re.compile(r"^(Error: |.+:\d+:\d+: )")


def error_line(stderr: str, workdir: Path) -> tuple[str, bool]:
    """The line that says why a command failed, the work directory left out; and if it crashed.

    The first error line (``Error: ...``, or ``path:line:col: ...`` that is not
    a warning); for a traceback, its last line.
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    crashed = any(line.startswith("Traceback (most recent call last)") for line in lines)
    errors = [line for line in lines if _PLACE.match(line) and ": warning:" not in line]
    line = lines[-1] if crashed or not errors else errors[0]
    return line.replace(f"{workdir}{os.sep}", ""), crashed


class Bench:
    """Runs the commands of the section in one work directory."""

    def __init__(self, invpolicy: Path, workdir: Path, note: Callable[[str], None]) -> None:
        self.invpolicy = str(invpolicy)
        self.workdir = workdir
        self.note = note
        self.policies = [arg for name in formats.COMPARED for arg in ("-p", name)]

    def path(self, file: File) -> Path:
        return self.workdir / file.name

    def compare(self, file: File, report: str, out: str) -> Command:
        """``invpolicy compare FILE -p ... --format REPORT -o OUT`` (the table to stdout)."""
        argv = [self.invpolicy, "compare", str(self.path(file)), *self.policies]
        target = self.workdir / out
        if report == "table":
            return Command(argv, target, to_stdout=True, environment={"COLUMNS": COLUMNS})
        return Command([*argv, "--format", report, "-o", str(target)], target)

    def script(self, file: File, out: str) -> Command:
        target = self.workdir / out
        argv = [sys.executable, str(BASELINE), str(self.path(file)), str(target)]
        return Command([*argv, *formats.COMPARED], target, must_succeed=True)

    def run(
        self,
        commands: Mapping[str, tuple[File, Command]],
        repeat: int,
        check: Callable[[], None] | None = None,
    ) -> dict[str, Outcome]:
        """Each command ``repeat`` times, taking turns; ``check`` after the first round.

        A command that fails is not run again: its outcome is its error line.
        """
        done: dict[str, list[measure.ChildRun]] = {key: [] for key in commands}
        failed: dict[str, tuple[str, bool]] = {}
        for round_ in range(repeat):
            for key, (_, command) in commands.items():
                if key in failed:
                    continue
                try:
                    done[key].append(
                        measure.run_child(
                            command.argv,
                            stdout=command.out if command.to_stdout else None,
                            environment=command.environment,
                        )
                    )
                except measure.ChildFailed as exc:
                    if command.must_succeed:
                        raise
                    failed[key] = error_line(exc.stderr, self.workdir)
                    self.note(f"  refused or failed: {failed[key][0]}")
            if round_ == 0 and check is not None:
                check()
        outcomes = {}
        for key, (file, command) in commands.items():
            out_bytes = command.out.stat().st_size if command.out.exists() else 0
            command.out.unlink(missing_ok=True)  # a million invitations make 2 GB of JSON
            if key in failed:
                line, crashed = failed[key]
                outcomes[key] = Outcome(file, failure=line, crashed=crashed)
                continue
            runs = done[key]
            outcomes[key] = Outcome(
                file,
                runs=len(runs),
                seconds=min(run.seconds for run in runs),
                max_rss_kib=max(run.max_rss_kib for run in runs),
                out_bytes=out_bytes,
            )
        return outcomes

    def warm_up(self) -> None:
        """Run every kind of command once, untimed, on ten invitations: warm the caches.

        The script's results are checked against the command's on each format.
        """
        tiny = {fmt: File(fmt, 10) for fmt in INPUT_FORMATS}
        formats.write({self.path(file): file.size for file in tiny.values()})
        commands = {
            f"{fmt} compare": (f, self.compare(f, "json", f"warm-{fmt}.json"))
            for fmt, f in tiny.items()
        }
        for fmt in SCRIPT_FORMATS:
            commands[f"{fmt} script"] = (
                tiny[fmt],
                self.script(tiny[fmt], f"warm-{fmt}-script.json"),
            )
        for report in ("table", "html", "jsonl"):
            commands[report] = (
                tiny["jsonl"],
                self.compare(tiny["jsonl"], report, f"warm.{report}"),
            )
        self.run(commands, 1, check=lambda: self.check_formats(commands))

    def check_formats(self, commands: Mapping[str, tuple[File, Command]]) -> None:
        """Stop the run if the script, or compare on another format, decides differently.

        The script is checked against compare on the same file, and compare on
        each file against compare on the JSON Lines file. A compare that failed
        is not checked.
        """
        reference = commands["jsonl compare"][1].out
        for fmt in INPUT_FORMATS:
            ours = commands[f"{fmt} compare"][1].out
            if not ours.exists():
                continue
            if fmt != "jsonl" and reference.exists():
                same_results(
                    ours, reference, f"invpolicy compare on the {formats.LABELS[fmt]} file"
                )
            if f"{fmt} script" in commands:
                same_results(
                    commands[f"{fmt} script"][1].out,
                    ours,
                    f"the script on the {formats.LABELS[fmt]} file",
                )


def same_results(theirs: Path, ours: Path, label: str) -> None:
    """Stop the run unless ``theirs`` holds the results and summary counts of ``ours``."""
    mine: dict[str, Any] = json.loads(ours.read_bytes())
    other: dict[str, Any] = json.loads(theirs.read_bytes())
    for index, (a, b) in enumerate(zip(mine["results"], other["results"], strict=False)):
        if a != b:
            raise measure.Aborted(
                f"{label} decides differently from invpolicy compare on invitation "
                f"{a.get('invitation')} (result {index + 1}):\n  compare: {a}\n  {label}: {b}"
            )
    counts = {key: other["summary"].get(key) for key in ("invitations", "agreed", "decisions")}
    if len(mine["results"]) != len(other["results"]) or any(
        mine["summary"][key] != value for key, value in counts.items()
    ):
        raise measure.Aborted(f"{label} does not give the results of invpolicy compare")


def measure_all(
    invpolicy: Path,
    workdir: Path,
    sizes: Sizes,
    repeat: int,
    note: Callable[[str], None],
) -> EndToEnd:
    """The whole section: write the files, warm up, then each part in turn."""
    bench = Bench(invpolicy, workdir, note)
    inputs = {fmt: File(fmt, sizes.formats) for fmt in INPUT_FORMATS}
    reports_file = File("jsonl", sizes.reports)
    memory = {fmt: tuple(File(fmt, size) for size in sizes.memory) for fmt in MEMORY_FORMATS}
    files = [*inputs.values(), reports_file, *(f for pair in memory.values() for f in pair)]
    if sizes.largest is not None:
        files.append(File("jsonl", sizes.largest))
    largest = max(f.size for f in files)
    note(f"Writing the invitations files, up to {largest:,} invitations...")
    written = formats.write({bench.path(f): f.size for f in files})

    def sized(file: File) -> File:
        return File(file.format, file.size, written[bench.path(file)])

    note("Warming up: each command once on 10 invitations, the script checked...")
    bench.warm_up()
    results = EndToEnd(sizes, repeat)

    note(
        f"Timing compare and the script on {sizes.formats:,} invitations in 4 formats, "
        f"the best of {repeat}..."
    )
    commands: dict[str, tuple[File, Command]] = {}
    for fmt, file in inputs.items():
        if fmt in SCRIPT_FORMATS:
            commands[f"{fmt} script"] = (sized(file), bench.script(file, f"{fmt}-script.json"))
        commands[f"{fmt} compare"] = (sized(file), bench.compare(file, "json", f"{fmt}.json"))
    commands["jsonl output"] = (
        sized(inputs["jsonl"]),
        bench.compare(inputs["jsonl"], "jsonl", "out.jsonl"),
    )
    found = bench.run(commands, repeat, check=lambda: bench.check_formats(commands))
    results.compare = {fmt: found[f"{fmt} compare"] for fmt in INPUT_FORMATS}
    results.script = {fmt: found[f"{fmt} script"] for fmt in SCRIPT_FORMATS}
    results.jsonl_output = found["jsonl output"]

    note(f"Timing the table, HTML and JSON reports on {sizes.reports:,} invitations...")
    reports = {
        report: (sized(reports_file), bench.compare(reports_file, report, f"report.{report}"))
        for report in REPORTS
    }
    results.reports = bench.run(reports, repeat)

    small, large = sizes.memory
    note(f"Peak memory on {small:,} and {large:,} invitations, JSON Lines and CSV, 1 run each...")
    # The small JSON Lines file is the reports part's: its JSON run is reused.
    runs = {
        f"{fmt} {file.size}": (sized(file), bench.compare(file, "json", f"memory-{fmt}.json"))
        for fmt, pair in memory.items()
        for file in pair
        if (fmt, file.size) != ("jsonl", reports_file.size)
    }
    found = bench.run(runs, 1)
    for fmt, pair in memory.items():
        first, second = (
            results.reports["json"]
            if (fmt, f.size) == ("jsonl", reports_file.size)
            else found[f"{fmt} {f.size}"]
            for f in pair
        )
        results.memory[fmt] = (first, second)

    if sizes.largest is not None:
        note(f"compare on {sizes.largest:,} invitations (JSON Lines), 1 run...")
        file = File("jsonl", sizes.largest)
        results.largest = bench.run(
            {"largest": (sized(file), bench.compare(file, "json", "largest.json"))}, 1
        )["largest"]
    return results
