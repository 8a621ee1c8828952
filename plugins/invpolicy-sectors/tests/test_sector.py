"""The criterion ``sector``: which headlines fall in which sectors."""

from __future__ import annotations

import pytest
from invpolicy_sectors import SECTOR
from invpolicy_sectors.classify import classify, normalize, sorted_sectors
from invpolicy_sectors.vocabulary import SECTORS, TERMS

from invpolicy import Invitation


@pytest.mark.parametrize(
    ("headline", "sectors"),
    [
        # The brief's examples.
        ("Responsable RH", ["hr"]),
        ("Talent Acquisition Specialist", ["hr"]),
        ("DRH", ["hr"]),
        ("Chargée de recrutement", ["hr"]),
        ("Growth hacker", ["marketing"]),
        ("Ingénieur logiciel", ["engineering"]),
        ("CEO", ["executive"]),
        ("Fondateur", ["executive"]),
        ("Étudiant en master", ["student"]),
        ("Business developer", ["sales"]),
        ("Account executive", ["sales"]),
        # Case, accents, punctuation and plurals.
        ("RESPONSABLE RESSOURCES HUMAINES", ["hr"]),
        ("Chargee de recrutement", ["hr"]),
        ("Co-Fondatrice & PDG", ["executive"]),
        ("cofondateur", ["executive"]),
        ("Chef d\u2019entreprise", ["executive"]),
        ("Recruteuse IT", ["hr"]),
        ("Consultante en recrutement", ["hr"]),
        ("Chasseur de têtes", ["hr"]),
        ("Commerciaux terrain", ["sales"]),
        ("Développeuse Python", ["engineering"]),
        ("Dev fullstack", ["engineering"]),
        ("Community Manager freelance", ["marketing"]),
        ("Head of Growth", ["marketing"]),
        ("Stagiaire", ["student"]),
        ("Doctorante en chimie", ["student"]),
        ("PhD student", ["student"]),
        # Whole words only.
        ("Guide de montagne, vallée du Rhône", []),
        ("Internal auditor", []),
        ("Boulanger", []),
        # The ambiguous ones, as the README decides them.
        ("Sales Engineer", ["sales", "engineering"]),
        ("Ingénieur commercial", ["sales", "engineering"]),
        ("Ingénieur d'affaires", ["sales"]),
        ("Développeur d'affaires", ["sales"]),
        ("Business Dev chez Northwind", ["sales"]),
        ("Directeur commercial", ["sales"]),
        ("VP Sales", ["sales"]),
        ("Vice-Président Engineering", ["engineering"]),
        ("Directrice Générale", ["executive"]),
        ("CTO @ Northwind", ["engineering", "executive"]),
        ("Chief Marketing Officer", ["marketing", "executive"]),
        ("CHRO", ["hr", "executive"]),
        ("CEO & Head of Sales", ["sales", "executive"]),
        ("Executive Assistant to the CEO", []),
        ("Executive search consultant", ["hr"]),
        ("Product Owner", []),
        ("Étudiante en marketing digital, alternante", ["marketing", "student"]),
        ("Élève ingénieur", ["engineering", "student"]),
        ("Ancien élève de l'ESSEC, consultant", []),
    ],
)
def test_headlines_fall_in_their_sectors(headline, sectors):
    assert sorted_sectors(classify(headline)) == sectors


def test_normalize_ignores_case_accents_and_punctuation():
    assert normalize("  Co-Fondatrice & PDG ") == "co fondatrice pdg"
    assert normalize("Chef d\u2019Entreprise") == "chef d entreprise"
    assert normalize("ÉTUDIANTE_en_Master") == "etudiante en master"


@pytest.mark.parametrize("term", sorted(TERMS))
def test_every_term_alone_falls_in_its_own_sectors(term):
    # No term is hidden by another one that covers the same words differently.
    headline = term.replace("*", "ement") if term.endswith("*") else term
    assert classify(headline) == frozenset(TERMS[term])


def test_every_sector_has_terms():
    used = {sector for sectors in TERMS.values() for sector in sectors}
    assert used == set(SECTORS)


def _check(*sectors: str):
    return SECTOR.compile({"in": list(sectors)})


def _facts(**facts):
    return Invitation.from_dict({"id": "x", "name": "Ana", **facts}).facts


def test_true_in_one_of_the_sectors_false_in_none_unknown_without_headline():
    hr_or_exec = _check("hr", "executive")
    assert hr_or_exec(_facts(headline="Fondatrice")) is True
    assert hr_or_exec(_facts(headline="Talent Acquisition")) is True
    assert hr_or_exec(_facts(headline="Business developer")) is False
    assert hr_or_exec(_facts(headline="Boulanger")) is False
    assert hr_or_exec(_facts()) is None
    assert hr_or_exec(_facts(headline=None)) is None
    assert hr_or_exec(_facts(headline="  ")) is None


def test_a_headline_in_several_sectors_matches_each_of_them():
    headline = _facts(headline="Sales Engineer")
    assert _check("sales")(headline) is True
    assert _check("engineering")(headline) is True
    assert _check("executive", "student")(headline) is False


def test_the_company_is_not_read():
    assert _check("hr")(_facts(headline="Software engineer", company="Hays Recruitment")) is False
    assert _check("hr")(_facts(company="Hays Recruitment")) is None


@pytest.mark.parametrize(
    "params",
    [{}, {"in": []}, {"in": ["legal"]}, {"in": ["hr", "hr"]}, {"in": ["hr"], "or": ["sales"]}],
)
def test_the_parameter_schema_refuses_bad_parameters(params):
    from jsonschema import Draft202012Validator

    assert not Draft202012Validator(SECTOR.params_schema).is_valid(params)
