"""The cache from the command line: --no-cache, INVPOLICY_NO_CACHE, ``invpolicy cache``,
and the light start-up it buys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from invpolicy.cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ONE = '{"id": "ana", "name": "Ana Lima", "met_in_person": true}\n'


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def policies(folder: Path) -> list[Path]:
    return sorted((folder / "policies").glob("*.json"))


@pytest.mark.parametrize("command", ["compare", "decide", "validate", "policies"])
def test_the_commands_that_read_policies_take_no_cache(command: str) -> None:
    shown = run(command, "--help").stdout
    assert "--no-cache" in shown
    assert "INVPOLICY_NO_CACHE" in shown


def test_compare_keeps_its_policies_and_says_the_same_the_second_time(
    cache_folder: Path, tmp_path: Path
) -> None:
    one = tmp_path / "one.jsonl"
    one.write_text(ONE, encoding="utf-8")
    args = ("compare", str(one), "-p", "strong-ties-only", "-p", "ask-first", "--format", "json")
    first = run(*args)
    assert first.exit_code == 0, first.output
    assert len(policies(cache_folder)) == 2
    again = run(*args)
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert len(policies(cache_folder)) == 2


def test_no_cache_and_the_variable_leave_the_folder_alone(
    cache_folder: Path, tmp_path: Path
) -> None:
    one = tmp_path / "one.jsonl"
    one.write_text(ONE, encoding="utf-8")
    assert run("compare", "--no-cache", str(one), "-p", "ask-first").exit_code == 0
    assert run("validate", "ask-first", env={"INVPOLICY_NO_CACHE": "1"}).exit_code == 0
    assert policies(cache_folder) == []
    # --no-cache holds for the command it is given to, not the next one.
    assert run("validate", "ask-first").exit_code == 0
    assert len(policies(cache_folder)) == 1


def test_the_cache_command_shows_the_folder_and_clears_it(cache_folder: Path) -> None:
    assert run("validate", "ask-first", "strong-ties-only").exit_code == 0
    shown = run("cache").stdout.splitlines()
    assert shown[0] == f"folder: {cache_folder}"
    assert shown[1] == "state: on"
    assert shown[2].startswith("entries: 3 (")  # two policies, and the plugins found
    cleared = run("cache", "--clear")
    assert cleared.stdout == f"{cache_folder}: 3 entries deleted\n"
    assert policies(cache_folder) == []
    off = run("cache", env={"INVPOLICY_NO_CACHE": "1"}).stdout
    assert "state: off (INVPOLICY_NO_CACHE)" in off


def test_an_edited_policy_is_read_again(cache_folder: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "format: 1\nname: mine\nextends: strong-ties-only\ntitle: Mine\n", encoding="utf-8"
    )
    assert run("validate", str(mine)).exit_code == 0
    mine.write_text(
        "format: 1\nname: mine\nextends: strong-ties-only\ndrop: [no-such-rule]\n",
        encoding="utf-8",
    )
    result = run("validate", str(mine))
    assert result.exit_code == 1
    assert "no-such-rule" in result.stderr


LIGHT = """
import sys
from invpolicy.cli import main
sys.argv = ["invpolicy", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"jsonschema", "rich", "ruamel", "pluggy"})
print("IMPORTED", *heavy, file=sys.stderr)
"""


def imported(*args: str, cwd: Path, env: dict[str, str] | None = None) -> list[str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("FORCE_COLOR", "TTY_COMPATIBLE")
    }
    done = subprocess.run(
        [sys.executable, "-c", LIGHT, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**environment, **(env or {})},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("IMPORTED"), done.stderr
    return line.split()[1:]


@pytest.mark.slow
def test_a_warm_start_imports_only_what_it_uses(cache_folder: Path, tmp_path: Path) -> None:
    one = tmp_path / "one.jsonl"
    one.write_text(ONE, encoding="utf-8")
    compare = ("compare", str(one), "-p", "strong-ties-only", "--format", "json")
    imported(*compare, cwd=tmp_path)  # fills the cache
    # Valid input, policies from the cache: neither jsonschema nor the YAML parser.
    assert imported(*compare, cwd=tmp_path) == ["pluggy"]
    assert imported("--version", cwd=tmp_path) == []
    imported("validate", "strong-ties-only", cwd=tmp_path)
    assert imported("validate", "strong-ties-only", cwd=tmp_path) == ["pluggy"]
    imported("policies", "--format", "json", cwd=tmp_path)
    assert imported("policies", "--format", "json", cwd=tmp_path) == ["pluggy"]
    # The tables for people, written into a pipe: plain text, without rich.
    table = ("compare", str(one), "-p", "strong-ties-only", "-p", "accept-all")
    assert imported(*table, cwd=tmp_path) == ["pluggy"]
    assert imported("policies", cwd=tmp_path) == ["pluggy"]
    assert "rich" not in imported("plugins", cwd=tmp_path)
    assert "rich" not in imported("diff", "strong-ties-only", "accept-all", cwd=tmp_path)
    # Drawn as for a terminal (colour forced): rich paints the styles.
    assert "rich" in imported(*table, cwd=tmp_path, env={"FORCE_COLOR": "1"})
    # A problem to explain brings jsonschema in, to say what is wrong.
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ana", "name": "Ana", "exchanges": "many"}\n', encoding="utf-8")
    assert "jsonschema" in imported("compare", str(bad), "-p", "ask-first", cwd=tmp_path)


def test_any_value_of_the_variable_leaves_the_commands_working(cache_folder: Path) -> None:
    for value in ("2", "yes", "off", ""):
        result = run("validate", "ask-first", env={"INVPOLICY_NO_CACHE": value})
        assert result.exit_code == 0, (value, result.output)
