"""A broken plugin stops nothing that does not need it (issue 19)."""

from __future__ import annotations

import contextlib
import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy import Criterion, hookimpl
from invpolicy.cli import cli
from invpolicy.errors import PluginError
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry

TYPO = "from invpolicy import hookimpl\n\n@hookimpl\ndef invpolicy_criterias():\n    return []\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed distribution, invpolicy-broken 0.1, whose entry point cannot be imported."""
    site = tmp_path / "site"
    dist = site / "invpolicy_broken-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: invpolicy-broken\nVersion: 0.1\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[invpolicy]\nbroken = invpolicy_broken_nowhere\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv("INVPOLICY_DISABLE_PLUGINS", raising=False)
    importlib.invalidate_caches()
    return site


def _ours(lines: list[str]) -> list[str]:
    """The warnings about the test's plugin (tox may install other plugins)."""
    return [line for line in lines if "broken" in line or "INVPOLICY_DISABLE" in line]


@pytest.mark.usefixtures("site")
def test_a_plugin_that_fails_to_import_is_left_out_with_one_warning() -> None:
    said: list[str] = []
    registry = Registry(make_plugin_manager(report=said.append))
    assert said == [
        "plugin broken (invpolicy_broken_nowhere, from invpolicy-broken 0.1) failed to load and "
        "is left out: ModuleNotFoundError: No module named 'invpolicy_broken_nowhere'; "
        "to switch it off, set INVPOLICY_DISABLE_PLUGINS=broken"
    ]
    assert "met_in_person" in registry.criteria  # the built-ins go on
    assert "broken" not in registry.plugin_names()
    assert registry.broken["broken"].distribution == "invpolicy-broken"
    assert registry.broken_hint() == (
        ": it may come from plugin 'broken', which failed to load: "
        "ModuleNotFoundError: No module named 'invpolicy_broken_nowhere'"
    )


def test_no_broken_plugin_no_hint(registry: Registry) -> None:
    assert registry.broken == {}
    assert registry.broken_hint() == ""


