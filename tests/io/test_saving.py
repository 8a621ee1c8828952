"""Saving answers loses none: failed saves, leftovers, two writers at once, symbolic links."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from invpolicy.cli import cli
from invpolicy.io import save
from invpolicy.io.atomic import atomic_write, remove_leftovers

TWO = [{"id": "anna", "name": "Anna Berg"}, {"id": "bo", "name": "Bo Lind"}]


def _pending(folder: Path) -> Path:
    path = folder / "pending.json"
    path.write_text(json.dumps(TWO), encoding="utf-8")
    return path


def _interact(path: Path, answers: str, *extra: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["decide", str(path), "-p", "strong-ties-only", "--interactive", *extra],
        input=answers,
        catch_exceptions=False,
    )


def _facts(path: Path) -> object:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _disk_full_once(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The next write fails as on a full disk; the ones after succeed."""
    tried: list[Path] = []

    def full(path: str | Path, text: str) -> None:
        tried.append(Path(path))
        if len(tried) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        atomic_write(path, text)

    monkeypatch.setattr(save, "atomic_write", full)
    return tried


def test_a_full_disk_is_said_on_one_line_and_r_retries(tmp_path, monkeypatch):
    path = _pending(tmp_path)
    facts = tmp_path / "pending.facts.yaml"
    _disk_full_once(monkeypatch)
    # anna: met in person, the save fails, r retries; bo: met in person.
    result = _interact(path, "y\nr\ny\n")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.stderr == f"  cannot save to {facts}: No space left on device\n"
    assert "Saved 2 answers to" in result.stdout
    assert _facts(facts) == {"anna": {"met_in_person": True}, "bo": {"met_in_person": True}}


def test_enter_goes_on_and_the_answers_are_saved_with_the_next_invitation(tmp_path, monkeypatch):
    path = _pending(tmp_path)
    facts = tmp_path / "pending.facts.yaml"
    tried = _disk_full_once(monkeypatch)
    result = _interact(path, "y\n\ny\n")
    assert result.exit_code == 0, result.output
    assert len(tried) == 2  # anna's failed; anna's and bo's went together
    assert _facts(facts) == {"anna": {"met_in_person": True}, "bo": {"met_in_person": True}}
    assert "Saved 2 answers to" in result.stdout


