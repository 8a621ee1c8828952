"""The benchmark harness in benchmarks/: its corpus, its contenders, its page.

No test here measures speed: each checks that the harness compares like with
like (the same decisions on the same invitations) and that it runs.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from invpolicy import load_policy, open_invitations
from invpolicy.cli.options import load_registry
from invpolicy.model.invitation import Invitation
from invpolicy.plugins.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
POLICIES = ROOT / "policies"
MODULES = (
    "corpus",
    "contenders",
    "measure",
    "figures",
    "targets",
    "formats",
    "endtoend",
    "report_endtoend",
    "report",
    "run",
)
SIZE = 3000


@pytest.fixture(scope="module")
def bench() -> Iterator[dict[str, ModuleType]]:
    """The harness's modules, imported from benchmarks/ as run.py imports them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))
        yield {name: importlib.import_module(name) for name in MODULES}
    for name in MODULES:
        sys.modules.pop(name, None)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def invitations(bench: dict[str, ModuleType]) -> list[Invitation]:
    corpus = bench["corpus"]
    built: list[Invitation] = corpus.build(corpus.generate(SIZE))
    return built


def test_the_corpus_is_the_same_on_every_run_and_grows_by_its_end(
    bench: dict[str, ModuleType],
) -> None:
    corpus = bench["corpus"]
    assert corpus.generate(200) == corpus.generate(200)
    assert corpus.generate(2000)[:200] == corpus.generate(200)


def test_the_corpus_is_valid_input(bench: dict[str, ModuleType]) -> None:
    for record in bench["corpus"].generate(300):
        Invitation.from_dict(record)  # raises on an invitation the schema refuses


def test_the_corpus_fires_every_rule_of_every_bundled_policy(
    bench: dict[str, ModuleType], registry: Registry, invitations: list[Invitation]
) -> None:
    corpus = bench["corpus"]
    counts = {
        name: corpus.rule_counts(load_policy(name, registry), invitations)
        for name in corpus.POLICIES
    }
    assert corpus.unfired(counts) == []
    # Every policy in the repository's policies/ folder, which the wheel bundles.
    assert sorted(counts) == sorted(path.stem for path in POLICIES.glob("*.yaml"))


def test_unfired_names_the_rules_that_never_fired(bench: dict[str, ModuleType]) -> None:
    counts = {"p": Counter({"a": 3, "b": 0}), "q": Counter({"c": 0})}
    assert bench["corpus"].unfired(counts) == ["p/b", "q/c"]


def test_the_hand_written_function_decides_exactly_as_the_engine(
    bench: dict[str, ModuleType], registry: Registry, invitations: list[Invitation]
) -> None:
    floor = bench["contenders"].hand_written(registry)
    policy = load_policy("strong-ties-only", registry)
    decisions = [policy.decide(invitation) for invitation in invitations]
    assert [floor(invitation) for invitation in invitations] == decisions
    # The corpus tries every branch of the floor, missing facts and both languages.
    assert {(d.rule, d.missing) for d in decisions} >= {
        ("met-in-person", ()),
        ("no-strong-tie", ("met_in_person", "exchanges")),
        ("need-in-answer", ("exchanges",)),
    }
    assert {d.reply.language for d in decisions if d.reply} == {"fr", "en"}


def test_the_peers_shared_work_gives_the_engines_outcome(
    bench: dict[str, ModuleType], registry: Registry, invitations: list[Invitation]
) -> None:
    contenders = bench["contenders"]
    shared = contenders.through_peer(contenders.plain_python, registry)
    policy = load_policy("strong-ties-only", registry)
    for invitation in invitations:
        assert contenders.same_outcome(policy.decide(invitation), shared(invitation))


PEER_LABELS = ["json-logic-qubit", "rule-engine", "zen-engine"]


def test_every_peer_is_checked(bench: dict[str, ModuleType]) -> None:
    assert sorted({peer.distribution for peer in bench["contenders"].PEERS}) == PEER_LABELS


