"""The installed ``invpolicy`` command, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
EXAMPLES = TESTS.parent / "examples"
LINKEDIN_EXPORT = EXAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-01-2026"

# Every test here starts a new Python process (the console script, or python -c).
pytestmark = pytest.mark.slow


def _invpolicy() -> str:
    beside = Path(sys.executable).with_name("invpolicy")
    found = str(beside) if beside.exists() else shutil.which("invpolicy")
    assert found, "the invpolicy console script is not installed"
    return found


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [_invpolicy(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_compare_from_any_directory(tmp_path):
    from importlib.metadata import entry_points

    # Only the bundled policies: tox installs invpolicy-sectors, which ships one more.
    plugins = ",".join(ep.name for ep in entry_points(group="invpolicy"))
    env = {**os.environ, "INVPOLICY_DISABLE_PLUGINS": plugins}
    result = _run(
        "compare", str(EXAMPLES / "invitations.yaml"), "--format", "json", cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["policies"]) == 7
    assert len(data["results"]) == 14


def test_a_bad_policy_exits_1_without_traceback(tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("format: 1\nname: mine\nrules: [}\n", encoding="utf-8")
    result = _run("validate", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}:3:")
    assert "Traceback" not in result.stderr


def test_an_entry_point_plugin_is_discovered_in_a_fresh_process(tmp_path, testplugin_site):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(testplugin_site), str(TESTS / "plugins")])
    result = _run("plugins", "--format", "json", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    criteria = {c["name"]: c for c in json.loads(result.stdout)["criteria"]}
    assert criteria["fact"]["distribution"] == "invpolicy-testplugin"

    env["INVPOLICY_DISABLE_PLUGINS"] = "testplugin"
    result = _run("plugins", "--format", "json", cwd=tmp_path, env=env)
    assert "fact" not in {c["name"] for c in json.loads(result.stdout)["criteria"]}


@pytest.mark.parametrize(
    "module", ["jsonschema", "rich", "ruamel.yaml", "pluggy", "invpolicy.reporters"]
)
def test_start_up_does_not_import_what_only_commands_need(module):
    code = f"import invpolicy.cli, sys; print({module!r} in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_the_linkedin_workflow_end_to_end(tmp_path):
    for name in ("Invitations.csv", "Connections.csv"):
        shutil.copy(LINKEDIN_EXPORT / name, tmp_path / name)
    export = (tmp_path / "Invitations.csv").read_bytes()
    three = ["-p", "strong-ties-only", "-p", "ask-first", "-p", "quality-over-quantity"]
    base = ["Invitations.csv", "--connections", "Connections.csv"]
    result = _run("compare", *base, *three, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Not decided: 2 outgoing, 1 already connected." in result.stdout
    assert "decided without: met_in_person" in result.stdout
    # Nadia, met in person; the other questions skipped; answers saved beside the export.
    answers = "y\n" + "\n" * 12 + "y\n"
    result = subprocess.run(
        [_invpolicy(), "decide", *base, "-p", "strong-ties-only", "--interactive"],
        cwd=tmp_path,
        input=answers,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Saved 1 answer to Invitations.facts.yaml." in result.stdout
    assert (tmp_path / "Invitations.csv").read_bytes() == export
    result = _run(
        "compare",
        *base,
        *three,
        "--facts",
        "Invitations.facts.yaml",
        "--what-if",
        "--format",
        "json",
        cwd=tmp_path,
    )
    data = json.loads(result.stdout)
    nadia = next(r for r in data["results"] if r["invitation"] == "nadia-benali-5e0c")
    assert nadia["decisions"]["strong-ties-only"]["decision"] == "accept"
    assert data["skipped"] == {"outgoing": 2, "already connected": 1}
    result = _run(
        "compare", *base, *three, "--format", "html", "--output", "report.html", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "nadia-benali-5e0c" in (tmp_path / "report.html").read_text(encoding="utf-8")
