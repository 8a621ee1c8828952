"""docs/diff.md shows what ``invpolicy diff`` finds between every pair of bundled schools.

The section between the markers is written from the diffs themselves: when a
bundled policy changes, this test fails and says how to write it again
(``INVPOLICY_WRITE_DOCS=1``, then review the change).
"""

from __future__ import annotations

import itertools
import json
import os

from invpolicy.authoring.diff.differ import Diff

from ..conftest import REPO, SCHOOLS
from .test_diff import diff_of

DOC = REPO / "docs" / "diff.md"
START = "<!-- pairs: written by tests/authoring/test_diff_docs.py -->\n"
END = "<!-- end of pairs -->\n"


def _pair(found: Diff) -> str:
    lines = [f"### {found.a} and {found.b}\n"]
    if found.equivalent:
        return lines[0] + "\nThey decide alike for every invitation.\n"
    count = len(found.regions)
    lines.append(f"\n{count} region{'s' if count != 1 else ''}:\n\n")
    lines.append(f"| {found.a} | {found.b} | for example |\n|---|---|---|\n")
    for region in found.regions:
        facts = {k: v for k, v in region.witness.items() if k not in ("id", "name")}
        shown = f"`{json.dumps(facts, ensure_ascii=False)}`" if facts else "nothing known"
        shown = shown.replace("|", "\\|")
        lines.append(
            f"| {region.a.decision} (`{region.a.rule}`) | {region.b.decision} "
            f"(`{region.b.rule}`) | {shown} |\n"
        )
    return "".join(lines)


def pairs_section() -> str:
    parts = [_pair(diff_of(a, b)) for a, b in itertools.combinations(SCHOOLS, 2)]
    return START + "\n" + "\n".join(parts) + "\n" + END


def test_the_pairwise_differences_in_the_docs_are_those_diff_finds() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    wanted = before + pairs_section() + after
    if os.environ.get("INVPOLICY_WRITE_DOCS") == "1":
        DOC.write_text(wanted, encoding="utf-8")
    assert text == wanted, (
        "docs/diff.md is out of date: run INVPOLICY_WRITE_DOCS=1 pytest "
        "tests/authoring/test_diff_docs.py, and review the change"
    )


def test_the_worked_example_is_what_the_command_prints() -> None:
    from click.testing import CliRunner

    from invpolicy.cli import cli

    shown = CliRunner().invoke(
        cli, ["diff", "strong-ties-only", "in-person-only", "--format", "markdown"]
    )
    assert shown.exit_code == 1
    rows = [line for line in shown.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) == 9  # the header and eight regions
    text = DOC.read_text(encoding="utf-8")
    for row in rows:
        assert row in text, row
