"""Place a headline in sectors: marketing, hr, sales, engineering, executive, student.

A headline may be in several sectors ("Sales Engineer" is sales and
engineering; "CTO" is engineering and executive; "Étudiante en marketing" is
student and marketing), or in none ("Boulanger").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

from invpolicy_sectors.vocabulary import SECTORS, TERMS

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SEPARATORS = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """``text`` lower-cased, without accents, with one space between its words.

    "Co-Fondatrice & PDG" becomes "co fondatrice pdg", so that terms match
    however people type them.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare).strip()


class _Matcher:
    """Every term in one pattern, longest first, each in its own group."""

    def __init__(self, terms: Mapping[str, tuple[str, ...]]) -> None:
        merged: dict[str, set[str]] = {}
        for term, sectors in terms.items():
            wildcard = term.endswith("*")
            words = normalize(term.rstrip("*"))
            merged.setdefault(words + ("*" if wildcard else ""), set()).update(sectors)
        ordered = sorted(merged, key=lambda key: len(key.rstrip("*")), reverse=True)
        alternatives = [
            re.escape(key[:-1]) + r"\w*" if key.endswith("*") else re.escape(key) + "[sx]?"
            for key in ordered
        ]
        self.pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(f"({alt})" for alt in alternatives) + r")(?!\w)"
        )
        self.sectors = [frozenset(merged[key]) for key in ordered]

    def sectors_of(self, text: str) -> frozenset[str]:
        found: set[str] = set()
        for match in self.pattern.finditer(normalize(text)):
            assert match.lastindex is not None  # every alternative is a group
            found |= self.sectors[match.lastindex - 1]
        return frozenset(found)


@cache
def _matcher() -> _Matcher:
    return _Matcher(TERMS)


def classify(headline: str) -> frozenset[str]:
    """The sectors ``headline`` falls in; empty when it names none of them."""
    return _matcher().sectors_of(headline)


def sorted_sectors(sectors: frozenset[str]) -> list[str]:
    """``sectors`` in the order of :data:`SECTORS`."""
    return [sector for sector in SECTORS if sector in sectors]
