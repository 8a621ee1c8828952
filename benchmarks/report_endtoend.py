"""The end-to-end section of the page: its tables, its targets and its text."""

from __future__ import annotations

from collections.abc import Sequence

import formats
from endtoend import REPORTS, EndToEnd, Outcome
from figures import count_runs, mib, mib_of_bytes, rate, table
from targets import Target, goal, verdict

#: compare --format json -o may take at most this many times the script's time
#: (and should take at most the goal), by input format.
FORMAT_TARGETS: dict[str, tuple[float, float | None]] = {
    "json": (2.0, 1.5),
    "jsonl": (2.0, 1.5),
    "yaml": (3.0, None),
}
#: The default table may take at most this many times as long as the JSON report.
TABLE_TARGET = 2.0
#: The peak memory on the large file may be at most this many times that on the
#: small one (and should be at most the goal).
FLAT_TARGET, FLAT_GOAL = 1.15, 1.05

_REPORT_LABELS = {"json": "JSON", "table": "table", "html": "HTML"}
_REPORT_HOW = {
    "json": "`--format json -o OUT`",
    "table": "`> OUT`, with `COLUMNS=120`",
    "html": "`--format html -o OUT`",
}


def _seconds(outcome: Outcome) -> str:
    if outcome.ok:
        return f"{outcome.seconds:.2f}"
    return "crashed" if outcome.crashed else "refused"


def _peak(outcome: Outcome) -> str:
    return mib(outcome.max_rss_kib) if outcome.ok else "-"


def _why(outcome: Outcome) -> str:
    """A failed command, in words, with its error line."""
    word = "crashed" if outcome.crashed else "refused the file"
    return f"{word} (`{outcome.failure}`)"


def _ratio(ours: Outcome, theirs: Outcome | None) -> str:
    if theirs is None or not ours.ok or not theirs.ok:
        return "-"
    return f"{ours.seconds / theirs.seconds:.2f}"


def formats_table(e2e: EndToEnd) -> str:
    rows = []
    for fmt, compare in e2e.compare.items():
        script = e2e.script.get(fmt)
        limit = FORMAT_TARGETS.get(fmt)
        rows.append(
            [
                compare.file.label,
                mib_of_bytes(compare.file.bytes),
                _seconds(script) if script else "-",
                _peak(script) if script else "-",
                _seconds(compare),
                _peak(compare),
                _ratio(compare, script),
                f"{limit[0]:g}x" if limit else "",
            ]
        )
    if e2e.jsonl_output:
        out = e2e.jsonl_output
        rows.append(
            [
                "JSON Lines, `--format jsonl`",
                mib_of_bytes(out.file.bytes),
                "",
                "",
                _seconds(out),
                _peak(out),
                _ratio(out, e2e.script.get("jsonl")),
                "",
            ]
        )
    headers = [
        "input",
        "file MiB",
        "script s",
        "script peak MiB",
        "compare s",
        "compare peak MiB",
        "compare ÷ script",
        "target",
    ]
    return table(headers, rows, right=[1, 2, 3, 4, 5, 6])


def reports_table(e2e: EndToEnd) -> str:
    json_report = e2e.reports["json"]
    rows = [
        [
            _REPORT_LABELS[report],
            _REPORT_HOW[report],
            _seconds(outcome),
            _peak(outcome),
            mib_of_bytes(outcome.out_bytes) if outcome.ok else "-",
            _ratio(outcome, json_report),
        ]
        for report, outcome in e2e.reports.items()
    ]
    headers = ["report", "how", "wall s", "peak MiB", "report MiB", "÷ JSON time"]
    return table(headers, rows, right=[2, 3, 4, 5])


def _memory_rows(label: str, outcomes: Sequence[Outcome]) -> list[list[str]]:
    rows = [
        [
            label,
            f"{o.file.size:,}",
            mib_of_bytes(o.file.bytes),
            _seconds(o),
            rate(o.seconds, o.file.size) if o.ok else "-",
            _peak(o),
        ]
        for o in outcomes
    ]
    return rows


def memory_table(e2e: EndToEnd) -> str:
    rows = []
    for fmt, (small, large) in e2e.memory.items():
        label = formats.LABELS[fmt]
        rows += _memory_rows(label, (small, large))
        if small.ok and large.ok:
            ratio = f"{large.max_rss_kib / small.max_rss_kib:.2f}"
            rows.append([label, "ratio", "", "", "", ratio])
    if e2e.largest:
        rows += _memory_rows(formats.LABELS["jsonl"], [e2e.largest])
    headers = ["input", "invitations", "file MiB", "wall s", "invitations per second", "peak MiB"]
    return table(headers, rows, right=[1, 2, 3, 4, 5])


