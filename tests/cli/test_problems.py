"""How the commands print the problems of their input: each thing once, and not too many.

Run as a user runs them: a problem repeated on many rows is one line naming
the other rows; after 20 lines (``--max-problems``, ``INVPOLICY_MAX_PROBLEMS``)
one line says how many more there are; the exit status stays 1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from invpolicy.cli import COMMANDS, cli
from invpolicy.errors import Problem, ProblemDisplay, problem_lines

Write = Callable[[str, str | bytes], Path]

HEADER = "id,name,mutual_connections\n"


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(cli, [str(a) for a in args], catch_exceptions=False)


def problems(result: Result) -> list[str]:
    """The lines on stderr, once the command has failed as bad input does."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


def repeated_csv(write: Write, rows: int = 1000) -> Path:
    """``rows`` invitations, each with the same bad count in column 3."""
    return write("big.csv", HEADER + "".join(f"p{i},P {i},three\n" for i in range(rows)))


def distinct_csv(write: Write, rows: int = 30) -> Path:
    """``rows`` invitations, each with a bad count of its own: ``rows`` distinct problems."""
    return write("many.csv", HEADER + "".join(f"p{i},P {i},x{i}\n" for i in range(rows)))


def expected_distinct(path: Path, rows: range) -> list[str]:
    return [f'{path}:{i + 2}:3: mutual_connections: expected integer, got "x{i}"' for i in rows]


def more_line(count: int) -> str:
    return f"... and {count} more problems (--max-problems 0 shows all)"


def test_a_problem_on_every_row_is_said_once(write: Write) -> None:
    path = repeated_csv(write)
    assert problems(run("decide", path, "-p", "ask-first")) == [
        f'{path}:2:3: mutual_connections: expected integer, got "three" '
        "(and on 999 more rows: lines 3, 4, 5, 6, 7, ...)"
    ]


def test_one_line_for_each_distinct_problem_of_many_rows(write: Write) -> None:
    rows = [
        f"p{i},P {i},{'three' if i % 2 else 'four'},{'lots' if i % 3 else 1}" for i in range(1000)
    ]
    path = write("big.csv", "id,name,mutual_connections,exchanges\n" + "\n".join(rows) + "\n")
    lines = problems(run("compare", path, "-p", "ask-first", "-p", "accept-all"))
    assert [line.split(" (and on ")[0] for line in lines] == [
        f'{path}:2:3: mutual_connections: expected integer, got "four"',
        f'{path}:3:3: mutual_connections: expected integer, got "three"',
        f'{path}:3:4: exchanges: expected integer, got "lots"',
    ]
    assert lines[0].endswith("(and on 499 more rows: lines 4, 6, 8, 10, 12, ...)")
    assert lines[2].endswith("(and on 665 more rows: lines 4, 6, 7, 9, 10, ...)")


def test_a_problem_repeated_a_few_times_names_every_row(write: Write) -> None:
    path = repeated_csv(write, rows=3)
    assert problems(run("decide", path, "-p", "ask-first")) == [
        f'{path}:2:3: mutual_connections: expected integer, got "three" '
        "(and on 2 more rows: lines 3, 4)"
    ]
    path = repeated_csv(write, rows=2)
    assert problems(run("decide", path, "-p", "ask-first"))[0].endswith(
        "(and on 1 more row: line 3)"
    )


def test_twenty_problems_then_how_many_more(write: Write) -> None:
    path = distinct_csv(write)
    lines = problems(run("decide", path, "-p", "ask-first"))
    assert lines == [*expected_distinct(path, range(20)), more_line(10)]


def test_max_problems_0_shows_them_all(write: Write) -> None:
    path = distinct_csv(write)
    lines = problems(run("decide", path, "-p", "ask-first", "--max-problems", "0"))
    assert lines == expected_distinct(path, range(30))


def test_max_problems_sets_the_cap(write: Write) -> None:
    path = distinct_csv(write)
    lines = problems(run("decide", path, "-p", "ask-first", "--max-problems", "5"))
    assert lines == [*expected_distinct(path, range(5)), more_line(25)]
    # One more than the cap: the last line counts it.
    lines = problems(run("decide", path, "-p", "ask-first", "--max-problems", "29"))
    assert lines[-1] == "... and 1 more problem (--max-problems 0 shows all)"
    # As many as the cap: all of them, and nothing more.
    assert problems(run("decide", path, "-p", "ask-first", "--max-problems", "30")) == (
        expected_distinct(path, range(30))
    )


def test_the_cap_counts_the_lines_printed(write: Write) -> None:
    # 25 distinct problems, each on two rows: 25 lines, so 20 and "5 more".
    body = "".join(f"a{i},A,x{i}\nb{i},B,x{i}\n" for i in range(25))
    path = write("twice.csv", HEADER + body)
    lines = problems(run("decide", path, "-p", "ask-first"))
    assert len(lines) == 21
    assert lines[0].endswith('got "x0" (and on 1 more row: line 3)')
    assert lines[-1] == more_line(5)


def test_the_environment_variable_sets_the_cap(write: Write) -> None:
    path = distinct_csv(write)
    env = {"INVPOLICY_MAX_PROBLEMS": "3"}
    lines = problems(run("decide", path, "-p", "ask-first", env=env))
    assert lines == [*expected_distinct(path, range(3)), more_line(27)]
    # The option says last.
    lines = problems(run("decide", path, "-p", "ask-first", "--max-problems", "0", env=env))
    assert len(lines) == 30


