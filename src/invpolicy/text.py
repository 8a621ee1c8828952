"""Text helpers shared by the criteria that read what people write."""

from __future__ import annotations

import unicodedata
from functools import cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower-case ``text``, strip its accents and straighten its apostrophes.

    Used to match words in French and English alike: "Ressources Humaines",
    "ressources humaines" and "RESSOURCES HUMAINES" fold to the same text, and
    so do "l'équipe" and the same word typed with a curly apostrophe.
    """
    folded = text.casefold().translate(_APOSTROPHES)
    if folded.isascii():
        return folded  # nothing to decompose
    return unicodedata.normalize("NFKD", folded).translate(combining_marks())


@cache
def combining_marks() -> dict[int, None]:
    """A table deleting every combining mark (U+0300 to U+1E94A hold them all)."""
    return {code: None for code in range(0x300, 0x1E94B) if unicodedata.combining(chr(code))}


#: Characters that steer a terminal or reorder text: control characters and bidi overrides.
_STEERING = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in [
        *range(0x20),
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        # Half of a surrogate pair is no character: it could not even be printed.
        *range(0xD800, 0xE000),
    ]
    if code not in (0x09, 0x0A)
}


def inert(text: str) -> str:
    """``text`` safe to print on a terminal: each control character shown as an escape.

    Tabs and line breaks are kept; an escape sequence (``\\x1b[2J``) or a
    right-to-left override is written out instead of acting.
    """
    return text.translate(_STEERING)


#: As :data:`_STEERING`, and line breaks too: what keeps a message on one line.
_BREAKS = {
    **_STEERING,
    0x0A: "\\n",
    0x0D: "\\r",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def counted(n: int, one: str, many: str = "") -> str:
    """``n`` and its noun: ``1 rule``, ``3 rules``; ``many`` when it is not ``one + "s"``."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def one_line(text: str) -> str:
    """``text`` as :func:`inert` makes it, with its line breaks written out too.

    An error is one line ``path:line:col: message``; a key or a name quoted in
    the message may hold a line break, which must not start another line.
    """
    return text.translate(_BREAKS)
