"""``invpolicy diff`` of every pair of bundled schools: the time each takes, in process.

Each pair is read once, then diffed ``repeat`` times (the best is kept): the
time is the search alone, from two policies in hand to the regions checked.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

from figures import table
from targets import Target, verdict

from invpolicy.authoring.diff.differ import diff_policies
from invpolicy.loading.catalog import resolve_policy
from invpolicy.loading.parse import read_policy
from invpolicy.plugins.registry import Registry

#: Any two bundled policies are diffed within this many seconds.
TARGET_SECONDS = 2.0


@dataclass(frozen=True)
class DiffSpeed:
    """One pair: the best time of its diff, and how many regions it found."""

    a: str
    b: str
    seconds: float
    regions: int


def time_diffs(names: Sequence[str], registry: Registry, repeat: int) -> list[DiffSpeed]:
    policies = {name: read_policy(resolve_policy(name, registry), registry) for name in names}
    found = []
    for a, b in itertools.combinations(names, 2):
        best = float("inf")
        regions = 0
        for _ in range(repeat):
            start = time.perf_counter()
            result = diff_policies(policies[a], policies[b], registry)
            best = min(best, time.perf_counter() - start)
            regions = len(result.regions)
        found.append(DiffSpeed(a, b, best, regions))
    return found


def diff_table(speeds: Sequence[DiffSpeed]) -> str:
    rows = [
        [f"`{s.a}`", f"`{s.b}`", str(s.regions), f"{s.seconds * 1000:.1f}"]
        for s in sorted(speeds, key=lambda s: -s.seconds)
    ]
    return table(["A", "B", "regions", "ms"], rows, right=[2, 3])


def targets(speeds: Sequence[DiffSpeed]) -> list[Target]:
    slowest = max(speeds, key=lambda s: s.seconds)
    line = (
        f"`invpolicy diff` of any two bundled policies within {TARGET_SECONDS:g} s: the slowest "
        f"pair ({slowest.a}, {slowest.b}) {slowest.seconds:.2f} s, "
        f"{verdict(slowest.seconds, TARGET_SECONDS)}."
    )
    what = "`invpolicy diff`, the slowest pair of bundled policies"
    met = slowest.seconds <= TARGET_SECONDS
    return [Target(line, what, f"{slowest.seconds:.2f} s", f"within {TARGET_SECONDS:g} s", met)]


TEXT = """\
Every pair of bundled schools diffed in the benchmark's own process, the
policies read beforehand: the best of {runs}, each from two policies in hand
to the regions found, merged and their witnesses decided by both policies (the
command adds its start-up, above). Slowest first."""
