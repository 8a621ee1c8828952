"""Personalized notes versus the networks' stock texts."""

from __future__ import annotations

import pytest

from invpolicy.builtin.messages import is_personalized


@pytest.mark.parametrize(
    "message",
    [
        None,
        "",
        "   ",
        "I'd like to add you to my professional network on LinkedIn.",
        "I'd like to add you to my professional network on LinkedIn. - Daniel Brooks",
        "Hi Camille, I'd like to add you to my professional network.",
        "Hello Camille Roux I'd like to join your LinkedIn network",
        "J'aimerais vous inviter à rejoindre mon réseau",
        "J’AIMERAIS VOUS INVITER A REJOINDRE MON RESEAU PROFESSIONNEL SUR LINKEDIN !",  # noqa: RUF001
        "Bonjour Camille, j'aimerais vous inviter à rejoindre mon réseau. Cordialement, Daniel",
        "Bonjour Camille j'aimerais vous ajouter à mon réseau professionnel sur LinkedIn",
        "Merci !",
    ],
)
def test_stock_texts_are_not_personalized(message):
    assert not is_personalized(message, sender="Daniel Brooks")


@pytest.mark.parametrize(
    "message",
    [
        "We met at the Lyon meetup; I'd like to add you to my network.",
        "Bonjour, j'ai lu votre article sur les newsletters et j'aimerais en discuter.",
        "Hi, are you open to a 15-minute call? Book here: https://example.com",
        "Merci pour votre conférence d'hier !",
    ],
)
def test_a_note_of_ones_own_is_personalized(message):
    assert is_personalized(message, sender="Daniel Brooks")
