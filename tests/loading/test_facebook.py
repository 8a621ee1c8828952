"""Facebook's "Download your information" export: friend requests, threads, HTML."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from invpolicy.errors import InvpolicyError
from invpolicy.io.archive import open_archive
from invpolicy.io.safeload import load_document
from invpolicy.loading.export import FACEBOOK_FILES
from invpolicy.loading.facebook import (
    HTML_HINT,
    friend_request_rows,
    looks_like_facebook_html,
    read_threads,
    repair_mojibake,
    requests_key,
)
from invpolicy.loading.records import Row
from invpolicy.loading.talks import Inviter, Inviters

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "facebook"
EXPORT = EXAMPLES / "facebook-samleroy-2026-12-01"

OWNER = "Sam Leroy"
# 2026-02-16 09:22:05 UTC
SENT = 1771233725


def moji(text: str) -> str:
    """``text`` as Facebook writes it: each UTF-8 byte as a code point."""
    return text.encode("utf-8").decode("latin-1")


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=True), encoding="utf-8")
    return path


def rows_of(path: Path) -> list[Row]:
    """The rows, each with the id it is given."""
    return list(friend_request_rows(load_document(path)))


# --- mojibake ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Fran\u00c3\u00a7ois", "François"),
        ("H\u00c3\u00a9l\u00c3\u00a8ne", "Hélène"),
        ("merci \u00f0\u009f\u0099\u0082", "merci 🙂"),
        ("l\u00e2\u0080\u0099\u00c3\u00a9quipe", "l\u2019équipe"),
        ("François", "François"),  # already right: a lone "ç" is no UTF-8
        ("café", "café"),
        ("Zoë 🙂", "Zoë 🙂"),  # past U+00FF: not mojibake
        ("Thomas Martin", "Thomas Martin"),
        ("", ""),
    ],
)
def test_repair_mojibake(written: str, meant: str) -> None:
    assert repair_mojibake(written) == meant


# --- friend requests --------------------------------------------------------------------


def test_file_names_and_key() -> None:
    assert "received_friend_requests.json" in FACEBOOK_FILES
    assert requests_key({"received_requests_v2": []}) == "received_requests_v2"
    assert requests_key({"received_requests": [{"name": "A"}]}) == "received_requests"
    assert requests_key({"received_requests_v2": {}}) is None
    assert requests_key([{"name": "A"}]) is None
    assert requests_key({"friends_v2": []}) is None


@pytest.mark.parametrize("key", ["received_requests_v2", "received_requests"])
def test_friend_requests_become_rows(tmp_path: Path, key: str) -> None:
    entries = [
        {"name": moji("François Dupont"), "timestamp": SENT},
        {"name": "Thomas Martin", "timestamp": SENT + 60},
        {"name": "Thomas Martin", "timestamp": SENT + 120},
        {"name": moji("Zoë Whitfield"), "timestamp": 0},
    ]
    rows = rows_of(write_json(tmp_path / "received_friend_requests.json", {key: entries}))
    assert [row.problems for row in rows] == [[], [], [], []]
    assert rows[0].data == {
        "id": "francois-dupont",
        "name": "François Dupont",
        "network": "facebook",
        "sent_at": "2026-02-16T09:22+00:00",
    }
    assert [row.data["id"] for row in rows] == [
        "francois-dupont",
        "thomas-martin",
        "thomas-martin-2",
        "zoe-whitfield",
    ]
    assert rows[3].data["sent_at"] == "1970-01-01T00:00+00:00"
    # Each row points at its entry: the name's line, the timestamp's line.
    assert [row.line for row in rows] == [3, 7, 11, 15]
    assert rows[1].doc.position(("name",)) == (8, 15)
    assert rows[1].doc.position(("sent_at",)) == (9, 20)
    assert rows[1].doc.position(("id",)) == (8, 15)


def test_a_bad_entry_is_located(tmp_path: Path) -> None:
    entries = [
        {"name": "Anna Berg", "timestamp": SENT},
        "Louis Mercier",
        {"timestamp": SENT},
        {"name": "Wei Zhang", "timestamp": "yesterday"},
        {"name": "Nour Haddad", "timestamp": -5},
    ]
    path = write_json(tmp_path / "received_friend_requests.json", {"received_requests_v2": entries})
    rows = rows_of(path)
    shown = [[str(problem) for problem in row.problems] for row in rows]
    assert shown == [
        [],
        [
            f"{path}:7:5: received_requests_v2[1]: expected an object with a name and a "
            'timestamp, got "Louis Mercier"'
        ],
        [f"{path}:8:5: received_requests_v2[2].name: expected the requester's name, got nothing"],
        [
            f"{path}:13:20: received_requests_v2[3].timestamp: expected a time in seconds "
            'since 1970, got "yesterday"'
        ],
        [
            f"{path}:17:20: received_requests_v2[4].timestamp: expected a time in seconds "
            "since 1970, got -5"
        ],
    ]
    assert rows[1].data is None
    assert rows[2].data is None
    assert rows[3].data == {"id": "wei-zhang", "name": "Wei Zhang", "network": "facebook"}


def test_a_file_of_another_shape_is_one_problem(tmp_path: Path) -> None:
    path = write_json(tmp_path / "friends.json", {"friends_v2": [{"name": "Anna Berg"}]})
    with pytest.raises(InvpolicyError) as caught:
        list(rows_of(path))
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}:1:1: not Facebook's received friend requests: expected an object with the "
        "key received_requests_v2"
    ]


def test_the_example_export_reads_without_problems() -> None:
    path = EXPORT / "your_facebook_activity/connections/friends/received_friend_requests.json"
    rows = rows_of(path)
    assert all(not row.problems for row in rows)
    names = [row.data["name"] for row in rows]
    assert "Hélène Marchetti" in names
    assert "François Dupont" in names
    ids = [row.data["id"] for row in rows]
    assert len(set(ids)) == len(ids)


# --- HTML -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        (EXAMPLES / "html" / "received_friend_requests.html").read_bytes()[:4096],
        b"<!doctype html><html><body><h1>Friend Requests</h1></body></html>",
        "<HTML><title>Demandes d\u2019ami reçues</title></HTML>".encode(),
        b"<html><title>Demandes d&#039;ami</title></html>",
        b"<!DOCTYPE html><html><head><title>Facebook</title></head><body></body></html>",
    ],
)
def test_facebook_html_is_recognised(head: bytes) -> None:
    assert looks_like_facebook_html(head)


@pytest.mark.parametrize(
    "head",
    [
        b'{"received_requests_v2": []}',
        b"<!DOCTYPE html><html><title>My holiday photos</title></html>",
        b"From,To,Sent At,Message,Direction\nfriend request,,,,\n",
    ],
)
def test_other_files_are_not_facebook_html(head: bytes) -> None:
    assert not looks_like_facebook_html(head)


def test_the_html_hint_asks_for_json() -> None:
    assert "JSON" in HTML_HINT
    assert "\n" not in HTML_HINT


# --- message threads --------------------------------------------------------------------


def ms(text: str) -> int:
    """A UTC time as Facebook's ``timestamp_ms``."""
    return int((datetime.fromisoformat(text) - datetime(1970, 1, 1)).total_seconds() * 1000)


