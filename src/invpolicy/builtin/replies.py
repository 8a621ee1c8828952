"""Built-in reply generators, in French and English.

The texts follow the advice of the source articles (``shared/seeds``) in our
own words: the three-part decline of article 003 and its later two-sentence
form, the two questions of article 004 (how did we meet? what is the purpose
of your request?), the one-line question of a reader of article 001 (what can
we do for each other?), the meeting article 003 proposes to an inviter with a
real need, and a welcome for the invitations a policy accepts.

Every generator takes the same optional parameters: ``signature`` (written
under the reply), ``channel`` (another place to reach you) and ``page`` (a page
explaining how you handle invitations, as the author of article 001 does).
Each text reads well with or without any of them.
"""

from __future__ import annotations

from typing import Any

from invpolicy.builtin.letter import (
    LANGUAGES,
    REASON_PARAM,
    Body,
    Params,
    Text,
    compiler,
    either,
    optional,
    params_schema,
)
from invpolicy.builtin.messages import is_personalized
from invpolicy.plugins.contract import Facts, ReplyGenerator
from invpolicy.plugins.hookspecs import hookimpl

# The page line, worded for what the reply does.
_PAGE_EXPLAINS = {
    "fr": "J'explique ici comment je traite les invitations : {}",
    "en": "How I handle invitations is explained here: {}",
}
_PAGE_SHORT = {
    "fr": "Ma façon de traiter les invitations : {}",
    "en": "How I handle invitations: {}",
}
_PAGE_BEFORE_CONNECTING = {
    "fr": "Ce qui compte pour moi avant de me connecter est expliqué ici : {}",
    "en": "What matters to me before connecting is explained here: {}",
}
_PAGE_IF_CURIOUS = {
    "fr": "Si cela vous intéresse, j'explique ici comment je traite les invitations : {}",
    "en": "If you are curious, how I handle invitations is explained here: {}",
}

# The channel line of the replies that do not weave it into a sentence.
_CHANNEL_ANSWER = {
    "fr": "Si c'est plus simple pour vous, vous pouvez aussi me répondre sur {}.",
    "en": "If it is easier for you, you can also answer me on {}.",
}
_CHANNEL_FIND = {
    "fr": "Vous pouvez aussi me retrouver sur {}.",
    "en": "You can also find me on {}.",
}


