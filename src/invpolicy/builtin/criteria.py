"""Built-in criteria: what the source articles look at in an invitation.

Each criterion answers ``None`` when the facts it reads are absent, so that a
policy can tell "no" from "we do not know".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from invpolicy.builtin.followup import NEED, NEITHER, NOTE, PITCH
from invpolicy.builtin.followup import classify as classify_follow_up
from invpolicy.builtin.messages import is_personalized
from invpolicy.model.invitation import DEFAULT_NETWORK
from invpolicy.plugins.contract import Check, Counts, Criterion, Facts, Logic, Mentions, OneOf
from invpolicy.plugins.hookspecs import hookimpl
from invpolicy.schema.fields import invitation_fields
from invpolicy.text import fold

#: The networks an invitation can come through, as the invitation schema lists them.
NETWORKS = list(invitation_fields()["network"].choices)


def _at_least_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "at_least": {
                "description": "the smallest count that makes it true (default 1)",
                "type": "integer",
                "minimum": 0,
                "default": 1,
            }
        },
    }


def _counting(name: str, description: str, fact: str, measure: Callable[[Any], int]) -> Criterion:
    """A criterion true when ``measure(fact)`` is at least its ``at_least`` (1 by default)."""
    return Criterion(
        name=name,
        description=description,
        facts=(fact,),
        compile=_count(fact, measure),
        params_schema=_at_least_schema(),
        logic=lambda params: Counts(fact, at_least=params.get("at_least", 1)),
    )


def _is_true(fact: str) -> Callable[[Mapping[str, Any]], Logic]:
    return lambda params: OneOf(fact, frozenset({True}), frozenset({True, False}))


#: What the follow-up classifier can make of an answer (absent: neither).
FOLLOW_UP_KINDS = frozenset({PITCH, NEED, NEITHER})


def _answer_is(kind: str) -> Callable[[Mapping[str, Any]], Logic]:
    return lambda params: OneOf(
        "follow_up", frozenset({kind}), FOLLOW_UP_KINDS, "kind of answer", always_known=True
    )


def _count(fact: str, measure: Callable[[Any], int]) -> Callable[[Mapping[str, Any]], Check]:
    def compile_(params: Mapping[str, Any]) -> Check:
        at_least = int(params.get("at_least", 1))

        def check(facts: Facts) -> bool | None:
            value = facts.get(fact)
            return None if value is None else measure(value) >= at_least

        return check

    return compile_


def _flag(fact: str) -> Callable[[Mapping[str, Any]], Check]:
    def compile_(params: Mapping[str, Any]) -> Check:
        def check(facts: Facts) -> bool | None:
            value = facts.get(fact)
            return None if value is None else bool(value)

        return check

    return compile_


def _common_ground(params: Mapping[str, Any]) -> Check:
    wanted = {fold(item) for item in params.get("any_of", [])}

    def check(facts: Facts) -> bool | None:
        items = facts.get("common_ground")
        if items is None:
            return None
        if not wanted:
            return len(items) > 0
        return any(fold(item) in wanted for item in items)

    return check


def _personalized_message(params: Mapping[str, Any]) -> Check:
    def check(facts: Facts) -> bool | None:
        # An absent message is known: the inviter wrote no note.
        return is_personalized(facts.get("message"), facts.get("name", ""))

    return check


def _network(params: Mapping[str, Any]) -> Check:
    allowed = frozenset(params["in"])

    def check(facts: Facts) -> bool | None:
        return facts.get("network", DEFAULT_NETWORK) in allowed

    return check


def _experience(params: Mapping[str, Any]) -> Check:
    at_least = params.get("at_least")
    below = params.get("below")

    def check(facts: Facts) -> bool | None:
        years = facts.get("experience_years")
        if years is None:
            return None
        return (at_least is None or years >= at_least) and (below is None or years < below)

    return check


def keyword_pattern(keywords: list[str]) -> re.Pattern[str]:
    """A pattern finding any of ``keywords`` as whole words in folded text.

    A keyword matches whole words only ("rh" does not match "rhone"), also in
    its plural in -s or -x; a keyword ending in ``*`` matches any word that
    starts with it ("recrut*" matches "recruteur", "recruteuse", "recrutement").
    Keywords are escaped: a policy cannot write a regular expression.
    """
    alternatives = []
    for keyword in sorted({fold(k).strip() for k in keywords}, key=len, reverse=True):
        if keyword.endswith("*"):
            alternatives.append(re.escape(keyword.rstrip("*").strip()) + r"\w*")
        else:
            alternatives.append(re.escape(keyword) + "[sx]?")
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _headline_mentions(params: Mapping[str, Any]) -> Check:
    pattern = keyword_pattern(params["keywords"])

    def check(facts: Facts) -> bool | None:
        found = [facts.get(field) for field in ("headline", "company")]
        texts = [fold(text) for text in found if text is not None]
        if not texts:
            return None
        return any(pattern.search(text) for text in texts)

    return check


def _note_pitch(params: Mapping[str, Any]) -> Check:
    def check(facts: Facts) -> bool | None:
        # An absent note is known too: the inviter wrote none, so sold nothing.
        note = facts.get("message")
        if note is None or not note.strip():
            return False
        return classify_follow_up(note, NOTE).kind == PITCH

    return check


def _follow_up(kind: str) -> Callable[[Mapping[str, Any]], Check]:
    def compile_(params: Mapping[str, Any]) -> Check:
        def check(facts: Facts) -> bool | None:
            # No answer is known too: the inviter has not answered (yet).
            answer = facts.get("follow_up")
            if answer is None or not answer.strip():
                return False
            return classify_follow_up(answer).kind == kind

        return check

    return compile_


CRITERIA = [
    Criterion(
        name="met_in_person",
        description="You have met the inviter in real life.",
        facts=("met_in_person",),
        compile=_flag("met_in_person"),
        logic=_is_true("met_in_person"),
    ),
    _counting(
        "exchanges",
        "You have talked with the inviter online at least `at_least` times.",
        "exchanges",
        int,
    ),
    _counting(
        "mutual_connections",
        "You share at least `at_least` connections with the inviter.",
        "mutual_connections",
        int,
    ),
    _counting(
        "mutual_in_sector",
        "At least `at_least` of the connections you share work in your own sector.",
        "mutual_in_sector",
        int,
    ),
    _counting(
        "shared_groups",
        "You are both members of at least `at_least` groups.",
        "shared_groups",
        len,
    ),
    Criterion(
        name="common_ground",
        description=(
            "You have something else in common (school, employer, city...); "
            "with `any_of`, one of those things."
        ),
        facts=("common_ground",),
        compile=_common_ground,
        logic=lambda params: Mentions(
            "common_ground",
            None if "any_of" not in params else frozenset(fold(w) for w in params["any_of"]),
        ),
        params_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {"any_of": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
        },
    ),
    Criterion(
        name="personalized_message",
        description=(
            "The invitation carries a note of the inviter's own, not empty and not "
            "the network's stock text."
        ),
        facts=("message",),
        compile=_personalized_message,
        logic=lambda params: OneOf(
            "message", frozenset({True}), frozenset({True, False}), "personalized", True
        ),
    ),
    Criterion(
        name="network",
        description="The invitation came through one of the networks in `in`.",
        facts=("network",),
        compile=_network,
        logic=lambda params: OneOf(
            "network", frozenset(params["in"]), frozenset(NETWORKS), always_known=True
        ),
        params_schema={
            "type": "object",
            "additionalProperties": False,
            "required": ["in"],
            "properties": {"in": {"type": "array", "minItems": 1, "items": {"enum": NETWORKS}}},
        },
    ),
    Criterion(
        name="profile_visible",
        description="The inviter's profile can be seen (it is not locked).",
        facts=("profile_visible",),
        compile=_flag("profile_visible"),
        logic=_is_true("profile_visible"),
    ),
    _counting("publishes", "The inviter has published at least `at_least` posts.", "posts", int),
    Criterion(
        name="experience",
        description=(
            "The inviter's years of experience are at least `at_least` and below `below`."
        ),
        facts=("experience_years",),
        compile=_experience,
        logic=lambda params: Counts(
            "experience_years", max(params.get("at_least", 0), 0), params.get("below")
        ),
        params_schema={
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "at_least": {"type": "number", "minimum": 0},
                "below": {"type": "number", "minimum": 0},
            },
        },
    ),
    Criterion(
        name="headline_mentions",
        description=(
            "The inviter's headline or company contains one of `keywords`, as whole "
            "words (case and accents ignored; plurals in -s/-x match; 'recrut*' "
            "matches any word starting with 'recrut')."
        ),
        facts=("headline", "company"),
        compile=_headline_mentions,
        logic=lambda params: Mentions(
            "headline", frozenset(fold(k).strip() for k in params["keywords"])
        ),
        params_schema={
            "type": "object",
            "additionalProperties": False,
            "required": ["keywords"],
            "properties": {
                "keywords": {
                    "type": "array",
                    "minItems": 1,
                    # Bounds on what one headline is searched for, as the text's length is.
                    "maxItems": 200,
                    "items": {"type": "string", "pattern": "[^*\\s]", "maxLength": 100},
                }
            },
        },
    ),
    Criterion(
        name="note_pitch",
        description=(
            "The note sent with the invitation makes a commercial offer: services, a "
            "product, a call or a demo proposed unasked (French and English). False "
            "without a note."
        ),
        facts=("message",),
        compile=_note_pitch,
        logic=lambda params: OneOf(
            "message", frozenset({PITCH}), frozenset({PITCH, "other"}), "kind of note", True
        ),
    ),
    Criterion(
        name="follow_up_pitch",
        description=(
            "The inviter answered your message with a pitch: an offer, services, a "
            "link to book a call (French and English). False when there is no answer."
        ),
        facts=("follow_up",),
        compile=_follow_up(PITCH),
        logic=_answer_is(PITCH),
    ),
    Criterion(
        name="follow_up_need",
        description=(
            "The inviter answered your message with a real, stated need: what they "
            "look for and why (French and English). False when there is no answer."
        ),
        facts=("follow_up",),
        compile=_follow_up(NEED),
        logic=_answer_is(NEED),
    ),
]


@hookimpl
def invpolicy_criteria() -> list[Criterion]:
    """The built-in criteria."""
    return list(CRITERIA)
