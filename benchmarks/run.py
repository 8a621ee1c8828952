"""Benchmark invpolicy, print the figures, and write them to docs/benchmarks.md.

    python benchmarks/run.py [--quick] [--size N] [--repeat N] [--scale F] [--skip-largest]
                             [--only SECTION]... [--output PATH]

The sections: the bundled policies' decisions per second; strong-ties-only
against a hand-written function and three peer engines; the command's start-up;
``invpolicy compare`` end to end, as a user runs it (:mod:`endtoend`): on every
input format beside a hand-written script, the table and HTML reports, and its
peak memory as the file grows. Every figure comes from this one run. The page
is written only once the run completes; a contender that decides differently
from invpolicy stops the run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import contenders
import corpus
import diffspeed
import endtoend
import measure
import report
import startup
from measure import Aborted

from invpolicy import __version__, load_policy
from invpolicy.cli.options import load_registry
from invpolicy.engine.decision import Decision
from invpolicy.io.atomic import atomic_write
from invpolicy.model.invitation import Invitation
from invpolicy.plugins.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
SECTIONS = ("policies", "strong-ties-only", "startup", "diff", "compare")
#: The peers' shared work: the follow-up classifier, their inputs and the reply,
#: with the rules as plain Python tests instead of an engine.
SHARED_LABEL = "shared work of the peers (rules as Python tests)"
SIZE = 100_000
QUICK_SIZE = 2_000
REPEAT = 3
STARTUP_RUNS = 21
QUICK_STARTUP_RUNS = 1


def note(message: str) -> None:
    """Progress, on standard error: standard output holds the figures alone."""
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark invpolicy, print the figures, and write them to a page."
    )
    parser.add_argument(
        "--size",
        type=int,
        help=f"invitations in the corpus (default {SIZE:,}; --quick {QUICK_SIZE:,})",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        help=f"runs of each timing, the best kept (default {REPEAT}; --quick 1); the "
        "end-to-end runs on the memory and largest files run once",
    )
    parser.add_argument(
        "--scale",
        type=float,
        help="multiply the sizes of the end-to-end files by this (default 1; --quick "
        f"{endtoend.QUICK_SCALE:g}): {endtoend.FORMATS_SIZE:,} invitations in four formats, "
        f"{endtoend.REPORTS_SIZE:,} for the reports, {endtoend.MEMORY_SIZES[0]:,} and "
        f"{endtoend.MEMORY_SIZES[1]:,} for memory, {endtoend.LARGEST_SIZE:,} for the largest",
    )
    parser.add_argument(
        "--skip-largest",
        action="store_true",
        help=f"leave out the largest file ({endtoend.LARGEST_SIZE:,} invitations), the longest run",
    )
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, help="run this section only; repeatable"
    )
    parser.add_argument(
        "--output",
        default=str(DEFAULT_OUTPUT),
        help="the page to write (default docs/benchmarks.md); '-' writes none",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and single runs: a smoke test"
    )
    args = parser.parse_args(argv)
    if args.size is not None and args.size < 10:
        parser.error("--size must be at least 10")
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.scale is not None and not 0.0001 <= args.scale <= 10:
        parser.error("--scale must be between 0.0001 and 10")
    return args


def time_policies(
    invitations: list[Invitation], registry: Registry, repeat: int
) -> list[report.PolicySpeed]:
    note(f"Timing the {len(corpus.POLICIES)} bundled policies...")
    policies = {name: load_policy(name, registry) for name in corpus.POLICIES}
    loops = {name: measure.each(p.decide, invitations) for name, p in policies.items()}
    best = measure.best_times(loops, repeat)
    return [
        report.PolicySpeed(name, len(policies[name].policy.rules), best[name]) for name in policies
    ]


def check_same(
    label: str,
    decide: contenders.Decide,
    reference: contenders.Decide,
    invitations: list[Invitation],
    same: Callable[[Decision, Decision], bool],
) -> None:
    """Stop the run at the first invitation on which ``decide`` and ``reference`` differ."""
    for invitation in invitations:
        ours, theirs = reference(invitation), decide(invitation)
        if not same(ours, theirs):
            raise Aborted(
                f"{label} decides differently from invpolicy on invitation {invitation.id}:\n"
                f"  invpolicy: {ours}\n  {label}: {theirs}"
            )


def time_contenders(
    invitations: list[Invitation], registry: Registry, repeat: int
) -> list[report.ContenderSpeed]:
    policy = load_policy(contenders.POLICY, registry)
    floor = contenders.hand_written(registry)
    shared = contenders.through_peer(contenders.plain_python, registry)
    note("Checking the hand-written function against invpolicy on every invitation...")
    check_same("hand-written Python", floor, policy.decide, invitations, Decision.__eq__)
    check_same(SHARED_LABEL, shared, policy.decide, invitations, contenders.same_outcome)
    rows = [
        ("invpolicy", report.INVPOLICY, __version__),
        ("hand-written Python", report.FLOOR, ""),
        (SHARED_LABEL, report.SHARED, ""),
    ]
    loops = {"invpolicy": policy.decide, "hand-written Python": floor, SHARED_LABEL: shared}
    for peer in contenders.PEERS:
        version = peer.version()
        rows.append((peer.label, report.PEER, version or ""))
        if version is None:
            note(f"{peer.label}: not installed")
            continue
        decide = contenders.through_peer(peer.setup(), registry)
        note(f"Checking {peer.label} against invpolicy on every invitation...")
        check_same(peer.label, decide, policy.decide, invitations, contenders.same_outcome)
        loops[peer.label] = decide
    note(f"Timing strong-ties-only by {len(loops)} contenders...")
    best = measure.best_times({k: measure.each(d, invitations) for k, d in loops.items()}, repeat)
    return [
        report.ContenderSpeed(label, kind, version, best.get(label))
        for label, kind, version in rows
    ]


def _invpolicy_executable() -> Path:
    executable = Path(sys.executable).with_name("invpolicy")
    if not executable.is_file():
        raise Aborted(f"no invpolicy executable beside {sys.executable}: install invpolicy there")
    return executable


def time_startup(first: dict[str, Any], workdir: Path, runs: int) -> list[startup.StartUp]:
    one = workdir / "one.jsonl"
    corpus.write_jsonl([first], one)
    invpolicy = str(_invpolicy_executable())
    return startup.measure_startup(invpolicy, one, workdir, runs, note)


def source() -> str:
    """The git commit of the checkout the benchmarks are in, and whether src/ differs from it.

    Empty when the benchmarks are not in a git checkout, or git is missing.
    """
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "policies", "schemas"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f"git commit {commit}" + (
        ", with uncommitted changes to src/, policies/ or schemas/" if changes else ""
    )


def benchmark(args: argparse.Namespace, arguments: list[str]) -> report.Results:
    sections = args.only or SECTIONS
    size = args.size or (QUICK_SIZE if args.quick else SIZE)
    repeat = args.repeat or (1 if args.quick else REPEAT)
    scale = args.scale or (endtoend.QUICK_SCALE if args.quick else 1.0)
    startup_runs = QUICK_STARTUP_RUNS if args.quick else STARTUP_RUNS
    started = time.perf_counter()
    machine = measure.machine()
    registry = load_registry()
    note(f"Generating {size:,} invitations...")
    records = corpus.generate(size)
    invitations = corpus.build(records)
    note("Checking that every rule of every bundled policy fires...")
    coverage = {
        name: corpus.rule_counts(load_policy(name, registry), invitations)
        for name in corpus.POLICIES
    }
    for missed in corpus.unfired(coverage):
        note(f"warning: rule {missed} never fires on this corpus; try a larger --size")
    results = report.Results(
        machine=machine,
        version=__version__,
        peers={peer.distribution: peer.version() for peer in contenders.PEERS},
        size=size,
        seed=corpus.SEED,
        repeat=repeat,
        coverage=coverage,
        arguments=arguments,
        startup_runs=startup_runs,
        source=source(),
    )
    if "policies" in sections:
        results.policies = time_policies(invitations, registry, repeat)
    if "strong-ties-only" in sections:
        results.contenders = time_contenders(invitations, registry, repeat)
    if "diff" in sections:
        note(f"Timing invpolicy diff on every pair of the {len(corpus.POLICIES)} policies...")
        results.diffs = diffspeed.time_diffs(corpus.POLICIES, registry, repeat)
    with tempfile.TemporaryDirectory(prefix="invpolicy-bench-") as workdir:
        if "startup" in sections:
            results.startup = time_startup(records[0], Path(workdir), startup_runs)
        if "compare" in sections:
            sizes = endtoend.Sizes.scaled(scale, largest=not args.skip_largest)
            results.endtoend = endtoend.measure_all(
                _invpolicy_executable(), Path(workdir), sizes, repeat, note
            )
    results.load_after = os.getloadavg()[0]
    results.elapsed = time.perf_counter() - started
    return results


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(arguments)
    try:
        results = benchmark(args, arguments)
    except (Aborted, measure.ChildFailed) as exc:
        print(f"benchmarks aborted: {exc}", file=sys.stderr)
        return 1
    print(report.summary(results), end="")
    if args.output != "-":
        output = Path(args.output)
        output.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(output, report.document(results))
        note(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
