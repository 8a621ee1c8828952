"""note_pitch: an invitation note that makes a commercial offer.

The follow-up classifier reads the note, with the cues a pitch takes when it
comes unasked. Measured on two labelled sets of notes written for invpolicy:
``notes_development.yaml``, on which the note cues were developed, and
``notes.yaml``, written separately, before them, and never used to tune them.
The accuracy on each is shown at the end of the test run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from ruamel.yaml import YAML

from invpolicy.builtin.followup import ANSWER, NOTE, PITCH, classify
from invpolicy.plugins.registry import Registry

from ..conftest import DATA

SETS = {"development": DATA / "notes_development.yaml", "held-out": DATA / "notes.yaml"}
# The least accuracy each set must keep, and the most "other" notes taken for a pitch:
# a note wrongly read as a pitch is ignored, the costlier mistake.
FLOOR = {"development": 0.95, "held-out": 0.75}
FALSE_PITCHES = {"development": 0, "held-out": 2}


def _load(name: str) -> list[dict[str, str]]:
    data: list[dict[str, str]] = YAML(typ="safe").load(SETS[name].read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_labelled_notes_are_bilingual_and_mixed(name: str) -> None:
    notes = _load(name)
    assert len({n["id"] for n in notes}) == len(notes) >= 30
    counts = Counter((n["language"], n["label"]) for n in notes)
    assert all(counts[lang, label] >= 7 for lang in ("fr", "en") for label in ("pitch", "other"))


@pytest.mark.parametrize("name", sorted(SETS))
def test_accuracy_on_the_labelled_notes(name: str, summary: Callable[[str], None]) -> None:
    notes = _load(name)
    said = [(n, classify(n["text"], NOTE).kind == PITCH) for n in notes]
    right = sum(pitch == (n["label"] == "pitch") for n, pitch in said)
    false_pitches = [n["id"] for n, pitch in said if pitch and n["label"] != "pitch"]
    missed = sum(not pitch and n["label"] == "pitch" for n, pitch in said)
    summary(
        f"note_pitch, {name} set: {right}/{len(notes)} right ({right / len(notes):.0%}); "
        f"{len(false_pitches)} other notes taken for a pitch, {missed} pitches missed"
    )
    assert right / len(notes) >= FLOOR[name]
    assert len(false_pitches) <= FALSE_PITCHES[name], false_pitches


def test_notes_are_read_with_more_cues_than_answers() -> None:
    note = "Hi Sam, I help independent consultants land three new clients a month."
    assert classify(note, NOTE).kind == PITCH
    assert classify(note, ANSWER).kind != PITCH


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (None, False),
        ("", False),
        ("I'd like to add you to my professional network on LinkedIn.", False),
        ("We met at the Lyon meetup, great to stay in touch!", False),
        ("Bonjour, je recrute un chargé de communication, votre profil m'intéresse.", False),
        ("Notre agence conçoit des sites vitrines à partir de 490 €. Un appel rapide ?", True),
    ],
)
def test_the_criterion(registry: Registry, message: str | None, expected: bool) -> None:
    check = registry.criteria["note_pitch"].compile({})
    facts = {"id": "a", "name": "Anna Berg"}
    if message is not None:
        facts["message"] = message
    assert check(facts) is expected
