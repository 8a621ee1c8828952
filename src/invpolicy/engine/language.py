"""The inviter's language, from their own words: the note, then their answer.

Only French and English replies are written, so the question is only ever
"French or English, or cannot tell". A general language detector answers a
harder question (among dozens of languages) and stumbles on the short texts
invitations carry ("Bonjour Marie !"); this reads the words that tell the two
languages apart, and answers only when they clearly agree:

- each word found in one language's list of common words counts for that
  language (words both languages use, such as "a", "on", "me", "mail" or
  "super", count for neither); greetings and pronouns that only one language
  uses count double;
- a lower-case word written with a French accent counts for French (a
  capitalised one is likely a name: Amélie, Café de Flore);
- the words of the inviter's own name do not count;
- a text with letters neither language writes (ñ, ß, ã...), or with common
  words of Spanish, German, Italian or Portuguese worth half the winner's
  points, is in neither.

A language wins when it has at least 2 points and at least twice the other's.
The same words always give the same answer; nothing is downloaded or learnt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from invpolicy.engine.decision import FROM_ANSWER, FROM_NOTE
from invpolicy.text import fold

#: The languages told apart.
FRENCH, ENGLISH = "fr", "en"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words only one of the two languages uses, folded (no accents, lower case).
_FRENCH_STRONG = _words(
    "bonjour bonsoir salut merci cordialement je j vous nous c est suis sommes etes "
    "votre vos notre nos mon ma mes aimerais souhaiterais serait rejoindre reseau "
    "bien tres avec"
)
_FRENCH = _words(
    "le la les un une des du de et ou mais pour dans sur par pas plus que qui quoi "
    "ce cet cette ces il elle ils elles tu toi moi lui leur leurs y en au aux ai "
    "avons avez ont etait sera fait faire dire voir vu lu l d qu n s m t comme "
    "aussi deja encore toujours jamais rien tout tous toutes chez depuis entre "
    "apres avant pendant sans sous vers ici voici voila oui non si donc car alors "
    "peut peux pouvez pourriez pourrions veux voulez voudrais sais savez ravi ravie "
    "heureux heureuse plaisir echanger rencontrer rencontre demande projet travail "
    "entreprise poste equipe semaine mois annee hier demain aujourd hui prochain "
    "prochaine dernier derniere atelier salon beaucoup bonne journee soiree"
)
_ENGLISH_STRONG = _words(
    "hi dear thanks thank regards best you your the i i'm im i'd id would like network"
)
_ENGLISH = _words(
    "and or but for with from of to in at by not no yes is are was were be been "
    "being am do does did have has had will shall can could should may might must "
    "this that these those it its it's we us our they them their he she him her his "
    "my mine what which who whom whose when where why how all any some each every "
    "there here just also still already very really about after before during since "
    "until into onto over under again then than so if because while meet met "
    "meeting connect connecting add love glad happy great nice pleasure chat talk "
    "talked work working company role week month year yesterday today tomorrow next "
    "last know let's look looking forward keen share event workshop panel please "
    "sure cheers"
)
# Words both languages use, or that stand for either: they count for neither.
_EITHER = _words(
    "a on me mail super ok bravo top cool team job hello hey contact invitation "
    "conference meetup webinar call email linkedin facebook viadeo twitter"
)
# Common words of the languages invitations also come in, that neither list holds:
# a text that has them is not taken for French or English.
_OTHER = _words(
    "hola gracias saludos mi red mis tu su usted estoy soy muy para con una los las del "
    "por pero como encantaria gustaria conectar "
    "hallo danke gruss grusse ich bin und der die das nicht mit fur uber sehr ein eine "
    "mich mir ihnen wurde freuen vernetzung "
    "ciao buongiorno grazie saluti sono della delle degli per che non mio mia rete "
    "contatto progetto "
    "ola obrigado obrigada voce meu minha rede muito uma com"
)
# Letters French does not write (ü and ö only in a few borrowed words).
_OTHER_LETTERS = re.compile("[ñãõßäöüåøæ¿¡]")
_FRENCH_ACCENTS = re.compile("[éèêëàâçùûôîïœ]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def infer_language(text: str | None, name: str = "") -> str | None:
    """``fr`` or ``en`` when the words of ``text`` clearly say which; else None."""
    if not text:
        return None
    skipped = {fold(word) for word in _WORD.findall(name)}
    if _OTHER_LETTERS.search(text.lower()):
        return None
    french = english = other = 0
    for word in _WORD.findall(text.replace("\u2019", "'")):
        folded = fold(word)
        if folded in skipped or folded in _EITHER:
            continue
        if folded in _OTHER:
            other += 1
        if word.islower() and _FRENCH_ACCENTS.search(word):
            french += 1
        # "j'aimerais", "l'équipe": the elided article or pronoun is French.
        head, _, tail = folded.partition("'")
        if tail and head in ("j", "l", "d", "qu", "n", "c", "s", "m", "t"):
            french += 2 if head in _FRENCH_STRONG else 1
            folded = tail
        if folded in _FRENCH_STRONG:
            french += 2
        elif folded in _FRENCH:
            french += 1
        if folded in _ENGLISH_STRONG:
            english += 2
        elif folded in _ENGLISH:
            english += 1
    # Words of another language, as many as half the winner's points: neither.
    if french >= 2 and french >= 2 * english and 2 * other < french:
        return FRENCH
    if english >= 2 and english >= 2 * french and 2 * other < english:
        return ENGLISH
    return None


_last: tuple[tuple[Any, ...], tuple[str, str] | None] = ((), None)


def inviter_language(facts: Mapping[str, Any]) -> tuple[str, str] | None:
    """The language the inviter wrote in, and where it was read: the note, then their answer.

    None when neither says clearly. The last answer is kept, for the same
    words: ``compare`` asks once per policy for the same invitation.
    """
    global _last
    words = (facts.get("message"), facts.get("follow_up"), facts.get("name"))
    last = _last  # read once: another thread may replace it
    if last[0] == words:
        return last[1]
    name = facts.get("name") or ""
    found: tuple[str, str] | None = None
    for fact, where in (("message", FROM_NOTE), ("follow_up", FROM_ANSWER)):
        text = facts.get(fact)
        language = infer_language(text, name) if isinstance(text, str) else None
        if language is not None:
            found = (language, where)
            break
    _last = (words, found)
    return found
