"""The figures of one run, as Markdown tables, and the page ``docs/benchmarks.md``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import diffspeed
import endtoend
import report_endtoend
import startup
from diffspeed import DiffSpeed, diff_table
from endtoend import EndToEnd
from figures import count_runs, duration, rate, table, us
from measure import Machine
from startup import StartUp, imports_table, startup_table
from targets import Target, verdict

#: invpolicy may take at most this many times as long as the hand-written function.
FLOOR_TARGET = 1.2
#: invpolicy should take less than this share of a peer's time (an aim), by peer;
#: any other peer, invpolicy should be faster than.
PEER_AIMS = {"zen-engine, one compiled expression": 0.85}


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
    diffs: list[DiffSpeed] | None = None
    endtoend: EndToEnd | None = None
    #: Which source was measured (a git commit), when the run can tell.
    source: str = ""
    #: The load average over the last minute when the run ended.
    load_after: float = 0.0
    #: How long the whole run took, in seconds.
    elapsed: float = 0.0


def coverage_table(coverage: dict[str, Counter[str]], size: int) -> str:
    rows = []
    for name, counts in coverage.items():
        fired = sum(1 for n in counts.values() if n)
        rule, least = min(counts.items(), key=lambda item: item[1])
        rows.append([name, f"{fired} of {len(counts)}", f"{rule} ({least:,}, {least / size:.1%})"])
    return table(["policy", "rules that fired", "least frequent rule"], rows, right=[1])


def policies_table(policies: Sequence[PolicySpeed], size: int) -> str:
    rows = [[p.name, str(p.rules), us(p.seconds, size), rate(p.seconds, size)] for p in policies]
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
        rows.append([c.label, c.version, us(c.seconds, size), rate(c.seconds, size), ratio])
    headers = ["strong-ties-only by", "version", "µs per decision", "decisions per second"]
    return table([*headers, "invpolicy time ÷ its time"], rows, right=[2, 3, 4])


def goals(results: Results) -> list[Target]:
    """The targets of the sections that ran, in the order of the page."""
    found = []
    if results.contenders:
        ours = _seconds(results.contenders, INVPOLICY)
        ratio = ours / _seconds(results.contenders, FLOOR)
        wanted = f"within {FLOOR_TARGET:g}x"
        line = (
            f"invpolicy within {FLOOR_TARGET:g}x the hand-written function on "
            f"strong-ties-only: {ratio:.2f}x, {verdict(ratio, FLOOR_TARGET)}."
        )
        what = "strong-ties-only, invpolicy ÷ hand-written Python"
        found.append(Target(line, what, f"{ratio:.2f}x", wanted, ratio <= FLOOR_TARGET))
        for peer in [c for c in results.contenders if c.kind == PEER]:
            found.append(_peer_target(peer, ours))
    if results.startup:
        found += startup.targets(results.startup)
    if results.diffs:
        found += diffspeed.targets(results.diffs)
    if results.endtoend:
        found += report_endtoend.targets(results.endtoend)
    return found


def _peer_target(peer: ContenderSpeed, ours: float) -> Target:
    aim = PEER_AIMS.get(peer.label)
    what = f"strong-ties-only, invpolicy ÷ {peer.label}"
    if aim is None:
        head, wanted, limit = f"invpolicy faster than {peer.label}", "below 1x", 1.0
    else:
        head = f"invpolicy below {aim:g}x the time of {peer.label} (aim)"
        wanted, limit = f"below {aim:g}x (aim)", aim
    if peer.seconds is None:
        line = f"{head}: not measured, not installed."
        return Target(line, what, "not installed", wanted, met=False, brief=aim is not None)
    ratio = ours / peer.seconds
    its = " its time" if aim is None else ""
    line = f"{head}: {ratio:.2f}x{its}, {verdict(ratio, limit, below=True)}."
    return Target(line, what, f"{ratio:.2f}x", wanted, ratio < limit, brief=aim is not None)


def targets(results: Results) -> list[str]:
    """One line per target of the sections that ran: the target, the figure, met or not."""
    return [target.line for target in goals(results)]


def speed_table(results: Results) -> str:
    """The main targets as a short Markdown table, for the README."""
    rows = [
        [t.what, t.figure, t.wanted, "met" if t.met else "not met"]
        for t in goals(results)
        if t.brief
    ]
    return table(["measure", "figure", "target", "status"], rows, right=[1])


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
            "Import time by package, ms",
            imports_table(results.startup),
        ]
    if results.diffs:
        parts += ["invpolicy diff, every pair of bundled policies", diff_table(results.diffs)]
    if results.endtoend:
        parts += report_endtoend.tables(results.endtoend)
    parts += ["Targets", "\n".join(f"- {line}" for line in targets(results))]
    parts += [
        "Speed, for the README (the full table is in docs/benchmarks.md)",
        speed_table(results),
    ]
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
        f"- duration of the run: {duration(results.elapsed)}",
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

_REPRODUCE_TEXT = """\
With tox, from the root of the repository:

