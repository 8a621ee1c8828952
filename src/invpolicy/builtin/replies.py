"""Built-in reply generators, in French and English.

The texts follow the advice of the source articles (``shared/seeds``) in our
own words: the three-part decline of article 003, and the two questions of
article 004 (how did we meet? what is the purpose of your request?).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from invpolicy.contract import Facts, Render, ReplyGenerator
from invpolicy.hookspecs import hookimpl
from invpolicy.messages import is_personalized

LANGUAGES = ("fr", "en")

_SIGNATURE = {
    "type": "string",
    "minLength": 1,
    "description": "Your name, written under the reply.",
}
_CHANNEL = {
    "type": "string",
    "minLength": 1,
    "description": "Another place to reach you, e.g. 'Twitter (@handle)'.",
}

_GREETING = {"fr": "Bonjour {name},", "en": "Hello {name},"}
_CLOSING = {"fr": "Bien à vous,", "en": "Kind regards,"}


def letter(language: str, name: str, paragraphs: list[str], signature: str | None) -> str:
    """Greeting, paragraphs and closing, separated by blank lines."""
    closing = _CLOSING[language] + (f"\n{signature}" if signature else "")
    return "\n\n".join([_GREETING[language].format(name=name), *paragraphs, closing])


_DECLINE = {
    "fr": {
        "thanks_note": (
            "Merci d'avoir accompagné votre invitation d'un mot personnel : "
            "j'apprécie cette attention."
        ),
        "thanks": "Merci de l'intérêt que vous portez à mon profil.",
        "goal": (
            "Je réserve mon réseau aux liens solides : les personnes que j'ai "
            "rencontrées en vrai, ou avec qui j'ai réellement échangé, dans un groupe "
            "par exemple. Nous n'avons pas encore eu cette occasion, c'est pourquoi je "
            "ne donne pas suite à votre invitation pour l'instant."
        ),
        "open_channel": (
            "La porte reste ouverte pour autant : vous pouvez m'écrire sur {channel}, "
            "et une rencontre ou un échange dans les semaines à venir me ferait plaisir."
        ),
        "open": (
            "La porte reste ouverte pour autant : une rencontre ou un échange dans les "
            "semaines à venir me ferait plaisir."
        ),
    },
    "en": {
        "thanks_note": (
            "Thank you for adding a personal note to your invitation; I appreciate the care."
        ),
        "thanks": "Thank you for your interest in my profile.",
        "goal": (
            "I keep my network for strong ties: people I have met face to face, or with "
            "whom I have had real conversations, in a group for instance. We have not had "
            "that chance yet, so I am declining your invitation for now."
        ),
        "open_channel": (
            "The door stays open, though: you can write to me on {channel}, and I would "
            "be glad to meet or talk in the coming weeks."
        ),
        "open": "The door stays open, though: I would be glad to meet or talk in the coming weeks.",
    },
}


def _three_part_decline(params: Mapping[str, Any]) -> Render:
    signature = params.get("signature")
    channel = params.get("channel")

    def render(facts: Facts, language: str) -> str:
        text = _DECLINE[language]
        name = facts.get("name", "")
        # Part one thanks for the note only when there was a note of their own.
        thanks = (
            text["thanks_note"] if is_personalized(facts.get("message"), name) else text["thanks"]
        )
        opening = text["open_channel"].format(channel=channel) if channel else text["open"]
        return letter(language, name, [thanks, text["goal"], opening], signature)

    return render


_ASK_HOW_WE_MET = {
    "fr": (
        "Merci pour votre invitation. Avant d'y répondre, je dois vous avouer que je ne "
        "parviens pas à situer notre rencontre. Pourriez-vous me rappeler dans quelles "
        "circonstances nous avons fait connaissance ? Et si nos chemins ne se sont "
        "jamais croisés, qu'est-ce qui vous a donné envie de me contacter ?"
    ),
    "en": (
        "Thank you for your invitation. Before I answer it, I have to admit that I "
        "cannot place where we met. Could you remind me how we got to know each other? "
        "And if our paths have never crossed, what made you want to connect?"
    ),
}

_ASK_PURPOSE = {
    "fr": (
        "Merci pour votre invitation. Sauf erreur de ma part, nous ne nous sommes jamais "
        "rencontrés : avant d'y répondre, j'aimerais comprendre ce qui motive votre "
        "démarche. Quel est le but de votre demande, et en quoi pourrions-nous nous être "
        "utiles l'un à l'autre ?"
    ),
    "en": (
        "Thank you for your invitation. As far as I know, we have not met, so before I "
        "reply I would like to understand what brings you to me: what is the purpose of "
        "your request, and how do you see us being useful to each other?"
    ),
}


def _fixed(paragraph: Mapping[str, str]) -> Any:
    def compile_(params: Mapping[str, Any]) -> Render:
        signature = params.get("signature")

        def render(facts: Facts, language: str) -> str:
            return letter(language, facts.get("name", ""), [paragraph[language]], signature)

        return render

    return compile_


def _schema(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "properties": properties}


GENERATORS = [
    ReplyGenerator(
        name="three_part_decline",
        description=(
            "A polite decline in three parts: thanks (for the personal note, when there "
            "is one), the goal of your network and why you decline, and an open door."
        ),
        languages=LANGUAGES,
        compile=_three_part_decline,
        params_schema=_schema(signature=_SIGNATURE, channel=_CHANNEL),
    ),
    ReplyGenerator(
        name="ask_how_we_met",
        description="Asks the inviter to remind you how you met, in case you forgot.",
        languages=LANGUAGES,
        compile=_fixed(_ASK_HOW_WE_MET),
        params_schema=_schema(signature=_SIGNATURE),
    ),
    ReplyGenerator(
        name="ask_purpose",
        description=(
            "Asks an inviter you have surely never met what the request is for and how "
            "you could help each other."
        ),
        languages=LANGUAGES,
        compile=_fixed(_ASK_PURPOSE),
        params_schema=_schema(signature=_SIGNATURE),
    ),
]


@hookimpl
def invpolicy_reply_generators() -> list[ReplyGenerator]:
    """The built-in reply generators."""
    return list(GENERATORS)
