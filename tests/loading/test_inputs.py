"""Invitations from every input format: YAML, JSON, JSON Lines, CSV, LinkedIn's export."""

from __future__ import annotations

import json
import tracemalloc
import weakref
from pathlib import Path

import pytest

from invpolicy.errors import InvpolicyError
from invpolicy.io import files as source
from invpolicy.loading.facts import facts_path_for
from invpolicy.loading.readers import (
    INPUT_FORMATS,
    InvitationSource,
    open_invitations,
    read_facts,
)
from invpolicy.model.invitation import build_invitation

TESTS = Path(__file__).resolve().parents[1]
INPUTS = TESTS / "data" / "inputs"
EXAMPLES = TESTS.parent / "examples"
LINKEDIN_EXPORT = EXAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-01-2026"

LINKEDIN_HEADER = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"

#: What plain.yaml, plain.jsonl and plain.csv hold, as the criteria see it.
PLAIN = [
    {
        "id": "anna",
        "name": "Anna Berg",
        "network": "linkedin",
        "language": "en",
        "message": "I'd like to add you to my professional network on LinkedIn.",
        "mutual_connections": 0,
        "met_in_person": False,
        "shared_groups": [],
    },
    {
        "id": "louis",
        "name": "Louis Mercier",
        "network": "linkedin",
        "language": "fr",
        "message": "Bonjour, on s'est croisés au salon RH de Lille, au stand des écoles.",
        "mutual_connections": 3,
        "met_in_person": True,
        "shared_groups": ["RH & Digital", "Lille Tech"],
        "common_ground": ["school"],
        "experience_years": 7.5,
        "referred_by": "Claire",
    },
    {
        "id": "wei",
        "name": "Wei Zhang",
        "network": "viadeo",
        "headline": "Product manager",
        "exchanges": 2,
    },
]

#: The INCOMING rows of Invitations.csv (LinkedIn's newer export).
ELODIE = {
    "id": "elodie-faure-3c9a1b",
    "name": "Élodie Fauré",
    "network": "linkedin",
    "message": "Bonjour Camille, nous étions voisines de table au dîner des anciens "
    "de l'IUT.\nAu plaisir de poursuivre la conversation !",
    "sent_at": "2026-02-14T09:05",
    "profile_url": "https://www.linkedin.com/in/elodie-faure-3c9a1b",
}
JOSE = {
    "id": "josé-garcía-5b1",
    "name": "José García",
    "network": "linkedin",
    "message": "",
    "sent_at": "2026-01-29T14:37",
    "profile_url": "https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa-5b1/",
}
BASTIEN = {
    "id": "bastien-roux-8d2e",
    "name": "Bastien Roux",
    "network": "linkedin",
    "message": "I'd like to add you to my professional network.",
    "sent_at": "2026-01-20T11:58",
    "profile_url": "https://www.linkedin.com/in/bastien-roux-8d2e",
}
MARGARET = {
    "id": "margaret-oneill-42",
    "name": "Margaret O'Neill",
    "network": "linkedin",
    "message": "Hi Camille, your talk at the Nantes product meetup stayed with me, "
    "could we connect?",
    "sent_at": "2025-12-03T18:48",
    "profile_url": "https://www.linkedin.com/in/Margaret-ONeill-42",
}


def _facts(invitations: InvitationSource) -> list[dict[str, object]]:
    return [dict(invitation.facts) for invitation in invitations]


def _problems(path: Path | str, *args: str | None, **kwargs: Path | str) -> list[str]:
    with pytest.raises(InvpolicyError) as info:
        open_invitations(path, *args, **kwargs).check()
    return [str(problem) for problem in info.value.problems]


def _linkedin(write, rows: str, name: str = "Invitations.csv") -> Path:
    return write(name, LINKEDIN_HEADER + rows)


# --- choosing the format ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["plain.yaml", "plain.jsonl", "plain.csv"])
def test_every_plain_format_gives_the_same_invitations(name):
    invitations = open_invitations(INPUTS / name)
    invitations.check()
    assert invitations.kind == name.rsplit(".", 1)[1]
    assert _facts(invitations) == PLAIN
    assert invitations.skipped == {}


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.yml", "- {id: a, name: A}\n", "yaml"),
        ("a.json", '[{"id": "a", "name": "A"}]', "json"),
        ("a.ndjson", '{"id": "a", "name": "A"}\n', "jsonl"),
        ("A.JSONL", '{"id": "a", "name": "A"}\n', "jsonl"),
        ("a.csv", "id,name\na,A\n", "csv"),
    ],
)
def test_the_extension_chooses_the_format(write, name, content, kind):
    invitations = open_invitations(write(name, content))
    assert invitations.kind == kind
    assert [i.id for i in invitations] == ["a"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bom.jsonl", b'\xef\xbb\xbf{"id": "a", "name": "A"}\r\n'),
        ("bom.csv", b"\xef\xbb\xbfid,name\r\na,A\r\n"),
    ],
)
def test_a_byte_order_mark_is_ignored(write, name, content):
    assert _facts(open_invitations(write(name, content))) == [
        {"id": "a", "name": "A", "network": "linkedin"}
    ]


