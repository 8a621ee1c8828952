"""The words that place a headline in a sector, in French and English.

Terms are written as people type them; matching ignores case, accents and
punctuation (``co-fondateur`` is ``co fondateur``), and finds whole words
only, plural in -s or -x included. A term ending in ``*`` matches any word
that starts with it (``recrut*``: recruteur, recruteuse, recrutement).

Where two terms could match the same words, the longer one wins: "business
developer" is sales, so its "developer" does not also count as engineering.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The sectors, in the order they are listed.
SECTORS: tuple[str, ...] = ("marketing", "hr", "sales", "engineering", "executive", "student")

_MARKETING = (
    "marketing",
    "marketeur",
    "marketeuse",
    "marketer",
    "growth",
    "growth hacker",
    "growth hacking",
    "community manager",
    "social media",
    "réseaux sociaux",
    "communication",
    "communicant",
    "communicante",
    "brand manager",
    "brand content",
    "chef de marque",
    "content manager",
    "créateur de contenu",
    "créatrice de contenu",
    "content creator",
    "rédacteur web",
    "rédactrice web",
    "copywriter",
    "seo",
    "relations presse",
    "relations publiques",
    "public relations",
    "publicité",
    "advertising",
    "média planner",
    "media buyer",
    "traffic manager",
    "influenceur",
    "influenceuse",
    "influencer",
    "événementiel",
    "event manager",
)

_HR = (
    "rh",
    "hr",
    "drh",
    "rrh",
    "hrbp",
    "ressources humaines",
    "human resources",
    "human resource",
    "recrut*",
    "recruiter",
    "recruiting",
    "recruitment",
    "talent acquisition",
    "talent partner",
    "talent manager",
    "talent sourcer",
    "gestion des talents",
    "talent management",
    "headhunter",
    "head hunter",
    "chasseur de têtes",
    "chasseuse de têtes",
    "executive search",
    "head of people",
    "people partner",
    "people culture",
    "people ops",
    "people operations",
    "paie",
    "payroll",
    "marque employeur",
    "employer branding",
)

_SALES = (
    "sales",
    "vente",
    "commercial",
    "commerciale",
    "commerciaux",
    "business developer",
    "business developper",
    "business development",
    "business dev",
    "biz dev",
    "bizdev",
    "développeur d'affaires",
    "développeuse d'affaires",
    # A French sales title: business development, not engineering.
    "ingénieur d'affaires",
    "ingénieure d'affaires",
    "chargé d'affaires",
    "chargée d'affaires",
    "account executive",
    "account manager",
    "key account manager",
    "kam",
    "grands comptes",
    "sdr",
    "bdr",
    "avant-vente",
    "presales",
    "pre-sales",
    "vendeur",
    "vendeuse",
    "prospection",
    "closer",
)

_ENGINEERING = (
    "ingénieur",
    "ingénieure",
    "engineer",
    "engineering",
    "ingénierie",
    "développeur",
    "développeuse",
    "developer",
    "dev",
    "logiciel",
    "software",
    "programmeur",
    "programmeuse",
    "programmer",
    "full stack",
    "fullstack",
    "backend",
    "back end",
    "frontend",
    "front end",
    "devops",
    "sre",
    "site reliability",
    "data scientist",
    "machine learning",
    "tech lead",
    "lead dev",
    "architecte logiciel",
    "software architect",
    "informatique",
    "informaticien",
    "informaticienne",
    "cybersécurité",
    "cybersecurity",
)

_EXECUTIVE = (
    "ceo",
    "pdg",
    "p-dg",
    "président",
    "présidente",
    "president",
    "directeur général",
    "directrice générale",
    "dg",
    "dga",
    "executive director",
    "directeur exécutif",
    "directrice exécutive",
    "managing director",
    "general manager",
    "managing partner",
    "founder",
    "co-founder",
    "cofounder",
    "fondateur",
    "fondatrice",
    "cofondateur",
    "cofondatrice",
    "co-fondateur",
    "co-fondatrice",
    "chef d'entreprise",
    "cheffe d'entreprise",
    "dirigeant",
    "dirigeante",
    "gérant",
    "gérante",
    "owner",
    "business owner",
    "entrepreneur",
    "entrepreneuse",
    "entrepreneure",
    "coo",
    "cfo",
    "chief executive officer",
    "chief operating officer",
    "chief financial officer",
    "c-level",
)

_STUDENT = (
    "étudiant",
    "étudiante",
    "student",
    "élève",
    "stagiaire",
    "intern",
    "internship",
    "recherche de stage",
    "alternant",
    "alternante",
    "alternance",
    "apprenti",
    "apprentie",
    "apprentice",
    "doctorant",
    "doctorante",
    "phd student",
    "phd candidate",
    "doctoral candidate",
    "lycéen",
    "lycéenne",
    "undergraduate",
)

#: Chief officers of a function run the company and that function.
_CHIEFS: Mapping[str, tuple[str, ...]] = {
    "cmo": ("marketing", "executive"),
    "chief marketing officer": ("marketing", "executive"),
    "cto": ("engineering", "executive"),
    "chief technology officer": ("engineering", "executive"),
    "chief technical officer": ("engineering", "executive"),
    "chro": ("hr", "executive"),
    "chief human resources officer": ("hr", "executive"),
    "chief people officer": ("hr", "executive"),
    "chief revenue officer": ("sales", "executive"),
    "chief sales officer": ("sales", "executive"),
    "chief commercial officer": ("sales", "executive"),
}

#: Words that contain a term but are in no sector: a vice-president heads a
#: department, not the company; an executive assistant assists one, and
#: working "to the CEO" does not make one; a product owner owns a product, not
#: a business; a former student has finished studying.
_NONE = (
    "vice president",
    "vice présidente",
    "vice-président",
    "vice-présidente",
    "executive assistant",
    "to the ceo",
    "of the ceo",
    "du pdg",
    "du ceo",
    "product owner",
    "ancien élève",
    "ancienne élève",
    "ancien étudiant",
    "ancienne étudiante",
    "former student",
)


def _terms() -> dict[str, tuple[str, ...]]:
    terms: dict[str, tuple[str, ...]] = {}
    for sector, words in zip(
        SECTORS, (_MARKETING, _HR, _SALES, _ENGINEERING, _EXECUTIVE, _STUDENT), strict=True
    ):
        for word in words:
            terms[word] = (*terms.get(word, ()), sector)
    terms.update(_CHIEFS)
    terms.update(dict.fromkeys(_NONE, ()))
    return terms


#: Each term, and the sectors it places a headline in (none for the exceptions).
TERMS: Mapping[str, tuple[str, ...]] = _terms()
