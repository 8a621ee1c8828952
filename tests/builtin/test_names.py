"""The first name a reply greets the inviter by, and the greeting every generator writes."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from invpolicy.builtin.letter import (
    MAX_LENGTH,
    ORGANISATION_SHORT,
    ORGANISATION_WORDS,
    first_name,
)
from invpolicy.builtin.replies import GENERATORS
from invpolicy.cli import cli
from invpolicy.text import fold

from ..conftest import EXAMPLES, REPO


@pytest.mark.parametrize(
    ("name", "first"),
    [
        # the usual: given name, then surname
        ("Jeanne Dupont", "Jeanne"),
        ("Kenji Watanabe", "Kenji"),
        ("Hélène Dubois", "Hélène"),
        ("Mary Ann Smith", "Mary"),
        ("Van Morrison", "Van"),
        ("Иван Петров", "Иван"),
        # hyphens and apostrophes belong to the name
        ("Anne-Sophie Martin", "Anne-Sophie"),
        ("Jean-Pierre DUPONT", "Jean-Pierre"),
        ("Marie-Claire O'Neil", "Marie-Claire"),
        ("N'Golo Kanté", "N'Golo"),
        ("Sophie Marchand-Roy", "Sophie"),
        # particles and compound surnames
        ("Jean de La Fontaine", "Jean"),
        ("Maria dos Santos Silva", "Maria"),
        ("Ludwig van Beethoven", "Ludwig"),
        ("Maria de Sá", "Maria"),
        ("Charles de Gaulle", "Charles"),
        # titles are not names
        ("Dr. Kenji Watanabe", "Kenji"),
        ("Dr Kenji Watanabe", "Kenji"),
        ("M. Jean Dupont", "Jean"),
        ("Mme Claire Roy", "Claire"),
        ("Mlle Ginette Aubé", "Ginette"),
        ("Me Julien Perrin", "Julien"),
        ("Pr Marie Curie", "Marie"),
        ("Ms. Aisha Khan", "Aisha"),
        ("Mrs Sarah Lindqvist", "Sarah"),
        ("Sir Paul McCartney", "Paul"),
        ("Prof. Dr. Hans Müller", "Hans"),
        # an initial before the name
        ("J. Robert Oppenheimer", "Robert"),
        ("John F. Kennedy", "John"),
        # the surname written first, in capitals
        ("DUPONT Jeanne", "Jeanne"),
        ("DUPONT Anne-Sophie", "Anne-Sophie"),
        ("DE LA FONTAINE Jean", "Jean"),
        ("Dr. WATANABE Kenji", "Kenji"),
        ("DUPONT jeanne", "Jeanne"),
        # a surname in lower case, then the given name
        ("de Gaulle Charles", "Charles"),
        ("d'Artagnan Charles", "Charles"),
        # initials in capitals are a given name, not a surname
        ("JP Martin", "JP"),
        ("AJ Smith", "AJ"),
        # all in capitals, or all in lower case: written as a name is
        ("JEANNE DUPONT", "Jeanne"),
        ("ANNE-SOPHIE MARTIN", "Anne-Sophie"),
        ("jeanne dupont", "Jeanne"),
        ("jean-pierre roux", "Jean-Pierre"),
        # a single name
        ("Madonna", "Madonna"),
        ("MADONNA", "Madonna"),
        ("王伟", "王伟"),
        # a comma: surname first, or credentials after
        ("Smith, John", "John"),
        ("Dupont, Jeanne", "Jeanne"),
        ("DUPONT, Jeanne", "Jeanne"),
        ("Smith, JOHN", "John"),
        ("Dr Watanabe, Kenji", "Kenji"),
        ("Watanabe, Dr. Kenji", "Kenji"),
        ("de La Fontaine, Jean", "Jean"),
        ("van Beethoven, Ludwig", "Ludwig"),
        ("GARCÍA LÓPEZ, María", "María"),
        ("Dupont, Jean, MBA", "Jean"),
        ("John Smith, MBA", "John"),
        ("Paul Martin, PhD", "Paul"),
        ("Paul Martin, Ph.D.", "Paul"),
        ("John Smith, Jr.", "John"),
        ("Jane Doe, CPA, MBA", "Jane"),
        ("Jane Doe, CSPO, SAFe", "Jane"),
        ("Madonna, PhD", "Madonna"),
        ("Paul Martin PhD", "Paul"),
        ("Jean Dupont, consultant RH", "Jean"),
        ("Jane Doe, Head of Growth", "Jane"),
        # emoji, asides, headlines glued to the name
        ("Sarah Lee 🚀", "Sarah"),
        ("🚀 Sarah Lee", "Sarah"),
        ("Sarah🚀 Lee", "Sarah"),
        ("Jean Dupont 🇫🇷", "Jean"),
        ("Jean Dupont (il/lui)", "Jean"),
        ("Jane Doe (she/her)", "Jane"),
        ('Robert "Bob" Smith', "Robert"),
        ("Jane Doe | Growth @ Acme", "Jane"),
        ("Jean Dupont - Recrutement IT", "Jean"),
        ("Jean Dupont \u2013 Coach", "Jean"),
        ("+33 Bob Martin", "Bob"),
        ("  Jeanne   Dupont  ", "Jeanne"),
        ("Jeanne\u00a0Dupont", "Jeanne"),
        ("Jean\u202eDupont", "Jean"),  # a right-to-left override is no letter
        ("He\u0301le\u0300ne Dubois", "Hélène"),  # accents typed apart, composed
    ],
)
def test_first_name(name, first):
    assert first_name(name) == first


@pytest.mark.parametrize(
    "name",
    [
        "Boulangerie Martin SARL",
        "Acme Corp",
        "Acme Corp.",
        "Acme, Inc.",
        "Studio Pixel",
        "Northwind Staffing Ltd",
        "Association Les Jardins Partagés",
        "Agence Hélice",
        "Groupe Vallée",
        "Cabinet Durand & Associés",
        "Dupont SA",
        "Dupont S.A.",
        "Müller GmbH",
        "Acme Co",
        "Smith and Sons",
        "Dupont Frères",
        "The Pixel Studio",
        "Martin Immobilier",
        "Lefèvre Conseil",
        "Cafe de Flore",
        "Northwind Staffing LLC",
        "Banque Populaire",
        "Université de Lyon",
    ],
)
def test_an_organisation_has_no_first_name(name):
    assert first_name(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "???",
        "🚀🚀",
        "-",
        "12345",
        "<script>alert(1)</script>",
        "jean.dupont@example.com",
        "J.",
        "J. D.",
        "Dr.",
        "Madame",
        None,
        42,
    ],
)
def test_nothing_to_greet_by_gives_no_name(name):
    assert first_name(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "M. Dupont",  # a title, then a surname
        "Mme Roy",
        "Dr. Watanabe",
        "J. Dupont",  # an initial, then a surname
        "van Beethoven",
        "de La Fontaine",
        "Smith, J.",
        "Jean & Marie Dupont",  # two people
        "Mr and Mrs Smith",
        "Jean et Marie Dupont",
        # A surname and a given name, or a name and a job: cannot tell.
        "García López, María",
        "John Smith, Marketing Manager",
        "A" * (MAX_LENGTH + 1),
    ],
)
def test_a_name_that_may_be_a_surname_gives_no_name(name):
    assert first_name(name) is None


@given(st.text(max_size=60))
def test_a_first_name_is_one_word_of_the_name_or_none(name):
    first = first_name(name)
    if first is None:
        return
    assert first == first.strip() and " " not in first and len(first) <= MAX_LENGTH
    assert sum(c.isalpha() for c in first) >= 2
    assert not re.search(r"[{}<>@&,()|\d]", first)
    composed = unicodedata.normalize("NFC", name)
    assert first.casefold() in composed.casefold() or first.lower() in composed.lower()


# --- the greeting of every generator ---------------------------------------------------

GREETINGS = {
    "Jeanne Dupont": {"fr": "Bonjour Jeanne,", "en": "Hello Jeanne,"},
    "Dr. Kenji Watanabe": {"fr": "Bonjour Kenji,", "en": "Hello Kenji,"},
    "DUPONT Anne-Sophie": {"fr": "Bonjour Anne-Sophie,", "en": "Hello Anne-Sophie,"},
    "Boulangerie Martin SARL": {"fr": "Bonjour,", "en": "Hello,"},
    "🚀": {"fr": "Bonjour,", "en": "Hello,"},
    "": {"fr": "Bonjour,", "en": "Hello,"},
}


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda g: g.name)
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(GREETINGS))
def test_every_generator_greets_by_first_name(generator, language, name):
    render = generator.compile({"signature": "Dominique"})
    text = render({"name": name}, language)
    greeting, rest = text.split("\n\n", 1)
    assert greeting == GREETINGS[name][language]
    # Only the greeting depends on the name: the rest is the same for anyone.
    assert rest == render({"name": "Camille Roux"}, language).split("\n\n", 1)[1]


def test_a_reply_without_a_name_fact_greets_no_one():
    render = GENERATORS[0].compile({})
    assert render({}, "en").startswith("Hello,\n\n")


# --- end to end: the command's replies ----------------------------------------------------


def _replies(*args: str) -> dict[str, str]:
    """The reply drafted for each invitation, by invitation id, from ``decide --format json``."""
    result = CliRunner().invoke(
        cli, ["decide", *args, "-p", "strong-ties-only", "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    replies = {}
    for row in json.loads(result.stdout)["results"]:
        reply = row["decisions"]["strong-ties-only"]["reply"]
        if reply is not None:
            replies[row["invitation"]] = reply["text"]
    return replies


def test_the_examples_replies_greet_by_first_name():
    replies = _replies(str(EXAMPLES / "invitations.yaml"))
    greetings = {ident: text.split("\n\n", 1)[0] for ident, text in replies.items()}
    assert greetings["recruiter-no-note"] == "Hello Daniel,"
    assert greetings["client-new-name"] == "Bonjour Sophie,"
    assert greetings["viadeo-unknown"] == "Bonjour Thomas,"
    assert len(greetings) >= 5
    for greeting in greetings.values():
        assert re.fullmatch(r"(Hello|Bonjour) [A-ZÀ-Ý][a-zà-ÿ-]+,", greeting), greeting


def test_replies_to_odd_names_through_the_command(tmp_path):
    names = {
        "bakery": ("Boulangerie Martin SARL", "fr", "Bonjour,"),
        "staffing": ("Northwind Staffing Ltd", "en", "Hello,"),
        "capitals": ("DUPONT Jeanne", "fr", "Bonjour Jeanne,"),
        "comma": ("Smith, John", "en", "Hello John,"),
        "credentials": ("Paul Martin, PhD", "en", "Hello Paul,"),
        "title": ("Mme Claire Roy", "fr", "Bonjour Claire,"),
        "rocket": ("Sarah Lee 🚀", "en", "Hello Sarah,"),
        "symbols": ("???", "en", "Hello,"),
    }
    path = tmp_path / "invitations.yaml"
    path.write_text(
        json.dumps(
            {
                "invitations": [
                    {"id": ident, "name": name, "language": language, "met_in_person": False}
                    for ident, (name, language, _) in names.items()
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    replies = _replies(str(path))
    assert {i: t.split("\n\n", 1)[0] for i, t in replies.items()} == {
        ident: greeting for ident, (_, _, greeting) in names.items()
    }


# --- the documentation ---------------------------------------------------------------------


def test_the_documented_organisation_words_are_the_ones_read():
    text = (REPO / "docs" / "policies.md").read_text(encoding="utf-8")
    listed = text.split("A name is an organisation's when", 1)[1].split('- or "The"', 1)[0]
    listed = re.sub(r"`[^`]*`", "", listed)  # the examples
    words = set()
    for word in re.findall(r"\b[A-ZÀ-Ý]\w*(?:\(s\))?", listed):
        stem = word.removesuffix("(s)")
        words |= {fold(stem), fold(stem) + "s"} if word.endswith("(s)") else {fold(stem)}
    words -= {"the"}
    assert words == ORGANISATION_WORDS | ORGANISATION_SHORT
