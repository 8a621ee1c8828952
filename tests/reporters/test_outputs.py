"""Every output format of decide and compare, --output, the summary and the progress line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli

from ..conftest import EXAMPLES

INVITATIONS = str(EXAMPLES / "invitations.yaml")
THREE = ["-p", "strong-ties-only", "-p", "ask-first", "-p", "accept-all"]


def run(*args: str, **kwargs):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


def json_report(*args: str):
    result = run("compare", INVITATIONS, *THREE, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_has_a_summary_with_counts_and_the_agreement_of_each_pair():
    data = json_report()
    summary = data["summary"]
    assert summary["invitations"] == len(data["results"]) == 14
    assert summary["agreed"] == sum(r["agree"] for r in data["results"])
    stp = [r["decisions"]["strong-ties-only"]["decision"] for r in data["results"]]
    assert summary["decisions"]["strong-ties-only"] == {d: stp.count(d) for d in set(stp)}
    aa = [r["decisions"]["accept-all"]["decision"] for r in data["results"]]
    alike = sum(a == b for a, b in zip(stp, aa, strict=True)) / 14
    assert summary["agreement"]["strong-ties-only"]["accept-all"] == round(alike, 4)
    assert summary["agreement"]["accept-all"]["strong-ties-only"] == round(alike, 4)
    assert data["skipped"] == {}


def test_only_disagreements_lists_fewer_rows_but_counts_all():
    everything = json_report()
    some = json_report("--only-disagreements")
    assert [r["invitation"] for r in some["results"]] == [
        r["invitation"] for r in everything["results"] if not r["agree"]
    ]
    assert some["summary"] == everything["summary"]
    result = run("compare", INVITATIONS, *THREE, "--only-disagreements")
    shown = 14 - everything["summary"]["agreed"]
    assert f"Showing the {shown} invitations on which the policies disagree (of 14)" in (
        result.stdout
    )
    assert "claire-conference" not in result.stdout.split("What would")[0]


def test_the_table_ends_with_the_agreement_matrix():
    result = run("compare", INVITATIONS, *THREE, env={"COLUMNS": "100"})
    assert "How often each pair agrees (%)" in result.stdout
    data = json_report()
    percent = round(data["summary"]["agreement"]["strong-ties-only"]["ask-first"] * 100)
    line = next(s for s in result.stdout.splitlines() if s.strip().startswith("STO strong"))
    assert line.split()[2:] == [str(percent), "29"]


def test_csv_has_one_row_per_invitation_and_policy():
    result = run("compare", INVITATIONS, *THREE, "--format", "csv", "--replies")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 14 * 3
    first = rows[0]
    assert first["invitation"] == "claire-conference"
    assert first["policy"] == "strong-ties-only"
    assert first["decision"] == "accept"
    assert first["agree"] == "true"
    recruiter = next(
        r for r in rows if r["invitation"] == "recruiter-no-note" and r["policy"] == "ask-first"
    )
    assert recruiter["decision"] == "ask"
    assert recruiter["reply_generator"] == "ask_purpose"
    assert recruiter["reply"].startswith("Hello Daniel,\n")


def test_csv_cells_are_never_read_as_formulas(write):
    path = write(
        "invitations.yaml",
        "- id: '=HYPERLINK(\"http://x\")'\n  name: '+33 Bob'\n  message: '@SUM(A1)'\n",
    )
    result = run("decide", str(path), "-p", "accept-all", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["invitation"] == '\'=HYPERLINK("http://x")'
    assert row["name"] == "'+33 Bob"


def test_markdown_has_a_table_a_summary_and_escaped_text(write):
    result = run("compare", INVITATIONS, *THREE, "--format", "markdown")
    text = result.stdout
    assert text.startswith("# 3 policies compared\n")
    assert "| invitation " in text and "| strong-ties-only " in text
    line = next(s for s in text.splitlines() if s.startswith("| claire-conference "))
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    assert cells == ["claire-conference (Claire Lefèvre)", "accept", "accept", "accept", "yes"]
    assert "## Summary" in text
    assert "How often each pair agrees" in text
    path = write("invitations.yaml", "- id: a|b\n  name: '<b>**Bold**</b> [x](http://e)'\n")
    text = run("decide", str(path), "-p", "accept-all", "--format", "markdown").stdout
    assert "a\\|b" in text
    assert "<b>" not in text and "**Bold**" not in text
    assert "\\[x\\](http://e)" in text


def test_html_is_one_self_contained_page():
    result = run("compare", INVITATIONS, *THREE, "--format", "html", "--replies")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "recruiter-no-note" in page
    assert "<link" not in page and 'src="http' not in page


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
def test_output_writes_the_report_to_a_file(tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    # Even with colour forced, a file gets none.
    result = run(
        "compare",
        INVITATIONS,
        *THREE,
        "--format",
        fmt,
        "--output",
        str(out),
        env={"FORCE_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Wrote {out}" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "recruiter-no-note" in text
    assert "\x1b[" not in text  # no colour codes in a file
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_output_is_left_untouched_when_the_run_fails(tmp_path, write):
    out = tmp_path / "report.json"
    out.write_text("the previous report\n", encoding="utf-8")
    bad = write("bad.yaml", "- id: a\n  name: A\n  mutual_connections: many\n")
    result = run("compare", str(bad), *THREE, "--format", "json", "--output", str(out))
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "report.json"]


def test_output_refuses_to_overwrite_the_input(tmp_path):
    path = tmp_path / "invitations.yaml"
    original = (EXAMPLES / "invitations.yaml").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    result = run("compare", str(path), *THREE, "--output", str(path))
    assert result.exit_code == 2
    assert "would overwrite an input file" in result.stderr
    assert path.read_text(encoding="utf-8") == original


def test_no_progress_line_when_stderr_is_not_a_terminal():
    result = run("compare", INVITATIONS, *THREE)
    assert result.stderr == ""


@pytest.mark.parametrize("terminal", [True, False])
def test_the_progress_line_counts_invitations_only_on_a_terminal(terminal):
    from rich.console import Console

    from invpolicy.cli.running import progress as _progress

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=terminal, width=80)
    assert list(_progress(iter(range(3)), quiet=False, console=console)) == [0, 1, 2]
    if terminal:
        assert "invitations decided" in buffer.getvalue()
    else:
        assert buffer.getvalue() == ""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=terminal, width=80)
    assert list(_progress(iter(range(3)), quiet=True, console=console)) == [0, 1, 2]
    assert buffer.getvalue() == ""


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_write_each_row_as_soon_as_it_is_decided(registry, fmt):
    from invpolicy import load_policy
    from invpolicy.engine.runner import compare_stream
    from invpolicy.model.invitation import Invitation
    from invpolicy.reporters import reporter_class

    stream = io.StringIO()

    def invitations():
        yield Invitation("first", "First Inviter", {})
        # By now the first row must be written: nothing waits for the end.
        assert "first" in stream.getvalue()
        yield Invitation("second", "Second Inviter", {})

    report = compare_stream(invitations(), [load_policy("accept-all", registry)])
    reporter_class(fmt)(stream).decisions(report)
    assert "second" in stream.getvalue()
    assert report.summary.invitations == 2


def test_output_through_a_symbolic_link_writes_the_file_it_points_to(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = run("compare", INVITATIONS, *THREE, "--format", "json", "--output", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["summary"]["invitations"] == 14


def test_output_to_a_device_writes_into_it_and_leaves_it_a_device(tmp_path):
    import contextlib
    import os
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got: list[str] = []
    reader = threading.Thread(
        target=lambda: got.append(fifo.read_text(encoding="utf-8")), daemon=True
    )
    reader.start()
    try:
        result = run("compare", INVITATIONS, *THREE, "--format", "csv", "--output", str(fifo))
    finally:
        if reader.is_alive() and not got:
            # The command failed before it opened the pipe: open it here, so that
            # the reader sees its end instead of waiting for ever.
            # (No reader any more by then is an OSError, and nothing to unblock.)
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got and got[0].startswith('"invitation","name","policy"')


@pytest.mark.parametrize("where", ["missing/report.json", "a-file/report.json"])
def test_an_output_that_cannot_be_written_is_one_clean_line(tmp_path, where):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = tmp_path / where
    result = run("compare", INVITATIONS, *THREE, "--format", "json", "--output", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{out}:1:1: cannot write: ")
    assert len(result.stderr.splitlines()) == 1


def test_output_refuses_to_overwrite_a_policy_file(tmp_path):
    policy = tmp_path / "mine.yaml"
    original = (EXAMPLES.parent / "policies" / "accept-all.yaml").read_text(encoding="utf-8")
    policy.write_text(original.replace("name: accept-all", "name: mine"), encoding="utf-8")
    result = run("compare", INVITATIONS, "-p", str(policy), "-p", "ask-first", "-o", str(policy))
    assert result.exit_code == 2
    assert "would overwrite an input file" in result.stderr
    assert "name: mine" in policy.read_text(encoding="utf-8")


def test_control_characters_and_markup_from_files_stay_inert_in_the_table(write):
    policy = (EXAMPLES.parent / "policies" / "accept-all.yaml").read_text(encoding="utf-8")
    title = next(line for line in policy.splitlines() if line.startswith("title:"))
    path = write(
        "mine.yaml",
        policy.replace("name: accept-all", "name: mine").replace(
            title, "title: '[/bold][link=https://e.example]Click[/link]'"
        ),
    )
    invitations = write(
        "invitations.yaml",
        '- id: evil\n  name: "Eve\\e]8;;http://e\\e\\\\x\\e[2J\\u202E"\n',
    )
    result = run("decide", str(invitations), "-p", str(path), env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "[link=https://e.example]Click[/link]" in result.stdout
    assert "\x1b]8" not in result.stdout and "\x1b[2J" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "Eve\\x1b]8;;http://" in result.stdout


def test_forced_colour_does_not_put_the_progress_line_into_a_redirected_stderr(monkeypatch, capsys):
    from invpolicy.cli.running import progress as _progress

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    assert list(_progress(iter(range(3)), quiet=False)) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_the_cli_offers_every_input_format_the_readers_know():
    from invpolicy.cli.options import INPUT_FORMATS
    from invpolicy.loading.readers import INPUT_FORMATS as READ

    assert INPUT_FORMATS == READ


@pytest.mark.parametrize("count", [0, 1, 14])
def test_the_streamed_json_is_the_document_report_to_json_gives(registry, count):
    from invpolicy import load_policy
    from invpolicy.engine.runner import compare
    from invpolicy.loading.invitations import load_invitations
    from invpolicy.reporters.jsonfile import JsonReporter

    policies = [load_policy(name, registry) for name in ("strong-ties-only", "ask-first")]
    invitations = load_invitations(EXAMPLES / "invitations.yaml")[:count]
    report = compare(invitations, policies, what_if=True)
    stream = io.StringIO()
    JsonReporter(stream).decisions(report)
    assert json.loads(stream.getvalue()) == report.to_json()
    assert len(report.to_json()["results"]) == count


ANSWERED = """\
format: 1
name: answered
title: Scores, and decides on the answer
summary: Used by the tests.
author: The tests
sources: [{article: tests}]
scoring:
  - {id: group, when: {shared_groups: }, weight: 1}
