"""Three-valued logic, rule order, missing facts and explanations."""

from __future__ import annotations

import itertools

import pytest

from invpolicy import Criterion, hookimpl
from invpolicy.errors import PluginError
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry

TRI = (True, False, None)


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _facts(a: bool | None, b: bool | None) -> dict[str, bool]:
    return {k: v for k, v in (("a", a), ("b", b)) if v is not None}


@pytest.mark.parametrize(("op", "truth"), [("all", _and), ("any", _or)])
@pytest.mark.parametrize(("a", "b"), list(itertools.product(TRI, TRI)))
def test_all_and_any_follow_three_valued_logic(
    op, truth, a, b, make_policy, make_invitation, registry_with_testplugin
):
    policy = make_policy(
        f"""\
        - id: true-rule
          when:
            {op}:
              - fact: {{fact: a}}
              - fact: {{fact: b}}
          decision: accept
        - id: false-rule
          when:
            not:
              {op}:
                - fact: {{fact: a}}
                - fact: {{fact: b}}
          decision: decline
        - id: default
          decision: defer
        """,
        reg=registry_with_testplugin,
    )
    decision = policy.decide(make_invitation(**_facts(a, b)))
    expected = {True: "true-rule", False: "false-rule", None: "default"}[truth(a, b)]
    assert decision.rule == expected


def test_first_true_rule_decides_and_unknown_rules_are_skipped(make_policy, make_invitation):
    policy = make_policy(
        """\
        - id: met
          when: {met_in_person: }
          decision: accept
        - id: talked
          when: {exchanges: {at_least: 1}}
          decision: accept_limited
        - id: also-talked
          when: {exchanges: {at_least: 1}}
          decision: ask
        - id: default
          decision: ignore
        """
    )
    decision = policy.decide(make_invitation(exchanges=3))
    assert (decision.decision, decision.rule) == ("accept_limited", "talked")
    assert decision.missing == ("met_in_person",)


def test_explicit_zero_and_empty_list_are_known(make_policy, make_invitation):
    policy = make_policy(
        """\
        - id: groups
          when: {shared_groups: }
          decision: accept
        - id: default
          decision: decline
        """
    )
    assert policy.decide(make_invitation(shared_groups=[])).missing == ()
    assert policy.decide(make_invitation()).missing == ("shared_groups",)
    assert policy.decide(make_invitation(shared_groups=None)).missing == ("shared_groups",)


def test_missing_lists_only_facts_that_kept_a_rule_undecided(make_policy, make_invitation):
    policy = make_policy(
        """\
        - id: decided-anyway
          when:
            any: [{met_in_person: }, {exchanges: }]
          decision: accept
        - id: default
          decision: decline
        """
    )
    # any(unknown, true) is true: met_in_person did not matter.
    assert policy.decide(make_invitation(exchanges=1)).missing == ()
    # any(unknown, false) is unknown: met_in_person was needed.
    assert policy.decide(make_invitation(exchanges=0)).missing == ("met_in_person",)


def test_explain_records_every_rule_tried_and_what_each_criterion_saw(make_policy, make_invitation):
    policy = make_policy(
        """\
        - id: met
          when: {met_in_person: }
          decision: accept
        - id: talked
          when: {exchanges: {at_least: 2}}
          decision: accept
        - id: default
          decision: decline
        - id: never-tried
          decision: accept
        """
    )
    decision = policy.decide(make_invitation(exchanges=1), explain=True)
    assert decision.rule == "default"
    steps = decision.to_json()["explanation"]
    assert [s["rule"] for s in steps] == ["met", "talked", "default"]
    assert [s["value"] for s in steps] == [None, False, True]
    assert steps[0]["condition"]["missing"] == ["met_in_person"]
    assert steps[1]["condition"]["saw"] == {"exchanges": 1}
    assert steps[1]["condition"]["missing"] == []
    assert steps[1]["condition"]["params"] == {"at_least": 2}
    assert "explanation" not in policy.decide(make_invitation()).to_json()


def test_explain_lists_an_absent_fact_only_when_it_left_the_criterion_unsure(
    make_policy, make_invitation
):
    policy = make_policy(
        """\
        - id: marketer
          when: {headline_mentions: {keywords: [marketing]}}
          decision: accept
        - id: default
          decision: decline
        """
    )
    (step,) = policy.decide(make_invitation(headline="Head of Marketing"), explain=True).to_json()[
        "explanation"
    ]
    assert step["condition"]["value"] is True
    assert step["condition"]["saw"] == {"headline": "Head of Marketing"}
    assert step["condition"]["missing"] == []  # company is absent, but was not needed


class _Misbehaving:
    """A throwaway plugin whose criteria break the contract."""

    @hookimpl
    def invpolicy_criteria(self) -> list[Criterion]:
        def raises(params):
            def check(facts):
                raise RuntimeError("lookup service down")

            return check

        return [
            Criterion("raises", "Always raises.", (), raises),
            Criterion("says_maybe", "Returns a string.", (), lambda params: lambda facts: "maybe"),
        ]


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        (
            "raises",
            r"criterion 'raises' of plugin misbehaving failed: RuntimeError: lookup service down",
        ),
        (
            "says_maybe",
            r"criterion 'says_maybe' of plugin misbehaving returned str, "
            "expected True, False or None",
        ),
    ],
)
def test_a_misbehaving_criterion_is_named_with_the_invitation(
    criterion, message, make_policy, make_invitation
):
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(_Misbehaving(), name="misbehaving")
    policy = make_policy(
        f"""\
        - id: broken
          when: {{{criterion}: }}
          decision: accept
        - id: default
          decision: decline
        """,
        reg=Registry(pm),
    )
    with pytest.raises(PluginError, match=message + r" \(policy 'test', invitation 'inv'\)"):
        policy.decide(make_invitation())


def test_reply_language_follows_invitation_then_policy(make_policy, make_invitation):
    policy = make_policy(
        """\
        - id: default
          decision: ask
          reply: {generator: ask_purpose}
        """,
        extra="language: fr\n",
    )
    assert policy.decide(make_invitation()).reply.language == "fr"
    assert policy.decide(make_invitation(language="en")).reply.language == "en"


def test_a_generator_that_lacks_the_invitation_language_uses_the_policy_one(
    make_policy, make_invitation, registry_with_testplugin
):
    policy = make_policy(
        """\
        - id: default
          decision: accept
          reply: {generator: hallo}
        """,
        extra="language: de\n",
        reg=registry_with_testplugin,
    )
    reply = policy.decide(make_invitation(language="fr")).reply
    assert (reply.language, reply.text) == ("de", "Hallo Alex Martin!")


@pytest.mark.parametrize("explain", [False, True])
def test_a_criterion_runs_once_per_rule_tried(explain, make_policy, make_invitation, counting):
    registry, calls = counting(None, ("nothing",))
    policy = make_policy(
        """\
        - id: nested
          when:
            all:
              - any: [{counted: }, {met_in_person: }]
              - not: {exchanges: }
          decision: accept
        - id: default
          decision: decline
        """,
        reg=registry,
    )
    decision = policy.decide(make_invitation(), explain=explain)
    assert calls == ["inv"]
    assert decision.missing == ("nothing", "met_in_person", "exchanges")
