"""The policy ``sector-first`` and the German replies."""

from __future__ import annotations

import invpolicy_sectors
import pytest
from invpolicy_sectors.replies import GENERATORS

from invpolicy import CompiledPolicy, Invitation, read_policy
from invpolicy.resources import load_schema
from invpolicy.testing import registry_with

POLICY = invpolicy_sectors.POLICIES / "sector-first.yaml"


@pytest.fixture(scope="module")
def registry():
    return registry_with(invpolicy_sectors)


@pytest.fixture(scope="module")
def policy(registry):
    return read_policy(POLICY, registry)


def test_the_policy_is_the_only_file_shipped_and_names_its_schema():
    assert sorted(p.name for p in invpolicy_sectors.POLICIES.iterdir()) == ["sector-first.yaml"]
    first = POLICY.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={load_schema('policy')['$id']}"


def test_the_policy_writes_german_and_cites_its_articles(policy):
    assert policy.name == "sector-first"
    assert policy.language == "de"
    assert [s.article for s in policy.sources] == [
        "002_5c109a82d52c317c.txt",
        "004_ae3b26a4ad7a7b68.txt",
        "003_691ab520f1e53e7d.txt",
    ]


def test_the_examples_cover_every_rule(policy):
    assert {example.rule for example in policy.examples} == {rule.id for rule in policy.rules}


def test_every_example_decides_as_it_says(policy, registry):
    compiled = CompiledPolicy(policy, registry)
    for example in policy.examples:
        decision = compiled.decide(example.invitation)
        reply = decision.reply.generator if decision.reply else None
        assert (decision.decision, decision.rule, reply) == (
            example.decision,
            example.rule,
            example.generator,
        ), example.name


def test_every_reply_is_german_whatever_the_invitation_asks(policy, registry):
    compiled = CompiledPolicy(policy, registry)
    lea = Invitation.from_dict(
        {"id": "lea", "name": "Léa Martin", "language": "fr", "headline": "Chargée de recrutement"}
    )
    reply = compiled.decide(lea).reply
    assert reply is not None and reply.language == "de"
    assert reply.text.startswith("Guten Tag Léa Martin,\n\nvielen Dank")


def _render(name: str, params: dict[str, str], **facts: str) -> str:
    generator = next(g for g in GENERATORS if g.name == name)
    return generator.compile(params)({"id": "x", "name": "Jonas Weber", **facts}, "de")


def test_the_decline_gives_the_chosen_reason_and_an_open_door():
    texts = {
        reason: _render("german_decline", {"reason": reason})
        for reason in ("relevance", "sales", "strong_ties")
    }
    assert len(set(texts.values())) == 3
    assert "Kundenakquise" in texts["sales"]
    assert "persönlich getroffen" in texts["strong_ties"]
    assert "zu weit auseinander" in texts["relevance"]
    assert _render("german_decline", {}) == texts["relevance"]
    for text in texts.values():
        assert text.startswith("Guten Tag Jonas Weber,\n\n")
        assert "Meine Tür bleibt trotzdem offen" in text
        assert text.endswith("Mit freundlichen Grüßen")


def test_signature_and_channel_are_written_when_given():
    params = {"signature": "Ana Ruiz", "channel": "Mastodon (@ana@example.social)"}
    for generator in GENERATORS:
        text = _render(generator.name, params)
        assert text.endswith("Mit freundlichen Grüßen\nAna Ruiz")
        assert "über Mastodon (@ana@example.social)" in text
        assert "über" not in _render(generator.name, {})


def test_the_two_questions_differ():
    met = _render("german_question", {"question": "how_we_met"})
    purpose = _render("german_question", {"question": "purpose"})
    assert "kennengelernt" in met and "kennengelernt" not in purpose
    assert "Anlass Ihrer Anfrage" in purpose
    assert _render("german_question", {}) == met


def test_a_missing_name_still_greets():
    generator = GENERATORS[0]
    assert generator.compile({})({}, "de").startswith("Guten Tag,\n\n")
