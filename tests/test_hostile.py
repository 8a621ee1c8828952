"""Hostile files through the command line, in the cases the other test files leave out.

Binary data, bad encodings, tags, merge keys, alias bombs, duplicate keys and
moderate nesting are in test_loading.py, test_cli.py and test_inputs.py; size
limits in test_limits.py. Here: text from the file that would break the
``path:line:col: message`` lines or steer the terminal, escaped surrogates that
no output can encode, and nesting deep enough to exhaust the parser's
recursion. tests/test_properties.py draws such files at random.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from invpolicy.cli import cli

POLICIES = Path(__file__).resolve().parent.parent / "policies"

Write = Callable[[str, str | bytes], Path]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def accept_all_with(extra: str) -> str:
    """The bundled accept-all policy, with ``extra`` YAML lines at the end."""
    return (POLICIES / "accept-all.yaml").read_text(encoding="utf-8") + extra


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('"bad\\nkey": 1\n', "unknown key"),
        ('"bad\\rkey": 1\n', "unknown key"),
        (
            'scoring:\n  - id: s\n    weight: 1\n    when: {"met\\nin_person": }\n',
            "unknown criterion",
        ),
    ],
    ids=["line feed in a key", "carriage return in a key", "line feed in a criterion name"],
)
def test_a_line_break_in_a_name_keeps_the_problem_on_one_line(
    write: Write, extra: str, message: str
) -> None:
    path = write("accept-all.yaml", accept_all_with(extra))
    result = run("validate", str(path))
    assert result.exit_code == 1
    # One problem, one line: a line break quoted from the file would start a
    # line that names no file.
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}:")
    assert message in lines[0]


def test_escape_sequences_in_a_file_reach_the_terminal_inert(write: Write) -> None:
    """As in the tables (test_outputs.py), a problem line shows control characters as escapes."""
    # An OSC 8 link, a screen clear and a right-to-left override, in a key.
    key = '"\\e]8;;http://e.example\\e\\\\\\e[2J\\u202e"'
    path = write("accept-all.yaml", accept_all_with(f"{key}: 1\n"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}:")
    assert "unknown key" in lines[0]
    assert "\x1b" not in lines[0], lines[0]
    assert "\u202e" not in lines[0], lines[0]


@pytest.mark.parametrize("command", ["validate", "compare"])
def test_nesting_far_past_the_limit_is_one_clean_line(write: Write, command: str) -> None:
    """Deep enough to exhaust the YAML parser's recursion, not only the nesting limit."""
    path = write("deep.yaml", "[" * 1_000 + "\n")
    policy = [] if command == "validate" else ["-p", "accept-all"]
    result = run(command, str(path), *policy)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}:1:")
    assert "nesting is too deep" in lines[0]
    assert result.stdout == ""


def test_an_emoji_escaped_as_json_escapes_it_reads_as_the_emoji(write: Write) -> None:
    """JSON writes a character outside the BMP as two escapes (Python's json.dumps does
    by default); the file means the character."""
    path = write("invitations.json", '[{"id": "a", "name": "Zo\\u00eb \\ud83d\\ude00"}]\n')
    for output in ("table", "json"):
        result = run("compare", str(path), "-p", "accept-all", "--format", output)
        assert result.exception is None, result.exception
        assert result.exit_code == 0, result.output
        assert "Zoë 😀" in result.stdout


@pytest.mark.parametrize("where", ["invitation", "policy"])
def test_an_escaped_lone_surrogate_does_not_crash_the_report(write: Write, where: str) -> None:
    """``"\\ud800"`` in YAML is no character at all: a clean error, or a report, not a crash."""
    lone = '"Ann \\ud800"'
    invitations = write(
        "invitations.yaml", f"- id: a\n  name: {lone if where == 'invitation' else 'Ann'}\n"
    )
    policy = (POLICIES / "accept-all.yaml").read_text(encoding="utf-8")
    if where == "policy":
        policy = "\n".join(
            f"title: {lone}" if line.startswith("title:") else line for line in policy.splitlines()
        )
    path = write("accept-all.yaml", policy)
    result = run("compare", str(invitations), "-p", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
