"""What a plain YAML scalar of each core tag becomes, within the limits.

The careful reader (:mod:`invpolicy.io.safeload`) and the quick one
(:mod:`invpolicy.io.fastload`) both turn text into values here, so that they
read every value alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from invpolicy.io.limits import MAX_INT_BITS


def _int(text: str) -> int:
    clean = text.replace("_", "")
    if clean.lower().lstrip("+-").startswith(("0x", "0o", "0b")):
        value = int(clean, 0)
    else:
        value = int(clean, 10)
    if value.bit_length() > MAX_INT_BITS:
        raise OverflowError(text)
    return value


def _float(text: str) -> float:
    # .inf, .nan and numbers too large for a float have no place in a policy
    # or an invitation, and JSON cannot write them.
    lowered = text.lower()
    value = math.nan if lowered.endswith((".inf", ".nan")) else float(text.replace("_", ""))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    raise ValueError(text)


#: Each core tag that a value may have, and how its text becomes the value.
SCALARS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "null": lambda _text: None,
    # Dates stay text: the schemas decide what a date field accepts.
    "timestamp": str,
}
