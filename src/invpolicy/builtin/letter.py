"""How a built-in reply is put together: the parameters every generator takes, and the letter.

A generator writes only the paragraphs of its reply; :func:`compiler` reads the
parameters once and wraps the paragraphs in a greeting and a closing (with the
signature), in the invitation's language.

The greeting names the inviter by their first name (:func:`first_name`). An
invitation's ``name`` is whatever the network or the person wrote: "Jeanne
Dupont", "DUPONT Jeanne", "Dr. Kenji Watanabe", "Smith, John", "Paul Martin,
PhD", "Sarah Lee 🚀", or a company's name. A few rules, French and English,
read it, and give up rather than guess: "Bonjour," reads better than a greeting
of a title, a surname or a company.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from invpolicy.frozen import frozen
from invpolicy.plugins.contract import Facts, Render
from invpolicy.text import fold

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


_HELLO = {"fr": "Bonjour", "en": "Hello"}
_CLOSING = {"fr": "Bien à vous,", "en": "Kind regards,"}


def letter(language: str, name: str | None, paragraphs: list[str], signature: str | None) -> str:
    """Greeting, paragraphs and closing, separated by blank lines.

    The greeting names ``name`` (the inviter's first name), or no one when it is ``None``.
    """
    greeting = f"{_HELLO[language]} {name}," if name else f"{_HELLO[language]},"
    closing = _CLOSING[language] + (f"\n{signature}" if signature else "")
    return "\n\n".join([greeting, *paragraphs, closing])


@frozen
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
            return letter(language, first_name(facts.get("name")), paragraphs, read.signature)

        return render

    return compile_


# --- the greeting: the inviter's first name ------------------------------------------------

#: Longer than this, a "first name" is more likely a slogan or a run of letters.
MAX_LENGTH = 30

# Courtesy titles and ranks written before a name (folded, dots removed).
_TITLES = frozenset(
    {
        # French
        "m", "mr", "mme", "mmes", "mlle", "mlles", "madame", "monsieur", "mademoiselle",
        "me", "maitre", "dr", "docteur", "pr", "prof", "professeur", "pere", "soeur",
        "frere", "abbe", "mgr", "monseigneur", "ing",
        # English
        "mrs", "ms", "miss", "mx", "doctor", "professor", "sir", "dame", "lord", "lady",
        "rev", "reverend", "fr", "father", "sister", "capt", "captain", "col", "hon",
        # Spanish and Portuguese
        "sr", "sra", "srta",
    }
)  # fmt: skip

# Degrees, certifications, suffixes and roles written after a name (folded, dots removed).
_CREDENTIALS = frozenset(
    {
        "phd", "dphil", "mba", "emba", "msc", "ma", "ba", "bsc", "bs", "ms", "md", "dds",
        "jd", "llm", "llb", "edd", "psyd", "dba", "mph", "rn", "cpa", "cfa", "cfp", "cma",
        "acca", "ca", "pmp", "cissp", "csm", "cspo", "psm", "itil", "ceng", "pe", "esq",
        "frsa", "fca", "shrm", "shrmcp", "sphr", "phr", "hdr", "jr", "sr", "ii", "iii", "iv",
        "ceo", "cto", "cfo", "coo", "cmo", "vp", "svp", "evp", "pdg", "dg", "founder",
        "cofounder", "co-founder", "fondateur", "fondatrice", "cofondateur", "cofondatrice",
    }
)  # fmt: skip

# Particles that start a surname (folded): "de La Fontaine", "van Beethoven".
_PARTICLES = frozenset(
    {
        "de", "du", "des", "d", "la", "le", "l", "van", "von", "der", "den", "ter", "ten",
        "da", "das", "do", "dos", "di", "del", "della", "dello", "delle", "al", "el", "bin",
        "ibn", "zu", "af", "av", "st", "y",
    }
)  # fmt: skip

# Words that make a name an organisation's, in any case (folded, dots removed).
ORGANISATION_WORDS = frozenset(
    {
        # legal forms
        "sarl", "sasu", "eurl", "scop", "scic", "selarl", "selas", "sci", "snc", "eirl",
        "gie", "ltd", "limited", "llc", "llp", "plc", "inc", "incorporated", "corp",
        "corporation", "gmbh", "spa", "srl", "sprl", "pty", "pte", "oyj",
        # what a business or a body calls itself
        "company", "compagnie", "cie", "societe", "entreprise", "entreprises",
        "enterprise", "enterprises", "agence", "agency", "studio", "studios",
        "association", "asso", "cabinet", "group", "groupe", "holding", "holdings",
        "consulting", "consultants", "conseil", "conseils", "services", "solutions",
        "partners", "partenaires", "associes", "associates", "fondation", "foundation",
        "institut", "institute", "universite", "university", "ecole", "school",
        "academy", "academie", "lab", "labs", "laboratoire", "laboratoires", "laboratory",
        "boulangerie", "patisserie", "restaurant", "hotel", "bakery", "boutique", "shop", "store",
        "magasin", "cafe", "garage", "pharmacie", "pharmacy", "clinique", "clinic",
        "hopital", "hospital", "team", "equipe", "club", "collectif", "cooperative",
        "federation", "syndicat", "atelier", "ateliers", "editions", "publishing", "media",
        "medias", "productions", "technologies", "technology", "software", "systems",
        "digital", "marketing", "staffing", "recruitment", "recruiting", "recrutement",
        "interim", "immobilier", "realty", "ventures", "capital", "bank", "banque",
        "assurances", "insurance", "mairie", "ministere", "ministry", "freres", "sons",
        "brothers", "industries", "international", "worldwide",
    }
)  # fmt: skip

# Short legal forms ("SA", "AG", "Co."): counted only after the first word, and
# written in capitals, with dots, or last, so that a surname such as "Sá" is not one.
ORGANISATION_SHORT = frozenset(
    {"sa", "sas", "ag", "kg", "ohg", "ug", "bv", "nv", "ab", "as", "asa", "oy", "se", "co", "kk"}
)

# Where a name ends and a headline starts: "Jane Doe | Growth", "Jean Dupont - RH".
_HEADLINE = re.compile(r"\s[-\u2013\u2014]\s|[|•·/\\]")
# Asides: "(she/her)", "[Recrutement]", a nickname in quotes.
_ASIDE = re.compile(r"\([^()]*\)?|\[[^\[\]]*\]?|\"[^\"]*\"?|“[^”]*”?|«[^»]*»?")
# What ties two names or a firm's: "Jean & Marie", "Smith and Sons", "Dupont + Fils".
_TIE = re.compile(r"&|\s\+\s|\b(?:and|et|und)\b")
_JOINERS = "-'\u2019."  # hyphen, apostrophes, the dot of an initial


def first_name(name: object) -> str | None:
    """The first name to greet the inviter by, or ``None`` to greet without a name.

    ``None`` for an organisation's name (a word of :data:`ORGANISATION_WORDS`,
    a short legal form, two names tied by "&" or "et"), for a name
    that is empty or only symbols, and when the name holds a surname alone
    ("M. Dupont", "van Beethoven").
    """
    if not isinstance(name, str):
        return None
    return _first_name(name)


# Every policy that replies to an invitation greets the same inviter: read each name once.
@lru_cache(maxsize=4096)
def _first_name(name: str) -> str | None:
    text = _cut(name)
    parts = _parts(text)
    if not parts or any(map(_is_organisation, parts)) or _TIE.search(text):
        return None
    head, *tails = parts
    tails = [tail for tail in tails if not _credentials(tail, head)]
    if not tails:
        given = _given(head)
    elif _surname_only(head, tails[0]):
        given = _given(tails[0], surname_first=False)
    elif all(map(_is_capitalised, tails[0])) and len(tails[0]) <= 2:
        # "García López, María" or "John Smith, Marketing Manager": cannot tell.
        return None
    else:
        given = _given(head)  # "Jean Dupont, consultant RH"
    return _written(given) if given else None


def _cut(name: str) -> str:
    """``name`` without invisible characters, asides, and the headline after it."""
    text = "".join(" " if _invisible(c) else c for c in unicodedata.normalize("NFC", name))
    return _HEADLINE.split(_ASIDE.sub(" ", text), maxsplit=1)[0]


def _parts(text: str) -> list[list[str]]:
    """The words of each comma-separated part of ``text``; symbols are no words."""
    parts = [[w for w in map(_word, part.split()) if w] for part in text.split(",")]
    return [part for part in parts if part]


def _invisible(c: str) -> bool:
    # Control and format characters (bidi overrides, zero-width joiners of emoji).
    return unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n\r\u200c"


def _is_letter(c: str) -> bool:
    return c.isalpha() or unicodedata.category(c).startswith("M")


def _word(token: str) -> str:
    """``token`` without the symbols around it, or ``""`` if it is not a word.

    "🚀" and "+33" are no words; "Sarah🚀" is "Sarah"; "alert(1)" is none.
    A final dot stays, for titles and initials ("Dr.", "J.").
    """
    start, end = 0, len(token)
    while start < end and not _is_letter(token[start]):
        start += 1
    while end > start and not (_is_letter(token[end - 1]) or token[end - 1] == "."):
        end -= 1
    word = token[start:end]
    if not word or not all(_is_letter(c) or c in _JOINERS for c in word):
        return ""
    return word


def _key(word: str) -> str:
    return fold(word).replace(".", "")


def _letters(word: str) -> str:
    return "".join(c for c in word if _is_letter(c))


def _is_organisation(words: Sequence[str]) -> bool:
    if any(_key(w) in ORGANISATION_WORDS for w in words):
        return True
    if fold(words[0]) == "the" and len(words) > 1:
        return True
    for i, word in enumerate(words[1:], start=1):
        short = word.replace(".", "").casefold()  # accents kept: "Sá" is a surname
        written_as_form = word.isupper() or "." in word or i == len(words) - 1
        if short in ORGANISATION_SHORT and written_as_form:
            return True
    return False


def _is_title(word: str) -> bool:
    return _key(word) in _TITLES


def _is_initial(word: str) -> bool:
    # "J", "J.", "J.-P.", "J.R.R."
    return len(_letters(word)) == 1 or bool(re.fullmatch(r"(\w\.-?)+\w?\.?", word))


def _is_capitals(word: str) -> bool:
    """A word in capitals that reads as a word: "DUPONT", "DE", "LI"; not "JP" or "TJ"."""
    letters = _letters(word)
    if len(letters) < 2 or not letters.isupper():
        return False
    return len(letters) >= 3 or any(c in "aeiouy" for c in fold(letters))


def _credentials(part: list[str], head: list[str]) -> bool:
    """True when a part after a comma holds degrees, suffixes or roles only.

    Known ones ("PhD", "Jr.") after any name; after a name of two words or more,
    acronyms too ("CSPO", "SAFe"), which would not be given names.
    """
    if all(_key(w) in _CREDENTIALS for w in part):
        return True
    return len(head) >= 2 and all(_is_acronym(w) for w in part)


def _is_acronym(word: str) -> bool:
    letters = _letters(word)
    return len(letters) <= 6 and letters[1:] != letters[1:].lower()


def _is_capitalised(word: str) -> bool:
    """Written as a name is: "María", "Anne-Sophie", "O'Neil"."""
    return word[0].isupper() and not _is_capitals(word)


def _surname_only(head: list[str], tail: list[str]) -> bool:
    """True when the part before the comma is a surname: "Smith, John".

    A single word (after titles), a surname starting with a particle ("de La
    Fontaine, Jean"), or one in capitals before given names that are not
    ("GARCÍA LÓPEZ, María"). Two words or more are a name followed by something
    else ("John Smith, Marketing Manager").
    """
    words = _untitled(head)
    if len(words) <= 1 or _key(words[0].split("'")[0]) in _PARTICLES:
        return True
    return all(map(_is_capitals, words)) and not all(map(_is_capitals, tail))


def _untitled(words: list[str]) -> list[str]:
    """``words`` without the titles and initials before the name ("Dr.", "M.", "J.")."""
    i = 0
    while i < len(words) and (_is_title(words[i]) or _is_initial(words[i])):
        i += 1
    return words[i:]


def _given(words: list[str], surname_first: bool = True) -> str | None:
    """The given name among ``words``, the name's first part; ``None`` if it has none.

    ``surname_first`` allows for a surname written first ("DUPONT Jeanne",
    "de Gaulle Charles"); after a comma the words are the given names.
    """
    while len(words) > 1 and _key(words[-1]) in _CREDENTIALS:
        words = words[:-1]
    rest = _untitled(words)
    if not rest:
        return None
    if not surname_first:
        return rest[0]
    capitals = 0
    while capitals < len(rest) and _is_capitals(rest[capitals]):
        capitals += 1
    if 0 < capitals < len(rest) and any(len(_letters(w)) >= 3 for w in rest[:capitals]):
        return rest[capitals]  # "DUPONT Jeanne", "DE LA FONTAINE Jean"
    if rest[0][0].islower() and _key(rest[0].split("'")[0]) in _PARTICLES:
        # "de Gaulle Charles", "d'Artagnan Charles": particles, one surname, one given name.
        i = 0
        while i < len(rest) - 1 and _key(rest[i]) in _PARTICLES:
            i += 1
        after = rest[i + 1 :]
        return after[0] if len(after) == 1 else None
    if len(rest) == 1 and len(rest) < len(words):
        return None  # "M. Dupont", "J. Dupont": a title or an initial, then a surname
    return rest[0]


def _written(word: str) -> str | None:
    """``word`` as a greeting writes it: capitalised if it was all capitals or all lower case."""
    word = word.rstrip(".")
    letters = _letters(word)
    # Two letters at least, marks aside: "שׁ" is one letter and its mark.
    if len(word) > MAX_LENGTH or sum(c.isalpha() for c in word) < 2 or _is_initial(word):
        return None
    if letters.islower() or (letters.isupper() and len(letters) >= 3):
        word = re.sub(r"[^-'\u2019]+", lambda m: m.group().capitalize(), word)
    return word
