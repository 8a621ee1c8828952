"""Fingerprints of the source articles' 8-word runs, to check our texts are our own.

The articles (``../shared/seeds``) are not part of the repository, so the
tests keep a hash of every run of 8 words in them (``data/seed_runs.txt``),
which says whether a run was copied without holding the articles' text.
Regenerate it, from a checkout with the articles beside it, with::

    python tests/seed_runs.py
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS.parent.parent / "shared" / "seeds"
RUNS = TESTS / "data" / "seed_runs.txt"
LENGTH = 8


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower().replace("\u2019", "'"))


def run_hashes(text: str) -> set[str]:
    """The hash of every run of ``LENGTH`` words in ``text``."""
    w = words(text)
    return {
        hashlib.blake2b(" ".join(w[i : i + LENGTH]).encode(), digest_size=8).hexdigest()
        for i in range(len(w) - LENGTH + 1)
    }


def fingerprint(paths: Iterable[Path]) -> set[str]:
    return set().union(*(run_hashes(p.read_text(encoding="utf-8")) for p in paths))


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


if __name__ == "__main__":
    RUNS.write_text("\n".join(sorted(fingerprint(seed_files()))) + "\n", encoding="utf-8")