def thread(people: list[str], messages: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    """A thread as Facebook writes it: newest first, mojibake in every text."""
    items = []
    for sender, when, content in reversed(messages):
        item: dict[str, Any] = {"sender_name": moji(sender), "timestamp_ms": ms(when)}
        if content is not None:
            item["content"] = moji(content)
        items.append(item)
    return {
        "participants": [{"name": moji(name)} for name in people],
        "messages": items,
        "title": moji(people[0]),
        "thread_path": "inbox/x",
    }


FRANCOIS = Inviter("francois-dupont", "François Dupont", None, datetime(2026, 2, 16, 9, 22))
HELENE = Inviter("helene-marchetti", "Hélène Marchetti", None, datetime(2026, 3, 10, 18, 40))


def build_export(root: Path) -> Path:
    inbox = root / "your_facebook_activity" / "messages" / "inbox"
    write_json(
        inbox / "francoisdupont_10158432" / "message_1.json",
        thread(
            ["François Dupont", OWNER],
            [
                ("François Dupont", "2026-01-11T17:02:00", "Le vélo est à vendre ?"),
                (OWNER, "2026-01-11T18:15:00", "Oui, toujours."),
                ("François Dupont", "2026-01-14T09:00:00", None),  # a photo
                (OWNER, "2026-01-14T09:30:00", "Bien reçu 🙂"),
                (OWNER, "2026-01-15T10:00:00", "Only you wrote that day"),
            ],
        ),
    )
    write_json(
        inbox / "francoisdupont_10158432" / "message_2.json",
        thread(
            ["François Dupont", OWNER],
            [
                (OWNER, "2026-02-17T08:00:00", "C\u2019est pour quoi ?"),
                ("François Dupont", "2026-02-17T08:05:00", "Pour le club de vélo !"),
            ],
        ),
    )
    # In the archived threads, a group with the requester: not read as a talk.
    write_json(
        root / "your_facebook_activity/messages/archived_threads/helenemarchetti_1/message_1.json",
        thread(
            ["Hélène Marchetti", OWNER, "Nadia Benali"],
            [
                ("Hélène Marchetti", "2026-03-01T10:00:00", "Bonjour à tous"),
                (OWNER, "2026-03-01T11:00:00", "Salut"),
            ],
        ),
    )
    # Nobody who asked to be a friend: never opened, so its bad JSON is no error.
    broken = inbox / "nadiabenali_77" / "message_1.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json", encoding="utf-8")
    return root


