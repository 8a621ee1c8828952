"""The benchmark harness in benchmarks/: its corpus, its contenders, its page.

No test here measures speed: each checks that the harness compares like with
like (the same decisions on the same invitations) and that it runs.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from invpolicy import load_policy
from invpolicy.cli.options import load_registry
from invpolicy.model.invitation import Invitation
from invpolicy.plugins.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
POLICIES = ROOT / "policies"
MODULES = ("corpus", "contenders", "measure", "report", "run")
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


def test_a_target_missed_reads_not_met(bench: dict[str, ModuleType]) -> None:
    report, measure = bench["report"], bench["measure"]
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
            report.ContenderSpeed("absent", report.PEER, "", None),
        ],
        startup=[
            report.StartUp("Python alone", "python -c pass", 0.02),
            report.StartUp("version", "invpolicy --version", 0.06),
        ],
        streaming=[
            report.Streaming(10, 1000, 2000, 1.0, 30 * 1024),
            report.Streaming(100, 10000, 20000, 9.0, 45 * 1024),
        ],
    )
    assert report.targets(results) == [
        "invpolicy at most 2x the hand-written function on strong-ties-only: 3.00x, not met.",
        "invpolicy faster than fast: 1.50x its time, not met.",
        "invpolicy faster than slow: 0.50x its time, met.",
        "invpolicy faster than close: 0.94x its time, met, within 10% of the target, "
        "which run-to-run noise can cross.",
        "invpolicy faster than absent: not measured, not installed.",
        "`invpolicy --version` at most 5x `python -c pass`: 3.00x, met.",
        "`compare` memory flat, at most 1.1x from 10 to 100 invitations: 1.50x "
        "(30.0 MiB, then 45.0 MiB), not met.",
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
        "## `invpolicy compare` on a large file",
        "## Targets",
        "## How to reproduce",
    ):
        assert f"\n{heading}\n" in f"\n{text}"
    for row in ("| strong-ties-only ", "| hand-written Python ", "| `invpolicy --version` "):
        assert row in text
    assert "tox -e bench" in text
    for peer in ("json-logic-qubit", "rule-engine", "zen-engine, JDM decision table"):
        assert f"| {peer} " in text and f"| {peer} " in done.stdout
    # Written through a temporary file that is gone once the page is in place.
    assert sorted(tmp_path.iterdir()) == [page]
