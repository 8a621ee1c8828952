"""Built-in reply generators: both languages, the parts each reply must have."""

from __future__ import annotations

import itertools
import re

import pytest
from jsonschema import Draft202012Validator

from invpolicy.builtin.letter import REASONS, letter
from invpolicy.builtin.replies import GENERATORS

from .. import seed_runs

BY_NAME = {g.name: g for g in GENERATORS}
NAMES = sorted(BY_NAME)
LANGUAGES = ("fr", "en")
NOTE = "We met at the Lyon meetup last week; I'd be glad to keep in touch."
STOCK = "I'd like to add you to my professional network on LinkedIn."
GREETING = {"fr": "Bonjour Camille,", "en": "Hello Camille,"}
CLOSING = {"fr": "Bien à vous,", "en": "Kind regards,"}
ALL_PARAMS = {
    "signature": "Dominique",
    "channel": "Twitter (@camroux)",
    "page": "https://example.org/invitations",
}
# Every subset of the parameters, from none to all three.
PARAM_SETS = [
    dict(combo)
    for size in range(len(ALL_PARAMS) + 1)
    for combo in itertools.combinations(ALL_PARAMS.items(), size)
]


def _write(name, language, params=None, **facts):
    facts.setdefault("name", "Camille Roux")
    return BY_NAME[name].compile(params or {})(facts, language)


def _body(text):
    """The paragraphs between the greeting and the closing."""
    return text.split("\n\n")[1:-1]


def _sentences(text):
    return len(re.findall(r"[.!?](?=\s|$)", text))


def _writes_for(decision):
    return [g.name for g in GENERATORS if decision in g.decisions]


# --- what every generator does ---------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_generator_writes_both_languages_to_the_inviter(name, language):
    text = _write(name, language)
    assert text.startswith(GREETING[language] + "\n\n")
    assert text.endswith("\n\n" + CLOSING[language])
    body = _body(text)
    # Something to read between greeting and closing, in whole sentences.
    assert body and all(p.endswith((".", "?", "!")) for p in body)
    assert _sentences(" ".join(body)) >= 1
    assert "  " not in text and " \n" not in text
    assert _write(name, language) == text  # deterministic


@pytest.mark.parametrize("name", NAMES)
def test_french_and_english_texts_differ(name):
    assert _write(name, "fr") != _write(name, "en")


def test_the_decisions_of_each_builtin_generator():
    assert {g.name: g.decisions for g in GENERATORS} == {
        "three_part_decline": ("decline",),
        "short_decline": ("decline",),
        "welcome": ("accept", "accept_limited"),
        "ask_how_we_met": ("ask",),
        "ask_purpose": ("ask",),
        "what_can_i_do": ("ask",),
        "propose_meeting": ("ask",),
    }
    assert all(g.languages == LANGUAGES for g in GENERATORS)


@pytest.mark.parametrize("name", NAMES)
def test_params_schema_takes_signature_channel_and_page_and_nothing_else(name):
    schema = BY_NAME[name].params_schema
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    assert schema["additionalProperties"] is False
    # The declines also say why they decline.
    reason = {"reason"} if BY_NAME[name].decisions == ("decline",) else set()
    assert set(schema["properties"]) == set(ALL_PARAMS) | reason
    assert all(p.get("description") for p in schema["properties"].values())
    for params in PARAM_SETS:
        assert validator.is_valid(params), params
    assert validator.is_valid({"page": "http://example.org/invitations?lang=fr"})
    assert not validator.is_valid({**ALL_PARAMS, "signatur": "Dominique"})
    for page in ("example.org/invitations", "ftp://example.org", "https://", "https://a b", ""):
        assert not validator.is_valid({"page": page}), page
    assert not validator.is_valid({"signature": ""})
    assert not validator.is_valid({"channel": 12})


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("params", PARAM_SETS, ids=lambda p: "+".join(p) or "none")
def test_params_appear_when_given_and_leave_no_trace_when_not(name, language, params):
    text = _write(name, language, params, message=NOTE)
    for key, value in ALL_PARAMS.items():
        assert (value in text) == (key in params), key
    given = " ".join(params.values())
    for leftover in ("{", "}", "None", "@camroux", "example.org"):
        assert (leftover in text) == (leftover in given), leftover
    last = text.rsplit("\n\n", 1)[-1]
    expected = CLOSING[language] + (f"\n{params['signature']}" if "signature" in params else "")
    assert last == expected
    assert "  " not in text and " \n" not in text and "\n\n\n" not in text


