"""decide --interactive: ask only the facts the policy needs, then save them without loss."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli

PENDING = """\
# My pending invitations, kept by hand.
invitations:
  - id: anna   # the Lyon fair?
    name: Anna Berg
    message: "Hello, we met at the fair."

  # Bob is an old colleague.
  - id: bob
    name: Bob Martin
    met_in_person: true
"""


def interact(path, answers: str, *extra: str, policy: str = "strong-ties-only"):
    return CliRunner().invoke(
        cli,
        ["decide", str(path), "-p", policy, "--interactive", *extra],
        input=answers,
        catch_exceptions=False,
    )


def test_asks_only_the_missing_facts_in_rule_order_and_saves_them_in_place(tmp_path):
    path = tmp_path / "pending.yaml"
    path.write_text(PENDING, encoding="utf-8")
    # anna: met in person? no. Past conversations? 2. Then save: yes.
    result = interact(path, "n\n2\ny\n")
    assert result.exit_code == 0, result.output
    out = result.output
    # Each question: the field in plain words, then its name in brackets.
    asked = re.findall(r"\[(\w+)\] \([^)]*Enter to skip\)", out)
    assert asked == ["met_in_person", "exchanges"]
    assert "strong-ties-only: accept (rule talked-before)" in out
    # bob was settled by what the file says: nothing asked, accepted.
    bob = out[out.index("bob (Bob Martin)") :]
    assert "Enter to skip" not in bob
    assert "strong-ties-only: accept (rule met-in-person)" in bob
    assert "Saved 2 answers to" in out
    assert path.read_text(encoding="utf-8") == PENDING.replace(
        '    message: "Hello, we met at the fair."\n',
        '    message: "Hello, we met at the fair."\n    met_in_person: false\n    exchanges: 2\n',
    )
    # a later run decides with the saved answers, asking nothing
    again = interact(path, "")
    assert "Enter to skip" not in again.output
    assert "No answers to save." in again.output


def test_enter_skips_a_fact_which_stays_unknown(tmp_path):
    path = tmp_path / "pending.yaml"
    path.write_text(PENDING, encoding="utf-8")
    result = interact(path, "\n\n")
    assert result.exit_code == 0, result.output
    assert "strong-ties-only: decline (rule no-strong-tie); still unknown: met_in_person" in (
        result.output
    )
    assert "No answers to save." in result.output
    assert path.read_text(encoding="utf-8") == PENDING


def test_an_answer_that_does_not_fit_is_asked_again(tmp_path):
    path = tmp_path / "pending.yaml"
    path.write_text(PENDING, encoding="utf-8")
    result = interact(path, "maybe\noui\n")
    assert "Please answer with y/n, or press Enter to skip." in result.output
    assert "strong-ties-only: accept (rule met-in-person)" in result.output
    assert "anna   # the Lyon fair?\n    name: Anna Berg\n" in path.read_text(encoding="utf-8")
    assert "met_in_person: true\n\n  # Bob" in path.read_text(encoding="utf-8")


def test_numbers_must_be_finite_and_not_negative():
    from invpolicy.cli.interactive import parse_answer
    from invpolicy.schema.fields import invitation_fields

    fields = invitation_fields()
    for answer in ("inf", "1e400", "nan", "-1", "many"):
        assert parse_answer(fields["experience_years"], answer) is None
    assert parse_answer(fields["experience_years"], "2.5") == 2.5
    assert parse_answer(fields["exchanges"], "3") == 3
    assert parse_answer(fields["shared_groups"], "Lyon makers; Newsletters ;") == [
        "Lyon makers",
        "Newsletters",
    ]
    assert parse_answer(fields["shared_groups"], "-") == []


def test_stopping_half_way_keeps_what_was_answered(tmp_path):
    path = tmp_path / "pending.yaml"
    path.write_text(PENDING.replace("    met_in_person: true\n", ""), encoding="utf-8")
    # anna: met in person; then the input ends while bob is asked about.
    result = interact(path, "y\n")
    # As Ctrl-C does: one line says what is kept, and the exit status is 130.
    assert result.exit_code == 130
    assert "Aborted" not in result.output
    assert result.stderr == f"Stopped: 1 answer saved to {path}.\n"
    text = path.read_text(encoding="utf-8")
    assert '    message: "Hello, we met at the fair."\n    met_in_person: true\n' in text


def test_interactive_refuses_options_it_would_ignore(tmp_path):
    path = tmp_path / "pending.yaml"
    path.write_text(PENDING, encoding="utf-8")
    result = interact(path, "", "--output", str(tmp_path / "out.json"), "--explain")
    assert result.exit_code == 2
    assert "--interactive does not go with --output, --explain" in result.output


def test_a_top_level_list_with_crlf_and_a_bom_keeps_its_layout(tmp_path):
    path = tmp_path / "pending.yml"
    original = (
        "- id: anna  # note\n  name: Anna\n  shared_groups:\n  - Makers\n- id: bob\n  name: Bob\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode())
    interact(path, "y\n" + "n\n0\n")
    expected = original.replace("  - Makers\n", "  - Makers\n  met_in_person: true\n").replace(
        "  name: Bob\n", "  name: Bob\n  met_in_person: false\n  exchanges: 0\n"
    )
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()


def test_answers_for_a_json_file_go_to_a_facts_file_that_later_runs_merge(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    original = path.read_bytes()
    result = interact(path, "y\n")
    facts = tmp_path / "pending.facts.yaml"
    assert f"Saved 1 answer to {facts}" in result.output
    assert f"Later runs of decide and compare read {facts} (--no-facts leaves it out)." in (
        result.output
    )
    assert path.read_bytes() == original
    assert "anna:\n  met_in_person: true\n" in facts.read_text(encoding="utf-8")
    # The next run reads the answers without being told, and says so on stderr.
    later = CliRunner().invoke(
        cli, ["decide", str(path), "-p", "strong-ties-only", "--format", "json"]
    )
    assert later.stderr == f"Reading the facts saved in {facts} (--no-facts leaves them out)\n"
    decision = json.loads(later.stdout)["results"][0]["decisions"]["strong-ties-only"]
    assert decision["decision"] == "accept"
    without = CliRunner().invoke(
        cli, ["decide", str(path), "-p", "strong-ties-only", "--format", "json", "--no-facts"]
    )
    assert without.stderr == ""
    decision = json.loads(without.stdout)["results"][0]["decisions"]["strong-ties-only"]
    assert decision["decision"] != "accept"


def test_no_facts_does_not_go_with_facts_nor_with_interactive(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    facts = tmp_path / "mine.yaml"
    facts.write_text("anna:\n  exchanges: 4\n", encoding="utf-8")
    both = CliRunner().invoke(cli, ["compare", str(path), "--facts", str(facts), "--no-facts"])
    assert both.exit_code == 2 and "--facts does not go with --no-facts" in both.stderr
    asking = CliRunner().invoke(
        cli, ["decide", str(path), "-p", "strong-ties-only", "-i", "--no-facts"], input=""
    )
    assert asking.exit_code == 2 and "--interactive does not go with --no-facts" in asking.stderr


def test_answers_merge_into_an_existing_facts_file_keeping_its_comments(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(
        json.dumps([{"id": "anna", "name": "Anna Berg"}, {"id": "carl", "name": "Carl"}]),
        encoding="utf-8",
    )
    facts = tmp_path / "mine.yaml"
    facts.write_text("# mine\ncarl:\n  exchanges: 4  # we talk a lot\n", encoding="utf-8")
    result = interact(path, "n\n0\ny\n", "--facts", str(facts))
    assert result.exit_code == 0, result.output
    assert facts.read_text(encoding="utf-8") == (
        "# mine\ncarl:\n  exchanges: 4  # we talk a lot\n"
        "anna:\n  met_in_person: false\n  exchanges: 0\n"
    )


def test_a_linkedin_export_is_never_edited_its_answers_go_beside_it(tmp_path):
    import shutil

    from ..conftest import LINKEDIN_EXPORT

    export = tmp_path / "Invitations.csv"
    shutil.copy(LINKEDIN_EXPORT / "Invitations.csv", export)
    before = export.read_bytes()
    # The first inviter: not met, 3 past conversations; every other question skipped.
    result = interact(export, "n\n3\n" + "\n" * 14 + "y\n")
    assert result.exit_code == 0, result.output
    assert "strong-ties-only: accept (rule talked-before)" in result.output
    assert export.read_bytes() == before
    facts = (tmp_path / "Invitations.facts.yaml").read_text(encoding="utf-8")
    assert facts.startswith("# Facts about the invitations in Invitations.csv")
    assert "nadia-benali-5e0c:\n  met_in_person: false\n  exchanges: 3\n" in facts


def test_the_facts_file_beside_the_input_is_read_first_so_nothing_is_asked_twice(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    facts = tmp_path / "pending.facts.yaml"
    facts.write_text("anna:\n  met_in_person: true\n", encoding="utf-8")
    result = interact(path, "")
    assert "Enter to skip" not in result.output
    assert "strong-ties-only: accept (rule met-in-person)" in result.output


def test_a_broken_facts_file_is_reported_before_any_question(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    facts = tmp_path / "pending.facts.yaml"
    facts.write_text("anna: 5\n", encoding="utf-8")
    result = interact(path, "y\n")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{facts}:1:")
    assert "Enter to skip" not in result.output
    assert facts.read_text(encoding="utf-8") == "anna: 5\n"


def test_a_new_facts_file_named_with_facts_is_created(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    result = interact(path, "y\n", "--facts", str(mine))
    assert result.exit_code == 0, result.output
    assert "anna:\n  met_in_person: true\n" in mine.read_text(encoding="utf-8")


@pytest.mark.parametrize("nothing_yet", ["# none yet\n", "---\n# none yet\n"])
def test_a_facts_file_with_no_facts_yet_takes_the_answers(tmp_path, nothing_yet):
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text(nothing_yet, encoding="utf-8")
    result = interact(path, "y\n", "--facts", str(mine))
    assert result.exit_code == 0, result.output
    assert "anna:\n  met_in_person: true\n" in mine.read_text(encoding="utf-8")


def test_a_stop_names_what_was_saved_and_where_later_runs_find_it(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(
        json.dumps([{"id": "anna", "name": "Anna Berg"}, {"id": "bo", "name": "Bo Lind"}]),
        encoding="utf-8",
    )
    # anna: not met, 2 days of talks; then the input ends (as Ctrl-C would) at bo.
    result = interact(path, "n\n2\n")
    assert result.exit_code == 130
    facts = tmp_path / "pending.facts.yaml"
    assert result.stderr == (
        f"Stopped: 2 answers saved to {facts}; decide and compare read it beside the "
        f"invitations (or --facts {facts}).\n"
    )
    assert "anna:\n  met_in_person: false\n  exchanges: 2\n" in facts.read_text(encoding="utf-8")


def test_questions_are_in_plain_words_and_long_replies_wrap(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    result = interact(path, "n\n0\n")
    assert "  Have you met in person? [met_in_person] (y/n, Enter to skip): " in result.output
    assert "  Days you both wrote to each other [exchanges] (a whole number, " in result.output
    reply = result.output.split("reply by three_part_decline:\n", 1)[1].split("\n  saved to")[0]
    lines = [line for line in reply.splitlines() if line]
    assert all(len(line) <= 59 and line.startswith("    ") for line in lines)
    assert not any(line.endswith(" ") for line in lines)


def test_ask_reply_also_asks_what_would_change_the_reply(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    # Not met, no talks: declined either way; the reply's language is asked too.
    result = interact(path, "n\n0\nen\n", "--ask-reply")
    assert result.exit_code == 0, result.output
    assert "Language of the reply [language] (fr/en, Enter to skip)" in result.output
    assert "    Hello Anna," in result.output
    facts = (tmp_path / "pending.facts.yaml").read_text(encoding="utf-8")
    assert "anna:\n  met_in_person: false\n  exchanges: 0\n  language: en\n" in facts
    # Without it, only what changes the decision is asked.
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"id": "bo", "name": "Bo Lind"}]), encoding="utf-8")
    plain = interact(other, "n\n0\n")
    assert "[language]" not in plain.output


def test_ask_reply_goes_with_interactive(tmp_path):
    path = tmp_path / "pending.json"
    path.write_text(json.dumps([{"id": "anna", "name": "Anna Berg"}]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["decide", str(path), "-p", "strong-ties-only", "--ask-reply"])
    assert result.exit_code == 2
    assert "--ask-reply goes with --interactive" in result.output
