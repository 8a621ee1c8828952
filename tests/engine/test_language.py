"""The reply's language, from the inviter's own words when the invitation gives none.

Measured on ``languages.yaml``: texts labelled fr, en or unsure, written for
invpolicy before the method and never used to tune it. The accuracy is shown
at the end of the test run.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable

import pytest
from ruamel.yaml import YAML

from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.engine.explain import explanation_lines
from invpolicy.engine.language import infer_language, inviter_language
from invpolicy.model.invitation import Invitation

from ..conftest import DATA

MakePolicy = Callable[..., CompiledPolicy]
TEXTS = YAML(typ="safe").load((DATA / "languages.yaml").read_text(encoding="utf-8"))


def test_the_labelled_texts_are_many_short_and_in_both_languages() -> None:
    assert len({t["id"] for t in TEXTS}) == len(TEXTS) >= 60
    counts = Counter((t["label"], t["kind"]) for t in TEXTS)
    for label in ("fr", "en"):
        for kind in ("note", "one-line", "stock"):
            assert counts[label, kind] >= 5, (label, kind)
    assert sum(t["label"] == "unsure" for t in TEXTS) >= 8


def test_accuracy_on_the_labelled_texts(summary: Callable[[str], None]) -> None:
    found = [(t, infer_language(t["text"]) or "unsure") for t in TEXTS]
    right = sum(answer == t["label"] for t, answer in found)
    # A wrong language is worse than none: none falls back to the policy's.
    wrong = [(t["id"], answer) for t, answer in found if answer not in (t["label"], "unsure")]
    by_label = {
        label: (
            sum(answer == label for t, answer in found if t["label"] == label),
            sum(t["label"] == label for t in TEXTS),
        )
        for label in ("fr", "en", "unsure")
    }
    summary(
        f"language inference: {right}/{len(TEXTS)} right ({right / len(TEXTS):.0%}; "
        + ", ".join(f"{label} {r}/{n}" for label, (r, n) in by_label.items())
        + f"); {len(wrong)} given the wrong language"
    )
    assert right / len(TEXTS) >= 0.9
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("J'aimerais vous inviter à rejoindre mon réseau.", "fr"),
        ("I'd like to add you to my professional network on LinkedIn.", "en"),
        ("Hi Amélie, we met at the Café de Flore in Paris last week.", "en"),
        ("Bonjour Marie, I'd love to connect after your talk on open data.", "en"),
        ("Salut, on s'est vus au meetup growth hacking, ravi d'échanger !", "fr"),
        ("Super", None),
        # Other languages are neither, even with words French shares.
        ("Hola, me encantaría que formes parte de mi red profesional", None),
        ("Hallo, ich bin Student an der TU und würde mich über eine Vernetzung freuen", None),
        ("Buongiorno, la contatto per un progetto", None),
        ("Hello", None),
        ("", None),
        (None, None),
    ],
)
def test_what_the_words_say(text: str | None, language: str | None) -> None:
    assert infer_language(text) == language


def test_the_inviter_s_name_does_not_count() -> None:
    # "Jean Le Du": three French-looking words that are only a name.
    assert infer_language("Jean Le Du", name="Jean Le Du") is None


def test_the_note_first_then_the_answer() -> None:
    note = {"message": "Hello, we met at the fair last week.", "follow_up": "Merci, je cherche..."}
    assert inviter_language(note) == ("en", "from the note")
    answer = {"message": "Super !", "follow_up": "Merci pour votre message, je cherche un mentor."}
    assert inviter_language(answer) == ("fr", "from their answer")
    assert inviter_language({"message": "OK"}) is None


DECLINE = """\
- id: everyone
  decision: decline
  reply: {generator: short_decline}
"""


def decide(policy: CompiledPolicy, **facts: object) -> tuple[str, str, list[str]]:
    invitation = Invitation.from_dict({"id": "a", "name": "Anna Berg", **facts})
    decision = policy.decide(invitation, explain=True)
    assert decision.reply is not None
    return decision.reply.language, decision.reply.language_from, explanation_lines(decision)


def test_a_reply_in_the_inviter_s_language_and_explain_says_why(make_policy: MakePolicy) -> None:
    policy = make_policy(DECLINE, extra="language: fr\n")
    language, where, lines = decide(policy, message="Hi Sam, we met at the Lyon meetup.")
    assert (language, where) == ("en", "from the note")
    assert lines[-1] == "language en, from the note"
    # The invitation's own language wins; without words to go on, the policy's.
    assert decide(policy, language="fr", message="Hi Sam, we met at the Lyon meetup.")[:2] == (
        "fr",
        "from the invitation",
    )
    assert decide(policy, message="Super")[:2] == ("fr", "from the policy")
    assert decide(policy)[:2] == ("fr", "from the policy")


def test_the_method_is_imported_only_when_a_reply_needs_it() -> None:
    code = (
        "import sys, invpolicy.cli\n"
        "from invpolicy.cli import cli\n"
        "print('invpolicy.engine.language' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
