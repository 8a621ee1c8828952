"""Replies in German, so that a policy can write ``language: de``.

invpolicy's own replies are French and English. These three follow the same
advice, in our own words: the decline has the three parts of article 003
(thanks, the reason, an open door), the question asks one of the two
questions of article 004 (how did we meet? what is the request for?), and
the welcome promises nothing the decision does not do.

Every generator takes ``signature`` (written under the reply) and ``channel``
(another place to reach you); each text reads well without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from invpolicy import Facts, Render, ReplyGenerator

LANGUAGES = ("de",)

#: The reasons a decline can give.
REASONS = ("relevance", "sales", "strong_ties")
#: The questions a question can ask.
QUESTIONS = ("how_we_met", "purpose")

_SIGNATURE = {"type": "string", "minLength": 1, "description": "Your name, under the reply."}
_CHANNEL = {
    "type": "string",
    "minLength": 1,
    "description": "Another place to reach you, e.g. 'Mastodon (@jonas@example.social)'.",
}


def _schema(examples: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {"signature": _SIGNATURE, "channel": _CHANNEL, **extra},
        "examples": examples,
    }


def letter(facts: Facts, paragraphs: list[str], signature: str | None) -> str:
    """Greeting, paragraphs and closing, separated by blank lines.

    In a German letter the line after "Guten Tag ...," starts in lower case;
    the paragraphs are written that way.
    """
    name = facts.get("name")
    greeting = f"Guten Tag {name}," if isinstance(name, str) and name.strip() else "Guten Tag,"
    closing = "Mit freundlichen Grüßen" + (f"\n{signature}" if signature else "")
    return "\n\n".join([greeting, *paragraphs, closing])


#: Writes the paragraphs of a reply from the facts and the parameters.
_Body = Callable[[Facts, Mapping[str, Any]], list[str]]


def _compiler(body: _Body) -> Callable[[Mapping[str, Any]], Render]:
    def compile_(params: Mapping[str, Any]) -> Render:
        signature = params.get("signature") or None

        def render(facts: Facts, language: str) -> str:
            # Only German is declared, so invpolicy never asks for another language.
            return letter(facts, body(facts, params), signature)

        return render

    return compile_


_DECLINE_REASONS = {
    "relevance": (
        "Ich halte mein Netzwerk bewusst nah an meinem Arbeitsfeld, damit es für alle darin "
        "nützlich bleibt. Unsere Tätigkeitsbereiche liegen im Moment zu weit auseinander, "
        "deshalb nehme ich Ihre Anfrage vorerst nicht an."
    ),
    "sales": (
        "Ich nutze mein Netzwerk für den fachlichen Austausch, nicht für Angebote oder "
        "Kundenakquise. Deshalb nehme ich Anfragen aus dem Vertrieb, bei denen ich keinen "
        "gemeinsamen Bezug erkenne, nicht an."
    ),
    "strong_ties": (
        "Ich vernetze mich nur mit Menschen, die ich persönlich getroffen oder mit denen ich "
        "mich schon wirklich ausgetauscht habe. Diese Gelegenheit hatten wir noch nicht, "
        "deshalb nehme ich Ihre Anfrage vorerst nicht an."
    ),
}


def _decline(facts: Facts, params: Mapping[str, Any]) -> list[str]:
    reason = params.get("reason") or "relevance"
    channel = params.get("channel")
    door = "Meine Tür bleibt trotzdem offen: Wenn Sie ein konkretes Anliegen haben, schreiben Sie"
    return [
        "vielen Dank für Ihre Kontaktanfrage und Ihr Interesse an meinem Profil.",
        _DECLINE_REASONS[reason],
        f"{door} mir gern über {channel}." if channel else f"{door} mir gern.",
    ]


_QUESTIONS = {
    "how_we_met": (
        "vielen Dank für Ihre Kontaktanfrage. Bevor ich darauf antworte, muss ich gestehen, "
        "dass ich mich nicht erinnere, wo wir uns begegnet sind. Könnten Sie mir kurz sagen, "
        "wie wir uns kennengelernt haben? Und falls sich unsere Wege noch nie gekreuzt haben: "
        "Was hat Sie dazu bewogen, mich anzuschreiben?"
    ),
    "purpose": (
        "vielen Dank für Ihre Kontaktanfrage. Soweit ich weiß, kennen wir uns noch nicht. "
        "Bevor ich antworte, möchte ich gern verstehen, worum es Ihnen geht: Was ist der "
        "Anlass Ihrer Anfrage, und wie könnten wir einander weiterhelfen?"
    ),
}


def _question(facts: Facts, params: Mapping[str, Any]) -> list[str]:
    question = _QUESTIONS[params.get("question") or "how_we_met"]
    channel = params.get("channel")
    extra = [f"Wenn es für Sie einfacher ist, erreichen Sie mich auch über {channel}."]
    return [question, *(extra if channel else [])]


def _welcome(facts: Facts, params: Mapping[str, Any]) -> list[str]:
    # Nothing about what they will see of the profile: the same words suit a
    # limited acceptance.
    channel = params.get("channel")
    extra = [f"Sie erreichen mich außerdem über {channel}."]
    return [
        "vielen Dank für Ihre Kontaktanfrage. Ich freue mich, Sie in meinem Netzwerk zu haben: "
        "Melden Sie sich gern, wenn Sie denken, dass wir einander unterstützen können.",
        *(extra if channel else []),
    ]


GENERATORS = [
    ReplyGenerator(
        name="german_decline",
        description=(
            "A polite decline in German: thanks, the reason (`reason`: relevance, sales or "
            "strong_ties), and an open door."
        ),
        languages=LANGUAGES,
        compile=_compiler(_decline),
        params_schema=_schema(
            [{}, {"signature": "Jonas Weber", "reason": "sales"}, {"reason": "strong_ties"}],
            reason={
                "enum": list(REASONS),
                "default": "relevance",
                "description": (
                    "relevance (our fields are too far apart), sales (the network is not "
                    "for offers), strong_ties (we have neither met nor talked)."
                ),
            },
        ),
        decisions=("decline",),
    ),
    ReplyGenerator(
        name="german_question",
        description=(
            "Asks in German, before deciding, how you met (`question: how_we_met`) or what "
            "the request is for (`question: purpose`)."
        ),
        languages=LANGUAGES,
        compile=_compiler(_question),
        params_schema=_schema(
            [{}, {"question": "purpose", "channel": "Mastodon (@jonas@example.social)"}],
            question={
                "enum": list(QUESTIONS),
                "default": "how_we_met",
                "description": "how_we_met, or purpose (for someone you have surely not met).",
            },
        ),
        decisions=("ask",),
    ),
    ReplyGenerator(
        name="german_welcome",
        description="A short welcome in German for an invitation you accept, fully or not.",
        languages=LANGUAGES,
        compile=_compiler(_welcome),
        params_schema=_schema([{}, {"signature": "Jonas Weber", "channel": "jonas@example.de"}]),
        decisions=("accept", "accept_limited"),
    ),
]
