"""A network's whole export: the archive, messages.csv, the owner, and where facts come from."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from invpolicy.errors import InvpolicyError
from invpolicy.loading.facts import facts_path_for
from invpolicy.loading.readers import open_invitations

from ..conftest import EXAMPLES, LINKEDIN_EXPORT

ZIP = LINKEDIN_EXPORT.with_suffix(".zip")
MESSAGES_HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
]
ME = ("Sam Leroy", "https://www.linkedin.com/in/sam-leroy-2f81")
ANNA = ("Anna Berg", "https://www.linkedin.com/in/anna-berg")


def by_id(source) -> dict:
    source.check()
    return {invitation.id: invitation for invitation in source}


def messages_csv(path: Path, *rows: tuple, header: list[str] = MESSAGES_HEADER) -> Path:
    """A messages.csv; each row is (from, to, date, content) or a full row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        if len(row) == 4:
            (sender, url), (recipient, to_url), date, content = row
            row = ("c1", "", sender, url, recipient, to_url, date, "", content, "INBOX")
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def pending(path: Path, *invitations: dict) -> Path:
    import json

    path.write_text(json.dumps(list(invitations)), encoding="utf-8")
    return path


ANNA_INVITES = {
    "id": "anna",
    "name": "Anna Berg",
    "profile_url": ANNA[1],
    "sent_at": "2026-03-10T12:00",
}


# --- the example export ---------------------------------------------------------------


def test_the_example_zip_holds_exactly_the_example_folder():
    with zipfile.ZipFile(ZIP) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    folder = {path.name: path.read_bytes() for path in LINKEDIN_EXPORT.iterdir()}
    assert members == folder


@pytest.mark.parametrize("given", [ZIP, LINKEDIN_EXPORT], ids=["zip", "folder"])
def test_the_example_export_gives_the_facts_its_messages_hold(given):
    source = open_invitations(given)
    invitations = by_id(source)
    assert source.kind == "linkedin"
    assert source.skipped == {"outgoing": 2, "already connected": 1}
    facts = {ident: dict(inv.facts) for ident, inv in invitations.items()}
    # Three days on which both wrote, in January; a group conversation adds none.
    assert facts["ravi-iyer-cm"]["exchanges"] == 3
    assert "follow_up" not in facts["ravi-iyer-cm"]
    assert facts["nadia-benali-5e0c"]["exchanges"] == 1
    # A message LinkedIn filed as spam, never answered: no talk.
    assert facts["olivergrant-growth"]["exchanges"] == 0
    assert "follow_up" not in facts["olivergrant-growth"]
    # Asked, no answer yet.
    assert "follow_up" not in facts["mathis-girault-73a1"]
    assert facts["tyler-brooks-leads"]["follow_up"].startswith("Great question!")
    # An answer in two messages is one follow_up, in order; your next message ends it.
    answer = facts["benoit-lacombe-asso"]["follow_up"]
    assert answer.startswith("Bonsoir Sam")
    assert answer.endswith("vingt minutes pour en parler ?")
    assert "\n\n" in answer and "jeudi" not in answer
    # Line breaks inside a message are kept.
    assert "quelques mois.\nHugo" in answer


def test_each_derived_fact_says_where_it_came_from():
    invitations = by_id(open_invitations(ZIP))
    ravi = invitations["ravi-iyer-cm"]
    assert ravi.origins == {"exchanges": f"{ZIP}/messages.csv"}


def test_the_owner_comes_from_profile_csv_or_from_whom_the_invitations_went_to(tmp_path):
    source = open_invitations(ZIP)
    source.check()
    assert source.owner is not None
    assert (source.owner.name, source.owner.slug) == ("Sam Leroy", "sam-leroy-2f81")
    folder = tmp_path / "export"
    shutil.copytree(LINKEDIN_EXPORT, folder)
    (folder / "Profile.csv").unlink()
    source = open_invitations(folder)
    source.check()
    assert source.owner is not None
    assert (source.owner.name, source.owner.slug) == ("Sam Leroy", "sam-leroy-2f81")


def test_files_are_found_whatever_their_case_and_in_subfolders(tmp_path):
    folder = tmp_path / "export" / "Basic_LinkedInDataExport_04-01-2026"
    folder.mkdir(parents=True)
    shutil.copy(LINKEDIN_EXPORT / "Invitations.csv", folder / "INVITATIONS.CSV")
    shutil.copy(LINKEDIN_EXPORT / "messages.csv", folder / "Messages.csv")
    source = open_invitations(tmp_path / "export")
    assert source.export is not None
    assert [f.name for f in source.export.files()] == [
        "Basic_LinkedInDataExport_04-01-2026/INVITATIONS.CSV",
        "Basic_LinkedInDataExport_04-01-2026/Messages.csv",
    ]
    invitations = by_id(source)
    assert invitations["ravi-iyer-cm"].facts["exchanges"] == 3
    # Without Connections.csv, the connected inviter is pending.
    assert "margaux-lenoir-61" in invitations