@pytest.mark.parametrize("label", PEER_LABELS)
def test_each_installed_peer_gives_the_engines_outcome(
    bench: dict[str, ModuleType],
    registry: Registry,
    invitations: list[Invitation],
    label: str,
) -> None:
    contenders = bench["contenders"]
    peers = [peer for peer in contenders.PEERS if peer.distribution == label]
    if peers[0].version() is None:
        pytest.skip(f"{label} is not installed (benchmarks/requirements.txt)")
    policy = load_policy("strong-ties-only", registry)
    for peer in peers:
        decide = contenders.through_peer(peer.setup(), registry)
        for invitation in invitations[:500]:
            assert contenders.same_outcome(policy.decide(invitation), decide(invitation))


def test_a_contender_that_decides_differently_stops_the_run(
    bench: dict[str, ModuleType], registry: Registry, invitations: list[Invitation]
) -> None:
    contenders, run = bench["contenders"], bench["run"]
    policy = load_policy("strong-ties-only", registry)
    wrong = contenders.through_peer(lambda inputs: "no-strong-tie", registry)
    with pytest.raises(run.Aborted, match="decides differently from invpolicy on invitation"):
        run.check_same("wrong", wrong, policy.decide, invitations, contenders.same_outcome)


def test_a_peer_that_is_not_installed_has_no_version(bench: dict[str, ModuleType]) -> None:
    contenders = bench["contenders"]
    peer = contenders.Peer("absent", "no-such-distribution-for-invpolicy", contenders.plain_python)
    assert peer.version() is None


def _outcome(endtoend: ModuleType, fmt: str, size: int, seconds: float, mib: int = 30) -> object:
    return endtoend.Outcome(endtoend.File(fmt, size), 1, seconds, mib * 1024)


def _refused(endtoend: ModuleType, fmt: str, size: int) -> object:
    failure = f"invitations-{size}.{fmt}:1:1: file is too large (more than 20971520 bytes)"
    return endtoend.Outcome(endtoend.File(fmt, size), failure=failure)


