"""Text helpers shared by the criteria that read what people write."""

from __future__ import annotations

import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower-case ``text``, strip its accents and straighten its apostrophes.

    Used to match words in French and English alike: "Ressources Humaines",
    "ressources humaines" and "RESSOURCES HUMAINES" fold to the same text, and
    so do "l'équipe" and the same word typed with a curly apostrophe.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
