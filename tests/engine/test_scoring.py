"""Scoring: weighted signals add up, thresholds decide, explicit rules come first."""

from __future__ import annotations

import pytest

from invpolicy.errors import InvpolicyError
from invpolicy.loading.parse import read_policy

SCORING = """\
scoring:
  - id: groups
    when: {shared_groups: {at_least: 1}}
    weight: 2
  - id: mutual
    when: {mutual_connections: {at_least: 3}}
    weight: 3
  - id: no-note
    when: {not: {personalized_message: }}
    weight: -1
"""

RULES = """\
- id: known
  when: {met_in_person: }
  decision: accept
- id: enough
  when: {score: {at_least: 4}}
  decision: accept
- id: some
  when: {score: {at_least: 1, below: 4}}
  decision: ask
- id: none
  decision: decline
"""


@pytest.fixture
def scored(make_policy):
    return make_policy(RULES, extra=SCORING)


@pytest.mark.parametrize(
    ("facts", "rule", "total"),
    [
        (
            {"shared_groups": ["Lyon UX"], "mutual_connections": 5, "message": "Met at Lyon UX!"},
            "enough",
            5,
        ),
        ({"shared_groups": ["Lyon UX"], "mutual_connections": 5}, "enough", 4),
        ({"shared_groups": ["Lyon UX"], "mutual_connections": 0}, "some", 1),
        ({"shared_groups": [], "mutual_connections": 4}, "some", 2),
        ({"shared_groups": [], "mutual_connections": 0}, "none", -1),
    ],
)
def test_weights_of_true_signals_add_up_and_thresholds_decide(
    scored, make_invitation, facts, rule, total
):
    decision = scored.decide(make_invitation(met_in_person=False, **facts))
    assert decision.rule == rule
    assert decision.score is not None
    assert decision.score.total == total
    assert decision.missing == ()


def test_the_score_and_each_contribution_are_in_the_json(scored, make_invitation):
    decision = scored.decide(
        make_invitation(met_in_person=False, shared_groups=["Lyon UX"], mutual_connections=1)
    )
    out = decision.to_json()
    assert out["decision"] == "ask"
    assert out["score"] == {
        "total": 1,
        "low": 1,
        "high": 1,
        "signals": [
            {"signal": "groups", "weight": 2, "value": True, "points": 2, "missing": []},
            {"signal": "mutual", "weight": 3, "value": False, "points": 0, "missing": []},
            {"signal": "no-note", "weight": -1, "value": True, "points": -1, "missing": []},
        ],
    }


def test_an_explicit_rule_decides_first_and_the_score_is_still_given(scored, make_invitation):
    for explain in (False, True):
        decision = scored.decide(make_invitation(met_in_person=True), explain=explain)
        assert decision.rule == "known"
        assert decision.score is not None
        assert (decision.score.total, decision.score.low, decision.score.high) == (-1, -1, 4)
        # The signals' unknown facts did not matter to the decision.
        assert decision.missing == ()


def test_decimal_weights_reach_their_threshold(make_policy, make_invitation):
    policy = make_policy(
        """\
        - id: enough
          when: {score: {at_least: 0.8}}
          decision: accept
        - id: rest
          decision: decline
        """,
        extra=(
            "scoring:\n  - {id: a, when: {met_in_person: }, weight: 0.7}\n"
            "  - {id: b, when: {exchanges: }, weight: 0.1}\n"
        ),
    )
    decision = policy.decide(make_invitation(met_in_person=True, exchanges=2))
    assert (decision.rule, decision.score.total) == ("enough", 0.8)


def test_a_threshold_is_unknown_while_unknown_signals_could_still_cross_it(scored, make_invitation):
    # groups (+2) is true, mutual (+3) unknown: the score is 1 now and could reach 4.
    decision = scored.decide(make_invitation(met_in_person=False, shared_groups=["Lyon UX"]))
    assert decision.score is not None
    assert (decision.score.total, decision.score.low, decision.score.high) == (1, 1, 4)
    # "enough" (>= 4) and "some" (1..4) are both undecided: the default fires,
    # and the missing fact is the one that would settle them.
    assert decision.rule == "none"
    assert decision.missing == ("mutual_connections",)