def test_a_target_missed_reads_not_met(bench: dict[str, ModuleType]) -> None:
    report, measure, endtoend = bench["report"], bench["measure"], bench["endtoend"]
    e2e = endtoend.EndToEnd(endtoend.Sizes(20, 30, (30, 300), 1000), repeat=1)
    e2e.compare = {
        "json": _outcome(endtoend, "json", 20, 3.0),
        "jsonl": _outcome(endtoend, "jsonl", 20, 1.6),
        "yaml": _refused(endtoend, "yaml", 20),
        "csv": _outcome(endtoend, "csv", 20, 1.0),
    }
    e2e.script = {fmt: _outcome(endtoend, fmt, 20, 1.0) for fmt in ("json", "jsonl", "yaml")}
    e2e.reports = {
        "json": _outcome(endtoend, "jsonl", 30, 1.0),
        "table": _outcome(endtoend, "jsonl", 30, 2.5, mib=300),
        "html": _outcome(endtoend, "jsonl", 30, 1.5, mib=400),
    }
    e2e.memory = {
        "jsonl": (e2e.reports["json"], _outcome(endtoend, "jsonl", 300, 9.0, mib=31)),
        "csv": (_outcome(endtoend, "csv", 30, 1.0), _refused(endtoend, "csv", 300)),
    }
    e2e.largest = _refused(endtoend, "jsonl", 1000)
    results = report.Results(
        machine=measure.machine(),
        version="0",
        peers={},
        size=1000,
        seed=1,
        repeat=1,
        coverage={},
        arguments=[],
        contenders=[
            report.ContenderSpeed("invpolicy", report.INVPOLICY, "0", 3.0),
            report.ContenderSpeed("floor", report.FLOOR, "", 1.0),
            report.ContenderSpeed("fast", report.PEER, "1", 2.0),
            report.ContenderSpeed("slow", report.PEER, "1", 6.0),
            report.ContenderSpeed("close", report.PEER, "1", 3.2),
            report.ContenderSpeed("zen-engine, one compiled expression", report.PEER, "1", 3.3),
            report.ContenderSpeed("absent", report.PEER, "", None),
        ],
        startup=[
            report.StartUp("Python alone", "python -c pass", 0.02),
            report.StartUp("version", "invpolicy --version", 0.06),
            report.StartUp(
                "compare, 1 invitation", "invpolicy compare one.jsonl -p strong-ties-only", 0.1
            ),
            report.StartUp("compare, no cache", "invpolicy compare --no-cache", 0.4),
        ],
        endtoend=e2e,
    )
    too_large = "file is too large (more than 20971520 bytes)"
    assert report.targets(results) == [
        "invpolicy within 1.2x the hand-written function on strong-ties-only: 3.00x, not met.",
        "invpolicy faster than fast: 1.50x its time, not met.",
        "invpolicy faster than slow: 0.50x its time, met.",
        "invpolicy faster than close: 0.94x its time, met, within 10% of the target, "
        "which run-to-run noise can cross.",
        "invpolicy below 0.85x the time of zen-engine, one compiled expression (aim): "
        "0.91x, not met, within 10% of the target, which run-to-run noise can cross.",
        "invpolicy faster than absent: not measured, not installed.",
        "`invpolicy --version` at most 4x `python -c pass`: 3.00x, met.",
        "`invpolicy compare one.jsonl -p strong-ties-only` at most 6x `python -c pass` "
        "(goal 4x): 5.00x, met; goal not met.",
        "`compare --format json` on 20 invitations (JSON array) within 2x the script's time "
        "(goal 1.5x): 3.00x (3.00 s, the script 1.00 s), not met; goal not met.",
        "`compare --format json` on 20 invitations (JSON Lines) within 2x the script's time "
        "(goal 1.5x): 1.60x (1.60 s, the script 1.00 s), met; goal not met.",
        "`compare --format json` on 20 invitations (YAML) within 3x the script's time: "
        f"not met, compare refused the file (`invitations-20.yaml:1:1: {too_large}`).",
        "The table of 30 invitations within 2x the time of `--format json`: 2.50x (2.50 s, "
        "JSON 1.00 s; peak memory: JSON 30.0 MiB, table 300.0 MiB, HTML 400.0 MiB), not met.",
        "`compare` memory flat on JSON Lines, the peak on 300 invitations within 1.15x that "
        "on 30 (goal 1.05x): 1.03x (30.0 MiB, then 31.0 MiB), met; goal met.",
        "`compare` memory flat on CSV, the peak on 300 invitations within 1.15x that on 30 "
        "(goal 1.05x): not met, compare on 300 refused the file "
        f"(`invitations-300.csv:1:1: {too_large}`).",
        "A JSON Lines file of 1,000 invitations accepted by `compare`: not met, compare "
        f"refused the file (`invitations-1000.jsonl:1:1: {too_large}`).",
    ]
    # The short table for the README: the main targets, one row each.
    speed = report.speed_table(results).splitlines()
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in speed[2:]]
    assert speed[0].split("|")[1:-1] != [] and len(rows) == 11
    assert rows[0] == [
        "strong-ties-only, invpolicy ÷ hand-written Python",
        "3.00x",
        "within 1.2x",
        "not met",
    ]
    assert rows[1][0] == "strong-ties-only, invpolicy ÷ zen-engine, one compiled expression"
    assert rows[-1] == [
        "`compare` of 1,000 invitations (JSON Lines)",
        "refused",
        "accepted",
        "not met",
    ]


