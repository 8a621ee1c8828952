"""Writes are all or nothing: an error half-way leaves every file as it was."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli
from invpolicy.engine import compiled as engine
from invpolicy.io.atomic import atomic_open, atomic_write

from ..conftest import EXAMPLES

INVITATIONS = EXAMPLES / "invitations.yaml"


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_an_error_half_way_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("old\n", encoding="utf-8")

    def write_half() -> None:
        with atomic_open(path) as stream:
            stream.write("half of the new")
            raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        write_half()
    assert path.read_text(encoding="utf-8") == "old\n"
    assert _names(tmp_path) == ["report.txt"]


def test_a_new_file_appears_only_once_complete(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    with atomic_open(path) as stream:
        stream.write("first line\n")
        assert not path.exists()  # nothing yet under the real name
    assert path.read_text(encoding="utf-8") == "first line\n"


def test_the_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0o640)
    atomic_write(path, "a: 2\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text(encoding="utf-8") == "a: 2\n"


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic_write(link, "new\n")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new\n"


def test_a_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    # A named pipe stands for /dev/null or /dev/stdout, without risking them.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text(encoding="utf-8")))
    reader.start()
    atomic_write(pipe, "through the pipe\n")
    reader.join(timeout=10)
    assert received == ["through the pipe\n"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert _names(tmp_path) == ["pipe"]


def test_a_report_interrupted_half_way_leaves_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.csv"
    out.write_text("the previous report\n", encoding="utf-8")
    decide = engine.CompiledPolicy.decide
    calls = []

    def stopped(self: engine.CompiledPolicy, *args: object, **kwargs: object) -> object:
        calls.append(self.name)
        if len(calls) > 3:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the rows
        return decide(self, *args, **kwargs)

    monkeypatch.setattr(engine.CompiledPolicy, "decide", stopped)
    result = CliRunner().invoke(
        cli, ["compare", str(INVITATIONS), "-p", "ask-first", "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "Aborted" in result.output
    assert len(calls) == 4  # it did stop half-way
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert _names(tmp_path) == ["report.csv"]


def test_a_report_that_cannot_be_written_is_one_line_and_the_input_is_kept(
    tmp_path: Path,
) -> None:
    source = tmp_path / "invitations.yaml"
    original = INVITATIONS.read_bytes()
    source.write_bytes(original)
    out = tmp_path / "missing-folder" / "report.json"
    result = CliRunner().invoke(cli, ["compare", str(source), "-p", "ask-first", "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == f"{out}:1:1: cannot write: No such file or directory\n"
    assert source.read_bytes() == original
    assert _names(tmp_path) == ["invitations.yaml"]
