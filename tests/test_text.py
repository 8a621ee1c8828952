"""Folding text to match words whatever their case, accents and apostrophes."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from invpolicy.text import combining_marks, fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("RESSOURCES Humaines", "ressources humaines"),
        ("Chargée de recrutement", "chargee de recrutement"),
        ("l\u2019équipe", "l'equipe"),
        ("O\u02bcBrien", "o'brien"),
        ("Straße", "strasse"),
        ("ﬁnance", "finance"),  # a ligature, decomposed
        ("Ελληνικά", "ελληνικα"),
        ("日本語", "日本語"),
    ],
)
def test_fold_ignores_case_accents_and_curly_apostrophes(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_the_table_of_combining_marks_holds_every_one_unicode_has() -> None:
    every = {code for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))}
    assert set(combining_marks()) == every