```sh
tox -e bench
```

builds invpolicy's wheel, installs it in a fresh environment with the peer
engines pinned in `benchmarks/requirements.txt` (benchmark dependencies only,
never invpolicy's), runs `python benchmarks/run.py`, and so rewrites this page.
Options go after `--`, as in `tox -e bench -- --quick`.

In a development environment where invpolicy is installed:

```sh
python -m pip install -r benchmarks/requirements.txt
python benchmarks/run.py
```

This run took {elapsed} (see [The machine](#the-machine)); most of it goes to
the end-to-end section's child processes, the more so while a command is slow
on a format. By default, each in-process timing is the shortest of 3 runs, and
so is each end-to-end command on {formats:,} and {reports:,} invitations; the
start-up is the median of 21 runs; the memory files and the largest file are
run once (their figures are wall times of one run, and peaks, which vary
little). The end-to-end files go to a temporary folder (about 300 MB with the
largest file, and its 2 GB report while it is written), removed at the end.

Without the peers, their rows say "not installed". The options: `--size N`
(invitations in the corpus of the in-process sections, default 100000),
`--repeat N` (runs of each timing, default 3), `--scale F` (multiplies the
sizes of the end-to-end files, default 1), `--skip-largest` (leaves out the
file of 1,000,000 invitations, the longest run), `--only SECTION`
(repeatable: `policies`, `strong-ties-only`, `startup`, `diff`, `compare`), `--output
PATH` (default `docs/benchmarks.md`; `-` to write no page), and `--quick`
(smaller sizes, the end-to-end ones a hundredth, and single runs: a check that
the harness works, not figures to publish). The page is written only when the
run completes. Figures from another machine, or from a busy one, differ:
compare the ratios rather than the times."""

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


def document(results: Results) -> str:
    """The page ``docs/benchmarks.md``: what was measured, where, the figures, the targets."""
    size, runs = results.size, count_runs(results.repeat)
    parts = [
        "# Benchmarks",
        "How fast invpolicy decides, against a hand-written function and other rule\n"
        "engines; how fast its command starts; and how `invpolicy compare` does end to\n"
        "end, as a user runs it, on every input format and report, beside a\n"
        "hand-written script, with its memory as the file grows. Every figure on this\n"
        "page comes from one run of `benchmarks/run.py` on the machine below, which\n"
        "wrote the page (see [How to reproduce](#how-to-reproduce)); each target, met\n"
        "or not, is in [Targets](#targets).",
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
            startup.TEXT.format(runs=count_runs(results.startup_runs)),
            startup_table(results.startup),
            startup.IMPORTS_TEXT.format(runs=count_runs(startup.IMPORT_RUNS)),
            imports_table(results.startup),
        ]
    if results.diffs:
        parts += [
            "## `invpolicy diff`, every pair of bundled policies",
            diffspeed.TEXT.format(runs=count_runs(results.repeat)),
            diff_table(results.diffs),
        ]
    if results.endtoend:
        parts += report_endtoend.section(results.endtoend)
    parts += [
        "## Targets",
        "\n".join(f"- {line}" for line in targets(results)),
        "## How to reproduce",
        _REPRODUCE_TEXT.format(
            elapsed=duration(results.elapsed),
            formats=endtoend.FORMATS_SIZE,
            reports=endtoend.REPORTS_SIZE,
        ),
    ]
    return "\n\n".join(parts) + "\n"
