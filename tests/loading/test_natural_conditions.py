"""`when: {met_in_person: true}`: what people write means what they think it means."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy.authoring.lint import lint_policy
from invpolicy.cli import cli
from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.errors import InvpolicyError
from invpolicy.loading.parse import read_policy
from invpolicy.model.conditions import CriterionCheck, Not
from invpolicy.model.invitation import Invitation
from invpolicy.plugins.registry import Registry

from ..conftest import POLICY_HEADER

Write = Callable[[str, str | bytes], Path]


def policy_file(write: Write, when: str) -> Path:
    rules = (
        f"rules:\n  - id: r\n    when: {when}\n    decision: accept\n"
        "  - id: d\n    decision: ignore\n"
    )
    return write("p.yaml", POLICY_HEADER.format(name="p") + rules)


def _without_params(registry: Registry) -> list[str]:
    return sorted(
        name
        for name in registry.criteria
        if registry.params_validator("criterion", name).is_valid({})
    )


def test_true_is_the_criterion_and_false_its_negation(write: Write, registry: Registry) -> None:
    rules = read_policy(policy_file(write, "{met_in_person: true}"), registry).rules
    assert rules[0].when == CriterionCheck("met_in_person", {})
    rules = read_policy(policy_file(write, "{met_in_person: false}"), registry).rules
    assert rules[0].when == Not(CriterionCheck("met_in_person", {}))


def test_every_criterion_without_parameters_decides_alike_in_both_forms(
    write: Write, registry: Registry
) -> None:
    names = _without_params(registry)
    assert {"met_in_person", "profile_visible", "note_pitch", "follow_up_pitch"} <= set(names)
    invitations = [
        Invitation.from_dict({"id": "a", "name": "A B"}),
        Invitation.from_dict({"id": "b", "name": "B C", "met_in_person": True, "exchanges": 2}),
        Invitation.from_dict(
            {"id": "c", "name": "C D", "profile_visible": False, "message": "We met at PyCon!"}
        ),
    ]
    for name in names:
        pairs = [
            (f"{{{name}: true}}", f"{{{name}: }}"),
            (f"{{{name}: false}}", f"{{not: {{{name}: }}}}"),
        ]
        for natural, usual in pairs:
            one = CompiledPolicy(read_policy(policy_file(write, natural), registry), registry)
            other = CompiledPolicy(read_policy(policy_file(write, usual), registry), registry)
            for invitation in invitations:
                a, b = one.decide(invitation), other.decide(invitation)
                assert (a.decision, a.rule, a.missing) == (b.decision, b.rule, b.missing), name


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (
            "{met_in_person: 1}",
            "rules[0].when.met_in_person: write nothing or true (the criterion holds), false (it "
            "does not), or a mapping of its parameters such as {at_least: 2}; got an integer (1)",
        ),
        (
            "{met_in_person: yes}",
            "rules[0].when.met_in_person: write nothing or true (the criterion holds), false (it "
            'does not), or a mapping of its parameters such as {at_least: 2}; got a string ("yes")',
        ),
        (
            "{network: true}",
            "rules[0].when.network: network needs parameters, so it cannot be written 'true': "
            "write them as a mapping, such as network: {in: ...}",
        ),
        (
            "{headline_mentions: false}",
            "rules[0].when.headline_mentions: headline_mentions needs parameters, so it cannot be "
            "written 'false': write them as a mapping, such as headline_mentions: {keywords: ...}, "
            "under not: to negate it",
        ),
    ],
)
def test_a_value_that_is_neither_shows_the_accepted_forms(
    write: Write, registry: Registry, when: str, message: str
) -> None:
    path = policy_file(write, when)
    with pytest.raises(InvpolicyError) as exc:
        read_policy(path, registry)
    assert [p.message for p in exc.value.problems] == [message]
    assert exc.value.problems[0].line == 9


def test_fmt_keeps_what_the_author_wrote_and_lint_understands_it(
    write: Write, registry: Registry
) -> None:
    text = POLICY_HEADER.format(name="p") + (
        "rules:\n"
        "  - id: met\n    when: {met_in_person: }\n    decision: accept\n"
        "  - id: met-again\n    when: {met_in_person: true}\n    decision: accept\n"
        "  - id: d\n    decision: ignore\n"
    )
    path = write("p.yaml", text)
    result = CliRunner().invoke(cli, ["fmt", "--check", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == text
    findings = lint_policy(read_policy(path, registry), registry)
    assert [(f.code, f.location.line) for f in findings if f.severity == "error"] == [
        ("shadowed", 11)
    ]
