"""The invpolicy-sectors distribution, found as a user's invpolicy finds it: by its entry point.

Nothing here imports the plugin's module: it is reached through
``Registry.default()`` and the installed ``invpolicy`` command. The tests skip
where the distribution is not installed (a bare dev venv); tox installs it and
sets ``INVPOLICY_PLUGIN_TESTS=1``, which turns that skip into a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution, entry_points
from pathlib import Path
from typing import Any

import pytest

from invpolicy import load_policy, read_policy
from invpolicy.loading.catalog import installed_policies
from invpolicy.plugins.registry import Registry
from invpolicy.resources import load_schema
from invpolicy.testing import check_plugin

from ..conftest import EXAMPLES, SCHOOLS, SEEDS

DIST = "invpolicy-sectors"
VERSION = "1.0.0"
ORIGIN = f"{DIST} {VERSION} (plugin sectors)"
GENERATORS = ["german_decline", "german_question", "german_welcome"]


@pytest.fixture(scope="module", autouse=True)
def _installed() -> None:
    try:
        distribution(DIST)
    except PackageNotFoundError:
        how = "pip install --no-deps -e plugins/invpolicy-sectors"
        if os.environ.get("INVPOLICY_PLUGIN_TESTS") == "1":
            pytest.fail(f"INVPOLICY_PLUGIN_TESTS=1 but {DIST} is not installed ({how})")
        pytest.skip(f"{DIST} is not installed here ({how}); tox installs it and runs these")


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Registry:
    """Everything installed, entry points included (the conftest one has none)."""
    monkeypatch.delenv("INVPOLICY_DISABLE_PLUGINS", raising=False)
    return Registry.default()


def _invpolicy(*args: str, disable: str | None = None) -> subprocess.CompletedProcess[str]:
    beside = Path(sys.executable).with_name("invpolicy")
    command = str(beside) if beside.exists() else shutil.which("invpolicy")
    assert command, "the invpolicy console script is not installed"
    env = {key: value for key, value in os.environ.items() if key != "INVPOLICY_DISABLE_PLUGINS"}
    env["COLUMNS"] = "200"
    if disable is not None:
        env["INVPOLICY_DISABLE_PLUGINS"] = disable
    result = subprocess.run(
        [command, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    return result


def _json(*args: str, disable: str | None = None) -> Any:
    result = _invpolicy(*args, "--format", "json", disable=disable)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_distribution_declares_its_entry_point():
    (ep,) = [ep for ep in entry_points(group="invpolicy") if ep.name == "sectors"]
    assert ep.value == "invpolicy_sectors"
    assert ep.dist is not None and (ep.dist.name, ep.dist.version) == (DIST, VERSION)
    assert any(req.startswith("invpolicy") for req in distribution(DIST).requires or [])


def test_the_registry_finds_the_criterion_and_generators_by_entry_point(installed):
    assert "sectors" in installed.plugin_names()
    assert installed.criteria["sector"].facts == ("headline",)
    assert str(installed.origins[("criterion", "sector")]) == ORIGIN
    for name in GENERATORS:
        origin = installed.origins[("reply generator", name)]
        assert (origin.plugin, origin.distribution, origin.version) == ("sectors", DIST, VERSION)
        assert installed.generators[name].languages == ("de",)


def test_the_discovered_plugin_honours_the_contract(installed):
    # The module the entry point loaded, not one imported here.
    check_plugin(installed.pm.get_plugin("sectors"))


def test_its_policy_is_installed_valid_and_cites_the_articles(installed):
    (entry,) = [e for e in installed_policies(installed) if e.origin.plugin == "sectors"]
    assert entry.name == "sector-first" and entry.shadowed_by is None
    assert entry.name not in SCHOOLS
    text = entry.path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        f"# yaml-language-server: $schema={load_schema('policy')['$id']}"
    )
    policy = read_policy(entry.path, installed)
    assert (policy.name, policy.language) == ("sector-first", "de")
    for source in policy.sources:
        # The articles are beside the project in a working copy, not in every clone.
        assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", source.article), source.article
        if SEEDS.is_dir():
            assert (SEEDS / source.article).is_file(), source.article
    assert {example.rule for example in policy.examples} == {rule.id for rule in policy.rules}


def test_the_policy_decides_on_the_sector_and_replies_in_german(installed, make_invitation):
    policy = load_policy("sector-first", installed)
    cases = {
        "Responsable RH": ("accept", "relevant-position", "german_welcome"),
        "Étudiant en master": ("ask", "student", "german_question"),
        "Account executive": ("decline", "sales-without-note", "german_decline"),
    }
    for headline, expected in cases.items():
        decision = policy.decide(make_invitation(headline=headline, language="en"))
        assert decision.reply is not None
        assert (decision.decision, decision.rule, decision.reply.generator) == expected
        assert decision.reply.language == "de"
        assert decision.reply.text.startswith("Guten Tag Alex Martin,")


@pytest.mark.slow
def test_invpolicy_plugins_lists_them_with_the_distribution():
    data = _json("plugins")
    criteria = {c["name"]: c for c in data["criteria"]}
    assert (criteria["sector"]["distribution"], criteria["sector"]["version"]) == (DIST, VERSION)
    generators = {g["name"]: g for g in data["reply_generators"]}
    for name in GENERATORS:
        assert generators[name]["languages"] == ["de"]
        assert generators[name]["distribution"] == DIST
    table = _invpolicy("plugins").stdout
    rows = [" ".join(line.split()) for line in table.splitlines() if "sector" in line]
    assert any(f"│ criterion │ sector │ headline │ {ORIGIN} │" in row for row in rows)
    assert any(f"german_decline │ de; for decline │ {ORIGIN} │" in row for row in rows)


@pytest.mark.slow
def test_invpolicy_policies_lists_the_policy_with_the_distribution():
    (entry,) = [e for e in _json("policies") if e["name"] == "sector-first"]
    assert (entry["plugin"], entry["distribution"], entry["version"]) == ("sectors", DIST, VERSION)
    assert entry["problem"] is None and entry["shadowed_by"] is None
    table = _invpolicy("policies").stdout
    assert any("sector-first" in line and ORIGIN in line for line in table.splitlines()), table


@pytest.mark.slow
def test_invpolicy_validate_finds_the_policy_by_name():
    result = _invpolicy("validate", "sector-first")
    assert result.returncode == 0, result.stderr
    assert "valid (sector-first, 7 rules)" in result.stdout


@pytest.mark.slow
def test_invpolicy_test_runs_its_examples_and_they_cover_every_rule():
    data = _json("test", "sector-first", "--min-coverage", "100")
    assert data["ok"] is True
    (policy,) = data["policies"]
    assert (policy["policy"], policy["failed"], policy["coverage"]) == ("sector-first", 0, 100)
    assert policy["passed"] == len(policy["examples"]) >= policy["rules"]


@pytest.mark.slow
def test_compare_with_its_policy():
    data = _json(
        "compare", str(EXAMPLES / "invitations.yaml"), "-p", "sector-first", "-p", "ask-first"
    )
    assert data["policies"] == ["sector-first", "ask-first"]
    decisions = [row["decisions"]["sector-first"] for row in data["results"]]
    assert len(decisions) == 14
    replies = [d["reply"] for d in decisions if d["reply"]]
    assert replies and all(r["language"] == "de" for r in replies)
    assert {r["generator"] for r in replies} <= set(GENERATORS)


@pytest.mark.slow
def test_compare_without_policies_uses_every_installed_one_including_this():
    data = _json("compare", str(EXAMPLES / "invitations.yaml"))
    assert data["policies"] == [*SCHOOLS, "sector-first"]


@pytest.mark.slow
def test_disabling_the_plugin_hides_all_it_provides():
    data = _json("plugins", disable="sectors")
    assert "sector" not in {c["name"] for c in data["criteria"]}
    assert not set(GENERATORS) & {g["name"] for g in data["reply_generators"]}
    assert "sector-first" not in {e["name"] for e in _json("policies", disable="sectors")}
    result = _invpolicy("validate", "sector-first", disable="sectors")
    assert result.returncode == 1
    assert "no installed policy named 'sector-first'" in result.stderr
    data = _json("compare", str(EXAMPLES / "invitations.yaml"), disable="sectors")
    assert data["policies"] == SCHOOLS