rules:
  - {id: pitch, when: {follow_up_pitch: }, decision: ignore}
  - {id: later, decision: defer}
"""

PITCH = (
    "Bonjour, merci pour votre message. Nous proposons une solution de prospection "
    "automatisée, essai gratuit sans engagement : https://www.prospecto.example"
)


@pytest.fixture
def answered(write):
    """Two invitations and a scoring policy that decides one on the inviter's answer."""
    policy = write("answered.yaml", ANSWERED)
    invitations = write(
        "invitations.yaml",
        json.dumps(
            [
                {"id": "pitched", "name": "P", "shared_groups": ["g"], "follow_up": PITCH},
                {"id": "silent", "name": "S", "shared_groups": []},
            ]
        ),
    )
    return ["compare", str(invitations), "-p", str(policy), "-p", "accept-all"]


def test_every_format_notes_both_the_score_and_the_answer(answered):
    table = run(*answered, env={"COLUMNS": "120"}).stdout
    assert "1 pts, answer" in table
    markdown = run(*answered, "--format", "markdown").stdout
    assert "| ignore (1 pts, answer) " in markdown and "| defer (0 pts) " in markdown
    html = run(*answered, "--format", "html").stdout
    assert '<span class="notes">1 pts · answer</span>' in html


def test_every_format_counts_decisions_in_the_order_of_the_legend(answered):
    table = run(*answered, env={"COLUMNS": "120"}).stdout
    assert "answered: 1 ignore, 1 defer" in table
    markdown = run(*answered, "--format", "markdown").stdout
    assert "| ignore 1, defer 1 |" in markdown
    html = run(*answered, "--format", "html").stdout
    assert '<span class="bar-text">1 ignore, 1 defer</span>' in html