def test_a_threshold_already_reached_does_not_wait_for_unknown_signals(
    make_policy, make_invitation
):
    policy = make_policy(
        """\
        - id: enough
          when: {score: {at_least: 2}}
          decision: accept
        - id: rest
          decision: decline
        """,
        extra=SCORING,
    )
    decision = policy.decide(
        make_invitation(shared_groups=["Lyon UX"], message="Hello from the Lyon UX group!")
    )
    assert decision.rule == "enough"
    assert decision.missing == ()
    assert [c.value for c in decision.score.contributions] == [True, None, False]


def test_explain_traces_the_threshold_and_each_signal(scored, make_invitation):
    decision = scored.decide(
        make_invitation(met_in_person=False, shared_groups=[], mutual_connections=9),
        explain=True,
    )
    enough = decision.trace[1].to_json()
    assert enough["condition"] == {
        "score": {"at_least": 4},
        "value": False,
        "total": 2,
        "low": 2,
        "high": 2,
        "missing": [],
    }
    signals = decision.to_json()["score"]["signals"]
    assert signals[1]["condition"]["saw"] == {"mutual_connections": 9}


def test_each_signal_runs_once_per_decision_however_many_thresholds(
    make_policy, make_invitation, counting
):
    registry, calls = counting(True)
    policy = make_policy(
        """\
        - id: high
          when: {score: {at_least: 10}}
          decision: accept
        - id: middle
          when: {all: [{score: {at_least: 5}}, {score: {below: 10}}]}
          decision: ask
        - id: rest
          decision: decline
        """,
        extra="scoring:\n  - {id: counted, when: {counted: }, weight: 5}\n",
        reg=registry,
    )
    assert policy.decide(make_invitation()).rule == "middle"
    assert calls == ["inv"]


@pytest.mark.parametrize(
    ("extra", "rules", "message"),
    [
        (
            "",
            "- {id: a, when: {score: {at_least: 1}}, decision: accept}\n- {id: b, decision: ask}\n",
            "rules[0].when.score: tests the score, but the policy has no 'scoring' section",
        ),
        (
            "scoring:\n  - {id: s, when: {score: {at_least: 1}}, weight: 1}\n",
            "- {id: b, decision: ask}\n",
            "scoring[0].when.score: a signal cannot test the score it adds up to",
        ),
        (
            "scoring:\n  - {id: s, when: {met_in_person: }, weight: 1}\n"
            "  - {id: s, when: {exchanges: }, weight: 2}\n",
            "- {id: b, decision: ask}\n",
            "scoring[1].id: duplicate signal id 's' (first used by scoring[0])",
        ),
        (
            "scoring:\n  - {id: s, when: {met_in_persn: }, weight: 1}\n",
            "- {id: b, decision: ask}\n",
            "scoring[0].when.met_in_persn: unknown criterion 'met_in_persn' "
            "(did you mean 'met_in_person'?)",
        ),
        (
            "scoring:\n  - {id: s, when: {met_in_person: }, weight: 0}\n",
            "- {id: b, decision: ask}\n",
            "scoring[0].weight: a weight of 0 adds nothing: give the signal a weight or remove it",
        ),
        (
            "scoring:\n  - {id: s, when: {met_in_person: }, weight: 1}\n",
            "- {id: a, when: {score: {at_least: 5, below: 2}}, decision: accept}\n"
            "- {id: b, decision: ask}\n",
            "rules[0].when.score: no score is at least 5 and below 2: this test is never true",
        ),
        (
            "scoring:\n  - {id: s, when: {met_in_person: }, weight: 1e308}\n"
            "  - {id: t, when: {exchanges: }, weight: 1e308}\n",
            "- {id: b, decision: ask}\n",
            "scoring[0].weight: 1e+308 is greater than the maximum of 1000",
        ),
        (
            "scoring:\n  - {id: s, when: {met_in_person: }, weight: 1}\n",
            "- {id: a, when: {score: {above: 1}}, decision: accept}\n- {id: b, decision: ask}\n",
            "rules[0].when.score: unknown key 'above'",
        ),
    ],
)
def test_scoring_mistakes_are_located(write, registry, extra, rules, message):
    text = (
        "format: 1\nname: s\ntitle: t\nsummary: s\nauthor: a\nsources: [{article: x}]\n"
        + extra
        + "rules:\n"
        + "".join("  " + line + "\n" for line in rules.splitlines())
    )
    path = write("s.yaml", text)
    with pytest.raises(InvpolicyError) as caught:
        read_policy(path, registry)
    lines = [str(p) for p in caught.value.problems]
    assert any(message in line for line in lines), lines
    assert all(line.startswith(f"{path}:") for line in lines)
