"""Command-line habits: pipes closed early, output for pipes, examples in --help,
shell completion, and the pager on a terminal."""

from __future__ import annotations

import glob
import io
import os
import select
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from invpolicy.cli import COMMANDS, cli
from invpolicy.cli import pager as pager_module
from invpolicy.reporters.screen import NoTrailingSpaces, Screen, TerminalScreen, open_screen

try:
    import fcntl
    import pty
    import termios
except ImportError:  # Windows
    pty = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
INVITATIONS = str(EXAMPLES / "invitations.yaml")

needs_pty = pytest.mark.skipif(pty is None, reason="no pseudo-terminal on this system")


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _invpolicy() -> str:
    beside = Path(sys.executable).with_name("invpolicy")
    found = str(beside) if beside.exists() else shutil.which("invpolicy")
    assert found, "the invpolicy console script is not installed"
    return found


def _commands() -> dict[str, click.Command]:
    """Every command, and the subcommands of a group (``new policy``)."""
    ctx = click.Context(cli)
    found: dict[str, click.Command] = {}
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        found[name] = command
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                found[f"{name} {sub.name}"] = sub
    return found


# A pipe closed early


@pytest.mark.slow
def test_a_pipe_closed_by_head_ends_the_command_quietly(tmp_path: Path) -> None:
    # 100 kB: more than a pipe holds, so the writes after head has gone do fail.
    writer = subprocess.Popen(
        [_invpolicy(), "compare", INVITATIONS, "--explain", "--replies"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert writer.stdout is not None and writer.stderr is not None
    head = subprocess.Popen(["head", "-n", "3"], stdin=writer.stdout, stdout=subprocess.PIPE)
    writer.stdout.close()  # head alone reads it: once it has gone, a write fails
    shown, _ = head.communicate(timeout=120)
    with writer.stderr:
        stderr = writer.stderr.read().decode()
    assert writer.wait(timeout=120) == 0, stderr
    assert stderr == ""
    assert len(shown.decode().splitlines()) == 3


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["compare", INVITATIONS],
        ["decide", INVITATIONS, "-p", "ask-first", "--format", "json"],
        ["validate", "ask-first"],  # one line, still in the buffer at exit
        ["schema"],
        ["--help"],
    ],
    ids=lambda args: args[0],
)
def test_a_reader_gone_before_the_first_line_is_no_error(args: list[str], tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # every write to the pipe fails
    try:
        result = subprocess.run(
            [_invpolicy(), *args], stdout=write, stderr=subprocess.PIPE,
            cwd=tmp_path, timeout=120, check=False,
        )  # fmt: skip
    finally:
        os.close(write)
    assert result.stderr.decode() == ""
    assert result.returncode == 0


# Output for pipes


@pytest.mark.parametrize(
    "args",
    [
        ["compare", INVITATIONS, "--explain", "--replies", "--what-if"],
        ["compare", INVITATIONS, "-p", "ask-first", "-p", "in-person-only"],
        ["decide", INVITATIONS, "-p", "quality-over-quantity"],
        ["policies"],
        ["policies", "--long"],
        ["plugins"],
    ],
    ids=lambda args: " ".join("FILE" if arg == INVITATIONS else arg for arg in args),
)
def test_tables_written_to_a_pipe_end_no_line_with_a_space(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 5
    assert [line for line in lines if line.endswith(" ")] == []


@pytest.mark.slow
def test_the_installed_command_piped_ends_no_line_with_a_space(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    result = subprocess.run(
        [_invpolicy(), "compare", INVITATIONS], capture_output=True, text=True,
        encoding="utf-8", cwd=tmp_path, env=env, timeout=120, check=True,
    )  # fmt: skip
    assert "policies compared" in result.stdout
    assert [line for line in result.stdout.splitlines() if line.endswith(" ")] == []


def test_spaces_are_dropped_only_where_a_line_ends() -> None:
    out = io.StringIO()
    stream = NoTrailingSpaces(out)
    for chunk in ["a  b   ", "  c  ", "\n", "   \n", "d ", " \ne", "  ", "f\n"]:
        stream.write(chunk)
    assert out.getvalue() == "a  b     c\n\nd\ne  f\n"


def test_a_terminal_keeps_its_lines_whole_and_a_pipe_drops_their_ending_spaces() -> None:
    out = io.StringIO()
    terminal = open_screen(out, color=True)
    assert isinstance(terminal, TerminalScreen) and terminal.file is out
    plain = open_screen(out, color=None)
    assert type(plain) is Screen and isinstance(plain.file, NoTrailingSpaces)


# Examples in --help


def test_every_command_ends_its_help_with_examples() -> None:
    for name, command in _commands().items():
        epilog = command.epilog or ""
        assert epilog.startswith("\b\nExamples:\n"), name
        examples = [line for line in epilog.splitlines() if " invpolicy " in f" {line} "]
        assert 1 <= len(examples) <= 3, name
        assert all(f"invpolicy {name.split()[0]}" in line for line in examples), name
        # Last in --help, line by line as written.
        help_lines = [line.strip() for line in run(*name.split(), "--help").stdout.splitlines()]
        written = [line.strip() for line in epilog.splitlines()[1:]]
        assert help_lines[-len(written) :] == written, name


@pytest.mark.parametrize("columns", ["80", "60", "200"])
def test_the_list_of_commands_gives_each_summary_whole(columns: str) -> None:
    listing = run("--help", env={"COLUMNS": columns}).stdout.split("Commands:")[1]
    assert "..." not in listing
    listing = " ".join(listing.split())
    for name, command in _commands().items():
        if " " not in name:
            assert f"{name} {command.short_help}" in listing


def _example_commands(epilog: str) -> list[str]:
    """The shell lines of an epilog's examples, continuation lines joined."""
    text = epilog.split("Examples:\n", 1)[1].replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _run_example(line: str, cwd: Path) -> None:
    for part in line.split("&&"):
        words = shlex.split(part)
        env = {}
        while "=" in words[0]:
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        if ">" in words:
            words = words[: words.index(">")]
        assert words.pop(0) == "invpolicy", line
        args = [found for word in words for found in (sorted(glob.glob(word)) or [word])]
        result = run(*args, env=env)
        # diff exits as diff(1) does: 1 says that the two policies differ.
        allowed = (0, 1) if args[0] == "diff" else (0,)
        assert result.exit_code in allowed, f"{line}\n{result.output}"


@pytest.mark.slow
def test_every_example_runs_from_a_clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = set()
    for name, command in _commands().items():
        for i, line in enumerate(_example_commands(command.epilog or "")):
            if line in seen:
                continue
            seen.add(line)
            # Each in a clone of its own: examples write files (new, --output).
            work = tmp_path / f"{name.replace(' ', '-')}-{i}" / "clone"
            shutil.copytree(EXAMPLES, work / "examples")
            shutil.copytree(REPO / "policies", work / "policies")
            monkeypatch.chdir(work)
            _run_example(line, work)
    assert len(seen) >= 2 * len(COMMANDS)


# Shell completion


def _completions(args: list[str], incomplete: str) -> list[tuple[str, str]]:
    complete = ShellComplete(cli, {}, "invpolicy", "_INVPOLICY_COMPLETE")
    return [(item.value, item.type) for item in complete.get_completions(args, incomplete)]


@pytest.mark.parametrize(
    "args",
    [
        ["decide", INVITATIONS, "--policy"],
        ["decide", INVITATIONS, "-p"],
        ["compare", INVITATIONS, "-p"],
        ["compare", INVITATIONS, "-p", "strong-ties-only", "--policy"],
        ["show"],
        ["lint"],
        ["validate"],
        ["test"],
    ],
    ids=" ".join,
)
def test_a_policy_completes_to_the_installed_names(args: list[str]) -> None:
    assert _completions(args, "ask") == [("ask-first", "plain")]
    names = [value for value, _ in _completions(args, "")]
    assert {"accept-all", "ask-first", "strong-ties-only"} <= set(names)


def test_a_policy_that_no_name_starts_completes_as_a_path() -> None:
    assert _completions(["decide", INVITATIONS, "-p"], "policies/as") == [("policies/as", "file")]


@pytest.mark.slow
def test_the_installed_command_completes_for_bash(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "_INVPOLICY_COMPLETE": "bash_complete",
        "COMP_WORDS": "invpolicy compare x.yaml -p str",
        "COMP_CWORD": "4",
    }
    result = subprocess.run(
        [_invpolicy()], env=env, capture_output=True, text=True, cwd=tmp_path,
        timeout=120, check=True,
    )  # fmt: skip
    assert result.stdout.splitlines() == ["plain,strong-ties-only"]
    for shell, says in [("bash", "complete -o nosort"), ("zsh", "compdef"), ("fish", "complete")]:
        env = {**os.environ, "_INVPOLICY_COMPLETE": f"{shell}_source"}
        result = subprocess.run(
            [_invpolicy()], env=env, capture_output=True, text=True, timeout=120, check=True
        )
        assert says in result.stdout, shell


# The pager


def _pager_script(tmp_path: Path, body: str) -> str:
    script = tmp_path / "pager.py"
    script.write_text(body, encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


#: A pager that shows it was used: its input between two marks.
MARKING_PAGER = """\
import sys
data = sys.stdin.buffer.read()
sys.stdout.buffer.write(b"[pager]\\n" + data + b"[/pager]\\n")
"""


def _terminal_env(**change: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm"
    for key, value in change.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _in_terminal(
    args: list[str], env: dict[str, str], cwd: Path, *, stderr_too: bool = False
) -> tuple[int, str, str]:
    """Run the installed command with a pseudo-terminal as stdin and stdout (and stderr)."""
    assert pty is not None
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x18\x00\x50\x00\x00\x00\x00\x00")  # 24 x 80
    process = subprocess.Popen(
        [_invpolicy(), *args], stdin=slave, stdout=slave,
        stderr=slave if stderr_too else subprocess.PIPE, env=env, cwd=cwd,
    )  # fmt: skip
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # every writer has gone
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    err = ""
    if process.stderr is not None:
        with process.stderr:
            err = process.stderr.read().decode()
    code = process.wait(timeout=10)
    return code, out.decode().replace("\r\n", "\n"), err


@pytest.mark.slow
@needs_pty
def test_a_terminal_gets_the_report_through_the_pager_in_colour(tmp_path: Path) -> None:
    env = _terminal_env(INVPOLICY_PAGER=_pager_script(tmp_path, MARKING_PAGER))
    code, out, err = _in_terminal(["policies"], env, tmp_path)
    assert code == 0, err
    assert out.startswith("[pager]\n") and out.endswith("[/pager]\n")
    assert "ask-first" in out
    assert "\x1b[1m" in out  # the headers' bold went through


@pytest.mark.slow
@needs_pty
def test_stderr_waits_until_the_pager_is_done(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("format: 1\nname: mine\n", encoding="utf-8")
    env = _terminal_env(INVPOLICY_PAGER=_pager_script(tmp_path, MARKING_PAGER))
    code, out, _ = _in_terminal(["lint", "mine.yaml"], env, tmp_path, stderr_too=True)
    # The findings through the pager, then lint's summary on stderr; the exit status kept.
    assert out.startswith("[pager]\nmine.yaml:1:1: error: missing required key")
    assert out.endswith("[/pager]\n1 policy: 5 errors, 0 warnings\n")
    assert code == 1


@pytest.mark.slow
@needs_pty
@pytest.mark.parametrize(
    ("args", "pager"),
    [
        (["policies", "--no-pager"], "marking"),
        (["policies"], ""),
        (["policies"], "cat"),
        (["decide", INVITATIONS, "-p", "ask-first", "--format", "csv", "-o", "out.csv"], "marking"),
    ],
    ids=["--no-pager", "empty", "cat", "--output"],
)  # fmt: skip
def test_no_pager(args: list[str], pager: str, tmp_path: Path) -> None:
    command = _pager_script(tmp_path, MARKING_PAGER) if pager == "marking" else pager
    code, out, err = _in_terminal(args, _terminal_env(INVPOLICY_PAGER=command), tmp_path)
    assert code == 0, err
    assert "[pager]" not in out
    assert "ask-first" in out or (tmp_path / "out.csv").is_file()


@pytest.mark.slow
def test_no_pager_when_stdout_is_not_a_terminal(tmp_path: Path) -> None:
    env = _terminal_env(INVPOLICY_PAGER=_pager_script(tmp_path, MARKING_PAGER))
    result = subprocess.run(
        [_invpolicy(), "policies"], env=env, capture_output=True, text=True, cwd=tmp_path,
        timeout=120, check=True,
    )  # fmt: skip
    assert "ask-first" in result.stdout
    assert "[pager]" not in result.stdout


@pytest.mark.slow
@needs_pty
def test_without_less_the_output_is_printed_as_it_is(tmp_path: Path) -> None:
    # The console script names its Python in full: an empty PATH finds no less.
    (tmp_path / "bin").mkdir()
    env = _terminal_env(INVPOLICY_PAGER=None, PATH=str(tmp_path / "bin"))
    code, out, err = _in_terminal(["policies"], env, tmp_path)
    assert (code, err) == (0, "")
    assert "ask-first" in out

    env["INVPOLICY_PAGER"] = "no-such-pager -R"
    code, out, err = _in_terminal(["policies"], env, tmp_path)
    assert code == 0
    assert "ask-first" in out
    assert "INVPOLICY_PAGER: no such program: no-such-pager" in err


@pytest.mark.slow
@needs_pty
def test_a_pager_quit_early_ends_the_command_quietly(tmp_path: Path) -> None:
    quits = "import sys\nsys.stdout.write(sys.stdin.readline())\n"  # q after one line
    env = _terminal_env(INVPOLICY_PAGER=_pager_script(tmp_path, quits))
    code, out, err = _in_terminal(["compare", INVITATIONS, "--explain", "--replies"], env, tmp_path)
    assert (code, err) == (0, "")
    assert out.strip().endswith("policies compared")


def test_the_pager_is_less_by_default_and_invpolicy_pager_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: f"/bin/{name}")
    assert pager_module.pager_command({}) == ["/bin/less", "-FRX"]
    assert pager_module.pager_command({"INVPOLICY_PAGER": "most -s"}) == ["/bin/most", "-s"]
    for off in ["", "  ", "cat"]:
        assert pager_module.pager_command({"INVPOLICY_PAGER": off}) is None
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert pager_module.pager_command({}) is None


def test_no_pager_for_a_report_to_a_file_or_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    wanted: list[bool] = []

    class Recorded:
        def __init__(self, want: bool) -> None:
            wanted.append(want)

        def __enter__(self) -> None:
            return None

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(pager_module, "paging", Recorded)

    @click.command()
    @pager_module.paged
    @click.option("--output")
    @click.option("--interactive", is_flag=True)
    def command(output: str | None, interactive: bool) -> None:
        click.echo("done")

    runner = CliRunner()
    for args in [[], ["--no-pager"], ["--output", "x"], ["--interactive"]]:
        assert runner.invoke(command, args, catch_exceptions=False).stdout == "done\n"
    assert wanted == [True, False, False, False]
    assert "--no-pager" in runner.invoke(command, ["--help"]).stdout


def test_every_command_that_writes_a_report_has_no_pager() -> None:
    reports = ["decide", "compare", "validate", "lint", "test", "policies", "plugins"]
    for name in [*reports, "show", "schema", "config"]:
        assert "--no-pager" in run(name, "--help").stdout, name


def test_the_version_is_the_line_click_prints_without_importing_click() -> None:
    check = (
        "import sys\n"
        "sys.argv = ['invpolicy', '--version']\n"
        "from invpolicy.cli import main\n"
        "main()\n"
        "print('click' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stderr.strip() == "False"
    assert done.stdout == run("--version").stdout  # what the group's own option says
    assert done.stdout.startswith("invpolicy, version ")