def test_the_sizes_scale_and_the_largest_can_be_left_out(bench: dict[str, ModuleType]) -> None:
    endtoend = bench["endtoend"]
    full = endtoend.Sizes.scaled(1.0)
    assert full == endtoend.Sizes(20_000, 30_000, (30_000, 300_000), 1_000_000)
    quick = endtoend.Sizes.scaled(endtoend.QUICK_SCALE, largest=False)
    assert quick == endtoend.Sizes(200, 300, (300, 3_000), None)
    # However small, the memory files stay ten times apart.
    assert endtoend.Sizes.scaled(0.0001).memory == (10, 100)


def test_a_refusal_is_its_error_line_without_the_work_directory(
    bench: dict[str, ModuleType], tmp_path: Path
) -> None:
    error_line = bench["endtoend"].error_line
    stderr = (
        f"{tmp_path}/a.jsonl:1:1: warning: x: not a field invpolicy knows\n"
        f"{tmp_path}/a.jsonl:1:1: file is too large (more than 20971520 bytes)\n"
    )
    assert error_line(stderr, tmp_path) == (
        "a.jsonl:1:1: file is too large (more than 20971520 bytes)",
        False,
    )
    crash = 'Traceback (most recent call last):\n  File "x.py", line 1\nMemoryError\n'
    assert error_line(crash, tmp_path) == ("MemoryError", True)


def test_the_files_hold_the_same_invitations_in_every_format(
    bench: dict[str, ModuleType], tmp_path: Path
) -> None:
    corpus, formats = bench["corpus"], bench["formats"]
    plan = {tmp_path / f"i.{fmt}": 300 for fmt in ("json", "jsonl", "yaml", "csv")}
    plan[tmp_path / "small.jsonl"] = 20
    written = formats.write(plan)
    records = [formats.trim(r) for r in corpus.generate(300)]
    expected = corpus.build(records)
    # An empty cell is unknown: CSV cannot hold an empty note (the run checks that the
    # decisions are the same on every format).
    in_csv = corpus.build({k: v for k, v in r.items() if v != ""} for r in records)
    assert in_csv != expected
    for path in plan:
        source = open_invitations(path)
        source.check()
        wanted = in_csv if path.suffix == ".csv" else expected
        assert list(source) == wanted[: plan[path]], path.name
        assert written[path] == path.stat().st_size
    # Only the facts the compared policies read; a known empty list stays known in CSV.
    assert {key for record in records for key in record} == set(formats.FACTS)
    assert formats.csv_cell([]) == ";" and formats.csv_cell(["a", "b"]) == "a; b"


def test_results_that_differ_stop_the_run(bench: dict[str, ModuleType], tmp_path: Path) -> None:
    endtoend, measure = bench["endtoend"], bench["measure"]
    row = {"invitation": "a", "name": "A", "agree": True, "decisions": {}}
    summary = {"invitations": 1, "agreed": 1, "decisions": {}}
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    ours.write_text(json.dumps({"results": [row], "summary": {**summary, "errors": []}}))
    theirs.write_text(json.dumps({"results": [row], "summary": summary}))
    endtoend.same_results(theirs, ours, "the script")
    theirs.write_text(json.dumps({"results": [{**row, "agree": False}], "summary": summary}))
    with pytest.raises(measure.Aborted, match=r"the script decides differently .* invitation a"):
        endtoend.same_results(theirs, ours, "the script")


@pytest.mark.slow
def test_the_script_decides_as_compare_and_a_refusal_is_recorded(
    bench: dict[str, ModuleType], tmp_path: Path
) -> None:
    endtoend = bench["endtoend"]
    invpolicy = Path(sys.executable).with_name("invpolicy")
    if not invpolicy.is_file():
        pytest.skip("no invpolicy executable beside the interpreter")
    runner = endtoend.Bench(invpolicy, tmp_path, lambda message: None)
    # The warm-up writes every format and checks the script against compare on each.
    runner.warm_up()
    broken = endtoend.File("jsonl", 2)
    runner.path(broken).write_text('{"id": "a", "name": "A"}\n{"id": "a", "name": "B"}\n')
    found = runner.run({"x": (broken, runner.compare(broken, "json", "out.json"))}, 3)
    assert found["x"].failure.startswith("invitations-2.jsonl:2:")
    assert "duplicate invitation id 'a'" in found["x"].failure
    assert not found["x"].crashed and found["x"].runs == 0