def test_an_unknown_extension_asks_for_input_format(write):
    path = write("export.txt", '{"id": "a", "name": "A"}\n')
    assert INPUT_FORMATS == ("yaml", "json", "jsonl", "csv")
    assert _problems(path) == [
        f"{path}:1:1: cannot tell the format from the extension '.txt': "
        "use --input-format with one of yaml, json, jsonl, csv"
    ]
    assert [i.id for i in open_invitations(path, "jsonl")] == ["a"]
    assert _problems(path, "xml") == [
        f"{path}:1:1: unknown input format 'xml': use one of yaml, json, jsonl, csv"
    ]


def test_a_linkedin_export_is_recognised_by_its_header_whatever_the_flag_says(write):
    path = _linkedin(write, 'Ana Silva,Me,"3/4/26, 9:00 AM",Hi!,INCOMING,,\n', "export.data")
    assert open_invitations(path, "csv").kind == "linkedin"
    assert open_invitations(INPUTS / "plain.csv", "csv").kind == "csv"


# --- CSV ----------------------------------------------------------------------------------


def test_csv_cells_take_the_type_of_their_field(write):
    path = write(
        "inv.csv",
        b"\xef\xbb\xbfid,name,met_in_person,shared_groups,common_ground,experience_years,"
        b"mutual_connections,referred_by\r\n"
        b"a,Ann,YES,;,,3,0,\r\n"
        b'b,Bob,Non, x ; y ;,school,0.5,," Dana, from ""Lyon""\nmeetups "\r\n'
        b"c,Cy,1, ; ,,,12,\r\n"
        b"d,Dee,0,,,,,\r\n"
        b"e,Eve,oui,,,,,\r\n"
        b",,,,,,,\r\n",
    )
    invitations = open_invitations(path)
    invitations.check()
    got = {invitation.id: dict(invitation.facts) for invitation in invitations}
    assert got["a"] == {
        "id": "a",
        "name": "Ann",
        "network": "linkedin",
        "met_in_person": True,
        "shared_groups": [],  # a lone ';' is a known empty list
        "experience_years": 3,
        "mutual_connections": 0,
    }
    assert got["b"]["met_in_person"] is False
    assert got["b"]["shared_groups"] == ["x", "y"]
    assert got["b"]["common_ground"] == ["school"]
    assert got["b"]["experience_years"] == 0.5
    assert "mutual_connections" not in got["b"]  # an empty cell is unknown
    assert got["b"]["referred_by"] == 'Dana, from "Lyon"\nmeetups'
    assert got["c"]["met_in_person"] is True
    assert got["c"]["shared_groups"] == []
    assert got["d"]["met_in_person"] is False
    assert "shared_groups" not in got["d"]
    assert got["e"]["met_in_person"] is True
    assert list(got) == ["a", "b", "c", "d", "e"]  # the row of empty cells is skipped


def test_csv_problems_point_at_the_record_line_and_the_column_number(write):
    path = write(
        "inv.csv",
        'id,name,message,mutual_connections,met_in_person\na,Ann,"line one\nline two",'
        "three,yes\nb,Bob,,2,perhaps\na,Ann again,,,\nc,Cy,,,,extra\n\nd,Dee,,1.5,\n",
    )
    assert _problems(path) == [
        f'{path}:2:4: mutual_connections: expected integer, got "three"',
        f"{path}:4:5: met_in_person: expected boolean (true/false, yes/no, oui/non, 1/0), "
        'got "perhaps"',
        f"{path}:5:1: id: duplicate invitation id 'a' (first at line 2)",
        f"{path}:6:6: 6 cells, but the header has 5 columns",
        f'{path}:8:4: mutual_connections: expected integer, got "1.5"',
    ]