@pytest.mark.parametrize("name", NAMES)
def test_the_page_is_given_on_a_line_of_its_own_at_its_end(name):
    # A link at the end of its line stays clickable: no punctuation glued to it.
    for language in LANGUAGES:
        lines = _write(name, language, ALL_PARAMS).splitlines()
        [line] = [line for line in lines if ALL_PARAMS["page"] in line]
        assert line.endswith(" " + ALL_PARAMS["page"])


@pytest.mark.parametrize("name", NAMES)
def test_typography_of_each_language(name):
    # French puts a space before « : ? ! ; », English does not.
    fr = re.sub(r"https?://\S+", "", _write(name, "fr", ALL_PARAMS, message=NOTE))
    en = re.sub(r"https?://\S+", "", _write(name, "en", ALL_PARAMS, message=NOTE))
    assert not re.search(r"\S[:?!;]", fr), fr
    assert not re.search(r"\s[:?!;,.]", en), en
    assert "\u2019" not in fr + en  # one apostrophe throughout


# --- a reply never says what the decision does not do -----------------------------------

SAYS_YES = {
    "fr": ("accept", "bienvenue", "parmi mes contacts"),
    "en": ("accept", "welcome", "among my contacts"),
}
SAYS_NO = {
    "fr": ("décline", "refus", "pas suite"),
    "en": ("declin", "refus", "turn down"),
}


@pytest.mark.parametrize("name", _writes_for("decline"))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("params", [{}, ALL_PARAMS])
def test_decline_texts_say_no_and_never_yes(name, language, params):
    text = _write(name, language, params, message=NOTE).lower()
    assert any(word in text for word in SAYS_NO[language])
    assert not any(word in text for word in SAYS_YES[language])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("params", [{}, ALL_PARAMS])
def test_welcome_says_yes_and_promises_nothing_more(language, params):
    text = _write("welcome", language, params, message=NOTE).lower()
    assert "parmi mes contacts" in text if language == "fr" else "among my contacts" in text
    assert not any(word in text for word in SAYS_NO[language])
    # It suits an acceptance with limited access too: nothing about the
    # profile or what they will see, and no meeting promised.
    promises = {
        "fr": ("profil", "accès", "complet", "rencontr", "appel", "café"),
        "en": ("profile", "access", "full", "meet", "call", "coffee"),
    }
    assert not any(word in text for word in promises[language])


@pytest.mark.parametrize("name", _writes_for("ask"))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("params", [{}, ALL_PARAMS])
def test_ask_texts_neither_accept_nor_decline(name, language, params):
    text = _write(name, language, params, message=NOTE).lower()
    assert not any(word in text for word in SAYS_YES[language] + SAYS_NO[language])
    assert "?" in text or name == "propose_meeting"


def test_the_decline_says_no_and_the_questions_do_not_decide():
    # A reply never promises what the decision does not do.
    assert "declining your invitation" in _write("three_part_decline", "en")
    for name in ("ask_how_we_met", "ask_purpose"):
        text = _write(name, "en")
        assert "before i" in text.lower()
        assert "accept" not in text.lower() and "declin" not in text.lower()
        assert text.rstrip().split("\n\n")[-2].endswith("?")