def test_a_folder_that_cannot_be_written_offers_another_path(tmp_path):
    path = _pending(tmp_path)
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    # A folder that cannot exist (its parent is a file): fails as root too.
    wanted, other = blocked / "facts.yaml", tmp_path / "other.yaml"
    result = _interact(path, f"y\n{other}\ny\n", "--facts", str(wanted))
    assert result.exit_code == 0, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"  cannot save to {wanted}: ")
    assert f"Saved 2 answers to {other}." in result.stdout
    assert _facts(other) == {"anna": {"met_in_person": True}, "bo": {"met_in_person": True}}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_said_and_the_answers_kept(tmp_path):
    path = _pending(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        # Enter twice: go on, then give up at the end; the answers are shown.
        result = _interact(path, "y\n\ny\n\n\n", "--facts", str(locked / "facts.yaml"))
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1
    assert f"cannot save to {locked / 'facts.yaml'}: Permission denied\n" in result.stderr
    assert "Not saved: 2 answers" in result.stderr
    assert '"anna": {"met_in_person": true}' in result.stderr


def test_unsaved_answers_are_shown_when_the_user_gives_up(tmp_path, monkeypatch):
    path = _pending(tmp_path)

    def full(path: str | Path, text: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(save, "atomic_write", full)
    result = _interact(path, "y\n\ny\n\n\n")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.endswith(
        "Not saved: 2 answers, as a facts file would hold them:\n"
        '"anna": {"met_in_person": true}\n"bo": {"met_in_person": true}\n'
    )


def _leftover(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_text("half", encoding="utf-8")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_a_later_write_removes_the_leftovers_of_a_writer_that_is_gone(tmp_path):
    target = tmp_path / "facts.yaml"
    gone = _gone_pid()
    old = _leftover(tmp_path, f".facts.yaml.{gone}.abc123.tmp", 120)
    recent = _leftover(tmp_path, f".facts.yaml.{gone}.def456.tmp", 5)
    alive = _leftover(tmp_path, f".facts.yaml.{os.getpid()}.ghi789.tmp", 120)
    unnamed = _leftover(tmp_path, ".facts.yaml.nopid.tmp", 120)
    other = _leftover(tmp_path, f".other.yaml.{gone}.abc123.tmp", 120)
    atomic_write(target, "a: 1\n")
    assert not old.exists()
    assert recent.exists() and alive.exists() and unnamed.exists() and other.exists()
    assert target.read_text(encoding="utf-8") == "a: 1\n"
    assert remove_leftovers(target, now=time.time() + 60) == [recent]


def test_a_temporary_file_is_named_after_its_writer(tmp_path, monkeypatch):
    seen: list[str] = []
    target = tmp_path / "facts.yaml"

    def replace(source: str, destination: object) -> None:
        seen.append(Path(source).name)
        raise OSError(errno.EIO, "interrupted")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="interrupted"):
        atomic_write(target, "a: 1\n")
    assert seen and seen[0].startswith(f".facts.yaml.{os.getpid()}.")
    assert seen[0].endswith(".tmp")


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from invpolicy.io.save import save_facts_file

    facts, go, who = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    while not go.exists():
        time.sleep(0.005)
    for n in range(40):
        save_facts_file(facts, {f"{who}{n}": {"exchanges": n}}, about="pending.json")
    """
)


def test_two_writers_at_once_lose_no_answer(tmp_path):
    facts, go = tmp_path / "pending.facts.yaml", tmp_path / "go"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(facts), str(go), who])
        for who in ("a", "b")
    ]
    time.sleep(0.5)  # both started and waiting
    start = time.perf_counter()
    go.touch()
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    took = time.perf_counter() - start
    data = _facts(facts)
    assert isinstance(data, dict)
    assert len(data) == 80, f"{len(data)} of 80 answers after {took:.2f} s"
    assert data["a39"] == {"exchanges": 39} and data["b0"] == {"exchanges": 0}
    assert (tmp_path / "pending.facts.yaml.lock").exists()
    print(f"two writers, 80 saves: {took:.2f} s")


def test_the_default_facts_file_is_not_written_through_a_link_out_of_its_folder(tmp_path):
    folder, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    path = _pending(folder)
    outside = elsewhere / "secret.yaml"
    outside.write_text("# mine\n", encoding="utf-8")
    (folder / "pending.facts.yaml").symlink_to(outside)
    result = _interact(path, "y\ny\n")
    assert result.exit_code == 1
    assert "Enter to skip" not in result.output  # refused before any question
    assert result.stderr == (
        f"{folder / 'pending.facts.yaml'}:1:1: a symbolic link out of its folder (to "
        f"{outside}); the answers are not written through it: name the file with "
        "--facts PATH\n"
    )
    assert outside.read_text(encoding="utf-8") == "# mine\n"


def test_a_link_within_its_folder_or_named_with_facts_is_written_through(tmp_path):
    folder, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    path = _pending(folder)
    beside = folder / "kept.yaml"
    (folder / "pending.facts.yaml").symlink_to(beside.name)
    result = _interact(path, "y\ny\n")
    assert result.exit_code == 0, result.output
    assert _facts(beside) == {"anna": {"met_in_person": True}, "bo": {"met_in_person": True}}
    named = tmp_path / "named.yaml"
    named.symlink_to(elsewhere / "real.yaml")
    result = _interact(path, "y\ny\n", "--facts", str(named))
    assert result.exit_code == 0, result.output
    assert named.is_symlink()
    assert _facts(elsewhere / "real.yaml") == {
        "anna": {"met_in_person": True},
        "bo": {"met_in_person": True},
    }
