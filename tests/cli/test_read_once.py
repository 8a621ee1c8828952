"""decide and compare read their input once, checking each invitation as it is decided."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from invpolicy.cli import cli


def _lines(count: int, bad: int | None = None) -> str:
    rows = []
    for n in range(count):
        row: dict[str, object] = {"id": f"i{n}", "name": f"Person {n}", "exchanges": n % 4}
        if n == bad:
            row["exchanges"] = "lots"
        rows.append(json.dumps(row))
    return "\n".join(rows) + "\n"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_a_problem_midway_stops_the_report_on_stdout_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "pending.jsonl"
    path.write_text(_lines(50, bad=30), encoding="utf-8")
    code, out, err = _run("compare", str(path), "-p", "ask-first", "--format", "csv")
    assert code == 1
    rows = out.splitlines()[1:]
    # Every invitation before the problem is in the report, none after it.
    assert [row.split(",")[0].strip('"') for row in rows] == [f"i{n}" for n in range(30)]
    assert err.splitlines() == [
        f"The report above stops at the first problem in {path}, after 30 invitations: "
        "it is incomplete",
        f"{path}:31:{_column(path, 31, 'exchanges')}: exchanges: expected integer, "
        'got a string ("lots")',
    ]


def _column(path: Path, line: int, key: str) -> int:
    return path.read_text(encoding="utf-8").splitlines()[line - 1].index(f'"{key}"') + 1


def test_every_problem_is_still_said_once_the_report_stops(tmp_path: Path) -> None:
    path = tmp_path / "pending.jsonl"
    text = _lines(40, bad=10).replace('"id": "i20"', '"id": "i5"')
    path.write_text(text, encoding="utf-8")
    code, _, err = _run("compare", str(path), "-p", "ask-first", "--format", "json")
    assert code == 1
    assert len(err.splitlines()) == 3  # the stop, the bad value, the duplicate id
    assert "duplicate invitation id 'i5' (first at line 6)" in err


def test_a_problem_at_the_start_writes_no_report_at_all(tmp_path: Path) -> None:
    path = tmp_path / "pending.jsonl"
    path.write_text(_lines(50, bad=0), encoding="utf-8")
    code, out, err = _run("compare", str(path), "-p", "ask-first", "--format", "json")
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1


def test_with_output_a_problem_midway_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "pending.jsonl"
    path.write_text(_lines(50, bad=45), encoding="utf-8")
    out = tmp_path / "report.json"
    code, _, err = _run("compare", str(path), "-p", "ask-first", "--format", "json", "-o", str(out))
    assert code == 1
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pending.jsonl"]
    assert "stops" not in err  # nothing was written, so nothing is incomplete


def test_the_input_is_read_once(tmp_path: Path, monkeypatch) -> None:
    from invpolicy.loading import readers

    path = tmp_path / "pending.jsonl"
    path.write_text(_lines(20), encoding="utf-8")
    opened = []
    real = readers.read_lines

    def counting(*args, **kwargs):
        opened.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(readers, "read_lines", counting)
    code, _, _ = _run("compare", str(path), "-p", "ask-first", "--format", "json")
    assert code == 0
    assert opened == [path]