def test_csv_schema_problems_read_as_for_yaml(write):
    path = write(
        "inv.csv", "id,name,network,experience_years,exchanges\na,Ann,myspace,-2,\n,Bob,,,\n"
    )
    assert _problems(path) == [
        f'{path}:2:3: network: "myspace" is not one of: linkedin, viadeo, facebook, twitter, other',
        f"{path}:2:4: experience_years: -2 is less than the minimum of 0",
        f"{path}:3:1: missing required key 'id'",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id,,name\n", ":1:2: column 2 has no name"),
        ("id,name,id\n", ":1:3: column 'id' appears twice (first as column 1)"),
        ('id,name\na,"never closed\n', ":2:1: invalid CSV: unexpected end of data"),
        ("\n\n", ":1:1: file is empty"),
    ],
)
def test_a_broken_csv_file_gets_a_located_problem(write, content, expected):
    path = write("inv.csv", content)
    assert _problems(path) == [f"{path}{expected}"]


# --- JSON Lines ---------------------------------------------------------------------------


def test_json_lines_problems_point_at_the_line_and_the_key(write):
    path = write(
        "inv.jsonl",
        '{"id": "a", "name": "Ann"}\n'
        "\n"
        '{"id": "b", "name": "Bob", "mutual_connections": "three"}\n'
        '{"name": "Ann",  "id": "a"}\n'
        '{"id": "c", "name": }\n'
        "[1, 2]\n"
        '{"id": "d", "name": "Dee", "exchanges": NaN}\n'
        '{"id": "e", "name": "Eve", "id": "f"}\n'
        '{"id": "g", "name": "Gus", "shared_groups": ["ok", 3]}\n',
    )
    assert _problems(path) == [
        f'{path}:3:28: mutual_connections: expected integer, got a string ("three")',
        f"{path}:4:18: id: duplicate invitation id 'a' (first at line 1)",
        f"{path}:5:21: invalid JSON: Expecting value",
        f"{path}:6:1: expected object, got a list ([1, 2])",
        f"{path}:7:1: invalid JSON: 'NaN' is not a finite number",
        f"{path}:8:1: invalid JSON: duplicate key 'id'",
        f"{path}:9:28: shared_groups[1]: expected string, got an integer (3)",
    ]


# --- files that cannot be read --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("x.jsonl", b"", ":1:1: file is empty"),
        ("x.csv", b"", ":1:1: file is empty"),
        ("x.yaml", b"", ":1:1: file is empty"),
        (
            "x.jsonl",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            ":1:1: not valid UTF-8 text (byte 0x89)",
        ),
        # Neither UTF-8 nor Windows-1252 (which leaves 0x81 undefined).
        ("x.csv", b"id,name\nb,Andr\x81\n", ":2:7: not valid UTF-8 text (byte 0x81)"),
        (
            "x.jsonl",
            b'{"id": "a", "name": "A"}\n{"id": "b\x00"}\n',
            ":2:10: binary data (a NUL byte)",
        ),
        (
            "x.csv",
            LINKEDIN_HEADER.encode() + b"A,B,,\x00,INCOMING\n",
            ":2:6: binary data (a NUL byte)",
        ),
        ("x.json", b'[{"id": "a", "name": ', ":1:22: invalid JSON"),
    ],
)
def test_unreadable_files_get_a_located_problem(write, name, content, expected):
    path = write(name, content)
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}{expected}")


@pytest.mark.parametrize("name", ["nope.jsonl", "nope.csv", "nope.yaml"])
def test_a_missing_file_or_a_folder_is_a_problem_not_a_traceback(tmp_path, name):
    assert _problems(tmp_path / name) == [f"{tmp_path / name}:1:1: no such file"]
    (tmp_path / name).mkdir()
    (problem,) = _problems(tmp_path / name)
    assert problem.startswith(f"{tmp_path / name}:1:1: ")


def test_a_file_read_whole_over_the_size_limit_is_refused_before_reading(write, monkeypatch):
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 10)
    path = write("big.json", '[{"id": "a", "name": "A"}]\n')
    assert _problems(path) == [f"{path}:1:1: file is too large (more than 10 bytes)"]


@pytest.mark.parametrize("name", ["big.jsonl", "big.csv"])
def test_a_file_read_line_by_line_has_no_size_limit_but_a_line_limit(write, monkeypatch, name):
    """JSON Lines and CSV files stream in flat memory: however long, each line is bounded."""
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 10)
    monkeypatch.setattr(source, "MAX_LINE_BYTES", 100)
    if name.endswith(".jsonl"):
        lines = [json.dumps({"id": f"i{n}", "name": f"Person {n}"}) for n in range(50)]
        long = json.dumps({"id": "x", "name": "y" * 120})
    else:
        lines = ["id,name", *(f"i{n},Person {n}" for n in range(50))]
        long = "x," + "y" * 120
    path = write(name, "\n".join(lines) + "\n")
    assert len(list(open_invitations(path))) == 50
    path = write(name, "\n".join([*lines[:5], long, *lines[5:]]) + "\n")
    assert _problems(path) == [f"{path}:6:1: line is too long (more than 100 bytes)"]


