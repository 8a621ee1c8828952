"""Built-in reply generators: both languages, the parts each reply must have."""

from __future__ import annotations

import re

import pytest

from invpolicy.builtin.replies import GENERATORS

BY_NAME = {g.name: g for g in GENERATORS}
NOTE = "We met at the Lyon meetup last week; I'd be glad to keep in touch."
STOCK = "I'd like to add you to my professional network on LinkedIn."


def _write(name, language, params=None, **facts):
    facts.setdefault("name", "Camille Roux")
    return BY_NAME[name].compile(params or {})(facts, language)


@pytest.mark.parametrize("name", sorted(BY_NAME))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_generator_writes_both_languages_to_the_inviter(name, language):
    text = _write(name, language)
    greeting = {"fr": "Bonjour Camille Roux,", "en": "Hello Camille Roux,"}[language]
    assert text.startswith(greeting)
    assert len(text) > 150
    assert _write(name, language) == text  # deterministic


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_french_and_english_texts_differ(name):
    assert _write(name, "fr") != _write(name, "en")


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


def test_the_decline_says_no_and_the_questions_do_not_decide():
    # A reply never promises what the decision does not do.
    assert "declining your invitation" in _write("three_part_decline", "en")
    for name in ("ask_how_we_met", "ask_purpose"):
        text = _write(name, "en")
        assert "before i" in text.lower()
        assert "accept" not in text.lower() and "declin" not in text.lower()
        assert text.rstrip().split("\n\n")[-2].endswith("?")


def test_ask_how_we_met_and_ask_purpose_ask_different_questions():
    assert "how we got to know each other" in _write("ask_how_we_met", "en")
    assert "purpose of your request" in _write("ask_purpose", "en")
    assert "notre rencontre" in _write("ask_how_we_met", "fr")
    assert "le but de votre demande" in _write("ask_purpose", "fr")


SEEDS = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles are not beside this checkout")
def test_reply_texts_are_our_own_words_not_the_articles():
    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower().replace("\u2019", "'"))

    seed_text = " ".join(
        " ".join(words(p.read_text(encoding="utf-8"))) for p in SEEDS.glob("*.txt")
    )
    for name in BY_NAME:
        for language in ("fr", "en"):
            w = words(_write(name, language, message=NOTE))
            for i in range(len(w) - 7):
                run = " ".join(w[i : i + 8])
                assert run not in seed_text, f"{name}/{language} copies: {run!r}"
