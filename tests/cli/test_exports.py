"""decide and compare on a network's export as it comes: a ZIP file or its folder."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli

from ..conftest import EXAMPLES, LINKEDIN_EXPORT

ZIP = LINKEDIN_EXPORT.with_suffix(".zip")
SCHOOLS = ["-p", "ask-first", "-p", "strong-ties-only", "-p", "benefit-of-the-doubt"]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_compare_reads_the_whole_zip_and_says_what_it_read(tmp_path):
    archive = tmp_path / ZIP.name
    shutil.copy(ZIP, archive)
    result = run("compare", str(archive), *SCHOOLS, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"Read Invitations.csv, Connections.csv, messages.csv, Profile.csv from {archive} "
        "(the export of Sam Leroy)\n"
    )
    report = json.loads(result.stdout)
    rows = {
        row["invitation"]: tuple(d["decision"] for d in row["decisions"].values())
        for row in report["results"]
    }
    # The messages set the inviters apart: not every one gets the same row.
    assert len(set(rows.values())) >= 3
    assert rows["ravi-iyer-cm"] == ("accept", "accept", "accept")
    assert rows["tyler-brooks-leads"][:2] == ("ignore", "ignore")
    assert rows["olivergrant-growth"] == ("ask", "decline", "ask")
    assert report["skipped"] == {"outgoing": 2, "already connected": 1}


def test_explain_says_where_each_fact_came_from(tmp_path):
    result = run(
        "decide", str(LINKEDIN_EXPORT), "-p", "ask-first", "--explain", "--format", "markdown"
    )
    assert result.exit_code == 0, result.stderr
    assert f"saw exchanges=3 from {LINKEDIN_EXPORT}/messages.csv" in result.stdout
    explained = json.loads(
        run("decide", str(ZIP), "-p", "ask-first", "--explain", "--format", "json").stdout
    )
    ravi = next(row for row in explained["results"] if row["invitation"] == "ravi-iyer-cm")
    known = ravi["decisions"]["ask-first"]["explanation"][0]["condition"]["any"][1]
    assert known["saw"] == {"exchanges": 3}
    assert known["from"] == {"exchanges": f"{ZIP}/messages.csv"}


def test_messages_option_on_invitations_csv_alone(tmp_path):
    result = run(
        "compare",
        str(LINKEDIN_EXPORT / "Invitations.csv"),
        "--messages",
        str(LINKEDIN_EXPORT / "messages.csv"),
        "-p",
        "ask-first",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = {row["invitation"]: row for row in json.loads(result.stdout)["results"]}
    assert rows["ravi-iyer-cm"]["decisions"]["ask-first"]["decision"] == "accept"


def test_the_answers_saved_for_an_export_are_found_by_next_month_s_export(tmp_path):
    march = tmp_path / "Basic_LinkedInDataExport_03-01-2026.zip"
    shutil.copy(ZIP, march)
    # Nadia has talked with you: she is not asked. Oliver: met in person? yes.
    result = run("decide", str(march), "-p", "strong-ties-only", "--interactive", input="y\n" * 40)
    assert result.exit_code == 0, result.output
    facts = tmp_path / "linkedin.facts.yaml"
    saved = facts.read_text(encoding="utf-8")
    assert saved.startswith(f"# Facts about the invitations in {march.name}")
    assert "olivergrant-growth:\n  met_in_person: true\n" in saved
    # Nadia's and Ravi's exchanges come from messages.csv: they are not asked about.
    assert "nadia-benali-5e0c" not in saved
    assert "ravi-iyer-cm" not in saved
    april = tmp_path / "Basic_LinkedInDataExport_04-01-2026"
    shutil.copytree(LINKEDIN_EXPORT, april)
    result = run("decide", str(april), "-p", "strong-ties-only", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert f"Reading the facts saved in {facts} (--no-facts leaves them out)" in result.stderr
    rows = {row["invitation"]: row for row in json.loads(result.stdout)["results"]}
    decision = rows["olivergrant-growth"]["decisions"]["strong-ties-only"]
    assert (decision["decision"], decision["rule"]) == ("accept", "met-in-person")


def test_a_broken_zip_is_one_line_and_no_traceback(tmp_path):
    broken = tmp_path / "Basic_LinkedInDataExport_03-01-2026.zip"
    broken.write_bytes(ZIP.read_bytes()[:200])
    result = run("compare", str(broken))
    assert result.exit_code == 1
    assert result.stderr == f"{broken}:1:1: not a ZIP archive, or a damaged one\n"


def test_a_zip_bomb_is_refused_in_one_line(tmp_path):
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Invitations.csv", b"From,To,Sent At,Message,Direction\n")
        archive.writestr("Connections.csv", b" " * (25 * 1024 * 1024))
    result = run("compare", str(bomb))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{bomb}/Connections.csv:1:1: file is too large (more than 20971520 bytes)\n"
    )


def test_an_inbox_larger_than_other_files_is_read(tmp_path, monkeypatch):
    from invpolicy.io import files
    from invpolicy.loading import messages

    # The same as a 25 MB inbox against the 20 MB limit of other files, in less time.
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 5_000)
    result = run("compare", str(ZIP), "-p", "accept-all", "--format", "json")
    assert result.exit_code == 0, result.stderr
    monkeypatch.setattr(messages, "MAX_MESSAGES_BYTES", 5_000)
    result = run("compare", str(ZIP), "-p", "accept-all")
    assert result.stderr == f"{ZIP}/messages.csv:1:1: file is too large (more than 5000 bytes)\n"


def test_a_messages_file_of_another_shape_is_one_located_line(tmp_path):
    wrong = tmp_path / "messages.csv"
    wrong.write_text("id,name\nanna,Anna\n", encoding="utf-8")
    result = run("compare", str(ZIP), "--messages", str(wrong))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{wrong}:1:1: not LinkedIn's messages.csv: no column CONVERSATION ID or FROM or TO "
        "or DATE or CONTENT in the header (its columns: id, name)\n"
    )


def test_facebook_s_export_and_its_html_page():
    folder = next(EXAMPLES.glob("facebook/facebook-*"))
    result = run("compare", str(folder), "-p", "ask-first", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Read your_facebook_activity/connections/friends/")
    assert "and 3 message threads from" in result.stderr
    html = EXAMPLES / "facebook" / "html" / "received_friend_requests.html"
    result = run("compare", str(html))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{html}:1:1: this is Facebook's HTML export")
    assert result.stderr.count("\n") == 1


def test_a_facebook_file_of_another_shape_is_one_located_line(tmp_path):
    wrong = tmp_path / "facebook" / "received_friend_requests.json"
    wrong.parent.mkdir()
    wrong.write_text('{"friends_v2": []}', encoding="utf-8")
    result = run("compare", str(wrong.parent))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{wrong}:1:1: not Facebook's received friend requests: expected an object with "
        "the key received_requests_v2\n"
    )


def test_output_cannot_overwrite_a_file_of_an_unzipped_export(tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(LINKEDIN_EXPORT, folder)
    before = (folder / "messages.csv").read_bytes()
    result = run("compare", str(folder), "--output", str(folder / "messages.csv"))
    assert result.exit_code == 2
    assert "would overwrite an input file" in result.stderr
    assert (folder / "messages.csv").read_bytes() == before


@pytest.mark.slow
def test_every_damaged_byte_of_an_archive_s_directory_is_said_never_a_traceback(tmp_path):
    # Each byte of the end record and of the first directory entry, set to values that
    # break sizes, offsets, versions and flags; whatever happens, no traceback.
    original = ZIP.read_bytes()
    end = original.rfind(b"PK\x05\x06")
    entry = original.find(b"PK\x01\x02")
    damaged = tmp_path / "export.zip"
    outcomes = set()
    for at in [*range(end, end + 22), *range(entry, entry + 46)]:
        for value in (0x00, 0x42, 0xFF):
            data = bytearray(original)
            data[at] = value
            damaged.write_bytes(bytes(data))
            result = run("compare", str(damaged), "-p", "ask-first", "--format", "json")
            assert result.exit_code in (0, 1), (at, value, result.stderr)
            if result.exit_code == 1:
                # One line for the archive, or one for each file it holds that is damaged.
                lines = result.stderr.splitlines()
                assert 1 <= len(lines) <= 4, (at, value, result.stderr)
                assert all(line.startswith(f"{damaged}") for line in lines), (at, value, lines)
            outcomes.add(result.exit_code)
    assert outcomes == {0, 1}
