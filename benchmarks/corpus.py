"""A deterministic corpus of invitations with a realistic mix of facts.

Every fact of the invitation schema that a bundled policy reads is sometimes
absent (unknown), sometimes known, with values drawn so that every rule of
every bundled policy fires on a corpus of a few thousand invitations. Messages
and follow-ups are put together from parts, in French and in English, so that
most texts differ, as real ones do.

The invitations are drawn one after the other from one seeded generator: the
first ``n`` invitations of a larger corpus are the corpus of size ``n``.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.loading.catalog import policy_files
from invpolicy.model.invitation import Invitation, build_invitation
from invpolicy.resources import data_dir

SEED = 20240611

#: The bundled policies, as ``invpolicy.load_policy`` names them.
POLICIES = tuple(path.stem for path in policy_files(data_dir("policies")))

FIRST_NAMES = (
    "Amélie", "Antoine", "Camille", "Chloé", "Claire", "Daniel", "Élodie", "Emma",
    "Grace", "Hélène", "Hugo", "Inès", "Isabelle", "Jade", "Julien", "Karim",
    "Kevin", "Léa", "Lucas", "Manon", "Marc", "Maxime", "Nadia", "Nicolas",
    "Oliver", "Owen", "Priya", "Rachel", "Sarah", "Sophie", "Thomas", "Yasmine",
)  # fmt: skip
LAST_NAMES = (
    "Benali", "Bérubé", "Blanc", "Brooks", "Cohen", "Côté", "Dubois", "Fontaine",
    "Garnier", "Girard", "Grant", "Haddad", "Lambert", "Leclerc", "Lefèvre", "Martin",
    "Moreau", "Nair", "Okafor", "Perrin", "Petit", "Rahman", "Roy", "Walsh",
)  # fmt: skip

# Positions that the relevant-position signal of quality-over-quantity finds
# (marketing, HR, recruiters, company heads) and positions it does not.
RELEVANT_HEADLINES = (
    "Responsable marketing digital", "Chargée de communication", "Community manager",
    "Responsable RH", "Talent acquisition partner", "Recruteuse IT", "CEO & founder",
    "Fondatrice, studio de design", "Directeur général", "Head of People",
    "Social media manager", "Gérant d'agence immobilière",
)  # fmt: skip
OTHER_HEADLINES = (
    "Comptable", "Développeur Python", "Infirmière", "Chartered accountant",
    "Data analyst", "Chef de projet", "Professeur de mathématiques", "Software engineer",
    "Financial advisor", "Architecte", "Juriste", "Product designer", "Étudiant en droit",
)  # fmt: skip
COMPANIES = (
    "Brasserie du Nord", "Northwind Staffing", "Acme", "Crédit Mutuel", "Decathlon",
    "Studio Pixel", "Talent Partners", "Digital Factory", "Hôpital Saint-Louis",
    "Freelance", "Université de Lyon", "Nova Conseil",
)  # fmt: skip
GROUPS = (
    "Marketing B2B Québec", "Python France", "Lyon UX", "RH & Recrutement",
    "Entrepreneurs de Bretagne", "Data Science Paris", "Women in Tech",
)  # fmt: skip
COMMON_GROUND = ("ESC Lille", "employer", "school", "Lyon", "Sciences Po", "Acme")
NETWORKS = ("viadeo", "facebook", "twitter", "other")

STOCK_MESSAGES = {
    "fr": (
        "J'aimerais vous inviter à rejoindre mon réseau.",
        "J'aimerais vous ajouter à mon réseau professionnel sur LinkedIn.",
        "Je souhaiterais vous inviter à rejoindre mon réseau.",
    ),
    "en": (
        "I'd like to add you to my professional network on LinkedIn.",
        "I'd like to join your LinkedIn network.",
        "Please accept my invitation to connect.",
    ),
}
GREETINGS = {"fr": ("Bonjour,", "Bonjour Sam,", "Salut !"), "en": ("Hi,", "Hello Sam,", "Hi Sam!")}
EVENTS = {
    "fr": ("au salon de Bordeaux", "au meetup WordPress", "à la conférence Web2Day", "au Forum RH"),
    "en": ("at PyCon", "at the Lisbon product meetup", "at the UX London workshop", "at SaaStr"),
}
TOPICS = {
    "fr": ("les newsletters", "les liens forts", "le recrutement tech", "la prospection"),
    "en": ("newsletters", "strong ties", "user research", "pricing pages"),
}
PERSONAL_MESSAGES = {
    "fr": (
        "Ravi d'avoir discuté avec vous {event} ! Au plaisir de poursuivre l'échange.",
        "Votre billet sur {topic} m'a fait réfléchir. Au plaisir d'en lire d'autres !",
        "Nous étions à la même table {event}, je crois. J'aimerais garder le contact.",
        "Je travaille moi aussi sur {topic} et je suis votre travail depuis un moment.",
    ),
    "en": (
        "Great chatting with you {event}! Good to stay in touch.",
        "Your post on {topic} made me think. Looking forward to reading more.",
        "We sat at the same table {event}, I think. I'd love to keep in touch.",
        "I work on {topic} too and have followed your work for a while.",
    ),
}

#: Notes that sell, in the forms notes take.
SELLING_MESSAGES = {
    "fr": (
        "Notre agence conçoit des sites pour les PME à partir de 490 €. Un appel rapide ?",
        "J'aide les indépendants à trouver trois nouveaux clients par mois. Intéressé ?",
    ),
    "en": (
        "I help consultants land three new clients a month. Open to a quick call?",
        "We build custom CRMs at a fraction of the usual cost. Happy to send you a demo.",
    ),
}

# The inviter's answer to your message: a sales pitch, a stated need, or neither.
FOLLOW_UP_OPENINGS = {
    "fr": ("Merci pour votre message.", "Merci de votre retour !", "Bonjour,", ""),
    "en": ("Thanks for your message.", "Thank you for getting back to me!", "Hi,", ""),
}
FOLLOW_UPS = {
    ("pitch", "fr"): (
        "Notre agence accompagne les PME pour booster leurs ventes. Réservez un créneau ici : "
        "https://calendly.com/agence-nova",
        "Nous proposons une solution de prospection automatisée, essai gratuit sans engagement.",
        "Je vous propose une démo de notre outil, qui fait gagner 5 heures par semaine.",
    ),
    ("pitch", "en"): (
        "Our agency helps B2B brands double their leads. Book a call: https://calendly.com/jade",
        "We help companies save hours every week with our platform. Free trial this month.",
        "I'd love to walk you through our software in a quick call. Would that interest you?",
    ),
    ("need", "fr"): (
        "Pas de souci, je comprends. Je cherche un stage en marketing, car je termine mon "
        "master en juin.",
        "Je suis à la recherche de conseils sur la reconversion, car votre parcours "
        "ressemble à celui que je vise.",
        "Nous recrutons un responsable RH et j'aimerais votre avis, car vous connaissez "
        "bien le secteur.",
    ),
    ("need", "en"): (
        "Fair enough. I'm looking for advice on UX research, because your posts helped me a lot.",
        "I understand. We're hiring a data engineer and I'd appreciate it if you could "
        "recommend someone.",
        "I'm trying to move into product management, and your experience would help me "
        "a lot with my project.",
    ),
    ("neither", "fr"): (
        "Bien reçu, bonne continuation.",
        "Dommage, je pensais que nous nous étions croisés.",
        "D'accord, à une prochaine fois peut-être.",
    ),
    ("neither", "en"): (
        "Got it, all the best.",
        "Too bad, I thought we had met.",
        "OK, maybe another time.",
    ),
}
FOLLOW_UP_KINDS = ("pitch", "need", "neither")


def _maybe(rng: random.Random, chance: float) -> bool:
    return rng.random() < chance


def _message(rng: random.Random, tongue: str, first: str) -> str | None:
    """The note: absent, empty, the network's stock text, or a note of their own."""
    draw = rng.random()
    if draw < 0.35:
        return None
    if draw < 0.40:
        return ""
    if draw < 0.70:
        text = rng.choice(STOCK_MESSAGES[tongue])
        if _maybe(rng, 0.5):
            text = f"{rng.choice(GREETINGS[tongue])} {text}"
        return f"{text}\n{first}" if _maybe(rng, 0.5) else text
    if draw < 0.75:
        return f"{rng.choice(GREETINGS[tongue])} {rng.choice(SELLING_MESSAGES[tongue])}"
    template = rng.choice(PERSONAL_MESSAGES[tongue])
    text = template.format(event=rng.choice(EVENTS[tongue]), topic=rng.choice(TOPICS[tongue]))
    return f"{rng.choice(GREETINGS[tongue])} {text}\n{first}"