def test_a_csv_record_is_bounded_across_its_lines(write, monkeypatch):
    monkeypatch.setattr(source, "MAX_LINE_BYTES", 100)
    path = write("big.csv", 'id,name\na,A\nb,"never closed\n' + "more text\n" * 30)
    assert _problems(path) == [
        f"{path}:3:1: a record of more than 100 characters: is a quoted cell never closed?"
    ]


def test_a_file_changed_after_check_raises_a_problem_when_iterated(write):
    path = write("inv.jsonl", '{"id": "a", "name": "A"}\n')
    invitations = open_invitations(path)
    invitations.check()
    path.write_bytes(b'{"id": "a", "name": "A"}\n{"id": 3}\n')
    with pytest.raises(InvpolicyError) as info:
        list(invitations)
    assert [str(problem) for problem in info.value.problems] == [
        f"{path}:2:1: missing required key 'name'",
        f"{path}:2:2: id: expected string, got an integer (3)",
    ]


def test_each_iteration_reads_the_file_again(write):
    path = write("inv.csv", "id,name\na,A\n")
    invitations = open_invitations(path)
    assert [i.id for i in invitations] == ["a"]
    assert [i.id for i in invitations] == ["a"]
    path.write_text("id,name\na,A\nb,B\n", encoding="utf-8")
    assert [i.id for i in invitations] == ["a", "b"]


@pytest.mark.parametrize("kind", ["yaml", "linkedin"])
def test_whole_files_are_read_once_however_often_the_input_is_read(write, monkeypatch, kind):
    if kind == "yaml":
        path, connections = INPUTS / "plain.yaml", None
        facts = write("facts.yaml", "anna:\n  met_in_person: true\n")
    else:
        path, connections = INPUTS / "Invitations.csv", INPUTS / "Connections.csv"
        facts = INPUTS / "Invitations.facts.yaml"
    opened: list[str] = []
    real_open = source.open_file

    def counting_open(file, shown, *limit):
        opened.append(str(file))
        return real_open(file, shown, *limit)

    monkeypatch.setattr(source, "open_file", counting_open)
    invitations = open_invitations(path, facts=facts, connections=connections)
    invitations.check()
    first, second = list(invitations), list(invitations)
    assert first == second
    assert first[0].facts["met_in_person"] is True  # the facts are merged on every pass
    # A CSV file is streamed on each pass (after its head is looked at, and, for
    # LinkedIn's, once for how its dates are written); the YAML file and the side
    # files are held whole once read.
    expected = {str(facts): 1, str(path): 1 if kind == "yaml" else 5}
    if connections is not None:
        expected[str(connections)] = 1
    assert {name: opened.count(name) for name in opened} == expected


def test_skipped_counts_are_right_with_or_without_check():
    unchecked = open_invitations(INPUTS / "Invitations.csv", connections=INPUTS / "Connections.csv")
    assert len(list(unchecked)) == 3
    assert unchecked.skipped == {"outgoing": 2, "already connected": 1}
    checked = open_invitations(INPUTS / "Invitations.csv", connections=INPUTS / "Connections.csv")
    checked.check()
    # A pass under way does not clear the counts: they are shown once it has read all.
    next(iter(checked))
    assert checked.skipped == {"outgoing": 2, "already connected": 1}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bom.csv", b"id,name\r\n\xef\xbb\xbfa,A\r\n"),
        ("bom.jsonl", b'{"id": "x", "name": "X"}\n\xef\xbb\xbf{"id": "a", "name": "A"}\n'),
    ],
)
def test_a_byte_order_mark_after_the_first_line_is_not_dropped(write, name, content):
    path = write(name, content)
    if name.endswith(".csv"):
        assert _facts(open_invitations(path))[0]["id"] == "\ufeffa"
    else:
        assert _problems(path) == [
            f"{path}:2:1: invalid JSON: a byte-order mark (U+FEFF) is allowed "
            "at the start of the file only"
        ]


# --- streaming -----------------------------------------------------------------------------


def _write_jsonl(path: Path, count: int, last: bytes = b"") -> Path:
    with path.open("wb") as out:
        for i in range(count):
            row = {"id": f"inv-{i}", "name": f"Person {i}", "mutual_connections": i % 5}
            out.write(json.dumps(row).encode() + b"\n")
        out.write(last)
    return path


