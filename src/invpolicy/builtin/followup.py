"""Tell what an inviter's answer to your message is: a pitch, a stated need, or neither.

After a decline or a question, some inviters answer. Article 003 of the
sources sets two kinds of answer apart: the *pitch*, where the inviter uses the
opening to sell (their offer, their services, a link to book a call), and the
*stated need*, where they say what they are looking for and why. The first
deserves no further answer; the second is worth engaging with.

The classifier weighs cues, French and English, found in the answer after
folding case and accents: phrases that sell, and phrases that state a need and
give a reason. It is deliberately simple and explainable: :func:`classify`
returns the cues it found. Its accuracy on a labelled set of answers is
measured by the test suite (``tests/data/follow_ups.yaml``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from invpolicy.frozen import frozen
from invpolicy.text import fold

PITCH = "pitch"
NEED = "need"
NEITHER = "neither"

#: What is classified: an answer to your message, or the note sent with an invitation.
ANSWER, NOTE = "answer", "note"

# (cue name, weight, pattern). Patterns are matched on folded text: lower case,
# no accents, apostrophes as "'". A cue counts once however often it appears.
_PITCH_CUES: tuple[tuple[str, int, str], ...] = (
    (
        "booking link",
        3,
        r"calendly|cal\.com/|zcal|hubspot\.com/meetings|meetings\.hubspot|"
        r"tidycal|youcanbook|savvycal|/book(ing)?[-/]",
    ),
    ("link", 1, r"https?://|www\.|\b[a-z0-9-]+\.(com|fr|io|co|net)/"),
    (
        "book a call",
        2,
        r"\b(book|schedule|grab|set up|hop on|jump on)\b.{0,25}\b(call|demo|meeting|chat|slot)\b|"
        r"\b(reserver|reservez|reserve|bloquer|bloquez|cal(er|ons|e|ez)|planifier)\b.{0,25}"
        r"\b(appel|creneau|demo|visio|rendez-vous|rdv)\b|"
        r"\b(quick|short|brief|petit|court) (call|appel|echange)\b",
    ),
    ("a short slot", 1, r"\b(10|15|20|30) ?(min|mins|minutes|mn)\b"),
    (
        "a demo or proposal",
        2,
        r"\b(walk you through|show you (how|around)|give you a (demo|tour)|demo|"
        r"demonstration|proposal|send (you|over) (a|our|the)|"
        r"(vous|te) (la |le |les )?(montrer|presenter)|proposition commerciale|"
        r"je (vous|te) propose (un|une|de)|i can offer|i'd like to offer|let me offer)\b",
    ),
    (
        "a track record",
        2,
        r"\b(we've|we have|i've|i have) (helped|built|developed|launched|created)\b|"
        r"\b(nous avons|on a|j'ai) (aide|accompagne|developpe|concu|cree|lance)\b",
    ),
    (
        "a saving promise",
        2,
        r"\b(save|saves|saving|cut|cuts|reduce|reduces|slash)\b.{0,30}"
        r"\b(hours?|time|costs?|money|half|\d+ ?%)|"
        r"\b(gagner|economiser|reduire|diviser|baisser)\b.{0,30}"
        r"\b(temps|heures?|\d+ ?h\b|couts?|charges|argent|moitie|depenses)",
    ),
    (
        "our offer",
        2,
        r"\bour ([\w-]+ ){0,2}(services?|solutions?|offers?|platform|agency|tool|software|app|"
        r"product|program|programme|training|coaching|method)\b|"
        r"\b(nos|notre) ([\w-]+ ){0,2}(services?|solutions?|offres?|plateforme|agence|outil|"
        r"logiciel|appli|application|produit|programme|formations?|accompagnement|methode|expertise)\b|"
        r"\b(we|i) help (companies|businesses|brands|teams|leaders|founders|coaches|"
        r"entrepreneurs|b2b|firms|you)\b|"
        r"\b(nous|j') ?(aidons|aide|accompagnons|accompagne) (les|des|vos|votre|"
        r"entreprises|dirigeants|pme|marques|equipes|independants|entrepreneurs)\b",
    ),
    (
        "price",
        2,
        r"\b(discount|promo|promotion|free trial|free audit|special offer|limited offer|"
        r"pricing|price|quote|% off|offer ends|tarifs?|remise|reduction|essai gratuit|"
        r"audit gratuit|offre speciale|offre de lancement|devis|sans engagement|"
        r"no commitment|early bird|gratuite?|free (consultation|assessment|session|call|"
        r"diagnostic))\b|\d+ ?(%|€|\$|euros?)|[$€£] ?\d|/(month|mois)\b",
    ),
    (
        "growth promise",
        2,
        r"\b(increase|boost|double|triple|grow|skyrocket|scale|maximi[sz]e)\b.{0,30}"
        r"\b(sales|revenue|leads|visibility|pipeline|conversions?|roi|clients|customers|"
        r"business|reach|audience)\b|"
        r"\b(augmenter|booster|doubler|tripler|developper|multiplier|exploser)\b.{0,30}"
        r"\b(ventes|chiffre d'affaires|ca|leads|visibilite|clients|prospects|conversions?|"
        r"audience|business)\b|"
        r"\b(lead generation|generation de leads|more leads|plus de leads|"
        r"plus de clients|more clients|qualified leads|leads qualifies|rendez-vous qualifies)\b",
    ),
    (
        "look at this",
        1,
        r"\b(brochure|catalogue|catalog|webinars?|webinaires?|newsletter|case stud(y|ies)|"
        r"etude de cas|check out|take a look|have a look|jetez un (oeil|coup d'oeil)|"
        r"decouvrez|discover how|find out how|pdf|deck|plaquette|portfolio)\b",
    ),
    (
        "sales question",
        1,
        r"\b(interested|would that interest you|open to (a|an) (quick|short)|reply \"?yes|"
        r"ca vous (interesse|tente|dit)|interesse\(?e?\)? ?\?|partant\(?e?\)? ?\?)\b",
    ),
)

_NEED_CUES: tuple[tuple[str, int, str], ...] = (
    (
        "looking for",
        2,
        r"\b(i am|i'm|im|we are|we're|were|currently) (looking|searching) for\b|"
        r"\b(i|we) (need|seek|am seeking|are seeking)\b|"
        r"\b(je|nous|on) (suis |sommes )?(cherche|cherchons|recherche|recherchons|"
        r"suis a la recherche|sommes a la recherche)\b|"
        r"\b(a la recherche d|en recherche d|besoin d|need (some|a|an|your|advice|help))|"
        r"\b(il nous manque|il me manque|we're missing|we are missing|(wants|needs|seeks) "
        r"(someone|a person|profiles?))\b|"
        r"\b(i'm|im|i am|we're|we are) (recruiting|hiring)\b|\b(je recrute|nous recrutons)\b|"
        r"\b(trying to|hoping to|struggling to|j'essaie de|je tente de|je voudrais comprendre|"
        r"i want to (understand|learn)|i'd like to (understand|learn))\b",
    ),
    (
        "a reason",
        1,
        r"\b(because|bc|b/c|since|as i am|as we are|as i'm|the reason|so that|in order to|"
        r"parce que?|puisque|car (je|j'|nous|on|il|elle|mon|ma|notre|le|la)|afin de|pour que|"
        r"la raison)\b",
    ),
    (
        "your field",
        1,
        r"\b(your|ton|votre) (field|expertise|experience|domain|sector|industry|background|"
        r"work on|article|post|talk|domaine|secteur|metier|experience|parcours|travail|"
        r"retour d'experience|avis|point de vue)\b|\b(tes|vos) (conseils|articles|posts|"
        r"publications|travaux)\b|\byour (advice|posts|articles|insights?)\b",
    ),
    (
        "learning or hiring",
        1,
        r"\b(advice|learn|learning|student|internship|intern|mentor|career|"
        r"hiring|recruit(ing)?|job opening|open position|vacancy|role|position|"
        r"conseils?|apprendre|etudiante?|stage|stagiaire|alternance|reconversion|"
        r"recrute|recrutons|recrutement|poste|cdi|cdd|offre d'emploi|candidat|speaker|"
        r"intervenante?|conferenciere?|formatrice|formateur|trainer|volunteer|benevole|"
        r"graduate|jeune diplomee?|junior|laid off|licenciee?|postuler|apply)\b|"
        r"jobs\.|/jobs?\b|/careers?\b|lever\.co|greenhouse\.io|welcometothejungle",
    ),
    (
        "a question to you",
        1,
        r"\b(could you|would you|can you|might you|would it be possible|would you mind|"
        r"recommend|introduce|point me|put me in touch|refer me|"
        r"pourriez-vous|pourrais-tu|pourriez vous|pourrais tu|pouvez-vous|peux-tu|"
        r"serait-il possible|accepteriez-vous|auriez-vous|aurais-tu|"
        r"recommander|me mettre en (relation|contact)|m'orienter|orienter|"
        r"if you know|if you've heard|know (someone|anyone|of)|si vous connaissez|"
        r"si tu connais|a qui je pourrais)\b",
    ),
    (
        "asks a favour",
        1,
        r"\b((i'd|i would|id) (really )?(value|appreciate|love)|would mean a lot|"
        r"(super |really |very )?grateful|je serais (ravie?|reconnaissante?|preneuse?)|"
        r"ce serait precieux|ca m'aiderait|cela m'aiderait|would help me)\b",
    ),
    (
        "respects your choice",
        1,
        r"\b(i understand|understood|i respect|fair enough|no problem|totally get it|"
        r"je comprends|je respecte|compris|pas de souci|aucun souci|entendu)\b",
    ),
    ("a project", 1, r"\b(project|projet|mission|thesis|these|memoire|study|etude)\b"),
)


# What an invitation note adds when it sells: a note comes before any question,
# so it offers help unasked, proposes a call to "see if there is a fit", or
# talks of synergies. Added to the pitch cues above for notes only.
_NOTE_PITCH_CUES: tuple[tuple[str, int, str], ...] = (
    (
        "help offered unasked",
        2,
        r"\b(i|we) help (\w+ ){0,4}(to )?(get|grow|find|land|generate|increase|scale|win|"
        r"attract|boost|automate|save|sell|close|book|fill|reach)\b|"
        r"\b(j'aide|nous aidons|on aide|j'accompagne|nous accompagnons) (\w+ ){0,4}"
        r"(a |pour )?(trouver|obtenir|developper|gagner|attirer|augmenter|automatiser|"
        r"vendre|signer|remplir|decrocher|booster|economiser)\b|"
        r"\b(how (we|i) (can|could) help|how (we|i) (have )?helped|"
        r"comment (nous|je) (pourrions|pourrais|pouvons|peux) vous aider|"
        r"en quoi (nous|je) (pourrions|pourrais|pouvons|peux) vous (aider|etre utile))",
    ),
    (
        "a fit or a synergy",
        2,
        r"\b(synerg(y|ies|ie|ies)|partnership opportunit\w*|business opportunit\w*|"
        r"opportunites? de (partenariat|collaboration|business)|"
        r"(see|explore) (if|whether|how) (there's|there is|we could|we can)|"
        r"voir si (nous|on) (pourrions|pourrait|peut|pouvons)|"
        r"(a|une) (good |great |perfect |bonne )?(fit|adequation))\b",
    ),
    (
        "services offered",
        2,
        r"\b(we|i) (offer|provide|build|design|sell|distribute|specialise|specialize) |"
        r"\bmy (firm|agency|company|studio|team) (specialises|specializes|helps|builds|offers)\b|"
        r"\b(nous|je) (proposons|propose|offrons|vendons|distribuons|concevons|"
        r"commercialisons|realisons) (des|une|un|nos|mes|notre|ma|mon|les)\b|"
        r"\b(notre|mon) (agence|societe|cabinet|entreprise|startup|solution|plateforme|offre) "
        r"(concoit|propose|accompagne|aide|developpe|realise|offre)\b|"
        r"\bje vous (offre|propose) (un|une|le|la)\b",
    ),
    (
        "clients and services on offer",
        2,
        r"\b(i|we) work with ([\w-]+ ){0,3}(founders|companies|brands|teams|businesses|coaches|"
        r"charities|non-profits|nonprofits|organisations|organizations|startups|clients)\b|"
        r"\b(je travaille|nous travaillons) (avec|pour) (des|les|de nombreuses|plusieurs) "
        r"(\w+ ){0,2}(entreprises|associations|marques|equipes|dirigeants|startups|pme|clients)\b|"
        r"\b(our clients|my clients|nos clients|mes clients|parmi nos)\b",
    ),
    (
        "help offered if needed",
        2,
        r"\bif you (ever )?need (a hand|help|a |an |someone)|"
        r"\bsi (jamais )?vous (avez besoin|cherchez) (d'|de |un |une )|"
        r"n'hesitez pas si (besoin|vous avez besoin)|"
        r"\b(share|have) (a few|some) ideas for (yours?|you)\b|quelques idees pour (votre|vous)",
    ),
    (
        "a call proposed",
        1,
        r"\b(open to|up for|available for|dispo(nible)? pour) (a |an |un |une )?"
        r"(quick |short |brief |rapide |petit |court )?(call|chat|demo|appel|echange|visio)\b",
    ),
)


#: In a note, a price word is often something else ("your talk on pricing", a
#: French "promo" is a class year): it needs another cue to make a pitch.
_NOTE_WEIGHTS = {"price": 1}


@lru_cache(maxsize=2)
def _compiled(form: str) -> tuple[list[tuple[str, int, re.Pattern[str]]], ...]:
    selling = _PITCH_CUES + (_NOTE_PITCH_CUES if form == NOTE else ())
    weights = _NOTE_WEIGHTS if form == NOTE else {}
    return tuple(
        [(name, weights.get(name, weight), re.compile(pattern)) for name, weight, pattern in cues]
        for cues in (selling, _NEED_CUES)
    )


@frozen
class FollowUp:
    """What an answer is, and the cues that made it so."""

    kind: str
    pitch: int
    need: int
    cues: tuple[str, ...]


# The same answer is classified once per follow-up criterion and per what-if
# variant; a FollowUp is frozen, so a cached one can be shared.
@lru_cache(maxsize=1024)
def classify(text: str, form: str = ANSWER) -> FollowUp:
    """Classify an inviter's answer (or, with ``form=NOTE``, an invitation note) as
    ``pitch``, ``need`` or ``neither``.

    A pitch needs selling cues worth at least 2 points, and at least as many
    as its need cues: an answer that sells, even while saying it is "looking
    for" clients, is a pitch. A need needs at least 3 points of need cues (a stated need and
    a reason, or a request about your field) and more than its selling cues.
    Anything else - thanks, a reminder of how you met, an annoyed word - is
    neither. A note is read with more selling cues: the forms a pitch takes
    when it comes unasked, before any question; and it is a pitch only when
    they weigh more than its need cues.
    """
    folded = fold(text)
    pitch_cues, need_cues = _compiled(form)
    found: list[str] = []
    scores = []
    for cues, label in ((pitch_cues, PITCH), (need_cues, NEED)):
        score = 0
        for name, weight, pattern in cues:
            if pattern.search(folded):
                score += weight
                found.append(f"{label}: {name}")
        scores.append(score)
    pitch, need = scores
    # A note is a pitch only when its selling cues outweigh its need cues: a
    # student asking for "a quick call about your career" is not selling.
    if pitch >= 2 and (pitch > need if form == NOTE else pitch >= need):
        kind = PITCH
    elif need >= 3 and need > pitch:
        kind = NEED
    else:
        kind = NEITHER
    return FollowUp(kind, pitch, need, tuple(found))