def _follow_up(rng: random.Random, tongue: str, first: str) -> str | None:
    """Mostly no answer; else a pitch, a need or neither, signed by the inviter."""
    if not _maybe(rng, 0.12):
        return None
    kind = rng.choice(FOLLOW_UP_KINDS)
    body = rng.choice(FOLLOW_UPS[(kind, tongue)])
    opening = rng.choice(FOLLOW_UP_OPENINGS[tongue])
    return f"{opening} {body}\n{first}".lstrip()


def _count(rng: random.Random, absent: float, zero: float, high: int) -> int | None:
    draw = rng.random()
    if draw < absent:
        return None
    if draw < absent + zero:
        return 0
    return rng.randint(1, high)


def _strings(
    rng: random.Random, absent: float, empty: float, pool: Sequence[str]
) -> list[str] | None:
    draw = rng.random()
    if draw < absent:
        return None
    if draw < absent + empty:
        return []
    return rng.sample(pool, rng.randint(1, 2))


def _years(rng: random.Random) -> float | None:
    """Years of experience: unknown, whole years, or a beginner's half-years."""
    if _maybe(rng, 0.40):
        return None
    return rng.randint(0, 30) if _maybe(rng, 0.75) else rng.randint(0, 5) / 2


def _invitation(rng: random.Random, index: int) -> dict[str, Any]:
    tongue = "en" if _maybe(rng, 0.35) else "fr"
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    met = rng.random()
    mutual = _count(rng, absent=0.25, zero=0.30, high=40)
    facts: dict[str, Any] = {
        "id": f"inv-{index:06d}",
        "name": f"{first} {last}",
        "met_in_person": None if met < 0.40 else met < 0.55,
        "exchanges": _count(rng, absent=0.35, zero=0.45, high=12),
        "mutual_connections": mutual,
        "mutual_in_sector": (
            None if mutual is None or _maybe(rng, 0.3) else rng.randint(0, min(mutual, 6))
        ),
        "shared_groups": _strings(rng, absent=0.40, empty=0.35, pool=GROUPS),
        "common_ground": _strings(rng, absent=0.45, empty=0.30, pool=COMMON_GROUND),
        "message": _message(rng, tongue, first),
        "experience_years": _years(rng),
        # A few posts, or a steady stream of them.
        "posts": _count(rng, absent=0.40, zero=0.20, high=200 if _maybe(rng, 0.5) else 4),
        "profile_visible": None if _maybe(rng, 0.40) else _maybe(rng, 0.75),
        "follow_up": _follow_up(rng, tongue, first),
    }
    if _maybe(rng, 0.80):
        headlines = RELEVANT_HEADLINES if _maybe(rng, 0.35) else OTHER_HEADLINES
        facts["headline"] = rng.choice(headlines)
    if _maybe(rng, 0.60):
        facts["company"] = rng.choice(COMPANIES)
    if tongue == "en":
        facts["language"] = "en" if _maybe(rng, 0.85) else None
    elif _maybe(rng, 0.20):
        facts["language"] = "fr"
    network = rng.random()
    if network >= 0.85:
        facts["network"] = rng.choice(NETWORKS)
    elif network >= 0.5:
        facts["network"] = "linkedin"
    if _maybe(rng, 0.7):
        facts["sent_at"] = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:30"
    # An unknown fact is left out, as in a file: the key is absent, not null.
    return {key: value for key, value in facts.items() if value is not None}


