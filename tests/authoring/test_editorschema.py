"""``invpolicy schema``: the policy schema with every installed plugin's parameters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from invpolicy.authoring.editorschema import policy_schema
from invpolicy.cli import cli
from invpolicy.cli import options as cli_module
from invpolicy.io.safeload import load_document
from invpolicy.plugins.registry import Registry
from invpolicy.resources import load_schema

from ..conftest import SCHOOLS

POLICIES = Path(__file__).resolve().parents[2] / "policies"


def _errors(schema: dict[str, Any], data: Any) -> list[tuple[list[Any], str]]:
    validator = Draft202012Validator(schema)
    return [(list(e.absolute_path), e.message) for e in validator.iter_errors(data)]


@pytest.fixture(scope="module")
def schema(registry: Registry) -> dict[str, Any]:
    full = policy_schema(registry)
    Draft202012Validator.check_schema(full)
    return full


@pytest.mark.parametrize("name", SCHOOLS)
def test_every_bundled_policy_is_valid_under_the_editor_schema(
    schema: dict[str, Any], name: str
) -> None:
    assert _errors(schema, load_document(POLICIES / f"{name}.yaml").data) == []


def test_the_editor_schema_knows_criteria_and_their_parameters(
    schema: dict[str, Any],
) -> None:
    data = load_document(POLICIES / "strong-ties-only.yaml").data
    data["rules"][0]["when"] = {"met_in_persn": None}
    data["rules"][1]["when"] = {"exchanges": {"at_leest": 1}}
    data["rules"][-1]["reply"]["params"] = {"signatur": "Lou"}
    found = {tuple(path): message for path, message in _errors(schema, data)}
    assert "'met_in_persn' was unexpected" in found[("rules", 0, "when")]
    assert ("rules", 1, "when", "exchanges") in found
    last = len(data["rules"]) - 1
    assert "'signatur' was unexpected" in found[("rules", last, "reply", "params")]
    # The bundled schema alone lets all three through: only plugins know them.
    assert _errors(load_schema("policy"), data) == []


def test_reply_params_of_an_extending_policy_are_checked(schema: dict[str, Any]) -> None:
    data = {
        "format": 1,
        "name": "mine",
        "extends": "strong-ties-only",
        "reply_params": {"three_part_decline": {"signature": "Lou"}},
    }
    assert _errors(schema, data) == []
    data["reply_params"] = {"three_part_decline": {"signatur": "Lou"}, "nope": {}}
    messages = " ".join(message for _, message in _errors(schema, data))
    assert "'signatur' was unexpected" in messages and "'nope' is not one of" in messages


def test_the_command_includes_installed_plugins(
    registry_with_testplugin: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_module, "load_registry", lambda: registry_with_testplugin)
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    data = json.loads(result.stdout)
    condition = data["$defs"]["condition"]["properties"]
    assert condition["fact"]["description"].startswith("The named fact, read as a boolean.")
    assert data["$defs"]["criterion.fact"]["required"] == ["fact"]
    assert "hallo" in data["$defs"]["reply"]["properties"]["generator"]["enum"]

    plain = CliRunner().invoke(cli, ["schema", "--no-plugins"], catch_exceptions=False)
    assert json.loads(plain.stdout) == load_schema("policy")
    invitation = CliRunner().invoke(cli, ["schema", "invitation"], catch_exceptions=False)
    assert json.loads(invitation.stdout) == load_schema("invitation")


def test_the_editor_schema_says_what_extends_allows(schema: dict[str, Any]) -> None:
    both = {"format": 1, "name": "mine", "extends": "strong-ties-only", "rules": []}
    assert any("should not be valid" in message for _, message in _errors(schema, both))
    alone = load_document(POLICIES / "accept-all.yaml").data
    alone["drop"] = ["take-everyone"]
    assert any("'extends' is a dependency of 'drop'" in m for _, m in _errors(schema, alone))
