"""An invpolicy plugin: the inviter's sector, replies in German, and a policy using both.

The criterion ``sector`` reads the inviter's headline; the reply generators
``german_decline``, ``german_question`` and ``german_welcome`` write German;
the policy ``sector-first`` weighs the inviter's position first, as article
002 of invpolicy's sources advises, and answers in German.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from invpolicy import Check, Criterion, Facts, ReplyGenerator, hookimpl
from invpolicy_sectors.classify import classify
from invpolicy_sectors.replies import GENERATORS
from invpolicy_sectors.vocabulary import SECTORS

__version__ = "1.0.0"

POLICIES = Path(__file__).resolve().parent / "policies"


def _sector(params: Mapping[str, Any]) -> Check:
    wanted = frozenset(params["in"])

    def check(facts: Facts) -> bool | None:
        headline = facts.get("headline")
        if not isinstance(headline, str) or not headline.strip():
            return None  # a blank headline says nothing about the sector
        return not wanted.isdisjoint(classify(headline))

    return check


SECTOR = Criterion(
    name="sector",
    description=(
        "The inviter's headline places them in one of the sectors `in`: marketing, hr, "
        "sales, engineering, executive, student (French and English; case, accents and "
        "punctuation ignored). A headline can be in several sectors, or in none."
    ),
    facts=("headline",),
    compile=_sector,
    params_schema={
        "type": "object",
        "additionalProperties": False,
        "required": ["in"],
        "properties": {
            "in": {
                "description": "The sectors that make the criterion true.",
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(SECTORS)},
            }
        },
        "examples": [
            {"in": ["hr"]},
            {"in": ["sales"]},
            {"in": ["marketing", "hr", "executive"]},
            {"in": ["engineering", "student"]},
            {"in": list(SECTORS)},
        ],
    },
)


@hookimpl
def invpolicy_criteria() -> list[Criterion]:
    """The criterion ``sector``."""
    return [SECTOR]


@hookimpl
def invpolicy_reply_generators() -> list[ReplyGenerator]:
    """The German reply generators."""
    return list(GENERATORS)


@hookimpl
def invpolicy_policy_paths() -> list[Path]:
    """The folder of the policy ``sector-first``."""
    return [POLICIES]