def test_a_bad_cap_is_a_usage_error(write: Write) -> None:
    path = distinct_csv(write)
    result = run("decide", path, "-p", "ask-first", "--max-problems", "-1")
    assert result.exit_code == 2
    assert "--max-problems" in result.stderr
    result = run("decide", path, "-p", "ask-first", env={"INVPOLICY_MAX_PROBLEMS": "many"})
    assert result.exit_code == 2
    assert "INVPOLICY_MAX_PROBLEMS" in result.stderr


def test_the_cap_holds_for_compare(write: Write) -> None:
    path = distinct_csv(write)
    lines = problems(run("compare", path, "-p", "ask-first", "--max-problems", "4"))
    assert lines == [*expected_distinct(path, range(4)), more_line(26)]


def broken_policies(write: Write, count: int = 30) -> list[Path]:
    return [write(f"bad{i:02}.yaml", f"format: 1\nname: [x{i}\n") for i in range(count)]


def test_the_cap_holds_for_validate(write: Write) -> None:
    paths = broken_policies(write)
    lines = problems(run("validate", *paths))
    assert len(lines) == 21
    assert (
        lines[0] == f"{paths[0]}:2:7: invalid YAML: this '[' is never closed: add ']' where it ends"
    )
    assert lines[-1] == more_line(10)
    assert len(problems(run("validate", *paths, "--max-problems", "0"))) == 30
    assert problems(run("validate", *paths, "--max-problems", "2"))[-1] == more_line(28)


def test_json_output_is_not_capped(write: Write) -> None:
    paths = broken_policies(write)
    result = run("validate", *paths, "--format", "json", "--max-problems", "2")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert sum(len(entry["problems"]) for entry in report["policies"]) == 30


def test_the_cap_holds_for_test(write: Write, tmp_path: Path) -> None:
    broken_policies(write)
    result = run("test", tmp_path)
    lines = problems(result)
    assert sum(line.startswith(f"{tmp_path}") for line in lines) == 20
    assert more_line(10) in lines
    result = run("test", tmp_path, "--max-problems", "0")
    assert sum(line.startswith(f"{tmp_path}") for line in problems(result)) == 30


def test_test_keeps_its_own_verbose_and_adds_the_parsers_words(write: Write) -> None:
    (path,) = broken_policies(write, 1)
    plain = f"{path}:2:7: invalid YAML: this '[' is never closed: add ']' where it ends"
    assert plain in problems(run("test", path))
    lines = problems(run("test", path, "-v"))
    assert f"{plain} (parser: while parsing a flow sequence at 2:7; " in "\n".join(lines)


def test_verbose_adds_the_parsers_words_to_a_problem_of_every_command(write: Write) -> None:
    path = write("inv.yaml", "- {id: a, name: 'A}\n")
    plain = f"{path}:1:17: invalid YAML: this ' is never closed: end the value with '"
    for command in ("decide", "compare"):
        assert problems(run(command, path, "-p", "ask-first")) == [plain]
        (line,) = problems(run(command, path, "-p", "ask-first", "--verbose"))
        assert line.startswith(f"{plain} (parser: while scanning a quoted scalar at 1:17; ")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_takes_max_problems_and_verbose(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--max-problems N" in result.output
    assert "INVPOLICY_MAX_PROBLEMS" in result.output
    assert "--verbose" in result.output


def test_the_setting_lasts_one_run_only(write: Write) -> None:
    path = distinct_csv(write)
    assert len(problems(run("decide", path, "-p", "ask-first", "--max-problems", "0"))) == 30
    assert len(problems(run("decide", path, "-p", "ask-first"))) == 21


def test_problem_lines_keep_the_order_of_first_occurrence() -> None:
    said = [
        Problem("a.csv", 2, 3, "bad"),
        Problem("a.csv", 3, 1, "other"),
        Problem("a.csv", 4, 3, "bad"),
        Problem("b.csv", 5, 3, "bad"),
        Problem("a.csv", 4, 3, "bad"),  # the same problem twice: once
    ]
    assert problem_lines(said, ProblemDisplay(max_problems=0)) == [
        "a.csv:2:3: bad (and on 1 more row: line 4)",
        "a.csv:3:1: other",
        "b.csv:5:3: bad",
    ]
    assert problem_lines(said, ProblemDisplay(max_problems=1)) == [
        "a.csv:2:3: bad (and on 1 more row: line 4)",
        "... and 2 more problems (--max-problems 0 shows all)",
    ]


@pytest.mark.slow
def test_the_installed_command_caps_and_groups(write: Write, tmp_path: Path) -> None:
    beside = Path(sys.executable).with_name("invpolicy")
    script = str(beside) if beside.exists() else shutil.which("invpolicy")
    assert script, "the invpolicy console script is not installed"
    path = distinct_csv(write)
    env = {**os.environ, "INVPOLICY_MAX_PROBLEMS": "2"}
    done = subprocess.run(
        [script, "decide", str(path), "-p", "ask-first"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [*expected_distinct(path, range(2)), more_line(28)]
