"""The files people really have: spreadsheets' CSV, typos in field names, stale facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli

from ..conftest import DATA

FRENCH = DATA / "inputs" / "spreadsheet-fr"
ENCODING_WARNING = (
    "warning: not UTF-8 text; read as Windows-1252, the encoding spreadsheets use on "
    "Windows (save it as 'CSV UTF-8' to avoid this)"
)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def decisions(result) -> dict[str, dict]:
    return {row["invitation"]: row for row in json.loads(result.stdout)["results"]}


# --- CSV dialects ------------------------------------------------------------------------


def test_a_linkedin_export_resaved_by_a_french_spreadsheet_is_read(tmp_path: Path) -> None:
    # Semicolons, Windows-1252, dates rewritten as 26/02/2026 08:14, notes before the header.
    raw = (FRENCH / "Invitations.csv").read_bytes()
    assert b";" in raw and b"\xe8" in raw  # è, in Windows-1252
    result = run(
        "decide",
        str(FRENCH / "Invitations.csv"),
        "--connections",
        str(FRENCH / "Connections.csv"),
        "-p",
        "ask-first",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{FRENCH / 'Connections.csv'}:1:1: {ENCODING_WARNING}",
        f"{FRENCH / 'Invitations.csv'}:1:1: {ENCODING_WARNING}",
        f"{FRENCH / 'Invitations.csv'}:1:3: warning: Sent At: 3 dates could be read day or "
        "month first; read day first (05/03 is 5 March), as 26/02/2026 08:14 on line 2 shows",
    ]
    report = json.loads(result.stdout)
    assert report["skipped"] == {"outgoing": 2, "already connected": 1}
    names = {row["invitation"]: row["name"] for row in report["results"]}
    assert names["benoit-lacombe-asso"] == "Benoît Lacombe"


def test_ambiguous_dates_alone_are_read_month_first_and_said_once(tmp_path: Path) -> None:
    path = tmp_path / "Invitations.csv"
    path.write_text(
        "From;To;Sent At;Message;Direction\n"
        "Ann Lee;Me;05/03/2026 09:00;;INCOMING\n"
        "Bo Lind;Me;06/03/2026 10:00;;INCOMING\n",
        encoding="utf-8",
    )
    from invpolicy.loading.readers import open_invitations

    source = open_invitations(path)
    source.check()
    assert [i.facts["sent_at"] for i in source] == ["2026-05-03T09:00", "2026-06-03T10:00"]
    assert [str(w) for w in source.warnings] == [
        f"{path}:1:3: warning: Sent At: 2 dates could be read day or month first; read month "
        "first (05/03 is 3 May), as LinkedIn writes them: no date in the file tells"
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_plain_csv_finds_its_delimiter_and_its_columns_whatever_their_case(
    tmp_path: Path, delimiter: str
) -> None:
    header = delimiter.join([" ID ", "Name", "Mét_In_Person", "MUTUAL_CONNECTIONS"])
    # A cell holding the delimiter is quoted, as spreadsheets write it.
    row = delimiter.join(["anna", '"Anna Berg, PhD"', "oui", "3"])
    path = tmp_path / "pending.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = run("decide", str(path), "-p", "strong-ties-only", "--format", "json")
    assert result.exit_code == 0, result.stderr
    anna = decisions(result)["anna"]
    assert anna["name"] == "Anna Berg, PhD"
    assert anna["decisions"]["strong-ties-only"]["rule"] == "met-in-person"


def test_other_inputs_stay_strict_utf8(tmp_path: Path) -> None:
    path = tmp_path / "pending.yaml"
    path.write_bytes(b"- id: a\n  name: Andr\xe9\n")
    result = run("decide", str(path), "-p", "ask-first")
    assert result.exit_code == 1
    assert result.stderr == f"{path}:2:13: not valid UTF-8 text (byte 0xe9)\n"


def test_a_header_without_id_or_name_is_one_line_naming_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "pending.csv"
    path.write_text(
        "identifier,full name,met\n" + "".join(f"x{i},X {i},yes\n" for i in range(1000)),
        encoding="utf-8",
    )
    result = run("decide", str(path), "-p", "ask-first")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:1:1: the header has no id and no name column, which every invitation needs "
        "(its columns: identifier, full name, met)\n"
    )


# --- Unknown fields and ids ----------------------------------------------------------------


TYPO = (
    "- id: anna\n  name: Anna Berg\n  met_in_persn: true\n"
    "- id: bo\n  name: Bo Lind\n  met_in_persn: false\n"
)


def test_an_unknown_field_is_a_warning_with_a_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "pending.yaml"
    path.write_text(TYPO, encoding="utf-8")
    result = run("decide", str(path), "-p", "ask-first", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == (
        f"{path}:3:3: warning: met_in_persn: not a field invpolicy knows (did you mean "
        "'met_in_person'?); kept as an extra field, which plugins may read (in 2 invitations)\n"
    )


def test_strict_makes_it_an_error(tmp_path: Path) -> None:
    path = tmp_path / "pending.yaml"
    path.write_text(TYPO, encoding="utf-8")
    result = run("decide", str(path), "-p", "ask-first", "--strict")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:3:3: met_in_persn: not a field invpolicy knows (did you mean "
        "'met_in_person'?) (in 2 invitations)\n"
    )
    assert result.stdout == ""


def test_a_column_only_a_plugin_reads_is_known(tmp_path: Path, monkeypatch) -> None:
    from invpolicy import Criterion, hookimpl
    from invpolicy.plugins.manager import make_plugin_manager
    from invpolicy.plugins.registry import Registry

    class Reads:
        @hookimpl
        def invpolicy_criteria(self) -> list[Criterion]:
            return [Criterion("karma", "Karma.", ("karma",), lambda p: lambda f: None)]

    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(Reads(), name="karma")
    monkeypatch.setattr("invpolicy.cli.options.load_registry", lambda: Registry(pm))
    path = tmp_path / "pending.csv"
    path.write_text("id,name,karma,kharma\na,A B,3,4\n", encoding="utf-8")
    result = run("decide", str(path), "-p", "accept-all", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"{path}:2:4: warning: kharma: not a field invpolicy knows (did you mean 'karma'?); "
        "kept as an extra field, which plugins may read\n"
    )


def test_a_facts_file_refuses_unknown_fields_and_sums_up_stale_entries(tmp_path: Path) -> None:
    path = tmp_path / "pending.yaml"
    path.write_text("- id: anna\n  name: Anna Berg\n", encoding="utf-8")
    facts = tmp_path / "pending.facts.yaml"
    facts.write_text("anna:\n  exchnges: 3\n", encoding="utf-8")
    result = run("decide", str(path), "-p", "ask-first")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"{facts}:2:3: anna.exchnges: not a field invpolicy knows (did you mean 'exchanges'?)"
    )
    assert facts.read_text(encoding="utf-8") == "anna:\n  exchnges: 3\n"
    stale = "".join(f"gone-{i}:\n  met_in_person: true\n" for i in range(5))
    facts.write_text("anna:\n  exchanges: 3\nanne:\n  exchanges: 1\n" + stale, encoding="utf-8")
    result = run("decide", str(path), "-p", "ask-first", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == (
        f"{facts}:3:1: note: 6 entries match no invitation (anne (did you mean 'anna'?), "
        "gone-0, gone-1 and 3 more); that is normal for invitations since accepted or declined"
    )


def test_a_facts_file_beside_that_is_not_a_regular_file_is_not_read(tmp_path: Path) -> None:
    import os

    path = tmp_path / "inv.yaml"
    path.write_text("- id: anna\n  name: Anna Berg\n", encoding="utf-8")
    os.symlink("/proc/self/environ", tmp_path / "inv.facts.yaml")
    result = run("decide", str(path), "-p", "ask-first", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"Not reading {tmp_path / 'inv.facts.yaml'}: not a regular file (name one with --facts)\n"
    )


def test_columns_that_differ_only_in_case_are_one_column_twice(tmp_path: Path) -> None:
    path = tmp_path / "pending.csv"
    path.write_text("id,name,colour,Colour\na,A,red,blue\n", encoding="utf-8")
    result = run("decide", str(path), "-p", "ask-first")
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1:4: column 'Colour' appears twice (first as column 3)\n"
