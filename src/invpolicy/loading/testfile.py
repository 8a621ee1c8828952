"""What a policy test file is: the one definition that every command uses.

A test file holds worked examples for a policy written elsewhere. It is told
from a policy by its name (``NAME.test.yaml`` or ``NAME.test.yml``, in any
case) or, whatever its name, by its keys: a mapping with ``policy`` (the policy
it tests) and none of the keys that make a policy (``format``, ``rules``,
``extends``). Where only the name is known (a folder being listed), the name
decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEST_SUFFIXES = (".test.yaml", ".test.yml")

#: Keys that only a policy has: a mapping with one of them is not a test file.
POLICY_KEYS = frozenset({"format", "rules", "extends"})

#: Marks "the content was not read": the name alone decides.
_UNREAD = object()


def is_test_file(name: str | Path, data: Any = _UNREAD) -> bool:
    """Whether a file named ``name`` (holding ``data``, when it was read) is a test file."""
    if str(name).lower().endswith(TEST_SUFFIXES):
        return True
    return data is not _UNREAD and is_test_data(data)


def is_test_data(data: Any) -> bool:
    """Whether ``data``, read from a file of any name, is shaped as a test file."""
    return isinstance(data, dict) and "policy" in data and not POLICY_KEYS & data.keys()