def test_csv_quotes_every_cell_and_disarms_formulas_wherever_they_hide(tmp_path):
    import csv
    import io

    hostile = [
        "=1+1",
        "\r=1+1",
        "\n+SUM(A1)",
        "  -2+3",
        "\t@cmd",
        "\uff1dHYPERLINK()",
        "plain, with a comma",
        'a "quote"',
        "line\nbreak",
    ]
    path = tmp_path / "hostile.json"
    path.write_text(
        json.dumps([{"id": f"i{n}", "name": text} for n, text in enumerate(hostile)]),
        encoding="utf-8",
    )
    result = run("decide", str(path), "-p", "accept-all", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # Every cell quoted, empty ones too.
    assert '"i0","\'=1+1","accept-all","accept"' in result.stdout
    assert ',"",' in result.stdout
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 1 + len(hostile)  # every row intact, breaks and all
    names = [row[1] for row in rows[1:]]
    for written, text in zip(names, hostile, strict=True):
        assert written == text or written == "'" + text, (written, text)
    assert [written.startswith("'") for written in names] == [True] * 6 + [False] * 3


def test_reports_on_a_terminal_show_control_characters_as_text(monkeypatch):
    import io

    from invpolicy.cli import options

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    for output_format in ("csv", "json", "markdown", "html"):
        stream = options.report_stream(output_format)
        stream.write("Eve\x1b]0;pwned\x07 \x1b[2J \u202egnp.exe \x85 ok\n")
    assert "\x1b" not in terminal.getvalue() and "\u202e" not in terminal.getvalue()
    assert terminal.getvalue().count("\\x1b]0;pwned\\x07 \\x1b[2J \\u202egnp.exe \\x85 ok\n") == 4
    # A file (or a pipe) gets the text exact.
    plain = io.StringIO()
    monkeypatch.setattr("sys.stdout", plain)
    assert options.report_stream("csv") is plain


def _has_exponent(value: object) -> bool:
    if isinstance(value, float):
        return "e" in repr(value)
    if isinstance(value, dict):
        return any(_has_exponent(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_exponent(v) for v in value)
    return False


def test_the_fast_json_writer_writes_what_json_writes() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from invpolicy.reporters.jsonfile import dumps

    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**63), 2**63 - 1)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text()
    )
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )

    @settings(max_examples=300, deadline=None)
    @given(values)
    def same(value: object) -> None:
        written = dumps(value)
        assert json.loads(written) == value
        # The same text, but for numbers json writes with an exponent (1e-05 as 0.00001).
        if not _has_exponent(value):
            assert written == json.dumps(value, ensure_ascii=False, indent=2)

    same()
    # What orjson refuses goes to json: half of a surrogate pair, a very large integer.
    for odd in ({"text": "\ud83d"}, [2**70]):
        assert dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)


