"""Built-in criteria that read what people write: keywords in a headline."""

from __future__ import annotations

import pytest

from invpolicy.builtin.criteria import CRITERIA

BY_NAME = {c.name: c for c in CRITERIA}


def _mentions(keywords, **facts):
    return BY_NAME["headline_mentions"].compile({"keywords": keywords})(facts)


@pytest.mark.parametrize(
    ("keywords", "headline", "found"),
    [
        (["ressources humaines"], "Chargée des RESSOURCES HUMAINES", True),
        (["Directeur général"], "directeur general adjoint", True),
        (["recruiter"], "Senior Recruiters lead", True),  # plural
        (["recrut*"], "Recruteuse tech", True),  # any word starting with recrut
        (["recrut*"], "Chargé de recrutement", True),
        (["rh"], "Responsable RH", True),
        (["rh"], "Vigneron en Rhône-Alpes", False),  # whole words only
        (["market"], "Marketing manager", False),
        (["c.e.o"], "CEO", False),  # keywords are text, never patterns
        # A pattern that backtracks for ages on "aaaa...!" in a regex engine: text here.
        (["(a+)+$"], "a" * 40 + "!", False),
        (["(a+)+$"], "a note that says (a+)+$ literally", True),
        (["c++"], "Développeur C++ senior", True),
        (["marketing", "rh"], "Boulanger", False),
    ],
)
def test_headline_mentions_matches_whole_words_without_case_or_accents(keywords, headline, found):
    assert _mentions(keywords, headline=headline) is found


def test_headline_mentions_also_reads_the_company_and_knows_when_it_cannot_tell():
    assert _mentions(["agence"], headline="Consultante", company="Agence Lumière") is True
    assert _mentions(["agence"]) is None


def test_mutual_in_sector_counts_the_shared_connections_in_your_sector():
    check = BY_NAME["mutual_in_sector"].compile({"at_least": 2})
    assert check({"mutual_in_sector": 2}) is True
    assert check({"mutual_in_sector": 1}) is False
    assert check({"mutual_connections": 40}) is None