_DECLINE = {
    "fr": {
        "thanks_note": (
            "Merci d'avoir accompagné votre invitation d'un mot personnel : "
            "j'apprécie cette attention."
        ),
        "thanks": "Merci de l'intérêt que vous portez à mon profil.",
        "goal_strong_ties": (
            "Je réserve mon réseau aux liens solides : les personnes que j'ai "
            "rencontrées en vrai, ou avec qui j'ai réellement échangé, dans un groupe "
            "par exemple. Nous n'avons pas encore eu cette occasion, c'est pourquoi je "
            "ne donne pas suite à votre invitation pour l'instant."
        ),
        "goal_met_in_person": (
            "Mon réseau ne rassemble que des personnes que j'ai rencontrées en personne : "
            "c'est ce qui donne du sens à chaque contact. Nous ne nous sommes pas encore "
            "vus, c'est pourquoi je ne donne pas suite à votre invitation pour l'instant."
        ),
        "goal_common_ground": (
            "Avant d'accepter quelqu'un, je cherche ce qui nous relie : des relations, une "
            "école, un employeur, un groupe. Je n'ai rien trouvé de tel entre nous, c'est "
            "pourquoi je ne donne pas suite à votre invitation pour l'instant."
        ),
        "goal_relevance": (
            "Je veille à garder un réseau cohérent avec mon activité, pour qu'il reste "
            "utile à chacun de ses membres. Nos domaines me semblent trop éloignés pour "
            "l'instant, c'est pourquoi je ne donne pas suite à votre invitation."
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
        "goal_strong_ties": (
            "I keep my network for strong ties: people I have met face to face, or with "
            "whom I have had real conversations, in a group for instance. We have not had "
            "that chance yet, so I am declining your invitation for now."
        ),
        "goal_met_in_person": (
            "My network only gathers people I have met in person: that is what gives "
            "each contact its meaning. We have not met yet, so I am declining your "
            "invitation for now."
        ),
        "goal_common_ground": (
            "Before I accept someone, I look for what links us: people we both know, a "
            "school, an employer, a group. I found nothing of the kind between us, so I "
            "am declining your invitation for now."
        ),
        "goal_relevance": (
            "I try to keep my network close to my line of work, so that it stays useful "
            "to everyone in it. Our fields seem too far apart for now, so I am declining "
            "your invitation."
        ),
        "open_channel": (
            "The door stays open, though: you can write to me on {channel}, and I would "
            "be glad to meet or talk in the coming weeks."
        ),
        "open": "The door stays open, though: I would be glad to meet or talk in the coming weeks.",
    },
}


def _three_part_decline(facts: Facts, language: str, params: Params) -> list[str]:
    text = _DECLINE[language]
    # Part one thanks for the note only when there was a note of their own.
    note = is_personalized(facts.get("message"), facts.get("name", ""))
    thanks = text["thanks_note"] if note else text["thanks"]
    opening = either(text, "open", params.channel)
    goal = text[f"goal_{params.reason}"]
    return [thanks, goal, opening, *optional(language, (_PAGE_EXPLAINS, params.page))]


_SHORT_DECLINE = {
    "fr": {
        "strong_ties": (
            "Merci pour votre invitation, que je décline pour le moment : je ne me "
            "connecte qu'avec des personnes rencontrées en vrai ou avec qui j'ai eu de "
            "véritables échanges."
        ),
        "met_in_person": (
            "Merci pour votre invitation, que je décline pour le moment : je ne me "
            "connecte qu'avec des personnes que j'ai déjà vues en personne."
        ),
        "common_ground": (
            "Merci pour votre invitation, que je décline pour le moment : je n'ai trouvé "
            "ni relation, ni parcours, ni groupe qui nous relie."
        ),
        "relevance": (
            "Merci pour votre invitation, que je décline pour le moment : nos domaines "
            "me semblent trop éloignés pour que ce lien nous soit utile."
        ),
        "open": (
            "Ma porte reste ouverte si vous souhaitez que nous fassions connaissance, "
            "autour d'un café ou d'un appel."
        ),
        "open_channel": (
            "Ma porte reste ouverte si vous souhaitez que nous fassions connaissance : "
            "écrivez-moi sur {channel}."
        ),
    },
    "en": {
        "strong_ties": (
            "Thank you for your invitation, which I am declining for now: I only connect "
            "with people I have met in person or had real conversations with."
        ),
        "met_in_person": (
            "Thank you for your invitation, which I am declining for now: I only connect "
            "with people I have already seen in person."
        ),
        "common_ground": (
            "Thank you for your invitation, which I am declining for now: I found no "
            "shared contact, school or group linking us."
        ),
        "relevance": (
            "Thank you for your invitation, which I am declining for now: our fields seem "
            "too far apart for this link to be useful to either of us."
        ),
        "open": (
            "My door stays open if you would like us to get to know each other, over a "
            "coffee or a call."
        ),
        "open_channel": (
            "My door stays open if you would like us to get to know each other: write to "
            "me on {channel}."
        ),
    },
}


def _short_decline(facts: Facts, language: str, params: Params) -> list[str]:
    # Two sentences; the page, when given, is a third short line of its own.
    text = _SHORT_DECLINE[language]
    sentences = f"{text[params.reason]} {either(text, 'open', params.channel)}"
    return [sentences, *optional(language, (_PAGE_SHORT, params.page))]


_WELCOME = {
    "fr": (
        "Merci pour votre invitation : c'est un plaisir de vous compter parmi mes "
        "contacts. N'hésitez pas à m'écrire si un jour vous pensez que nous pouvons "
        "nous rendre service."
    ),
    "en": (
        "Thank you for your invitation: it is a pleasure to have you among my contacts. "
        "Feel free to write to me whenever you think we could be of help to each other."
    ),
}


def _welcome(facts: Facts, language: str, params: Params) -> list[str]:
    # Nothing about what they will see of the profile, nor a promised meeting:
    # the same words suit an acceptance with limited access.
    extra = optional(language, (_CHANNEL_FIND, params.channel), (_PAGE_IF_CURIOUS, params.page))
    return [_WELCOME[language], *extra]


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

_WHAT_CAN_I_DO = {
    "fr": (
        "Merci pour l'invitation. Comment puis-je vous aider, et comment pourriez-vous m'aider ?"
    ),
    "en": "Thanks for the invitation. How can I help you, and how might you help me?",
}


def _question(paragraph: Text) -> Body:
    """A reply that asks ``paragraph``'s question; channel and page follow it."""

    def body(facts: Facts, language: str, params: Params) -> list[str]:
        extra = optional(
            language, (_CHANNEL_ANSWER, params.channel), (_PAGE_BEFORE_CONNECTING, params.page)
        )
        return [paragraph[language], *extra]

    return body


_PROPOSE_MEETING = {
    "fr": {
        "thanks": "Merci d'avoir pris le temps de m'expliquer ce que vous recherchez.",
        "meet": (
            "Avant de vous ajouter à mon réseau, j'aimerais que nous nous rencontrions, "
            "en personne ou le temps d'un court appel, pour faire connaissance."
        ),
        "reach": "Dites-moi ce qui vous conviendrait le mieux.",
        "reach_channel": (
            "Dites-moi ce qui vous conviendrait le mieux : le plus simple est de "
            "m'écrire sur {channel}."
        ),
    },
    "en": {
        "thanks": "Thank you for taking the time to explain what you are looking for.",
        "meet": (
            "Before we connect here, I would like us to meet, in person or over a short "
            "call, to get to know each other a little."
        ),
        "reach": "Let me know what would suit you best.",
        "reach_channel": (
            "Let me know what would suit you best; the easiest way is to write to me on {channel}."
        ),
    },
}


def _propose_meeting(facts: Facts, language: str, params: Params) -> list[str]:
    text = _PROPOSE_MEETING[language]
    return [
        f"{text['thanks']} {text['meet']}",
        either(text, "reach", params.channel),
        *optional(language, (_PAGE_EXPLAINS, params.page)),
    ]


def _generator(
    name: str, description: str, body: Body, decisions: tuple[str, ...], **extra: Any
) -> ReplyGenerator:
    """A generator in :data:`LANGUAGES` taking the common parameters, plus ``extra`` ones."""
    return ReplyGenerator(
        name=name,
        description=description,
        languages=LANGUAGES,
        compile=compiler(body),
        params_schema=params_schema(**extra),
        decisions=decisions,
    )


GENERATORS = [
    _generator(
        "three_part_decline",
        "A polite decline in three parts: thanks (for the personal note, when there "
        "is one), the goal of your network and why you decline (`reason`), and an "
        "open door.",
        _three_part_decline,
        ("decline",),
        reason=REASON_PARAM,
    ),
    _generator(
        "short_decline",
        "A decline in two sentences: thanks and the reason (`reason`; by default, you "
        "connect with people met or really talked with), then the open door.",
        _short_decline,
        ("decline",),
        reason=REASON_PARAM,
    ),
    _generator(
        "welcome",
        "A short, warm message for an invitation you accept, with full or limited "
        "access alike: it promises nothing else.",
        _welcome,
        ("accept", "accept_limited"),
    ),
    _generator(
        "ask_how_we_met",
        "Asks the inviter to remind you how you met, in case you forgot.",
        _question(_ASK_HOW_WE_MET),
        ("ask",),
    ),
    _generator(
        "ask_purpose",
        "Asks an inviter you have surely never met what the request is for and how "
        "you could help each other.",
        _question(_ASK_PURPOSE),
        ("ask",),
    ),
    _generator(
        "what_can_i_do",
        "Asks, in one line, what you can do for the inviter and they for you.",
        _question(_WHAT_CAN_I_DO),
        ("ask",),
    ),
    _generator(
        "propose_meeting",
        "For an inviter who answered with a real need: thanks them for explaining it "
        "and proposes to meet (in person or a short call) before connecting.",
        _propose_meeting,
        ("ask",),
    ),
]


@hookimpl
def invpolicy_reply_generators() -> list[ReplyGenerator]:
    """The built-in reply generators."""
    return list(GENERATORS)
