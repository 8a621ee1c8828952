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

POLICIES = Path(__file__).resolve().parents[2] / "policies"

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
    """``"\\ud800"`` in YAML is no character at all: refused at its place, not a crash."""
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
    where_it_is = f"{invitations}:2:9" if where == "invitation" else f"{path}:4:8"
    assert (result.exit_code, result.stderr) == (
        1,
        f"{where_it_is}: \\ud800 is half of a UTF-16 surrogate pair, not a character\n",
    )


# Found by a review of the limits: ways round them, and commands that quoted raw text.


def test_an_alias_cannot_carry_nesting_past_the_limit(write: Write) -> None:
    # Each anchor nests 30 levels and holds the one before: 2 KB, 90 levels deep.
    lines = ["a0: &a0 " + "[" * 30 + "]" * 30]
    for i in (1, 2):
        lines.append(f"a{i}: &a{i} " + "[" * 30 + f"*a{i - 1}" + "]" * 30)
    path = write("deep.yaml", "\n".join(lines) + "\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    # At the anchored value that the alias on line 3 would put too deep.
    assert result.stderr == f"{path}:2:5: nesting is too deep (more than 64 levels)\n"


@pytest.mark.parametrize("number", ["0x" + "f" * 4000, "0b1" + "0" * 64, str(2**64)])
def test_a_whole_number_over_64_bits_is_refused_however_it_is_written(
    write: Write, number: str
) -> None:
    path = write("inv.yaml", f"- id: a\n  name: A\n  mutual_connections: {number}\n")
    result = run("compare", str(path), "-p", "common-ground", "--explain")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:3:23: '{number[:37]}")
    assert result.stderr.endswith("is too large a number (more than 64 bits)\n")


def test_json_lines_are_held_to_the_limits_at_any_depth(write: Write) -> None:
    records = [
        '{"id": "a", "name": "A", "x": {"y": ["' + "m" * 50_001 + '"]}}',
        '{"id": "b", "name": "B", "x": {"k": "\\ud83d"}}',
        '{"id": "c", "name": "C", "x": ' + "[" * 70 + "]" * 70 + "}",
        '{"id": "d", "name": "D", "mutual_connections": ' + str(2**64) + "}",
    ]
    path = write("inv.jsonl", "\n".join(records) + "\n")
    result = run("compare", str(path), "-p", "ask-first")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:1:26: x.y[0]: a text of 50001 characters is too long (at most 50000)",
        f"{path}:2:26: x.k: \\ud83d is half of a UTF-16 surrogate pair, not a character",
        f"{path}:3:26: x{'[0]' * 64}: nesting is too deep (more than 64 levels)",
        f"{path}:4:26: mutual_connections: {2**64} is too large a number (more than 64 bits)",
    ]


def test_lint_and_test_print_a_hostile_name_on_one_inert_line(write: Write) -> None:
    policy = accept_all_with('"bad\\nkey\\e[2J\\u202e": 1\n').replace(
        "  - name: ", '  - name: "evil\\e[2J\\nname\\u202e"\n    x: ', 1
    )
    path = write("accept-all.yaml", policy)
    for command in ("lint", "test"):
        result = run(command, str(path))
        assert result.exit_code == 1
        for line in result.output.splitlines():
            assert "\x1b" not in line and "\u202e" not in line
        assert "bad\\nkey\\x1b[2J\\u202e" in result.output


def test_an_example_with_a_null_name_gets_a_made_up_one(write: Write) -> None:
    text = (POLICIES / "accept-all.yaml").read_text(encoding="utf-8")
    first = text.index("    invitation:\n      name: ")
    end = text.index("\n", first + len("    invitation:\n      name: "))
    path = write("accept-all.yaml", text[:first] + "    invitation:\n      name: null" + text[end:])
    result = run("validate", str(path))
    assert (result.exit_code, result.stderr) == (0, "")


def test_the_output_may_not_replace_a_policy_that_a_compared_one_extends(
    write: Write, tmp_path: Path
) -> None:
    parent = write("accept-all.yaml", (POLICIES / "accept-all.yaml").read_text(encoding="utf-8"))
    before = parent.read_bytes()
    child = write("mine.yaml", "format: 1\nname: mine\nextends: ./accept-all.yaml\n")
    invitations = write("inv.yaml", "- {id: a, name: A}\n")
    result = run("compare", str(invitations), "-p", str(child), "-o", str(parent))
    assert result.exit_code == 2
    assert "would overwrite an input file" in result.stderr
    assert parent.read_bytes() == before


def test_answers_reach_an_invitation_whose_id_is_an_escaped_surrogate_pair(
    write: Write,
) -> None:
    path = write("pending.yaml", '- id: "a\\ud83d\\ude00"\n  name: "\\ud83d\\ude00"\n')
    result = CliRunner().invoke(
        cli, ["decide", str(path), "-p", "strong-ties-only", "-i"], input="y\n"
    )
    assert result.exit_code == 0, result.output
    assert "met_in_person: true" in path.read_text(encoding="utf-8")
