"""The bundled schools of thought, on situations taken from their articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from invpolicy import load_policy

from ..conftest import SCHOOLS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


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


# Follow-ups (article 003): the answer to your message decides again ------------

PITCH = (
    "Merci pour votre message ! Du coup je me permets : notre agence accompagne les "
    "indépendants pour doubler leur chiffre d'affaires. On cale un appel de 15 minutes ?"
)
NEED = (
    "I understand and thank you for explaining. I'm looking for people in your field "
    "because we are opening an office in Lyon and need advice on whom to hire first."
)
STRANGER = {"met_in_person": False, "exchanges": 0, "mutual_connections": 0}


def test_strong_ties_ignores_a_pitch_after_the_decline(school, make_invitation):
    d = _decide(school, "strong-ties-only", make_invitation, follow_up=PITCH, **STRANGER)
    assert (d.decision, d.rule, d.reply, d.on_follow_up) == (
        "ignore",
        "pitch-in-answer",
        None,
        True,
    )


def test_strong_ties_proposes_to_meet_an_inviter_with_a_real_need(school, make_invitation):
    d = _decide(
        school, "strong-ties-only", make_invitation, follow_up=NEED, language="en", **STRANGER
    )
    assert (d.decision, d.rule, d.on_follow_up) == ("ask", "need-in-answer", True)
    assert d.reply.generator == "propose_meeting"
    assert "meet" in d.reply.text and "accept" not in d.reply.text.lower()


def test_ask_first_decides_on_the_answer_to_its_question(school, make_invitation):
    pitch = _decide(school, "ask-first", make_invitation, follow_up=PITCH, **STRANGER)
    need = _decide(school, "ask-first", make_invitation, follow_up=NEED, **STRANGER)
    assert (pitch.decision, pitch.reply) == ("ignore", None)
    assert (need.decision, need.reply.generator, need.on_follow_up) == ("accept", "welcome", True)


@pytest.mark.parametrize(
    ("policy", "decision"), [("strong-ties-only", "decline"), ("ask-first", "ask")]
)
def test_an_answer_that_is_neither_leaves_the_first_decision(
    school, make_invitation, policy, decision
):
    d = _decide(school, policy, make_invitation, follow_up="D'accord, bonne journée.", **STRANGER)
    assert (d.decision, d.on_follow_up) == (decision, False)


def test_someone_you_met_is_accepted_whatever_they_answer(school, make_invitation):
    for policy in ("strong-ties-only", "ask-first"):
        d = _decide(school, policy, make_invitation, met_in_person=True, follow_up=PITCH)
        assert d.decision == "accept"


# quality-over-quantity (article 002) ---------------------------------------

ORDER = {"decline": 0, "ask": 1, "accept": 2}


@pytest.mark.parametrize("facts", [{"met_in_person": True}, {"exchanges": 3}])
def test_quality_accepts_the_people_you_know(school, make_invitation, facts):
    d = _decide(school, "quality-over-quantity", make_invitation, **facts)
    assert (d.decision, d.rule, d.missing) == ("accept", "known", ())
    assert d.score.total == 0  # the score is still given, and did not matter
    assert d.reply.generator == "welcome"


@pytest.mark.parametrize(
    "headline",
    [
        "Community Manager freelance",
        "DIRECTRICE GÉNÉRALE chez Hélice",
        "directrice generale",
        "Chargée de recrutement",
        "Recruteuse tech",
        "Responsable des Ressources Humaines",
        "HR Business Partner",
        "Senior Talent Acquisition Partner",
        "Fondatrice d'une agence",
        "Head of Marketing",
    ],
)
def test_quality_finds_relevant_positions_in_french_and_english(school, make_invitation, headline):
    d = _decide(school, "quality-over-quantity", make_invitation, headline=headline, **STRANGER)
    signals = {c.signal: c.value for c in d.score.contributions}
    assert signals["relevant-position"] is True


@pytest.mark.parametrize(
    "headline", ["Boulanger", "Vigneron en Rhône-Alpes", "Plombier chauffagiste"]
)
def test_quality_does_not_find_relevance_where_there_is_none(school, make_invitation, headline):
    d = _decide(school, "quality-over-quantity", make_invitation, headline=headline, **STRANGER)
    assert {c.signal: c.value for c in d.score.contributions}["relevant-position"] is False


def test_quality_accepts_a_recruiter_with_shared_connections(school, make_invitation):
    # The article's community manager: recruiters care about her profile.
    d = _decide(
        school,
        "quality-over-quantity",
        make_invitation,
        headline="Recruteuse, cabinet Talents & Co",
        met_in_person=False,
        exchanges=0,
        mutual_connections=4,
    )
    assert (d.decision, d.rule, d.score.total) == ("accept", "enough-evidence", 5)


def test_quality_asks_the_student_who_wants_to_learn(school, make_invitation):
    # A beginner will take more than they give; the article finds that fine.
    student = {
        "headline": "Étudiante en communication digitale",
        "experience_years": 0,
        "met_in_person": False,
        "exchanges": 0,
        "mutual_connections": 0,
        "mutual_in_sector": 0,
        "shared_groups": [],
    }
    d = _decide(school, "quality-over-quantity", make_invitation, **student)
    assert (d.decision, d.rule, d.score.total, d.missing) == ("ask", "some-evidence", 4, ())
    assert d.reply.generator == "what_can_i_do"
    assert "Comment puis-je vous aider" in d.reply.text


@pytest.mark.parametrize(
    "profile",
    [
        {},
        {"headline": "Community manager"},
        {"mutual_connections": 3},
        {"shared_groups": ["CM Québec"]},
        {"headline": "Plombier", "mutual_connections": 5, "mutual_in_sector": 3},
    ],
)
def test_quality_never_holds_being_a_beginner_against_anyone(school, make_invitation, profile):
    base = {**STRANGER, "mutual_in_sector": 0, "shared_groups": [], "headline": "Comptable"}
    base.update(profile)
    beginner = _decide(school, "quality-over-quantity", make_invitation, experience_years=1, **base)
    mid_career = _decide(
        school, "quality-over-quantity", make_invitation, experience_years=5, **base
    )
    assert ORDER[beginner.decision] >= ORDER[mid_career.decision]


def test_quality_weighs_connections_in_your_sector(school, make_invitation):
    # Unrelated position, but several shared connections in digital marketing.
    facts = {**STRANGER, "headline": "Pharmacien", "mutual_connections": 3, "shared_groups": []}
    without = _decide(school, "quality-over-quantity", make_invitation, mutual_in_sector=0, **facts)
    with_sector = _decide(
        school, "quality-over-quantity", make_invitation, mutual_in_sector=2, **facts
    )
    assert with_sector.score.total == without.score.total + 1


def test_quality_declines_when_there_is_no_evidence_and_says_why(school, make_invitation):
    d = _decide(
        school,
        "quality-over-quantity",
        make_invitation,
        headline="Plombier chauffagiste",
        experience_years=5,
        mutual_in_sector=0,
        shared_groups=[],
        **STRANGER,
    )
    assert (d.decision, d.rule, d.score.total, d.missing) == ("decline", "no-evidence", 0, ())
    assert d.reply.generator == "short_decline"
    assert "domaines" in d.reply.text  # the reason: our fields are too far apart


def test_quality_thresholds_are_parameters(school, make_invitation, write, registry):
    text = Path(school("quality-over-quantity").policy.path).read_text(encoding="utf-8")
    assert "{score: {at_least: 5}}" in text
    stricter = write(
        "quality-over-quantity.yaml",
        text.replace("{score: {at_least: 5}}", "{score: {at_least: 6}}"),
    )
    facts = {**STRANGER, "headline": "Recruteuse", "mutual_connections": 4}
    assert _decide(school, "quality-over-quantity", make_invitation, **facts).decision == "accept"
    assert load_policy(stricter, registry).decide(make_invitation(**facts)).decision == "ask"


# benefit-of-the-doubt (article 004, rule 3 and comments) -------------------


def test_benefit_of_the_doubt_accepts_rich_content_with_limited_access(school, make_invitation):
    d = _decide(
        school,
        "benefit-of-the-doubt",
        make_invitation,
        posts=120,
        profile_visible=True,
        met_in_person=False,
        exchanges=0,
    )
    assert (d.decision, d.rule) == ("accept_limited", "rich-content")
    assert d.reply.generator == "welcome"


def test_benefit_of_the_doubt_ignores_a_locked_profile_without_a_note(school, make_invitation):
    # A reader's rule on Facebook: everything hidden and not a word: no follow-up.
    d = _decide(
        school,
        "benefit-of-the-doubt",
        make_invitation,
        network="facebook",
        profile_visible=False,
        message="J'aimerais vous inviter à rejoindre mon réseau.",
        met_in_person=False,
        exchanges=0,
    )
    assert (d.decision, d.rule, d.reply) == ("ignore", "locked-and-silent", None)


def test_benefit_of_the_doubt_asks_a_locked_profile_that_wrote_a_note(school, make_invitation):
    d = _decide(
        school,
        "benefit-of-the-doubt",
        make_invitation,
        profile_visible=False,
        posts=0,
        message="Bonjour, nous étions à la même table au gala de la chambre de commerce.",
        met_in_person=False,
        exchanges=0,
    )
    assert (d.decision, d.rule) == ("ask", "remind-me")
    assert d.reply.generator == "ask_how_we_met"


def test_benefit_of_the_doubt_asks_the_client_who_changed_her_name(school, make_invitation):
    # Do not say no at once - she may be a client who remarried - nor yes.
    d = _decide(
        school,
        "benefit-of-the-doubt",
        make_invitation,
        name="Sophie Marchand-Roy",
        profile_visible=True,
        posts=1,
        mutual_connections=7,
    )
    assert (d.decision, d.reply.generator) == ("ask", "ask_how_we_met")


# in-person-only (a comment on article 004) ---------------------------------


def test_in_person_only_accepts_only_people_met_in_real_life(school, make_invitation):
    met = _decide(school, "in-person-only", make_invitation, met_in_person=True)
    assert (met.decision, met.reply.generator) == ("accept", "welcome")
    # Many online conversations are not a meeting.
    online = _decide(school, "in-person-only", make_invitation, met_in_person=False, exchanges=25)
    assert (online.decision, online.reply.generator, online.missing) == (
        "decline",
        "three_part_decline",
        (),
    )
    assert "rencontrées en personne" in online.reply.text


def test_in_person_only_asks_rather_than_declines_when_a_meeting_is_not_known(
    school, make_invitation
):
    # The face may be forgotten: the decline would claim "we have not met".
    d = _decide(school, "in-person-only", make_invitation, exchanges=3)
    assert (d.decision, d.rule, d.missing) == ("ask", "not-sure", ("met_in_person",))
    assert d.reply.generator == "ask_how_we_met"


# common-ground (a comment on article 004) ----------------------------------


@pytest.mark.parametrize(
    "facts",
    [
        {"mutual_connections": 1},
        {"common_ground": ["HEC Montréal"]},  # the same studies
        {"common_ground": ["employer"]},
        {"shared_groups": ["Anciens de l'ESC"]},
    ],
)
def test_common_ground_asks_how_you_met_when_you_share_something(school, make_invitation, facts):
    d = _decide(school, "common-ground", make_invitation, **facts)
    assert (d.decision, d.rule, d.reply.generator) == (
        "ask",
        "something-in-common",
        "ask_how_we_met",
    )


def test_common_ground_declines_when_nothing_is_shared(school, make_invitation):
    d = _decide(
        school,
        "common-ground",
        make_invitation,
        met_in_person=False,
        mutual_connections=0,
        shared_groups=[],
        common_ground=[],
    )
    assert (d.decision, d.rule, d.missing) == ("decline", "nothing-in-common", ())
    assert d.reply.generator == "short_decline"
    assert "groupe" in d.reply.text  # the reason: nothing links us


def test_common_ground_accepts_someone_met(school, make_invitation):
    d = _decide(school, "common-ground", make_invitation, met_in_person=True)
    assert d.decision == "accept"


# all the schools together ---------------------------------------------------

ALL = SCHOOLS


def test_every_school_cites_its_article_and_explains_itself(school):
    for name in ALL:
        policy = school(name).policy
        assert policy.author and len(policy.summary) > 150
        assert all(s.article.endswith(".txt") and s.title for s in policy.sources)


def test_the_schools_agree_and_differ_on_the_shipped_examples(registry):
    from invpolicy.engine.runner import compare
    from invpolicy.loading.invitations import load_invitations

    invitations = load_invitations(EXAMPLES / "invitations.yaml")
    assert len(invitations) >= 14
    assert {i.language for i in invitations} == {"fr", "en"}
    report = compare(invitations, [load_policy(n, registry) for n in ALL])
    rows = {row.invitation.id: row for row in report.rows}
    assert rows["claire-conference"].agree
    client = rows["client-new-name"].decisions
    assert [client[n].decision for n in ALL] == [
        "accept",
        "ask",
        "ask",
        "ask",
        "ask",
        "ask",
        "decline",
    ]
    assert rows["content-creator"].decisions["benefit-of-the-doubt"].decision == "accept_limited"
    assert rows["answered-with-a-pitch"].decisions["strong-ties-only"].decision == "ignore"
    assert rows["answered-with-a-need"].decisions["ask-first"].decision == "accept"
    # Every decision a school can take shows up somewhere in the examples.
    seen = {d.decision for row in report.rows for d in row.decisions.values()}
    assert seen == {"accept", "accept_limited", "ask", "decline", "ignore"}
    assert 0 < sum(row.agree for row in report.rows) < len(report.rows)