def targets(e2e: EndToEnd) -> list[Target]:
    """The end-to-end targets, in the order of the section."""
    found = []
    for fmt, (limit, aim) in FORMAT_TARGETS.items():
        compare, script = e2e.compare[fmt], e2e.script[fmt]
        label = compare.file.label
        size = f"{compare.file.size:,}"
        wanted = f"within {limit:g}x" + (f" (goal {aim:g}x)" if aim else "")
        head = (
            f"`compare --format json` on {size} invitations ({label}) within {limit:g}x the "
            f"script's time" + (f" (goal {aim:g}x)" if aim else "")
        )
        what = f"`compare` of {size} invitations ({label}) ÷ a hand-written script"
        if not compare.ok:
            line = f"{head}: not met, compare {_why(compare)}."
            found.append(Target(line, what, "refused", wanted, met=False))
            continue
        ratio = compare.seconds / script.seconds
        line = (
            f"{head}: {ratio:.2f}x ({compare.seconds:.2f} s, the script {script.seconds:.2f} s), "
            f"{verdict(ratio, limit)}{goal(ratio, aim)}."
        )
        found.append(Target(line, what, f"{ratio:.2f}x", wanted, met=ratio <= limit))
    found.append(_table_target(e2e))
    for fmt, pair in e2e.memory.items():
        found.append(_flat_target(formats.LABELS[fmt], *pair))
    found.append(_largest_target(e2e))
    return found


def _table_target(e2e: EndToEnd) -> Target:
    json_report, drawn = e2e.reports["json"], e2e.reports["table"]
    size = f"{drawn.file.size:,}"
    wanted = f"within {TABLE_TARGET:g}x"
    head = f"The table of {size} invitations within {TABLE_TARGET:g}x the time of `--format json`"
    what = f"the table of {size} invitations ÷ the JSON report"
    if not (json_report.ok and drawn.ok):
        failed = drawn if not drawn.ok else json_report
        line = f"{head}: not met, compare {_why(failed)}."
        return Target(line, what, "refused", wanted, met=False)
    ratio = drawn.seconds / json_report.seconds
    peaks = ", ".join(
        f"{_REPORT_LABELS[r]} {_peak(e2e.reports[r])} MiB" for r in REPORTS if r in e2e.reports
    )
    line = (
        f"{head}: {ratio:.2f}x ({drawn.seconds:.2f} s, JSON {json_report.seconds:.2f} s; "
        f"peak memory: {peaks}), {verdict(ratio, TABLE_TARGET)}."
    )
    return Target(line, what, f"{ratio:.2f}x", wanted, met=ratio <= TABLE_TARGET)


def _flat_target(label: str, small: Outcome, large: Outcome) -> Target:
    sizes = f"{large.file.size:,} invitations"
    wanted = f"within {FLAT_TARGET:g}x (goal {FLAT_GOAL:g}x)"
    head = (
        f"`compare` memory flat on {label}, the peak on {sizes} within {FLAT_TARGET:g}x "
        f"that on {small.file.size:,} (goal {FLAT_GOAL:g}x)"
    )
    what = f"peak memory of `compare`, {sizes} ÷ {small.file.size:,} ({label})"
    for outcome in (small, large):
        if not outcome.ok:
            line = f"{head}: not met, compare on {outcome.file.size:,} {_why(outcome)}."
            return Target(line, what, "refused", wanted, met=False)
    ratio = large.max_rss_kib / small.max_rss_kib
    line = (
        f"{head}: {ratio:.2f}x ({mib(small.max_rss_kib)} MiB, then {mib(large.max_rss_kib)} "
        f"MiB), {verdict(ratio, FLAT_TARGET)}{goal(ratio, FLAT_GOAL)}."
    )
    return Target(line, what, f"{ratio:.2f}x", wanted, met=ratio <= FLAT_TARGET)


def _largest_target(e2e: EndToEnd) -> Target:
    largest = e2e.largest
    size = f"{largest.file.size:,}" if largest else "the largest"
    head = f"A JSON Lines file of {size} invitations accepted by `compare`"
    what = f"`compare` of {size} invitations (JSON Lines)"
    if largest is None:
        line = f"{head}: not measured (--skip-largest), not met."
        return Target(line, what, "not measured", "accepted", met=False)
    if not largest.ok:
        line = f"{head}: not met, compare {_why(largest)}."
        return Target(line, what, "refused", "accepted", met=False)
    line = (
        f"{head}: accepted, in {largest.seconds:.1f} s with a peak of "
        f"{mib(largest.max_rss_kib)} MiB, met."
    )
    return Target(line, what, "accepted", "accepted", met=True)


