"""What one might write instead of ``invpolicy compare``: a short script on the library.

    python benchmarks/baseline.py INVITATIONS OUT POLICY...

Reads INVITATIONS (a JSON array, JSON Lines, or a YAML list, by its
extension), decides each invitation with each POLICY through invpolicy's
library (``load_policy`` once each, then ``decide``), and writes the results
to OUT as compact JSON: the same ``policies``, ``results`` and ``summary`` as
``invpolicy compare --format json`` (which writes it indented). The benchmarks
time it beside the command, on the same file, so that the ratio is the cost of
the command's own work around the decisions (reading and checking the file
with positions for error messages, streaming, the report), not the engine's.

It is the plain way: every invitation read at once and checked by
``Invitation.from_dict``, the whole document made then written by
``json.dumps``. No error handling beyond what the library raises.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

from invpolicy import Invitation, load_policy


def read(path: Path) -> list[dict[str, Any]]:
    """The invitations of a JSON array, JSON Lines or YAML file."""
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]
    if path.suffix == ".json":
        data = json.loads(path.read_bytes())
    else:
        from ruamel.yaml import YAML

        data = YAML(typ="safe").load(path)
    invitations: list[dict[str, Any]] = data["invitations"] if isinstance(data, dict) else data
    return invitations


def main(argv: list[str]) -> None:
    source, out = Path(argv[0]), Path(argv[1])
    policies = [load_policy(name) for name in argv[2:]]
    names = [policy.name for policy in policies]
    invitations = [Invitation.from_dict(record) for record in read(source)]
    results = []
    counts = {name: Counter[str]() for name in names}
    pairs = Counter[tuple[str, str]]()
    agreed = 0
    for invitation in invitations:
        decisions = {p.name: p.decide(invitation) for p in policies}
        agree = len({d.decision for d in decisions.values()}) <= 1
        agreed += agree
        for name, decision in decisions.items():
            counts[name][decision.decision] += 1
        for a, b in combinations(names, 2):
            same = decisions[a].decision == decisions[b].decision
            pairs[a, b] += same
            pairs[b, a] += same
        results.append(
            {
                "invitation": invitation.id,
                "name": invitation.name,
                "agree": agree,
                "decisions": {name: d.to_json() for name, d in decisions.items()},
            }
        )
    summary = {
        "invitations": len(invitations),
        "agreed": agreed,
        "decisions": {name: dict(sorted(c.items())) for name, c in counts.items()},
        "agreement": {
            a: {b: round(pairs[a, b] / len(invitations), 4) for b in names if b != a} for a in names
        },
    }
    document = {"policies": names, "results": results, "summary": summary}
    out.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    main(sys.argv[1:])