#: The start of each line of the page's Targets list, in order, for the quick run below.
QUICK_TARGETS = [
    "invpolicy within 1.2x the hand-written function on strong-ties-only: ",
    "invpolicy faster than json-logic-qubit: ",
    "invpolicy faster than rule-engine: ",
    "invpolicy faster than zen-engine, JDM decision table: ",
    "invpolicy below 0.85x the time of zen-engine, one compiled expression (aim): ",
    "`invpolicy --version` at most 4x `python -c pass`: ",
    "`invpolicy compare one.jsonl -p strong-ties-only` at most 6x `python -c pass` (goal 4x): ",
    "`invpolicy validate strong-ties-only` at most 6x `python -c pass`: ",
    "`invpolicy policies` at most 6x `python -c pass`: ",
    "`invpolicy diff` of any two bundled policies within 2 s: the slowest pair ",
    "`compare --format json` on 40 invitations (JSON array) within 2x the script's time "
    "(goal 1.5x): ",
    "`compare --format json` on 40 invitations (JSON Lines) within 2x the script's time "
    "(goal 1.5x): ",
    "`compare --format json` on 40 invitations (YAML) within 3x the script's time: ",
    "The table of 60 invitations within 2x the time of `--format json`: ",
    "`compare` memory flat on JSON Lines, the peak on 600 invitations within 1.15x that on 60 "
    "(goal 1.05x): ",
    "`compare` memory flat on CSV, the peak on 600 invitations within 1.15x that on 60 "
    "(goal 1.05x): ",
    "A JSON Lines file of 2,000 invitations accepted by `compare`: ",
]


@pytest.mark.slow
def test_a_quick_run_prints_the_tables_and_writes_the_page(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--quick",
            "--size",
            "400",
            "--scale",
            "0.002",
            "--output",
            str(page),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    for heading in (
        "# Benchmarks",
        "## The machine",
        "## The corpus",
        "## Decisions per second, by policy",
        "## strong-ties-only against a hand-written function and other engines",
        "## Start-up",
        "## `invpolicy diff`, every pair of bundled policies",
        "## `invpolicy compare` end to end",
        "### On each input format, beside a hand-written script",
        "### The table and the HTML page",
        "### Memory as the file grows",
        "## Targets",
        "## How to reproduce",
    ):
        assert f"\n{heading}\n" in f"\n{text}"
    for row in (
        "| strong-ties-only ",
        "| hand-written Python ",
        "| `invpolicy --version` ",
        "| `invpolicy validate strong-ties-only` ",
        "| all imports ",
        "| JSON array ",
        "| JSON Lines, `--format jsonl` ",
        "| table  | `> OUT`, with `COLUMNS=120` ",
        "| CSV        |         600 ",
    ):
        assert row in text, row
    assert "tox -e bench" in text
    for peer in ("json-logic-qubit", "rule-engine", "zen-engine, JDM decision table"):
        assert f"| {peer} " in text and f"| {peer} " in done.stdout
    # Every target, each with its figure and its verdict, on the page and on stdout.
    targets = text.split("\n## Targets\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(targets) == len(QUICK_TARGETS)
    for line, start in zip(targets, QUICK_TARGETS, strict=True):
        assert line.startswith(f"- {start}"), line
        assert line.endswith(".") and (" met" in line or "not installed" in line), line
        assert line in done.stdout
    # The Speed table for the README is printed, not written on the page.
    assert "| measure " in done.stdout and "| measure " not in text
    # Written through a temporary file that is gone once the page is in place.
    assert sorted(tmp_path.iterdir()) == [page]