def test_json_lines_are_yielded_as_read_and_not_kept(tmp_path):
    # The last line cannot even be decoded (in UTF-8 or Windows-1252): reading it
    # stops the reader.
    path = _write_jsonl(tmp_path / "big.jsonl", 20_000, last=b'{"id": "\xff"}\n')
    invitations = iter(open_invitations(path))
    # The first invitation comes before the reader reaches the last line.
    first = next(invitations)
    assert first.id == "inv-0"
    refs = [weakref.ref(first)]
    del first
    kept_midway: list[int] = []

    def take_the_rest() -> None:
        for index, invitation in enumerate(invitations, start=1):
            refs.append(weakref.ref(invitation))
            if index == 10_000:
                kept_midway.append(sum(ref() is not None for ref in refs[:-1]))

    with pytest.raises(InvpolicyError) as info:
        take_the_rest()
    assert [str(p) for p in info.value.problems] == [
        f"{path}:20001:9: not valid UTF-8 text (byte 0xff)"
    ]
    assert kept_midway == [0]  # nothing holds the invitations already handed out


@pytest.mark.slow
def test_checking_a_large_json_lines_file_keeps_no_invitation(tmp_path):
    path = _write_jsonl(tmp_path / "big.jsonl", 20_000)
    invitations = open_invitations(path)
    open_invitations(_write_jsonl(tmp_path / "small.jsonl", 1)).check()  # builds the validator
    tracemalloc.start()
    try:
        invitations.check()
        _, checking = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        kept = [build_invitation(row) for row in rows]
        holding = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(kept) == 20_000
    # Only the ids are kept (to report a duplicate): far less than the invitations.
    assert checking < holding / 4


@pytest.mark.parametrize("kind", ["csv", "linkedin"])
def test_csv_rows_are_yielded_as_read(write, kind):
    # The last line cannot even be decoded (in UTF-8 or Windows-1252): reading it
    # stops the reader.
    if kind == "csv":
        rows = "id,name\n" + "".join(f"inv-{i},Person {i}\n" for i in range(2_000))
    else:
        row = 'Person {i},Me,"3/4/26, 9:00 AM",,INCOMING,https://www.linkedin.com/in/p-{i},\n'
        rows = LINKEDIN_HEADER + "".join(row.format(i=i) for i in range(2_000))
    path = write("big.csv", rows.encode() + b"x,\x81\n")
    invitations = iter(open_invitations(path))
    assert next(invitations).id in ("inv-0", "p-0")
    with pytest.raises(InvpolicyError) as info:
        list(invitations)
    assert [str(problem) for problem in info.value.problems] == [
        f"{path}:2002:3: not valid UTF-8 text (byte 0x81)"
    ]


# --- LinkedIn's export --------------------------------------------------------------------


def test_linkedin_newer_export_keeps_incoming_invitations_only():
    invitations = open_invitations(INPUTS / "Invitations.csv")
    invitations.check()
    assert invitations.kind == "linkedin"
    assert invitations.skipped == {"outgoing": 2}
    assert _facts(invitations) == [ELODIE, JOSE, BASTIEN, MARGARET]
    # Nothing LinkedIn does not say is made up: those facts stay unknown.
    for invitation in invitations:
        assert "mutual_connections" not in invitation.facts
        assert "met_in_person" not in invitation.facts
        assert invitation.language is None


def test_linkedin_older_export_takes_ids_from_names():
    invitations = open_invitations(INPUTS / "Invitations_old.csv")
    invitations.check()
    assert invitations.kind == "linkedin"
    assert invitations.skipped == {"outgoing": 1}
    assert _facts(invitations) == [
        {
            "id": "jean-dupont",
            "name": "Jean Dupont",
            "network": "linkedin",
            "message": "Bonjour Camille. J'aimerais vous inviter à rejoindre mon réseau.",
            "sent_at": "2021-03-02T13:05",
        },
        {
            "id": "jean-dupont-2",  # a namesake: the later one gets a number
            "name": "Jean Dupont",
            "network": "linkedin",
            "message": "Salut, c'est Jean du club de voile, on se voit samedi ?",
            "sent_at": "2021-02-25T22:02",
        },
        {
            "id": "zoe-lefebvre",
            "name": "Zoë Lefèbvre",
            "network": "linkedin",
            "message": "",
            "sent_at": "2020-11-30T08:15",
        },
        {
            "id": "helene-marchal",
            "name": "Hélène Marchal",
            "network": "linkedin",
            "message": "I'd like to add you to my professional network.",
            "sent_at": "2020-11-02T19:00",
        },
    ]


