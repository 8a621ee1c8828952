"""A plugin that fails on one invitation: named, the rest of the run completes, exit 1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from invpolicy import Criterion, ReplyGenerator, hookimpl
from invpolicy.cli import cli
from invpolicy.cli import options as cli_module
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry

Write = Callable[[str, str | bytes], Path]

INVITATIONS = """\
- {id: ann, name: Ann, headline: Engineer}
- {id: bob, name: Bob, headline: boom}
- {id: cleo, name: Cleo, headline: Designer}
- {id: dan, name: Dan, headline: Writer}
"""

POLICY = """\
format: 1
name: fragile
title: Fragile
summary: Uses a plugin that breaks on some invitations.
author: The tests
sources: [{{article: tests}}]
rules:
  - id: by-headline
    when: {{{criterion}: }}
    decision: accept
  - id: default
    decision: decline
    reply: {{generator: {generator}}}
"""


class Fragile:
    """Fails on Bob's headline ('boom'), or writes nothing for Dan."""

    @hookimpl
    def invpolicy_criteria(self) -> list[Criterion]:
        def compile_check(params: Any) -> Any:
            def check(facts: Any) -> Any:
                headline = facts.get("headline")
                if headline == "boom":
                    raise ValueError("cannot read this headline")
                if headline == "Designer":
                    return "yes"  # not a bool: a broken contract
                return headline == "Engineer"

            return check

        return [Criterion("fragile", "Breaks on some headlines.", ("headline",), compile_check)]

    @hookimpl
    def invpolicy_reply_generators(self) -> list[ReplyGenerator]:
        def compile_render(params: Any) -> Any:
            return lambda facts, language: "" if facts["name"] == "Dan" else "No, thanks."

        return [ReplyGenerator("mute", "Sometimes silent.", ("en",), compile_render)]


@pytest.fixture
def fragile(write: Write, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(Fragile(), name="fragile-plugin")
    monkeypatch.setattr(cli_module, "load_registry", lambda: Registry(pm))
    policy = write("fragile.yaml", POLICY.format(criterion="fragile", generator="mute"))
    return write("invitations.yaml", INVITATIONS), policy


def test_the_run_completes_and_each_failure_is_named(fragile: tuple[Path, Path]) -> None:
    invitations, policy = fragile
    result = CliRunner().invoke(
        cli,
        ["compare", str(invitations), "-p", str(policy), "-p", "accept-all", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    decisions = {row["invitation"]: row["decisions"] for row in data["results"]}
    # Every invitation is in the report; the other policy decided all of them.
    assert list(decisions) == ["ann", "bob", "cleo", "dan"]
    assert {d["accept-all"]["decision"] for d in decisions.values()} == {"accept"}
    assert decisions["ann"]["fragile"]["decision"] == "accept"
    for ident in ("bob", "cleo", "dan"):
        assert decisions[ident]["fragile"]["decision"] == "error"
    assert decisions["bob"]["fragile"]["error"] == (
        "criterion 'fragile' of plugin fragile-plugin failed: ValueError: cannot read this "
        "headline (policy 'fragile', invitation 'bob')"
    )
    assert "returned str, expected True, False or None" in decisions["cleo"]["fragile"]["error"]
    assert decisions["dan"]["fragile"]["error"] == (
        "reply generator 'mute' of plugin fragile-plugin wrote no text "
        "(policy 'fragile', invitation 'dan')"
    )
    assert data["summary"]["decisions"]["fragile"] == {"accept": 1, "error": 3}
    assert len(data["summary"]["errors"]) == 3
    lines = result.stderr.splitlines()
    assert lines[0].startswith("plugin error: criterion 'fragile' of plugin fragile-plugin")
    assert "invitation 'bob'" in lines[0]
    assert lines[-1] == (
        "Error: 3 decisions could not be made (see above); the report marks them 'error'"
    )
    assert "Traceback" not in result.output


def test_the_table_marks_the_failed_cells_and_a_file_is_still_written(
    fragile: tuple[Path, Path], tmp_path: Path
) -> None:
    invitations, policy = fragile
    runner = CliRunner()
    table = runner.invoke(cli, ["decide", str(invitations), "-p", str(policy)])
    assert table.exit_code == 1
    rows = [line.split() for line in table.stdout.splitlines() if "ann" in line or "bob" in line]
    assert rows[0][1:4] == ["ann", "│", "accept"]
    assert rows[1][1:4] == ["bob", "│", "error"]
    assert "fragile: 1 accept, 3 error" in table.stdout

    out = tmp_path / "report.csv"
    written = runner.invoke(
        cli, ["decide", str(invitations), "-p", str(policy), "--format", "csv", "-o", str(out)]
    )
    assert written.exit_code == 1
    assert f"Wrote {out}" in written.stderr
    import csv

    with out.open(encoding="utf-8", newline="") as stream:
        cells = [
            (row["invitation"], row["decision"], row["error"]) for row in csv.DictReader(stream)
        ]
    assert [cell[:2] for cell in cells] == [
        ("ann", "accept"),
        ("bob", "error"),
        ("cleo", "error"),
        ("dan", "error"),
    ]
    assert "wrote no text" in cells[3][2]


def test_the_library_raises_for_one_decision(
    fragile: tuple[Path, Path], make_invitation: Any
) -> None:
    from invpolicy import load_policy
    from invpolicy.errors import PluginError

    _, policy = fragile
    compiled = load_policy(policy, cli_module.load_registry())
    with pytest.raises(PluginError, match="plugin fragile-plugin failed: ValueError"):
        compiled.decide(make_invitation(headline="boom"))
