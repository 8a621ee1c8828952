"""The limits that keep the cost of reading a stranger's file bounded, and their checks.

They hold for every format: YAML and JSON files (:mod:`invpolicy.io.safeload`),
JSON Lines records and CSV cells (:func:`text_problems`).
"""

from __future__ import annotations

import re
from typing import Any

from invpolicy.errors import Problem
from invpolicy.io.document import Document, JsonPath, dotted

MAX_DEPTH = 64
#: Values that aliases may add, counted after expansion ("billion laughs").
MAX_ALIAS_EXPANSION = 100_000
#: Characters in one key or text value: several times the longest message a
#: network lets anyone send, so that no single text can make the work slow.
MAX_STRING_CHARS = 50_000
#: Whole numbers are counts and thresholds: a 64-bit integer holds any of them.
MAX_INT_BITS = 64

TOO_DEEP = f"nesting is too deep (more than {MAX_DEPTH} levels)"


def text_problem(text: str) -> str | None:
    """Why ``text`` is refused as a key or value, or None.

    Over :data:`MAX_STRING_CHARS` characters, or holding half of a UTF-16
    surrogate pair (``"\\ud83d"`` alone in JSON), which is no character and
    could not be printed or written.
    """
    if len(text) > MAX_STRING_CHARS:
        return f"a text of {len(text)} characters is too long (at most {MAX_STRING_CHARS})"
    lone = _SURROGATE.search(text)
    if lone is not None:
        return f"\\u{ord(lone[0]):04x} is half of a UTF-16 surrogate pair, not a character"
    return None


def characters(text: str) -> str:
    """``text`` with each escaped UTF-16 surrogate pair joined into its character.

    YAML reads ``"\\ud83d\\ude00"`` (how JSON writes an emoji) as two
    surrogates; JSON means the emoji.
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problems(data: Any, doc: Document) -> list[Problem]:
    """The refused keys, texts and numbers of a record read by another parser than YAML's.

    JSON Lines records are parsed by the ``json`` module, CSV cells by ours:
    their keys, texts and whole numbers, at any depth, and their nesting are
    held to the limits YAML files are.
    """
    if isinstance(data, dict) and _flat_and_fine(data):
        return []  # the common record: no need to walk it
    problems = []

    def add(path: JsonPath, why: str, *, key: bool = False) -> None:
        where = dotted(path[:-1] if key else path)
        problems.append(doc.problem(path, f"{where}: {why}" if where else why, key=key))

    stack: list[tuple[JsonPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_DEPTH:
            add(path, TOO_DEEP)
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                why = text_problem(str(key))
                if why is not None:
                    add((*path, key), why, key=True)
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, i), item) for i, item in enumerate(value))
        elif isinstance(value, str):
            why = text_problem(value)
            if why is not None:
                add(path, why)
        elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            add(path, f"{value} is too large a number (more than {MAX_INT_BITS} bits)")
    return sorted(problems)


def _flat_and_fine(record: dict[Any, Any]) -> bool:
    """Whether a record holds only short keys and scalar values within the limits.

    What most records are, told at a glance: ASCII text holds no half
    surrogate, so only other text is searched. Anything else is walked.
    """
    for key, value in record.items():
        if type(key) is not str or len(key) > MAX_STRING_CHARS:
            return False
        if not key.isascii() and _SURROGATE.search(key):
            return False
        kind = type(value)
        if kind is str:
            if len(value) > MAX_STRING_CHARS or (not value.isascii() and _SURROGATE.search(value)):
                return False
        elif kind is int:
            if value.bit_length() > MAX_INT_BITS:
                return False
        elif kind not in (bool, float, type(None)):
            return False
    return True