def stream(size: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """The invitations of :func:`generate`, one at a time: a million need not fit in memory."""
    rng = random.Random(seed)
    for index in range(size):
        yield _invitation(rng, index)


def generate(size: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``size`` invitations as the mappings an invitations file holds."""
    return list(stream(size, seed))


def build(records: Iterable[dict[str, Any]]) -> list[Invitation]:
    """The :class:`Invitation` objects for ``records``, built once, before any timing."""
    return [build_invitation(record) for record in records]


def jsonl_line(record: dict[str, Any]) -> str:
    """One invitation as a line of JSON Lines, compact, line ending included."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    """``records`` as a JSON Lines invitations file; its size in bytes."""
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(jsonl_line(record))
    return path.stat().st_size


def rule_counts(policy: CompiledPolicy, invitations: Iterable[Invitation]) -> Counter[str]:
    """How often each rule of ``policy`` fires on ``invitations``; every rule has a count."""
    counts = Counter({rule.id: 0 for rule in policy.policy.rules})
    counts.update(policy.decide(invitation).rule for invitation in invitations)
    return counts


def unfired(counts: dict[str, Counter[str]]) -> list[str]:
    """``policy/rule`` for each rule that never fired, by policy."""
    return [
        f"{name}/{rule}" for name, rules in counts.items() for rule, n in rules.items() if n == 0
    ]