# --- three_part_decline -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "thanks_note", "goal", "openness"),
    [
        ("en", "personal note", "strong ties", "The door stays open"),
        ("fr", "mot personnel", "liens solides", "La porte reste ouverte"),
    ],
)
def test_three_part_decline_has_its_three_parts(language, thanks_note, goal, openness):
    text = _write("three_part_decline", language, message=NOTE)
    paragraphs = text.split("\n\n")
    # greeting, thanks, goal and reason, openness, closing
    assert len(paragraphs) == 5
    assert thanks_note in paragraphs[1]
    assert goal in paragraphs[2]
    assert openness in paragraphs[3]
    # The page, when given, comes after the three parts.
    with_page = _write("three_part_decline", language, ALL_PARAMS, message=NOTE)
    assert with_page.split("\n\n")[4].endswith(ALL_PARAMS["page"])


@pytest.mark.parametrize("message", [None, "", STOCK, f"Hi Camille, {STOCK} Best, Camille Roux"])
def test_three_part_decline_thanks_for_the_note_only_when_there_is_one(message):
    facts = {} if message is None else {"message": message}
    text = _write("three_part_decline", "en", **facts)
    assert "personal note" not in text
    assert "Thank you for your interest" in text


def test_three_part_decline_names_the_other_channel_and_signs():
    params = {"channel": "Twitter (@camroux)", "signature": "Dominique"}
    en = _write("three_part_decline", "en", params)
    fr = _write("three_part_decline", "fr", params)
    assert "on Twitter (@camroux)" in en
    assert "sur Twitter (@camroux)" in fr
    assert en.endswith("Kind regards,\nDominique")
    assert fr.endswith("Bien à vous,\nDominique")


# --- short_decline ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("params", PARAM_SETS, ids=lambda p: "+".join(p) or "none")
def test_short_decline_is_two_sentences_and_the_page_a_third_short_line(language, params):
    body = _body(_write("short_decline", language, params, message=NOTE))
    sentences = body[0]
    assert "\n" not in sentences and _sentences(sentences) == 2
    if "page" in params:
        # The link is a line of its own, not a third sentence.
        assert len(body) == 2
        assert body[1].endswith(": " + params["page"]) and len(body[1]) < 80
        assert _sentences(body[1].removesuffix(params["page"])) == 0
    else:
        assert len(body) == 1


@pytest.mark.parametrize(
    ("language", "thanks", "reason", "no", "channel", "meet"),
    [
        (
            "en",
            "Thank you",
            "met in person",
            "declining",
            "write to me on Twitter (@camroux)",
            "coffee",
        ),
        (
            "fr",
            "Merci",
            "rencontrées en vrai",
            "décline",
            "écrivez-moi sur Twitter (@camroux)",
            "café",
        ),
    ],
)
def test_short_decline_thanks_gives_the_reason_and_leaves_the_door_open(
    language, thanks, reason, no, channel, meet
):
    first, second = re.split(r"(?<=[.!?]) ", _body(_write("short_decline", language))[0])
    assert first.startswith(thanks) and reason in first and no in first
    assert meet in second
    with_channel = _write("short_decline", language, {"channel": "Twitter (@camroux)"})
    assert channel in _body(with_channel)[0].split(". ")[1]


