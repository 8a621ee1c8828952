"""One ``--format`` registry for every command: what each offers, and what each format writes."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from invpolicy.cli import COMMANDS, cli
from invpolicy.reporters import FORMATS, KINDS, format_names, reporter_class
from invpolicy.reporters.base import Reporter

from ..conftest import REPO


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _format_choices(name: str) -> list[str] | None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    for param in command.params:
        if param.name == "output_format":
            assert isinstance(param.type, click.Choice)
            return list(param.type.choices)
    return None


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_writes_exactly_the_kinds_it_declares(fmt):
    cls = reporter_class(fmt.name)
    assert issubclass(cls, Reporter) and cls.name == fmt.name
    written = {kind for kind in KINDS if getattr(cls, kind) is not getattr(Reporter, kind)}
    assert written == fmt.writes


def test_every_command_with_a_format_takes_its_choices_from_the_registry():
    offered = {name: _format_choices(name) for name in COMMANDS}
    assert offered == {
        "cache": None,
        "compare": format_names("decisions"),
        "config": None,
        "decide": format_names("decisions"),
        "diff": format_names("diff"),
        "fmt": None,
        "lint": format_names("findings"),
        "new": None,
        "plugins": format_names("plugins"),
        "policies": format_names("policies"),
        "schema": None,
        "show": format_names("policy"),
        "test": format_names("tests"),
        "validate": format_names("validation"),
    }
    # What users knew before the registry, unchanged.
    assert format_names("decisions") == ["table", "json", "jsonl", "csv", "markdown", "html"]
    assert format_names("findings") == format_names("tests") == ["text", "json"]
    assert format_names("policy") == ["yaml", "json"]


def test_an_unknown_kind_is_a_programming_error_named():
    with pytest.raises(ValueError, match="no output is of kind 'decision'"):
        format_names("decision")


def test_a_format_asked_for_a_kind_it_does_not_write_says_so():
    with pytest.raises(TypeError, match="--format csv does not write lint findings"):
        reporter_class("csv")(None).findings([], 0)  # type: ignore[arg-type]


def test_validate_as_json_lists_each_policy_and_its_problems(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    text = (REPO / "policies" / "strong-ties-only.yaml").read_text(encoding="utf-8")
    bad.write_text(
        text.replace("name: strong-ties-only", "name: bad", 1).replace(
            "decision: decline", "decision: nope", 1
        ),
        encoding="utf-8",
    )
    code, out, err = _run("validate", "ask-first", str(bad), "--format", "json")
    assert code == 1 and err == ""
    document = json.loads(out)
    assert (document["valid"], document["invalid"]) == (1, 1)
    good, wrong = document["policies"]
    assert good["valid"] and good["name"] == "ask-first" and good["rules"] > 0
    assert good["path"].endswith("ask-first.yaml") and good["problems"] == []
    assert not wrong["valid"] and wrong["path"] == str(bad) and wrong["name"] is None
    (problem,) = wrong["problems"]
    assert problem["path"] == str(bad) and problem["line"] > 1 and "nope" in problem["message"]


def test_validate_as_json_exits_0_when_every_policy_is_valid():
    code, out, _ = _run("validate", "ask-first", "in-person-only", "--format", "json")
    assert code == 0
    assert [p["name"] for p in json.loads(out)["policies"]] == ["ask-first", "in-person-only"]


def test_validate_as_text_is_unchanged(tmp_path: Path):
    code, out, err = _run("validate", "ask-first", str(tmp_path / "missing.yaml"))
    assert code == 1
    assert out.startswith(str(policy_path("ask-first")) + ": valid (ask-first, ")
    assert err.strip() == f"{tmp_path / 'missing.yaml'}:1:1: no such file"


def policy_path(name: str) -> Path:
    """Where the installed policy ``name`` is read from (the package or the checkout)."""
    from invpolicy.resources import data_dir

    return data_dir("policies") / f"{name}.yaml"
