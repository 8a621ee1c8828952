"""What would change a decision: the facts that flip a policy, on worked examples."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from invpolicy import load_policy
from invpolicy.cli import cli
from invpolicy.engine.runner import compare
from invpolicy.engine.whatif import Change, what_would_change
from invpolicy.loading.invitations import load_invitations
from invpolicy.model.invitation import Invitation

from ..conftest import EXAMPLES, SCHOOLS


@pytest.fixture(scope="module")
def report(registry):
    policies = [load_policy(name, registry) for name in SCHOOLS]
    return compare(load_invitations(EXAMPLES / "invitations.yaml"), policies, what_if=True)


def rows(report):
    return {row.invitation.id: row for row in report.rows}


def said(row, policy):
    return [c.describe() for c in row.changes if c.policy == policy]


def test_a_recruiter_without_a_note_would_be_accepted_by_strong_ties_only_if_met(report):
    row = rows(report)["recruiter-no-note"]
    assert row.decisions["strong-ties-only"].decision == "decline"
    assert said(row, "strong-ties-only") == [
        "strong-ties-only would accept if met_in_person were true",
        "strong-ties-only would accept if exchanges were 1",
    ]


def test_an_unknown_fact_can_flip_both_ways(report):
    row = rows(report)["client-new-name"]
    assert row.decisions["in-person-only"].decision == "ask"
    assert said(row, "in-person-only") == [
        "in-person-only would accept if met_in_person were true",
        "in-person-only would decline if met_in_person were false",
    ]


def test_a_count_is_tried_at_the_policys_own_thresholds(report):
    row = rows(report)["recruiter-no-note"]
    # quality-over-quantity counts 3 mutual connections and 8 years as evidence.
    assert "quality-over-quantity would accept if mutual_connections were 3" in said(
        row, "quality-over-quantity"
    )
    assert "quality-over-quantity would accept if experience_years were 8" in said(
        row, "quality-over-quantity"
    )


def test_rows_where_every_policy_agrees_on_known_facts_get_no_changes(report):
    row = rows(report)["claire-conference"]
    assert row.agree and not row.lacks_facts
    assert row.changes == ()


def test_every_change_named_is_true_when_decided_again(report):
    by_name = {p.name: p for p in report.policies}
    checked = 0
    for row in report.rows:
        assert row.changes or (row.agree and not row.lacks_facts)
        for change in row.changes:
            facts = {**row.invitation.facts, change.fact: change.value}
            again = by_name[change.policy].decide(Invitation(row.invitation.id, "x", facts))
            assert again.decision == change.decision != row.decisions[change.policy].decision
            assert again.rule == change.rule
            checked += 1
    assert checked > 50


def test_a_policy_that_reads_nothing_never_changes(registry):
    policy = load_policy("accept-all", registry)
    invitation = Invitation("x", "X", {"met_in_person": False})
    assert what_would_change(policy, invitation) == []


def test_change_sentences_for_lists():
    assert Change("p", "shared_groups", [], "decline", "r").describe() == (
        "p would decline if shared_groups were empty"
    )
    assert Change("p", "shared_groups", ["something"], "ask", "r").describe() == (
        "p would ask if shared_groups were not empty"
    )


def test_compare_what_if_in_the_table_and_in_json():
    path = str(EXAMPLES / "invitations.yaml")
    args = ["compare", path, "-p", "strong-ties-only", "-p", "in-person-only", "--what-if"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = result.stdout
    section = text[text.index("What would change the decisions") :]
    recruiter = section[section.index("recruiter-no-note") :]
    assert "strong-ties-only would accept if met_in_person were true" in recruiter
    result = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    recruiter = next(r for r in data["results"] if r["invitation"] == "recruiter-no-note")
    assert {
        "policy": "strong-ties-only",
        "fact": "met_in_person",
        "value": True,
        "decision": "accept",
        "rule": "met-in-person",
    } in recruiter["what_if"]


def test_without_what_if_the_table_still_says_which_facts_were_lacking():
    path = str(EXAMPLES / "invitations.yaml")
    result = CliRunner().invoke(
        cli, ["compare", path, "-p", "strong-ties-only", "-p", "in-person-only"]
    )
    assert "Facts the decisions lacked" in result.stdout
    assert "would accept" not in result.stdout