def test_linkedin_header_is_found_after_notes_in_any_column_order(write):
    path = write(
        "Invitations.csv",
        b'\xef\xbb\xbfNotes:\r\n"Exported for the tests, with a note, like Connections.csv."\r\n'
        b"\r\nDirection,Message,From,Sent At,To\r\n"
        b'INCOMING,"Hi, Sam!",Ana Silva,"3/4/26, 9:00 AM",Sam\r\n',
    )
    invitations = open_invitations(path)
    assert invitations.kind == "linkedin"
    assert _facts(invitations) == [
        {
            "id": "ana-silva",
            "name": "Ana Silva",
            "network": "linkedin",
            "message": "Hi, Sam!",
            "sent_at": "2026-03-04T09:00",
        }
    ]


@pytest.mark.parametrize(
    ("sent_at", "expected"),
    [
        ("1/29/26, 2:37 PM", "2026-01-29T14:37"),
        ("1/29/2026, 2:37 PM", "2026-01-29T14:37"),
        ("01/29/26, 13:05", "2026-01-29T13:05"),
        ("12/31/25, 12:00 AM", "2025-12-31T00:00"),
        ("7/4/26, 12:30 pm", "2026-07-04T12:30"),
        ("7/4/26, 9:05\u202fAM", "2026-07-04T09:05"),
        ("2/30/26, 1:00 PM", None),
        ("13/1/26, 1:00 PM", None),
        ("1/29/26, 13:05 PM", None),
        # As spreadsheets write them back.
        ("2026-01-29 14:37", "2026-01-29T14:37"),
        ("2026-01-29 14:37:08", "2026-01-29T14:37"),
        ("1/29/2026 14:37", "2026-01-29T14:37"),
        ("29/01/2026 14:37", "2026-01-29T14:37"),
        ("29.01.2026 14:37", "2026-01-29T14:37"),
        ("yesterday", None),
        ("29/01/2026", None),
    ],
)
def test_linkedin_sent_at_is_written_in_iso_8601(write, sent_at, expected):
    path = _linkedin(write, f'Ana Silva,Me,"{sent_at}",,INCOMING,,\n')
    if expected is None:
        assert _problems(path) == [
            f'{path}:2:3: Sent At: expected a date and time such as "1/29/26, 2:37 PM", '
            f"got {json.dumps(sent_at, ensure_ascii=False)}"
        ]
    else:
        (invitation,) = open_invitations(path)
        assert invitation.facts["sent_at"] == expected


def test_linkedin_problems_are_located(write):
    path = _linkedin(
        write,
        "Ana Silva,Me,yesterday,,INCOMING,,\n"
        ',Me,"3/4/26, 9:00 AM",,INCOMING,,\n'
        'Bo Chen,Me,"3/4/26, 9:00 AM",,SIDEWAYS,,\n'
        "Cy Diaz,Me,,,INCOMING,,,\n",
    )
    assert _problems(path) == [
        f'{path}:2:3: Sent At: expected a date and time such as "1/29/26, 2:37 PM", '
        'got "yesterday"',
        f"{path}:3:1: missing required key 'name'",
        f'{path}:4:5: Direction: expected INCOMING or OUTGOING, got "SIDEWAYS"',
        f"{path}:5:8: 8 cells, but the header has 7 columns",
    ]


def test_linkedin_ids_from_urls_and_names(write):
    path = _linkedin(
        write,
        "Ana Silva,Me,,,INCOMING,https://www.linkedin.com/in/Ana-Silva-7/?trk=x,\n"
        "Ana Silva,Me,,,INCOMING,https://www.linkedin.com/in/ana-silva-7,\n"
        "Ana Silva,Me,,,INCOMING,,\n"
        "Ana Silva,Me,,,INCOMING,,\n"
        "Łukasz Wójcik-Nowak,Me,,,INCOMING,,\n"
        "李雷,Me,,,INCOMING,,\n",
    )
    ids = [invitation.id for invitation in open_invitations(path)]
    assert ids == [
        "ana-silva-7",
        "ana-silva-7-2",
        "ana-silva",
        "ana-silva-2",
        "ukasz-wojcik-nowak",
        "inviter",
    ]


def test_already_connected_inviters_are_skipped_by_profile(write):
    invitations = open_invitations(
        INPUTS / "Invitations.csv", connections=INPUTS / "Connections.csv"
    )
    invitations.check()
    assert invitations.skipped == {"outgoing": 2, "already connected": 1}
    # Bastien is a connection; the Élodie Fauré in Connections.csv is a namesake
    # with another profile, so this one is still pending.
    assert [i.id for i in invitations] == [ELODIE["id"], JOSE["id"], MARGARET["id"]]