# --- welcome, what_can_i_do, propose_meeting --------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_welcome_is_short_and_warm(language):
    body = _body(_write("welcome", language))
    assert len(body) == 1 and _sentences(body[0]) <= 3
    assert ("plaisir" if language == "fr" else "pleasure") in body[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_can_i_do_is_one_short_question(language):
    [body] = _body(_write("what_can_i_do", language))
    assert "\n" not in body and len(body) < 100
    assert _sentences(body) <= 2 and body.endswith("?")
    helps = {"fr": ("vous aider", "m'aider"), "en": ("help you", "help me")}[language]
    assert all(both_ways in body for both_ways in helps)


@pytest.mark.parametrize(
    ("language", "explained", "meet", "call", "before"),
    [
        ("en", "explain what you are looking for", "meet", "short call", "Before we connect"),
        ("fr", "expliquer ce que vous recherchez", "rencontr", "court appel", "Avant de vous"),
    ],
)
def test_propose_meeting_thanks_for_the_need_and_proposes_to_meet_first(
    language, explained, meet, call, before
):
    text = _write("propose_meeting", language)
    body = _body(text)
    assert explained in body[0] and meet in body[0] and call in body[0] and before in body[0]
    with_channel = _write("propose_meeting", language, {"channel": "Twitter (@camroux)"})
    on = {"fr": "sur", "en": "on"}[language]
    assert f"{on} Twitter (@camroux)." in with_channel


@pytest.mark.parametrize("name", ["three_part_decline", "short_decline"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_decline_reason_gives_its_own_reason(name, language):
    texts = {reason: _write(name, language, {"reason": reason}) for reason in REASONS}
    assert texts["strong_ties"] == _write(name, language)  # the default
    assert len(set(texts.values())) == len(REASONS)
    words = {
        "en": {
            "met_in_person": "in person",
            "common_ground": "school",
            "relevance": "fields",
        },
        "fr": {
            "met_in_person": "en personne",
            "common_ground": "groupe",
            "relevance": "domaines",
        },
    }[language]
    for reason, word in words.items():
        assert word in texts[reason], reason
    if name == "short_decline":
        assert all(_sentences(" ".join(_body(t))) == 2 for t in texts.values())
    validator = Draft202012Validator(BY_NAME[name].params_schema)
    assert not validator.is_valid({"reason": "busy"})


def test_letter_puts_greeting_paragraphs_and_signed_closing_apart():
    assert letter("en", "Ana", ["One.", "Two."], "Dom") == (
        "Hello Ana,\n\nOne.\n\nTwo.\n\nKind regards,\nDom"
    )
    assert letter("fr", "Ana", ["Un."], None) == "Bonjour Ana,\n\nUn.\n\nBien à vous,"
    assert letter("fr", None, ["Un."], None) == "Bonjour,\n\nUn.\n\nBien à vous,"


# --- our own words ----------------------------------------------------------------------


def _our_texts():
    for name in BY_NAME:
        for language in LANGUAGES:
            reasons = REASONS if "reason" in BY_NAME[name].params_schema["properties"] else ()
            for params in [{}, ALL_PARAMS, *({"reason": r} for r in reasons)]:
                for note in ({"message": NOTE}, {}):  # with a note of their own, and without
                    where = f"{name}/{language}/{params}/{note}"
                    yield where, _write(name, language, params, **note)


def test_reply_texts_are_our_own_words_not_the_articles():
    # Against a fingerprint of the articles' 8-word runs, so that this runs
    # in CI too, where the articles are not beside the checkout.
    copied = seed_runs.RUNS.read_text(encoding="utf-8").split()
    assert len(copied) > 4000
    copied_set = set(copied)
    for where, text in _our_texts():
        w = seed_runs.words(text)
        for i in range(len(w) - seed_runs.LENGTH + 1):
            run = " ".join(w[i : i + seed_runs.LENGTH])
            assert not seed_runs.run_hashes(run) & copied_set, f"{where} copies: {run!r}"


@pytest.mark.skipif(
    not seed_runs.SEEDS.is_dir(), reason="the articles are not beside this checkout"
)
def test_the_fingerprint_of_the_articles_is_current():
    expected = seed_runs.fingerprint(seed_runs.seed_files())
    assert set(seed_runs.RUNS.read_text(encoding="utf-8").split()) == expected, (
        "regenerate it: python tests/seed_runs.py"
    )


def test_the_fingerprint_catches_a_copied_run():
    # A sentence of article 003's decline, in the articles' own words.
    copied = "je me rends compte que cela est possible de 2 façons"
    assert seed_runs.run_hashes(copied) & set(seed_runs.RUNS.read_text(encoding="utf-8").split())
