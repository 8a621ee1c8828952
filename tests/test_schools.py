"""The bundled schools of thought, on situations taken from their articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from invpolicy.policy import load_policy

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def school(registry):
    compiled = {}

    def get(name: str):
        if name not in compiled:
            compiled[name] = load_policy(name, registry)
        return compiled[name]

    return get


def _decide(school, policy, make_invitation, **facts):
    return school(policy).decide(make_invitation(**facts))


# accept-all ----------------------------------------------------------------


@pytest.mark.parametrize(
    "facts",
    [
        {},
        {"message": "Book a call with our sales team", "mutual_connections": 0},
        {"met_in_person": False, "exchanges": 0, "profile_visible": False},
    ],
)
def test_accept_all_accepts_everyone_without_reply(school, make_invitation, facts):
    d = _decide(school, "accept-all", make_invitation, **facts)
    assert (d.decision, d.rule, d.reply, d.missing) == ("accept", "accept-everyone", None, ())


# strong-ties-only (articles 001 and 003) -----------------------------------


def test_strong_ties_accepts_someone_met_at_an_event(school, make_invitation):
    d = _decide(school, "strong-ties-only", make_invitation, met_in_person=True)
    assert (d.decision, d.rule, d.missing) == ("accept", "met-in-person", ())


def test_strong_ties_accepts_someone_talked_with_in_a_group(school, make_invitation):
    # Never met, but we exchanged in a group: a strong tie by article 003's definition.
    d = _decide(
        school, "strong-ties-only", make_invitation, exchanges=2, shared_groups=["Community CM"]
    )
    assert (d.decision, d.rule, d.missing) == ("accept", "talked-before", ("met_in_person",))


def test_strong_ties_declines_a_personalized_stranger_and_thanks_for_the_note(
    school, make_invitation
):
    # Article 003: two strangers wrote a personal note; both were declined, thanked first.
    d = _decide(
        school,
        "strong-ties-only",
        make_invitation,
        language="en",
        message="I enjoyed your talk on networking and would like to stay in touch.",
        met_in_person=False,
        exchanges=0,
    )
    assert (d.decision, d.rule, d.missing) == ("decline", "no-strong-tie", ())
    assert d.reply.generator == "three_part_decline"
    assert "personal note" in d.reply.text


def test_strong_ties_does_not_thank_for_a_stock_text(school, make_invitation):
    d = _decide(
        school,
        "strong-ties-only",
        make_invitation,
        language="fr",
        message="J'aimerais vous inviter à rejoindre mon réseau professionnel sur LinkedIn.",
    )
    assert d.decision == "decline"
    assert d.reply.language == "fr"
    assert "mot personnel" not in d.reply.text
    assert "Merci de l'intérêt" in d.reply.text
    assert d.missing == ("met_in_person", "exchanges")


def test_strong_ties_with_nothing_known_declines_and_says_what_was_missing(school, make_invitation):
    d = _decide(school, "strong-ties-only", make_invitation)
    assert d.decision == "decline"
    assert d.reply.language == "fr"  # the policy's default
    assert d.missing == ("met_in_person", "exchanges")


# ask-first (articles 000 and 004) ------------------------------------------


def test_ask_first_asks_the_client_who_changed_her_name_how_you_met(school, make_invitation):
    # Article 004: the stranger may be an important client who married and changed
    # her name; the shared connections and former employer are the clue.
    d = _decide(
        school,
        "ask-first",
        make_invitation,
        name="Sophie Marchand-Roy",
        mutual_connections=7,
        common_ground=["employer"],
    )
    assert (d.decision, d.rule) == ("ask", "maybe-met")
    assert d.reply.generator == "ask_how_we_met"
    assert d.missing == ("met_in_person", "exchanges")


@pytest.mark.parametrize(
    "facts",
    [
        {"mutual_connections": 1},
        {"shared_groups": ["Lyon Marketing"]},
        {"common_ground": ["school"]},
    ],
)
def test_ask_first_any_common_ground_suggests_you_may_have_met(school, make_invitation, facts):
    d = _decide(school, "ask-first", make_invitation, **facts)
    assert d.reply.generator == "ask_how_we_met"


def test_ask_first_asks_a_certain_stranger_the_purpose(school, make_invitation):
    # Article 004: when you are sure you never met (nothing in common), ask why.
    d = _decide(
        school,
        "ask-first",
        make_invitation,
        language="en",
        headline="Talent Acquisition Partner",
        mutual_connections=0,
        shared_groups=[],
        common_ground=[],
        met_in_person=False,
        exchanges=0,
    )
    assert (d.decision, d.rule, d.missing) == ("ask", "stranger", ())
    assert d.reply.generator == "ask_purpose"
    assert "purpose" in d.reply.text


def test_ask_first_never_decides_at_once_on_an_unknown_inviter(school, make_invitation):
    # Article 000: a bare invitation, no note, nothing known: start the conversation.
    d = _decide(school, "ask-first", make_invitation)
    assert d.decision == "ask"
    assert d.reply.generator == "ask_purpose"
    assert d.missing == (
        "met_in_person",
        "exchanges",
        "mutual_connections",
        "shared_groups",
        "common_ground",
    )


@pytest.mark.parametrize("facts", [{"met_in_person": True}, {"exchanges": 1}])
def test_ask_first_accepts_people_you_know(school, make_invitation, facts):
    d = _decide(school, "ask-first", make_invitation, **facts)
    assert (d.decision, d.rule, d.reply) == ("accept", "known", None)


def test_the_schools_agree_and_differ_on_the_shipped_examples(registry):
    from invpolicy.invitations import load_invitations
    from invpolicy.runner import compare

    invitations = load_invitations(EXAMPLES / "invitations.yaml")
    assert len(invitations) >= 12
    assert {i.language for i in invitations} == {"fr", "en"}
    names = ["accept-all", "strong-ties-only", "ask-first"]
    report = compare(invitations, [load_policy(n, registry) for n in names])
    rows = {row.invitation.id: row for row in report.rows}
    assert rows["claire-conference"].agree
    client = rows["client-new-name"].decisions
    assert [client[n].decision for n in names] == ["accept", "decline", "ask"]
    assert 0 < sum(row.agree for row in report.rows) < len(report.rows)