def test_connections_and_messages_named_on_the_command_line_win_over_the_export(tmp_path):
    other = messages_csv(tmp_path / "other.csv")
    connections = tmp_path / "Connections.csv"
    connections.write_text(
        "First Name,Last Name,URL\nRavi,Iyer,https://www.linkedin.com/in/ravi-iyer-cm\n",
        encoding="utf-8",
    )
    source = open_invitations(ZIP, messages=other, connections=connections)
    invitations = by_id(source)
    assert invitations["nadia-benali-5e0c"].facts["exchanges"] == 0
    # Ravi is in the other connections; Margaux, only in the export's, is pending.
    assert "ravi-iyer-cm" not in invitations
    assert "margaux-lenoir-61" in invitations


def test_two_files_of_one_name_at_one_depth_are_an_error_not_a_guess(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(LINKEDIN_EXPORT / "Invitations.csv", tmp_path / sub / "Invitations.csv")
    with pytest.raises(InvpolicyError) as exc:
        open_invitations(tmp_path)
    assert str(exc.value.problems[0]) == (
        f"{tmp_path}:1:1: two files named Invitations.csv: a/Invitations.csv and "
        "b/Invitations.csv; give the folder that holds the one to read"
    )
    # That advice works: the folder holds one.
    assert by_id(open_invitations(tmp_path / "a"))


def test_the_files_of_an_export_are_taken_from_the_folder_of_its_invitations(tmp_path):
    shutil.copy(LINKEDIN_EXPORT / "Invitations.csv", tmp_path / "Invitations.csv")
    (tmp_path / "old").mkdir()
    shutil.copy(LINKEDIN_EXPORT / "messages.csv", tmp_path / "old" / "messages.csv")
    source = open_invitations(tmp_path)
    assert source.export is not None
    assert [f.name for f in source.export.files()] == ["Invitations.csv"]


def test_an_archive_without_invitations_says_what_it_looked_for(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8")
    with pytest.raises(InvpolicyError) as exc:
        open_invitations(path)
    assert str(exc.value.problems[0]) == (
        f"{path}:1:1: no invitations found in this ZIP archive: expected LinkedIn's "
        "Invitations.csv or Facebook's received_friend_requests.json, in it or in a subfolder"
    )


def test_the_facts_file_of_an_export_keeps_one_name_from_one_export_to_the_next(tmp_path):
    march = tmp_path / "Basic_LinkedInDataExport_03-01-2026.zip"
    april = tmp_path / "Basic_LinkedInDataExport_04-01-2026"
    shutil.copy(ZIP, march)
    shutil.copytree(LINKEDIN_EXPORT, april)
    assert facts_path_for(march) == tmp_path / "linkedin.facts.yaml"
    assert facts_path_for(april) == tmp_path / "linkedin.facts.yaml"
    assert facts_path_for(tmp_path / "Invitations.csv") == tmp_path / "Invitations.facts.yaml"


def test_the_facts_file_is_beside_the_export_even_from_inside_it(tmp_path, monkeypatch):
    folder = tmp_path / "Basic_LinkedInDataExport_04-01-2026"
    shutil.copytree(LINKEDIN_EXPORT, folder)
    monkeypatch.chdir(folder)
    assert facts_path_for(".") == tmp_path / "linkedin.facts.yaml"


# --- messages.csv ---------------------------------------------------------------------


def test_exchanges_count_the_days_on_which_you_both_wrote_before_the_invitation(tmp_path):
    messages = messages_csv(
        tmp_path / "messages.csv",
        (ANNA, ME, "2026-03-01 09:00:00 UTC", "Hello"),
        (ME, ANNA, "2026-03-01 18:00:00 UTC", "Hi"),
        (ANNA, ME, "2026-03-01 19:00:00 UTC", "Same day: still one"),
        (ANNA, ME, "2026-03-03 09:00:00 UTC", "Only Anna wrote that day"),
        (ME, ANNA, "2026-03-05 09:00:00 UTC", "Only I wrote that day"),
        (ANNA, ME, "2026-03-06 23:59:59 UTC", "Late"),
        (ME, ANNA, "2026-03-06 00:00:00 UTC", "Early"),
    )
    source = open_invitations(pending(tmp_path / "p.json", ANNA_INVITES), messages=messages)
    assert by_id(source)["anna"].facts["exchanges"] == 2


def test_the_rows_may_come_in_any_order(tmp_path):
    rows = [
        (ANNA, ME, "2026-03-01 09:00:00 UTC", "Hello"),
        (ME, ANNA, "2026-03-01 18:00:00 UTC", "Hi"),
        (ME, ANNA, "2026-03-11 08:00:00 UTC", "What is it about?"),
        (ANNA, ME, "2026-03-11 09:00:00 UTC", "First part"),
        (ANNA, ME, "2026-03-11 09:05:00 UTC", "Second part"),
        (ME, ANNA, "2026-03-11 10:00:00 UTC", "Thanks"),
        (ANNA, ME, "2026-03-12 10:00:00 UTC", "Not part of the answer"),
    ]
    invitations = pending(tmp_path / "p.json", ANNA_INVITES)
    results = []
    for order in (rows, rows[::-1], rows[3:] + rows[:3]):
        messages = messages_csv(tmp_path / "messages.csv", *order)
        facts = dict(by_id(open_invitations(invitations, messages=messages))["anna"].facts)
        results.append((facts["exchanges"], facts["follow_up"]))
    assert results == [(1, "First part\n\nSecond part")] * 3


def test_the_invitation_time_has_a_margin_for_its_unknown_time_zone(tmp_path):
    # Sent At 2026-03-10T12:00 in some time zone: the earliest it can be in UTC is 22:00 the day
    # before. A message of yours after that follows the invitation; one before it comes before.
    messages = messages_csv(
        tmp_path / "messages.csv",
        (ME, ANNA, "2026-03-09 21:00:00 UTC", "Before the margin"),
        (ANNA, ME, "2026-03-09 21:30:00 UTC", "Also before"),
        (ME, ANNA, "2026-03-10 03:00:00 UTC", "Within the margin: after the invitation"),
        (ANNA, ME, "2026-03-10 04:00:00 UTC", "The answer"),
    )
    facts = by_id(open_invitations(pending(tmp_path / "p.json", ANNA_INVITES), messages=messages))[
        "anna"
    ].facts
    assert (facts["exchanges"], facts["follow_up"]) == (1, "The answer")


def test_an_offset_in_sent_at_makes_the_time_exact(tmp_path):
    messages = messages_csv(
        tmp_path / "messages.csv",
        (ME, ANNA, "2026-03-10 10:30:00 UTC", "Hi"),
        (ANNA, ME, "2026-03-10 10:40:00 UTC", "Hello"),
    )
    exact = {**ANNA_INVITES, "sent_at": "2026-03-10T12:00+01:00"}  # 11:00 UTC
    facts = by_id(open_invitations(pending(tmp_path / "p.json", exact), messages=messages))
    assert facts["anna"].facts["exchanges"] == 1
    assert "follow_up" not in facts["anna"].facts


def test_group_conversations_drafts_and_other_people_do_not_count(tmp_path):
    bo = ("Bo Lind", "https://www.linkedin.com/in/bo-lind")
    header = [*MESSAGES_HEADER, "IS MESSAGE DRAFT", "ATTACHMENTS"]
    group = f"{ME[1]};{bo[1]}"
    messages = messages_csv(
        tmp_path / "messages.csv",
        (
            "g",
            "Team",
            *ANNA,
            "Sam Leroy, Bo Lind",
            group,
            "2026-03-01 09:00:00 UTC",
            "",
            "Hi all",
            "INBOX",
            "No",
            "",
        ),
        (
            "g",
            "Team",
            *ME,
            "Anna Berg, Bo Lind",
            f"{ANNA[1]};{bo[1]}",
            "2026-03-01 10:00:00 UTC",
            "",
            "Hi",
            "INBOX",
            "No",
            "",
        ),
        ("d", "", *ME, *ANNA, "2026-03-11 10:00:00 UTC", "", "A draft", "INBOX", "Yes", ""),
        ("o", "", *ANNA, *bo, "2026-03-11 11:00:00 UTC", "", "Not to you", "INBOX", "No", ""),
        ("b", "", *bo, *ME, "2026-03-01 11:00:00 UTC", "", "Bo", "ARCHIVE", "No", "x.pdf"),
        header=header,
    )
    facts = by_id(open_invitations(pending(tmp_path / "p.json", ANNA_INVITES), messages=messages))[
        "anna"
    ].facts
    assert facts["exchanges"] == 0
    assert "follow_up" not in facts


def test_people_are_matched_by_profile_address_then_by_name(tmp_path):
    no_url = ("anna BERG", "")
    namesake = ("Anna Berg", "https://www.linkedin.com/in/another-anna")
    messages = messages_csv(
        tmp_path / "messages.csv",
        (namesake, ME, "2026-03-01 09:00:00 UTC", "Another person with her name"),
        (ME, namesake, "2026-03-01 10:00:00 UTC", "Hi"),
        (no_url, ME, "2026-03-02 09:00:00 UTC", "No address: matched by name"),
        (ME, ("Änna  Berg", ""), "2026-03-02 10:00:00 UTC", "Hi"),
    )
    facts = by_id(open_invitations(pending(tmp_path / "p.json", ANNA_INVITES), messages=messages))[
        "anna"
    ].facts
    assert facts["exchanges"] == 1
    without_address = {key: v for key, v in ANNA_INVITES.items() if key != "profile_url"}
    facts = by_id(
        open_invitations(pending(tmp_path / "q.json", without_address), messages=messages)
    )["anna"].facts
    assert facts["exchanges"] == 2


def test_a_name_with_a_comma_is_one_recipient(tmp_path):
    john = ("John Smith, MBA", "")
    messages = messages_csv(
        tmp_path / "messages.csv",
        (john, ("Sam Leroy", ""), "2026-03-01 09:00:00 UTC", "Hello"),
        (("Sam Leroy", ""), john, "2026-03-01 10:00:00 UTC", "Hi"),
        (("Sam Leroy", ""), ("John Smith, Bo Lind", ""), "2026-03-02 10:00:00 UTC", "Group"),
        (("Bo Lind", ""), ("Sam Leroy, John Smith, MBA", ""), "2026-03-02 11:00:00 UTC", "G"),
    )
    invites = {"id": "john", "name": "John Smith, MBA", "sent_at": "2026-03-10T12:00"}
    found = by_id(open_invitations(pending(tmp_path / "p.json", invites), messages=messages))
    assert found["john"].facts["exchanges"] == 1


def test_a_name_two_inviters_share_finds_neither(tmp_path):
    messages = messages_csv(
        tmp_path / "messages.csv",
        (("Anna Berg", ""), ME, "2026-03-01 09:00:00 UTC", "Which Anna am I?"),
        (ME, ("Anna Berg", ""), "2026-03-01 10:00:00 UTC", "Nobody can tell"),
    )
    first = {"id": "anna", "name": "Anna Berg", "sent_at": "2026-03-10T12:00"}
    second = {**first, "id": "anna-2"}
    found = by_id(open_invitations(pending(tmp_path / "p.json", first, second), messages=messages))
    assert [found[key].facts["exchanges"] for key in ("anna", "anna-2")] == [0, 0]


def test_the_facts_file_wins_and_so_does_what_the_invitation_says(tmp_path):
    messages = messages_csv(
        tmp_path / "messages.csv",
        (ANNA, ME, "2026-03-01 09:00:00 UTC", "Hello"),
        (ME, ANNA, "2026-03-01 18:00:00 UTC", "Hi"),
        (ME, ANNA, "2026-03-11 08:00:00 UTC", "What is it about?"),
        (ANNA, ME, "2026-03-11 09:00:00 UTC", "An answer"),
    )
    bo = {"id": "bo", "name": "Bo Lind", "sent_at": "2026-03-10T12:00", "exchanges": 7}
    invitations = pending(tmp_path / "p.json", ANNA_INVITES, bo)
    facts_file = tmp_path / "facts.yaml"
    facts_file.write_text("anna:\n  exchanges: 5\n", encoding="utf-8")
    found = by_id(open_invitations(invitations, messages=messages, facts=facts_file))
    assert found["anna"].facts["exchanges"] == 5
    assert found["anna"].facts["follow_up"] == "An answer"
    assert found["anna"].origins == {
        "exchanges": str(facts_file),
        "follow_up": str(messages),
    }
    assert found["bo"].facts["exchanges"] == 7
    assert found["bo"].origins == {}


def test_an_invitation_without_a_time_gets_nothing_from_the_messages(tmp_path):
    messages = messages_csv(tmp_path / "messages.csv", (ANNA, ME, "2026-03-01 09:00:00 UTC", "x"))
    undated = {key: v for key, v in ANNA_INVITES.items() if key != "sent_at"}
    found = by_id(open_invitations(pending(tmp_path / "p.json", undated), messages=messages))
    assert "exchanges" not in found["anna"].facts


def test_a_messages_file_without_a_column_it_needs_is_one_line(tmp_path):
    header = [name for name in MESSAGES_HEADER if name != "DATE"]
    messages = messages_csv(tmp_path / "messages.csv", header=header)
    source = open_invitations(pending(tmp_path / "p.json", ANNA_INVITES), messages=messages)
    with pytest.raises(InvpolicyError) as exc:
        source.check()
    assert [str(p) for p in exc.value.problems] == [
        f"{messages}:1:1: not LinkedIn's messages.csv: no column DATE in the header (its "
        "columns: CONVERSATION ID, CONVERSATION TITLE, FROM, SENDER PROFILE URL, TO, "
        "RECIPIENT PROFILE URLS, SUBJECT, CONTENT, FOLDER)"
    ]


def test_a_date_that_cannot_be_read_is_located(tmp_path):
    messages = messages_csv(
        tmp_path / "messages.csv",
        (ANNA, ME, "2026-03-01 09:00:00 UTC", "fine"),
        (ANNA, ME, "03/01/2026 09:00", "Line\nbreaks\nbefore the bad date"),
        (ME, ANNA, "yesterday", "bad"),
    )
    source = open_invitations(pending(tmp_path / "p.json", ANNA_INVITES), messages=messages)
    with pytest.raises(InvpolicyError) as exc:
        source.check()
    assert [str(p) for p in exc.value.problems] == [
        f'{messages}:3:7: DATE: expected a UTC time such as "2025-03-14 09:26:53 UTC", '
        'got "03/01/2026 09:00"',
        f'{messages}:6:7: DATE: expected a UTC time such as "2025-03-14 09:26:53 UTC", '
        'got "yesterday"',
    ]


def test_messages_are_refused_with_facebook_s_friend_requests():
    requests = next(EXAMPLES.glob("facebook/*/**/received_friend_requests.json"))
    with pytest.raises(InvpolicyError) as exc:
        open_invitations(requests, messages=LINKEDIN_EXPORT / "messages.csv")
    assert "--messages reads LinkedIn's messages.csv" in str(exc.value.problems[0])


# --- Facebook ---------------------------------------------------------------------------


def test_facebook_s_export_is_read_from_its_folder_or_a_zip_of_it(tmp_path):
    folder = next(EXAMPLES.glob("facebook/facebook-*"))
    zipped = Path(
        shutil.make_archive(str(tmp_path / folder.name), "zip", folder.parent, folder.name)
    )
    for given in (folder, zipped):
        source = open_invitations(given)
        invitations = by_id(source)
        assert source.kind == "facebook"
        assert invitations["francois-dupont"].name == "François Dupont"
        assert invitations["francois-dupont"].facts["network"] == "facebook"
        assert invitations["francois-dupont"].facts["exchanges"] == 3
        assert source.threads_read == 3
        assert facts_path_for(given) == given.parent / "facebook.facts.yaml"


def test_a_facebook_export_without_messages_says_nothing_of_talks(tmp_path):
    folder = next(EXAMPLES.glob("facebook/facebook-*"))
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    shutil.rmtree(copy / "your_facebook_activity" / "messages")
    invitations = by_id(open_invitations(copy))
    assert all("exchanges" not in inv.facts for inv in invitations.values())


def test_facebook_s_file_alone_is_recognised_by_its_content(tmp_path):
    requests = next(EXAMPLES.glob("facebook/*/**/received_friend_requests.json"))
    renamed = tmp_path / "requests.json"
    shutil.copy(requests, renamed)
    source = open_invitations(renamed)
    invitations = by_id(source)
    assert source.kind == "facebook"
    # Alone, it has no messages: nothing is derived.
    assert "exchanges" not in invitations["francois-dupont"].facts


def test_facebook_s_html_export_gets_a_hint_to_ask_for_json(tmp_path):
    page = EXAMPLES / "facebook" / "html" / "received_friend_requests.html"
    with pytest.raises(InvpolicyError) as exc:
        open_invitations(page)
    (problem,) = exc.value.problems
    assert str(problem).startswith(f"{page}:1:1: this is Facebook's HTML export")
    folder = tmp_path / "facebook-sam"
    folder.mkdir()
    shutil.copy(page, folder / "received_friend_requests.html")
    with pytest.raises(InvpolicyError) as exc:
        open_invitations(folder)
    assert "this is Facebook's HTML export" in str(exc.value.problems[0])