def test_jsonl_writes_one_result_a_line_then_the_summary() -> None:
    result = run("compare", INVITATIONS, *THREE, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    full = json.loads(run("compare", INVITATIONS, *THREE, "--format", "json").stdout)
    assert lines[:-1] == full["results"]
    assert lines[-1] == {key: full[key] for key in ("summary", "skipped", "policies")}


@pytest.mark.parametrize("suffix", [".jsonl", ".yaml"])
def test_the_progress_bar_shows_the_bytes_read_of_the_file_and_a_percentage(tmp_path, suffix):
    from rich.console import Console

    from invpolicy.cli.running import progress as _progress
    from invpolicy.loading.readers import open_invitations

    rows = [{"id": f"i{n}", "name": f"Person {n}"} for n in range(40)]
    path = tmp_path / f"pending{suffix}"
    if suffix == ".jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    else:
        path.write_text("".join(f"- {json.dumps(row)}\n" for row in rows), encoding="utf-8")
    source = open_invitations(path)
    seen = []
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    for _ in _progress(source.checked(), quiet=False, source=source, console=console):
        seen.append(source.read_bytes)
    size = path.stat().st_size
    assert source.size == size
    # It grows with each invitation, and reaches the file's size by the last.
    assert seen == sorted(seen) and seen[0] < seen[-1] <= size
    assert source.read_bytes == size
    shown = buffer.getvalue()
    assert "40 invitations decided" in shown
    assert "100%" in shown