def test_already_connected_matches_names_when_a_file_has_no_urls():
    old_invitations = open_invitations(
        INPUTS / "Invitations_old.csv", connections=INPUTS / "Connections.csv"
    )
    # "Hélène Marchal" invited; "Helene Marchal" is a connection.
    assert "helene-marchal" not in [i.id for i in old_invitations]
    assert old_invitations.skipped == {"outgoing": 1, "already connected": 1}
    old_connections = open_invitations(
        INPUTS / "Invitations.csv", connections=INPUTS / "Connections_old.csv"
    )
    # Without URLs, "Elodie FAURE" is taken for Élodie Fauré.
    assert [i.id for i in old_connections] == [JOSE["id"], MARGARET["id"]]
    assert old_connections.skipped == {"outgoing": 2, "already connected": 2}


def test_already_connected_names_match_whatever_the_apostrophe(write):
    connections = write(
        "Connections.csv",
        "First Name,Last Name,Connected On\nSeán,O'Brien,08 Feb 2026\nAna,Silva,08 Feb 2026\n",
    )
    path = _linkedin(
        write,
        "Seán O\u2019Brien,Me,,,INCOMING,,\n"
        "Sean  o'brien,Me,,,INCOMING,,\n"
        "Ana O\u2019Brien,Me,,,INCOMING,,\n",
    )
    invitations = open_invitations(path, connections=connections)
    # The curly apostrophe folds like the straight one, in the id too.
    assert [i.id for i in invitations] == ["ana-o-brien"]
    assert invitations.skipped == {"already connected": 2}


def test_connections_file_problems_are_located(write):
    path = write(
        "Connections.csv",
        'Notes:\n"A note."\n\nFirst Name,Last Name,URL,Email Address,Company,Position,'
        "Connected On\nAna,Silva,https://www.linkedin.com/in/ana-silva,,,,31 Feb 2026\n"
        "Bo,Chen,,,,,Feb 3 2026\n",
    )
    expected = 'Connected On: expected a date such as "08 Feb 2026", got '
    assert _problems(INPUTS / "Invitations.csv", connections=path) == [
        f'{path}:5:7: {expected}"31 Feb 2026"',
        f'{path}:6:7: {expected}"Feb 3 2026"',
    ]
    not_connections = INPUTS / "plain.csv"
    assert _problems(INPUTS / "Invitations.csv", connections=not_connections) == [
        f"{not_connections}:1:1: no header with the columns First Name and Last Name: "
        "not LinkedIn's Connections.csv"
    ]


@pytest.mark.parametrize("name", ["plain.yaml", "plain.jsonl", "plain.csv"])
def test_connections_are_only_for_linkedin_exports(name):
    connections = INPUTS / "Connections.csv"
    plain = INPUTS / name
    # Refused as soon as the input is opened: nothing is read to know it.
    with pytest.raises(InvpolicyError) as info:
        open_invitations(plain, connections=connections)
    assert [str(problem) for problem in info.value.problems] == [
        f"{connections}:1:1: only LinkedIn's Invitations.csv can be matched against "
        f"connections, and {plain} is read as {name.rsplit('.', 1)[1]}"
    ]


def test_the_shipped_linkedin_example_reads(tmp_path):
    folder = LINKEDIN_EXPORT
    invitations = open_invitations(
        folder / "Invitations.csv", connections=folder / "Connections.csv"
    )
    invitations.check()
    assert invitations.kind == "linkedin"
    assert invitations.skipped == {"outgoing": 2, "already connected": 1}
    got = list(invitations)
    assert len(got) == 7
    assert all(i.facts["sent_at"].startswith("2026-02-") for i in got)


# --- the facts file -------------------------------------------------------------------------


def test_facts_file_adds_facts_by_id():
    invitations = open_invitations(
        INPUTS / "Invitations.csv", facts=INPUTS / "Invitations.facts.yaml"
    )
    invitations.check()
    got = {invitation.id: dict(invitation.facts) for invitation in invitations}
    assert got[ELODIE["id"]] == {
        **ELODIE,
        "met_in_person": True,
        "mutual_connections": 4,
        "common_ground": ["school"],
    }
    assert got[JOSE["id"]] == {**JOSE, "language": "en", "mutual_connections": 0}
    assert got[MARGARET["id"]] == MARGARET
    assert len(got) == 4  # the entry 'someone-else' matches nobody and is ignored


