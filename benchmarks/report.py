"""The figures of one run, as Markdown tables, and the page ``docs/benchmarks.md``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from measure import Machine

#: invpolicy may take at most this many times as long as the hand-written function.
FLOOR_TARGET = 2.0
#: A command may take at most this many times as long as ``python -c pass``.
STARTUP_TARGET = 5.0
#: Peak memory on the large file may be at most this many times that on the small one.
FLAT_TARGET = 1.1


@dataclass(frozen=True)
class PolicySpeed:
    """One bundled policy deciding the whole corpus."""

    name: str
    rules: int
    seconds: float


#: The kinds of contender: invpolicy itself, the hand-written floor, the work
#: every peer shares (the rules as plain Python tests), and a peer engine.
INVPOLICY, FLOOR, SHARED, PEER = "invpolicy", "floor", "shared", "peer"


@dataclass(frozen=True)
class ContenderSpeed:
    """strong-ties-only by one contender; ``seconds`` is None when it is not installed."""

    label: str
    kind: str
    version: str
    seconds: float | None


@dataclass(frozen=True)
class StartUp:
    """The median wall time of one command."""

    label: str
    command: str
    seconds: float


@dataclass(frozen=True)
class Streaming:
    """``invpolicy compare`` on a JSON Lines file of ``size`` invitations."""

    size: int
    #: The size of the file given to compare, and of the same invitations with every fact.
    file_bytes: int
    every_fact_bytes: int
    seconds: float
    max_rss_kib: int


@dataclass
class Results:
    """Everything one run measured; a section that was not run is None."""

    machine: Machine
    version: str
    #: Each peer engine's distribution and installed version (None: not installed).
    peers: dict[str, str | None]
    size: int
    seed: int
    repeat: int
    coverage: dict[str, Counter[str]]
    #: The options the run was given, as on its command line.
    arguments: list[str]
    policies: list[PolicySpeed] | None = None
    contenders: list[ContenderSpeed] | None = None
    startup_runs: int = 0
    startup: list[StartUp] | None = None
    streaming: list[Streaming] | None = None
    #: Which source was measured (a git commit), when the run can tell.
    source: str = ""
    #: The load average over the last minute when the run ended.
    load_after: float = 0.0


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int]) -> str:
    """A Markdown table, its columns padded; the columns in ``right`` aligned right."""
    cells = [list(headers), *[list(row) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)
    )
    return "\n".join([line(cells[0]), f"|{rule}|", *map(line, cells[1:])])


def _us(seconds: float, size: int) -> str:
    return f"{seconds / size * 1e6:.2f}"


def _rate(seconds: float, size: int) -> str:
    return f"{size / seconds:,.0f}"


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f}"


def _verdict(ratio: float, limit: float, *, below: bool = False) -> str:
    """Met or not: ``ratio`` at most ``limit`` (strictly below it with ``below``)."""
    met = ratio < limit if below else ratio <= limit
    verdict = "met" if met else "not met"
    if abs(ratio - limit) < 0.1 * limit:
        verdict += ", within 10% of the target, which run-to-run noise can cross"
    return verdict


def coverage_table(coverage: dict[str, Counter[str]], size: int) -> str:
    rows = []
    for name, counts in coverage.items():
        fired = sum(1 for n in counts.values() if n)
        rule, least = min(counts.items(), key=lambda item: item[1])
        rows.append([name, f"{fired} of {len(counts)}", f"{rule} ({least:,}, {least / size:.1%})"])
    return table(["policy", "rules that fired", "least frequent rule"], rows, right=[1])


def policies_table(policies: Sequence[PolicySpeed], size: int) -> str:
    rows = [[p.name, str(p.rules), _us(p.seconds, size), _rate(p.seconds, size)] for p in policies]
    return table(["policy", "rules", "µs per decision", "decisions per second"], rows, [1, 2, 3])


def _seconds(contenders: Sequence[ContenderSpeed], kind: str) -> float:
    """The time of the contender of ``kind``, which is always timed."""
    (seconds,) = [c.seconds for c in contenders if c.kind == kind]
    assert seconds is not None
    return seconds


def contenders_table(contenders: Sequence[ContenderSpeed], size: int) -> str:
    ours = _seconds(contenders, INVPOLICY)
    rows = []
    for c in contenders:
        if c.seconds is None:
            rows.append([c.label, "not installed", "-", "-", "-"])
            continue
        ratio = f"{ours / c.seconds:.2f}"
        rows.append([c.label, c.version, _us(c.seconds, size), _rate(c.seconds, size), ratio])
    headers = ["strong-ties-only by", "version", "µs per decision", "decisions per second"]
    return table([*headers, "invpolicy time ÷ its time"], rows, right=[2, 3, 4])


def startup_table(startup: Sequence[StartUp]) -> str:
    base = startup[0].seconds
    rows = [
        [s.label, f"`{s.command}`", f"{s.seconds * 1000:.1f}", f"{s.seconds / base:.2f}"]
        for s in startup
    ]
    return table(["", "command", "median ms", "x `python -c pass`"], rows, right=[2, 3])


def streaming_table(streaming: Sequence[Streaming]) -> str:
    rows = [
        [
            f"{s.size:,}",
            f"{s.file_bytes / 1024 / 1024:.2f}",
            f"{s.seconds:.2f}",
            _rate(s.seconds, s.size),
            _mib(s.max_rss_kib),
        ]
        for s in streaming
    ]
    small, large = streaming
    rows.append(
        [
            "ratio",
            f"{large.file_bytes / small.file_bytes:.2f}",
            f"{large.seconds / small.seconds:.2f}",
            "",
            f"{large.max_rss_kib / small.max_rss_kib:.2f}",
        ]
    )
    headers = ["invitations", "file MiB", "wall s", "invitations per second", "peak MiB"]
    return table(headers, rows, right=[1, 2, 3, 4])


def _bytes_per_invitation(streaming: Sequence[Streaming]) -> float:
    small, large = streaming
    return (large.max_rss_kib - small.max_rss_kib) * 1024 / (large.size - small.size)


def targets(results: Results) -> list[str]:
    """One line per target of the sections that ran: the target, the figure, met or not."""
    lines = []
    if results.contenders:
        ours = _seconds(results.contenders, INVPOLICY)
        ratio = ours / _seconds(results.contenders, FLOOR)
        lines.append(
            f"invpolicy at most {FLOOR_TARGET:g}x the hand-written function on "
            f"strong-ties-only: {ratio:.2f}x, {_verdict(ratio, FLOOR_TARGET)}."
        )
        for peer in [c for c in results.contenders if c.kind == PEER]:
            if peer.seconds is None:
                lines.append(f"invpolicy faster than {peer.label}: not measured, not installed.")
                continue
            ratio = ours / peer.seconds
            lines.append(
                f"invpolicy faster than {peer.label}: {ratio:.2f}x its time, "
                f"{_verdict(ratio, 1, below=True)}."
            )
    if results.startup:
        base = results.startup[0].seconds
        for s in results.startup[1:]:
            ratio = s.seconds / base
            lines.append(
                f"`{s.command}` at most {STARTUP_TARGET:g}x `python -c pass`: "
                f"{ratio:.2f}x, {_verdict(ratio, STARTUP_TARGET)}."
            )
    if results.streaming:
        small, large = results.streaming
        ratio = large.max_rss_kib / small.max_rss_kib
        lines.append(
            f"`compare` memory flat, at most {FLAT_TARGET:g}x from {small.size:,} to "
            f"{large.size:,} invitations: {ratio:.2f}x ({_mib(small.max_rss_kib)} MiB, then "
            f"{_mib(large.max_rss_kib)} MiB), {_verdict(ratio, FLAT_TARGET)}."
        )
    return lines


def summary(results: Results) -> str:
    """The tables and the targets, as the run prints them."""
    size = results.size
    parts = [
        f"invpolicy {results.version}, {size:,} invitations, best of "
        f"{count_runs(results.repeat)}; load average {results.machine.load:.2f} before the run, "
        f"{results.load_after:.2f} after it"
    ]
    if results.policies:
        parts += ["Decisions per second, by policy", policies_table(results.policies, size)]
    if results.contenders:
        parts += ["strong-ties-only", contenders_table(results.contenders, size)]
    if results.startup:
        parts += [
            f"Start-up, median of {count_runs(results.startup_runs)}",
            startup_table(results.startup),
            _STARTUP_COST_TEXT,
        ]
    if results.streaming:
        parts += ["invpolicy compare, end to end", streaming_table(results.streaming)]
    parts += ["Targets", "\n".join(f"- {line}" for line in targets(results))]
    return "\n\n".join(parts) + "\n"


def _machine_lines(results: Results) -> list[str]:
    m = results.machine
    peers = ", ".join(
        f"{name} {version}" if version else f"{name} not installed"
        for name, version in results.peers.items()
    )
    command = " ".join(["python benchmarks/run.py", *results.arguments])
    return [
        f"- command: `{command}`",
        f"- CPU: {m.cpu}, {m.cores} cores",
        f"- system: {m.system}",
        f"- Python: {m.python}",
        f"- invpolicy: {results.version}" + (f", {results.source}" if results.source else ""),
        f"- peer engines: {peers}",
        f"- date: {m.date}",
        f"- load average over one minute, on {m.cores} cores: {m.load:.2f} just before "
        f"the run, {results.load_after:.2f} at its end (the run itself accounts for about 1 "
        "of the latter; the rest is other work on the machine)",
    ]


_POLICIES_TEXT = """\
Each bundled policy, loaded with `invpolicy.load_policy(name)`, decides every
invitation of the corpus with `decide`: the rules tried in order, the missing
facts listed, the reply drafted. A figure is the shortest of {runs} over the
whole corpus, divided by the number of invitations. The policies differ in how
many rules an invitation goes through before one fires, in what their criteria
read (the note, the headline and the inviter's answer are matched as text), and
in how often they draft a reply."""

_CONTENDERS_TEXT = """\
The same policy, strong-ties-only, decided by invpolicy and by the contenders
below, each timed as above: the shortest of {runs} over the whole corpus, the
contenders taking turns.

- **hand-written Python** (in `benchmarks/contenders.py`) is the floor: the
  least work that gives the very same result. Before any timing the run checks,
  on every invitation of the corpus, that it returns a `Decision` equal to
  invpolicy's (decision, rule, missing facts in order, reply, and whether the
  rule read the inviter's answer), and stops if one differs. It drafts the
  replies with the render functions of the same built-in generators, taken
  from the registry.
- **json-logic-qubit**, **rule-engine** and **zen-engine** are engines one could
  pick instead. Each holds the policy's rules in its own language: the first
  rule that holds wins, in the policy's order, and an unknown fact never
  satisfies a test. zen-engine is measured twice: as a JDM decision table with
  the hit policy "first", run through `ZenEngine.evaluate` (many times faster,
  in this version, than `ZenDecision.evaluate`), and as one expression of its
  language, compiled once. A peer answers with the id of the rule that fired;
  the same code then adds the decision and drafts the reply, so that every
  contender gives the same decision, rule and reply, which the run checks on
  every invitation before timing (it stops on a difference). Missing facts are
  invpolicy's own idea: the peers list none.
- None of the peers can tell whether the inviter's answer is a sales pitch, a
  stated need or neither: that takes `invpolicy.builtin.followup.classify`, a text
  classifier. Every peer's contender calls it inside its timed call and hands
  the peer the answer's kind as a fact, so each pays the same for it.
- **shared work of the peers** is that common part alone (the classifier, the
  peer's inputs, the decision and its reply) with the rules written as plain
  Python tests on the same inputs: a peer's own cost is its time minus this
  one.

The last column is invpolicy's time divided by the contender's: 1.50 means
that invpolicy takes half as long again as the contender; below 1, invpolicy
is the faster."""

_STARTUP_COST_TEXT = """\
`--version` imports click and the few modules of invpolicy that define the
commands; every command imports what it needs when it runs. A `compare` of
one invitation does much more before its one decision, each part timed once
in a development environment (so roughly): importing jsonschema (about 50 to
80 ms), which checks the policy file against its JSON Schema; building the
plugin registry (about 40 ms: finding the installed plugins' entry points and
loading the built-in criteria); reading, checking and compiling the policy
(about 40 ms: ruamel.yaml reading the file with the position of every
value, which each error message needs, then the JSON Schema check); importing
rich and drawing the table (about 30 ms). Deciding the invitation takes well under 10 ms. The 5x
target would need the checked policy kept between runs (a cache of compiled
policies, keyed by the files and the installed plugins), which invpolicy does
not have yet: each run reads and checks its policies afresh."""

_STARTUP_TEXT = """\
The wall time of each command, from its start to its exit, as a child of a
small Python process that times it: the median of {runs}, the commands taking
turns, after one untimed run of each to warm the caches. Python's bytecode
cache is on, as by default, even where `PYTHONDONTWRITEBYTECODE` is set
(otherwise an editable install would compile its modules at every start, and
the figure would time the compiler). `python -c pass` starts the interpreter
alone, which every Python command pays; `invpolicy` is the executable
installed beside the interpreter that runs the benchmark. The last command
reads one invitation from a JSON Lines file, decides it with one policy, and
prints the table."""

_STREAMING_TEXT = """\
`invpolicy compare FILE -p strong-ties-only -p ask-first -p common-ground
--format json -o OUT`, end to end in a child process (reading, checking,
deciding, writing the report), on a JSON Lines file of the corpus's first
{large:,} invitations and on one of its first {small:,}. The wall time is the
shortest of {runs}; the peak memory is the largest resident size of the
process (`ru_maxrss`, from `os.wait4` in the small process that starts it),
the largest over those runs.

Each line of the file holds the facts that these three policies and their
replies read (id, name, language, met in person, exchanges, mutual
connections, shared groups, common ground, note, answer), as compact JSON.
With every fact of the corpus, the {large:,} invitations would make
{every:.1f} MiB, and `compare` refuses a file larger than 20 MB (see
[Invitations](invitations.md)).

`compare` reads a JSON Lines file one line at a time and writes each result as
it goes, keeping neither the invitations nor the decisions. What can grow with
the file is the index of the ids already seen, with the line of each, which it
keeps to report a duplicate id: here the peak grew by {growth:.1f} MiB from
{small:,} to {large:,} invitations, {per:.0f} bytes per invitation."""

_REPRODUCE_TEXT = """\
With tox, from the root of the repository:

```sh
tox -e bench
```

builds invpolicy's wheel, installs it in a fresh environment with the peer
engines pinned in `benchmarks/requirements.txt` (benchmark dependencies only,
never invpolicy's), runs `python benchmarks/run.py`, and so rewrites this page.
It takes a few minutes. Options go after `--`, as in `tox -e bench -- --quick`.

In a development environment where invpolicy is installed:

```sh
python -m pip install -r benchmarks/requirements.txt
python benchmarks/run.py
```

Without the peers, their rows say "not installed". The options: `--size N`
(invitations in the corpus, default 100000), `--repeat N` (runs of each timing,
default 3), `--only SECTION` (repeatable: `policies`, `strong-ties-only`,
`startup`, `compare`), `--output PATH` (default `docs/benchmarks.md`; `-` to
write no page), and `--quick` (a small corpus and single runs: a check that the
harness works, not figures to publish). The page is written only when the run
completes. Figures from another machine, or from a busy one, differ: compare
the ratios rather than the times."""

_CORPUS_TEXT = """\
{size:,} invitations generated by `benchmarks/corpus.py` from a fixed seed
({seed}), so that every run decides the same ones. Each fact that a bundled
policy reads is unknown in some invitations and known in the others, in
proportions meant to look like a real inbox: met in person or not, past
exchanges, mutual connections (and those in your sector), shared groups, other
common ground, headline and company, the note (absent, empty, the network's
stock text, or the inviter's own words), years of experience, posts, whether
the profile is visible, and, for about one invitation in eight, the inviter's
answer to your message (a sales pitch, a stated need, or neither). About a
third are in English, the rest in French; most come through LinkedIn. The
notes and answers are put together from parts, so that most of them differ.
The `Invitation` objects are built before any timing. Every rule of every
bundled policy must fire on the corpus (the run warns if one does not):"""


def count_runs(count: int) -> str:
    """The number of runs, in words: "1 run", "3 runs"."""
    return "1 run" if count == 1 else f"{count} runs"


def document(results: Results) -> str:
    """The page ``docs/benchmarks.md``: what was measured, where, the figures, the targets."""
    size, runs = results.size, count_runs(results.repeat)
    parts = [
        "# Benchmarks",
        "How fast invpolicy decides, against a hand-written function and other rule\n"
        "engines, how fast its command starts, and how its memory behaves on a large\n"
        "file. Every figure on this page comes from one run of `benchmarks/run.py` on\n"
        "the machine below, which wrote the page (see [How to reproduce](#how-to-reproduce)).",
        "## The machine",
        "\n".join(_machine_lines(results)),
        "## The corpus",
        _CORPUS_TEXT.format(size=size, seed=results.seed),
        coverage_table(results.coverage, size),
    ]
    if results.policies:
        parts += [
            "## Decisions per second, by policy",
            _POLICIES_TEXT.format(runs=runs),
            policies_table(results.policies, size),
        ]
    if results.contenders:
        parts += [
            "## strong-ties-only against a hand-written function and other engines",
            _CONTENDERS_TEXT.format(runs=runs),
            contenders_table(results.contenders, size),
        ]
    if results.startup:
        parts += [
            "## Start-up",
            _STARTUP_TEXT.format(runs=count_runs(results.startup_runs)),
            startup_table(results.startup),
            _STARTUP_COST_TEXT,
        ]
    if results.streaming:
        small, large = results.streaming
        parts += [
            "## `invpolicy compare` on a large file",
            _STREAMING_TEXT.format(
                small=small.size,
                large=large.size,
                runs=runs,
                every=large.every_fact_bytes / 1024 / 1024,
                growth=(large.max_rss_kib - small.max_rss_kib) / 1024,
                per=_bytes_per_invitation(results.streaming),
            ),
            streaming_table(results.streaming),
        ]
    parts += [
        "## Targets",
        "\n".join(f"- {line}" for line in targets(results)),
        "## How to reproduce",
        _REPRODUCE_TEXT,
    ]
    return "\n\n".join(parts) + "\n"