def test_commands_go_on_and_warn_once_on_stderr(site: Path) -> None:
    invitations = site.parent / "invitations.json"
    invitations.write_text('[{"id": "ann", "name": "Ann"}]', encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["decide", str(invitations), "-p", "accept-all", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (warning,) = _ours(result.stderr.splitlines())
    assert warning.startswith("Warning: plugin broken (invpolicy_broken_nowhere, from ")
    assert warning.endswith("set INVPOLICY_DISABLE_PLUGINS=broken")


@pytest.mark.usefixtures("site")
def test_invpolicy_plugins_lists_it_as_broken() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    (broken,) = [b for b in json.loads(result.stdout)["broken"] if b["plugin"] == "broken"]
    assert broken == {
        "plugin": "broken",
        "entry_point": "invpolicy_broken_nowhere",
        "distribution": "invpolicy-broken",
        "version": "0.1",
        "error": "ModuleNotFoundError: No module named 'invpolicy_broken_nowhere'",
    }
    table = CliRunner().invoke(cli, ["plugins", "--format", "table"], catch_exceptions=False)
    assert table.exit_code == 0
    assert "Plugins that failed to load" in table.stdout
    assert "invpolicy-broken 0.1" in table.stdout
    assert "met_in_person" in table.stdout


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize("name", ["broken", "invpolicy_broken_nowhere", "Invpolicy_Broken"])
def test_it_is_switched_off_by_entry_point_module_or_distribution(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INVPOLICY_DISABLE_PLUGINS", name)
    said: list[str] = []
    registry = Registry(make_plugin_manager(report=said.append))
    assert _ours(said) == []
    assert "broken" not in registry.broken


@pytest.mark.usefixtures("site")
def test_a_name_that_switches_off_nothing_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVPOLICY_DISABLE_PLUGINS", "broken, brokn")
    said: list[str] = []
    make_plugin_manager(report=said.append)
    assert said == ["INVPOLICY_DISABLE_PLUGINS: no plugin, module or distribution is named 'brokn'"]


def test_a_misspelled_hook_of_an_installed_plugin_is_left_out_with_a_did_you_mean(
    site: Path,
) -> None:
    (site / "invpolicy_typo_criterias.py").write_text(TYPO, encoding="utf-8")
    (next(site.glob("*.dist-info")) / "entry_points.txt").write_text(
        "[invpolicy]\ntypo = invpolicy_typo_criterias\n", encoding="utf-8"
    )
    importlib.invalidate_caches()
    said: list[str] = []
    registry = Registry(make_plugin_manager(report=said.append))
    assert registry.broken["typo"].error == (
        "unknown hook 'invpolicy_criterias' in plugin typo (did you mean 'invpolicy_criteria'?)"
    )
    assert "typo" not in registry.plugin_names()
    (warning,) = said
    assert "(did you mean 'invpolicy_criteria'?); to switch it off" in warning


def test_a_misspelled_hook_of_a_plugin_object_is_refused_with_a_did_you_mean() -> None:
    class Typo:
        @hookimpl
        def invpolicy_reply_generator(self) -> list[Criterion]:
            return []

    with pytest.raises(
        PluginError,
        match=r"unknown hook 'invpolicy_reply_generator' in plugin Typo "
        r"\(did you mean 'invpolicy_reply_generators'\?\)",
    ):
        make_plugin_manager(entry_points=False, disabled=(), plugins=[Typo()])


# --- a plugin that hangs ------------------------------------------------------------------

HANGING_POLICY = """\
format: 1
name: patient
title: Patient
summary: Uses a plugin that hangs on some invitations.
author: The tests
sources: [{article: tests}]
rules:
  - id: by-headline
    when: {hangs: }
    decision: accept
  - id: default
    decision: decline
"""


class Hanging:
    """A criterion that loops forever on the headline 'loop', even past ``except Exception``."""

    @hookimpl
    def invpolicy_criteria(self) -> list[Criterion]:
        def compile_check(params: object) -> object:
            def check(facts: dict[str, object]) -> bool:
                if facts.get("headline") != "loop":
                    return True
                while True:
                    with contextlib.suppress(Exception):  # what a careless plugin does
                        pass

            return check

        return [Criterion("hangs", "Hangs on 'loop'.", ("headline",), compile_check)]


def test_a_hanging_plugin_is_stopped_and_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from invpolicy.cli import options as cli_module

    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(Hanging(), name="hanging-plugin")
    monkeypatch.setattr(cli_module, "load_registry", lambda: Registry(pm))
    policy = tmp_path / "patient.yaml"
    policy.write_text(HANGING_POLICY, encoding="utf-8")
    invitations = tmp_path / "invitations.yaml"
    invitations.write_text(
        "- {id: ann, name: Ann, headline: loop}\n"
        "- {id: bob, name: Bob, headline: loop}\n"
        "- {id: cleo, name: Cleo, headline: Designer}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            str(invitations),
            "-p",
            str(policy),
            "-p",
            "accept-all",
            "--format",
            "json",
            "--plugin-timeout",
            "0.2",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    rows = {r["invitation"]: r["decisions"] for r in json.loads(result.stdout)["results"]}
    assert {d["accept-all"]["decision"] for d in rows.values()} == {"accept"}
    assert rows["ann"]["patient"]["error"] == (
        "plugin hanging-plugin took longer than 0.2 s (policy 'patient', invitation 'ann')"
    )
    # Switched off for the rest of the run: even where it would not hang.
    assert "was switched off" in rows["bob"]["patient"]["error"]
    assert rows["cleo"]["patient"]["decision"] == "error"
    said = [line for line in result.stderr.splitlines() if "rest of the run" in line]
    assert said == [
        "Warning: plugin hanging-plugin took longer than 0.2 s "
        "and is switched off for the rest of the run"
    ]


@pytest.mark.usefixtures("site")
def test_a_policy_using_a_broken_plugin_s_criterion_names_the_plugin(tmp_path: Path) -> None:
    from invpolicy.errors import InvpolicyError
    from invpolicy.loading.parse import read_policy

    from ..conftest import POLICY_HEADER

    registry = Registry(make_plugin_manager(report=lambda line: None))
    path = tmp_path / "p.yaml"
    path.write_text(
        POLICY_HEADER.format(name="p")
        + "rules:\n  - id: r\n    when: {karma: }\n    decision: accept\n"
        + "  - id: d\n    decision: ignore\n",
        encoding="utf-8",
    )
    with pytest.raises(InvpolicyError) as exc:
        read_policy(path, registry)
    (problem,) = exc.value.problems
    assert problem.message == (
        "rules[0].when.karma: unknown criterion 'karma': it may come from plugin 'broken', "
        "which failed to load: ModuleNotFoundError: No module named 'invpolicy_broken_nowhere'"
    )
