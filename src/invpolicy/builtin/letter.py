"""How a built-in reply is put together: the parameters every generator takes, and the letter.

A generator writes only the paragraphs of its reply; :func:`compiler` reads the
parameters once and wraps the paragraphs in a greeting and a closing (with the
signature), in the invitation's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from invpolicy.plugins.contract import Facts, Render

LANGUAGES = ("fr", "en")

#: A text in each language.
Text = Mapping[str, str]

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
_PAGE = {
    "type": "string",
    "pattern": r"^https?://\S+$",
    "description": "The address (http or https) of a page explaining how you handle invitations.",
}


#: Why a decline declines: each school gives its own reason.
REASONS = ("strong_ties", "met_in_person", "common_ground", "relevance")
_DEFAULT_REASON = "strong_ties"
REASON_PARAM = {
    "enum": list(REASONS),
    "default": _DEFAULT_REASON,
    "description": (
        "The reason given: strong_ties (we have neither met nor really talked), "
        "met_in_person (we have not met in real life), common_ground (we have "
        "nothing in common), relevance (our fields are too far apart)."
    ),
}


def params_schema(**extra: Any) -> dict[str, Any]:
    """The parameters every generator takes (a fresh copy for each), plus ``extra``."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {"signature": _SIGNATURE, "channel": _CHANNEL, "page": _PAGE, **extra},
    }


_GREETING = {"fr": "Bonjour {name},", "en": "Hello {name},"}
_CLOSING = {"fr": "Bien à vous,", "en": "Kind regards,"}


def letter(language: str, name: str, paragraphs: list[str], signature: str | None) -> str:
    """Greeting, paragraphs and closing, separated by blank lines."""
    closing = _CLOSING[language] + (f"\n{signature}" if signature else "")
    return "\n\n".join([_GREETING[language].format(name=name), *paragraphs, closing])


@dataclass(frozen=True)
class Params:
    """The parameters every generator takes; an absent or empty one is ``None``."""

    signature: str | None
    channel: str | None
    page: str | None
    reason: str = _DEFAULT_REASON

    @classmethod
    def read(cls, params: Mapping[str, Any]) -> Params:
        return cls(
            params.get("signature") or None,
            params.get("channel") or None,
            params.get("page") or None,
            params.get("reason") or _DEFAULT_REASON,
        )


def optional(language: str, *lines: tuple[Text, str | None]) -> list[str]:
    """One paragraph of the ``lines`` whose value is given, or none.

    Each line is a text with one ``{}`` filled with its value.
    """
    filled = [line[language].format(value) for line, value in lines if value]
    return ["\n".join(filled)] if filled else []


def either(texts: Mapping[str, str], key: str, channel: str | None) -> str:
    """``texts[key + '_channel']`` naming the channel when there is one, else ``texts[key]``."""
    return texts[f"{key}_channel"].format(channel=channel) if channel else texts[key]


#: Writes the paragraphs between greeting and closing.
Body = Callable[[Facts, str, Params], list[str]]


def compiler(body: Body) -> Callable[[Mapping[str, Any]], Render]:
    """A generator's ``compile``: reads the parameters once, then writes letters."""

    def compile_(params: Mapping[str, Any]) -> Render:
        read = Params.read(params)

        def render(facts: Facts, language: str) -> str:
            paragraphs = body(facts, language, read)
            return letter(language, facts.get("name", ""), paragraphs, read.signature)

        return render

    return compile_