def tables(e2e: EndToEnd) -> list[str]:
    """The section's tables with a title each, as the run prints them."""
    return [
        f"invpolicy compare on {e2e.sizes.formats:,} invitations, beside the script",
        formats_table(e2e),
        f"Reports of {e2e.sizes.reports:,} invitations",
        reports_table(e2e),
        "Peak memory as the file grows",
        memory_table(e2e),
    ]


_INTRO_TEXT = """\
What a user waits for, and the memory the command takes:
`invpolicy compare FILE -p strong-ties-only -p ask-first -p common-ground`,
started as a child process, from its start to its exit: reading and checking
the file, deciding every invitation with the three policies, writing the
report. The wall time is taken by a small Python process that starts the
command; the peak memory is the largest resident size of the command's own
process (`ru_maxrss`, from `os.wait4`). Before any timing, every kind of
command below runs once, untimed, on 10 invitations, to warm the caches.

The files hold the first invitations of the corpus above (the same seed),
with only the facts that these three policies and their replies read (id,
name, language, met in person, exchanges, mutual connections, shared groups,
common ground, note, answer), written by `benchmarks/formats.py`: a JSON array
with one compact invitation a line, JSON Lines, a YAML list in block style
(written by ruamel.yaml), and CSV (a column a fact, a list as its items
separated by `;`). A file the command refuses, or one it fails on, is shown
as refused, or crashed, with the line the command printed: the run goes on."""

_FORMATS_TEXT = """\
`benchmarks/baseline.py` is the script one might write instead of the command.
It reads the whole file (`json` for a JSON array and JSON Lines, ruamel.yaml's
safe loader for YAML), checks each invitation with `Invitation.from_dict`,
decides it with each policy through invpolicy's library
(`invpolicy.load_policy(name)` once each, then `policy.decide(invitation)`),
and writes the same results and summary as compact JSON with `json.dumps`. It
uses invpolicy's engine rather than rules of its own on purpose: the engine is
compared with a hand-written function above, so that here the ratio is the
cost of the command's own work around the very same decisions (reading the
file with the place of every value for error messages, checking every record
before deciding any, streaming, writing the report). Before the figures count,
the run checks that the script's results and summary equal the command's on
each file, and that the command decides the same on every format; it stops if
not. The script reads no CSV, whose cells need converting to facts: the CSV
row has nothing beside it.

{size:,} invitations; each figure is the shortest time (the largest peak) of
{runs}, the commands taking turns: `compare --format json -o OUT` on each
format (`compare`), the script on the same file (`script`), and, on the last
line, `compare --format jsonl -o OUT` on the JSON Lines file, which writes one
result a line (a figure only, beside the script on JSON Lines). The target
column is the most `compare ÷ script` may be (JSON array and JSON Lines aim
at 1.5x)."""

_REPORTS_TEXT = """\
`invpolicy compare` of {size:,} invitations (JSON Lines) with its default
report, the table drawn by rich (standard output to a file, with
`COLUMNS=120` so that the table has the same width on every machine), and with
`--format html -o OUT`, one self-contained page, against `--format json -o
OUT` on the same file: the shortest time (the largest peak) of {runs}, the
three taking turns. The target: the table within {target:g}x the time of the
JSON report."""

_MEMORY_TEXT = """\
`compare --format json -o OUT` on JSON Lines and CSV files of {small:,} and
{large:,} invitations, one run on each (the {small:,} JSON Lines figure is the
JSON report's above), then one run on {largest}. JSON Lines and CSV are read
one record at a time and each result is written as it is decided, so the peak
should hardly grow with the file: the target is the peak on {large:,} within
{flat:g}x the peak on {small:,} (goal {goal:g}x), in each format. The largest
file's target is to be accepted at all."""


def section(e2e: EndToEnd) -> list[str]:
    """The section of the page: headings, text and tables."""
    runs = count_runs(e2e.repeat)
    largest = (
        f"a JSON Lines file of {e2e.largest.file.size:,} invitations"
        if e2e.largest
        else "the largest file (left out of this run by --skip-largest)"
    )
    small, large = e2e.sizes.memory
    return [
        "## `invpolicy compare` end to end",
        _INTRO_TEXT,
        "### On each input format, beside a hand-written script",
        _FORMATS_TEXT.format(size=e2e.sizes.formats, runs=runs),
        formats_table(e2e),
        "### The table and the HTML page",
        _REPORTS_TEXT.format(size=e2e.sizes.reports, runs=runs, target=TABLE_TARGET),
        reports_table(e2e),
        "### Memory as the file grows",
        _MEMORY_TEXT.format(
            small=small, large=large, largest=largest, flat=FLAT_TARGET, goal=FLAT_GOAL
        ),
        memory_table(e2e),
    ]
