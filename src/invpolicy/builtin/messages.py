"""Tell a personal note from a network's stock invitation text."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from invpolicy.text import fold

# The texts networks put in an invitation when the sender writes nothing, and
# their usual variants, French and English. They are compared after
# normalisation (see _words), so case, accents, punctuation, "on LinkedIn" and
# "professional" do not matter.
_STOCK_TEXTS = (
    "I'd like to add you to my professional network on LinkedIn.",
    "I would like to add you to my professional network on LinkedIn.",
    "I'd like to add you to my network.",
    "I'd like to join your LinkedIn network.",
    "I would like to join your network.",
    "I'd like to connect with you on LinkedIn.",
    "I would like to connect with you.",
    "Please accept my invitation to connect.",
    "Let's connect on LinkedIn.",
    "J'aimerais vous inviter à rejoindre mon réseau.",
    "J'aimerais vous inviter à rejoindre mon réseau professionnel sur LinkedIn.",
    "Je souhaiterais vous inviter à rejoindre mon réseau.",
    "J'aimerais vous ajouter à mon réseau professionnel sur LinkedIn.",
    "Je souhaiterais vous ajouter à mon réseau professionnel sur LinkedIn.",
    "Je voudrais vous ajouter à mon réseau.",
    "J'aimerais rejoindre votre réseau LinkedIn.",
    "J'aimerais me connecter avec vous sur LinkedIn.",
    "J'aimerais t'inviter à rejoindre mon réseau.",
    "J'aimerais t'ajouter à mon réseau professionnel sur LinkedIn.",
    "Merci d'accepter mon invitation.",
)
_DROPPED = frozenset({"linkedin", "viadeo", "professional", "professionnel", "on", "sur"})
_GREETINGS = frozenset(
    {"hi", "hello", "hey", "dear", "bonjour", "salut", "bonsoir", "cher", "chere"}
)
_COURTESY = frozenset(
    {
        "regards", "best", "kind", "warm", "thanks", "thank", "you", "cheers", "sincerely",
        "cordialement", "merci", "bien", "a", "bientot", "salutations", "bonne", "journee",
    }
)  # fmt: skip
_SPLIT = re.compile(r"[.!?\n;:,]+")
_WORD = re.compile(r"[a-z0-9']+")


def _words(text: str) -> list[str]:
    plain = fold(text)
    return _WORD.findall(plain)


def _core(text: str, sender: str = "") -> str:
    """The words of ``text`` without greetings, sign-offs and the sender's name."""
    name = set(_words(sender))
    kept: list[str] = []
    for sentence in _SPLIT.split(text):
        words = _words(sentence)
        if not words or set(words) <= name | _COURTESY:
            continue
        if words[0] in _GREETINGS and len(words) <= 4:
            continue
        kept.extend(w for w in words if w not in _DROPPED)
    return " ".join(kept)


@cache
def _stock() -> frozenset[str]:
    """The stock texts as :func:`_core` leaves them; made on first use, not at start-up."""
    return frozenset(_core(text) for text in _STOCK_TEXTS)


# Asked of the same note by criteria and reply generators, for each what-if variant.
@lru_cache(maxsize=1024)
def is_personalized(message: str | None, sender: str = "") -> bool:
    """True when ``message`` says something of its own.

    Absent, empty, or a stock text (with a greeting or a signature around it)
    is not personalized.
    """
    if not message:
        return False
    words = _core(message, sender).split()
    if not words:
        return False
    # "Bonjour Marie j'aimerais vous inviter..." with no comma: try without
    # the greeting and up to three words of name after it.
    skips = range(5) if words[0] in _GREETINGS else range(1)
    stock = _stock()
    return all(" ".join(words[skip:]) not in stock for skip in skips)