def test_facts_file_wins_and_null_makes_a_fact_unknown(write):
    facts = write(
        "facts.yaml",
        """\
        margaret-oneill-42:
          message: We met at the Nantes meetup.
          sent_at: null
          name: Maggie O'Neill
        """,
    )
    invitations = open_invitations(INPUTS / "Invitations.csv", facts=facts)
    margaret = next(i for i in invitations if i.id == MARGARET["id"])
    assert margaret.name == "Maggie O'Neill"
    assert margaret.facts["message"] == "We met at the Nantes meetup."
    assert "sent_at" not in margaret.facts


@pytest.mark.parametrize("name", ["plain.yaml", "plain.jsonl", "plain.csv"])
def test_facts_file_works_for_every_format(write, name):
    facts = write("facts.yaml", "anna:\n  met_in_person: true\n  shared_groups: [Lyon]\n")
    anna = next(iter(open_invitations(INPUTS / name, facts=facts)))
    assert anna.facts["met_in_person"] is True
    assert anna.facts["shared_groups"] == ["Lyon"]
    bad = write("bad.yaml", "# about Anna\nanna:\n  mutual_connections: four\n")
    assert _problems(INPUTS / name, facts=bad) == [
        f'{bad}:3:23: anna.mutual_connections: expected integer, got a string ("four")'
    ]


def test_facts_file_problems_point_into_the_facts_file(write):
    facts = write(
        "facts.yaml",
        """\
        elodie-faure-3c9a1b:
          met_in_person: sometimes
          mutual_connections: -4
        margaret-oneill-42: not a mapping
        bastien-roux-8d2e:
          id: someone-else
        nobody-here:
          mutual_connections: lots
        """,
    )
    assert _problems(INPUTS / "Invitations.csv", facts=facts) == [
        f"{facts}:2:18: elodie-faure-3c9a1b.met_in_person: expected boolean, "
        'got a string ("sometimes")',
        f"{facts}:3:23: elodie-faure-3c9a1b.mutual_connections: -4 is less than the minimum of 0",
        f'{facts}:4:21: margaret-oneill-42: expected a mapping of facts, got "not a mapping"',
        f"{facts}:6:7: bastien-roux-8d2e.id: a facts file cannot change an invitation's id",
    ]
    with pytest.raises(InvpolicyError, match="margaret-oneill-42: expected a mapping of facts"):
        read_facts(facts)


@pytest.mark.parametrize("nothing_yet", ["", "# nothing added yet\n", "---\n# nothing added yet\n"])
def test_facts_file_missing_empty_or_of_the_wrong_shape(write, tmp_path, nothing_yet):
    missing = tmp_path / "nope.facts.yaml"
    assert _problems(INPUTS / "plain.csv", facts=missing) == [f"{missing}:1:1: no such file"]
    empty = write("empty.yaml", nothing_yet)
    assert read_facts(empty) == {}
    assert len(list(open_invitations(INPUTS / "plain.csv", facts=empty))) == 3
    listed = write("listed.yaml", "- anna\n")
    assert _problems(INPUTS / "plain.csv", facts=listed) == [
        f"{listed}:1:1: expected a mapping from invitation ids to their facts"
    ]


def test_read_facts_and_its_default_place():
    assert read_facts(INPUTS / "Invitations.facts.yaml")["josé-garcía-5b1"] == {
        "language": "en",
        "mutual_connections": 0,
    }
    assert facts_path_for("exports/Invitations.csv") == Path("exports/Invitations.facts.yaml")
    assert facts_path_for(INPUTS / "Invitations.csv") == INPUTS / "Invitations.facts.yaml"


def test_check_reports_every_problem_of_every_file_sorted(write):
    invitations = write("inv.jsonl", '{"id": "a", "name": "A", "exchanges": -1}\n{"id": 2}\n')
    facts = write("facts.yaml", "a:\n  met_in_person: maybe\n")
    problems = _problems(invitations, facts=facts)
    assert [problem.split(": ", 1)[0] for problem in problems] == [
        f"{facts}:2:18",
        f"{invitations}:1:26",
        f"{invitations}:2:1",
        f"{invitations}:2:2",
    ]
    export = _linkedin(
        write,
        "Ana Silva,Me,,,INCOMING,https://www.linkedin.com/in/ana-silva,\n"
        "Bo Chen,Me,,,SIDEWAYS,,\n"
        "Cy Diaz,Me,yesterday,,INCOMING,,\n",
    )
    facts = write("facts.yaml", "ana-silva:\n  met_in_person: maybe\n")
    connections = write("connections.csv", "not,a,connections,file\n")
    problems = _problems(export, facts=facts, connections=connections)
    assert [problem.split(": ", 1)[0] for problem in problems] == [
        f"{export}:3:5",
        f"{export}:4:3",
        f"{connections}:1:1",
        f"{facts}:2:18",
    ]