def test_threads_with_a_requester_give_facts(tmp_path: Path) -> None:
    root = build_export(tmp_path / "export")
    inviters = Inviters([FRANCOIS, HELENE])
    read_threads(open_archive(root, str(root)), inviters, OWNER)
    assert inviters.facts() == {
        "francois-dupont": {"exchanges": 2, "follow_up": "Pour le club de vélo !"},
        "helene-marchetti": {"exchanges": 0},
    }


def test_threads_in_a_zip(tmp_path: Path) -> None:
    root = build_export(tmp_path / "export")
    path = tmp_path / "facebook-samleroy.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(root.rglob("*.json")):
            archive.write(file, "facebook-samleroy/" + file.relative_to(root).as_posix())
    inviters = Inviters([FRANCOIS, HELENE])
    read_threads(open_archive(path, str(path)), inviters, None)
    assert inviters.facts()["francois-dupont"] == {
        "exchanges": 2,
        "follow_up": "Pour le club de vélo !",
    }


def test_a_thread_with_someone_else_of_the_same_name_is_left_out(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write_json(
        root / "messages/inbox/francoisdupont_2/message_1.json",
        thread(
            ["François Dupont", "Camille Roux"],
            [
                ("François Dupont", "2026-01-11T17:02:00", "Salut"),
                ("Camille Roux", "2026-01-11T17:03:00", "Salut"),
            ],
        ),
    )
    inviters = Inviters([FRANCOIS])
    read_threads(open_archive(root, str(root)), inviters, OWNER)
    assert inviters.facts() == {"francois-dupont": {"exchanges": 0}}
    read_threads(open_archive(root, str(root)), inviters, None)  # no owner to tell
    assert inviters.facts() == {"francois-dupont": {"exchanges": 1}}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"participants": [],\n  "messages": [,]}', "2:16", "invalid JSON: Expecting value"),
        (
            "[]",
            "1:1",
            "not a Facebook message thread: expected an object with participants and "
            "messages, got a list",
        ),
        ('{"participants": [{"name": "A"}]}', "1:1", "messages: expected a list, got nothing"),
        (
            '{"participants": [{}], "messages": []}',
            "1:1",
            "participants[0]: expected an object with a name",
        ),
    ],
)
def test_a_requester_thread_that_cannot_be_read_is_an_error(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "export" / "messages" / "inbox" / "francoisdupont_1" / "message_1.json"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    root = tmp_path / "export"
    with pytest.raises(InvpolicyError) as caught:
        read_threads(open_archive(root, str(root)), Inviters([FRANCOIS]), OWNER)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{path}:{where}: {message}")


def test_the_example_threads() -> None:
    rows = rows_of(
        EXPORT / "your_facebook_activity/connections/friends/received_friend_requests.json"
    )
    inviters = Inviters(
        Inviter(
            row.data["id"],
            row.data["name"],
            None,
            datetime.fromisoformat(row.data["sent_at"]).replace(tzinfo=None),
        )
        for row in rows
    )
    read_threads(open_archive(EXPORT, str(EXPORT)), inviters, OWNER)
    facts = inviters.facts()
    assert facts["francois-dupont"] == {"exchanges": 3}
    assert "programme" in facts["helene-marchetti"]["follow_up"]
    assert "keys" in facts["zoe-whitfield"]["follow_up"]
    assert facts["thomas-martin"] == facts["thomas-martin-2"] == {"exchanges": 0}
