"""Facts settled by other facts: the links the invitation schema declares (x-at-most)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from click.testing import CliRunner

from invpolicy import Counts, Criterion, hookimpl
from invpolicy.cli import cli
from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.engine.explain import explanation_lines
from invpolicy.engine.whatif import what_would_change
from invpolicy.errors import InvpolicyError
from invpolicy.model.invitation import Invitation
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry
from invpolicy.schema import links as links_module
from invpolicy.schema.links import Link, links, upper_bound

MakePolicy = Callable[..., CompiledPolicy]

SECTOR = """\
- id: sector
  when: {mutual_in_sector: {at_least: 1}}
  decision: accept
- id: default
  decision: ask
"""


def invitation(**facts: Any) -> Invitation:
    return Invitation.from_dict({"id": "anna", "name": "Anna Berg", **facts})


def test_the_schema_declares_that_mutual_in_sector_is_part_of_mutual_connections() -> None:
    assert Link("mutual_in_sector", "mutual_connections") in links()


def test_zero_mutual_connections_settle_the_sector_count(make_policy: MakePolicy) -> None:
    policy = make_policy(SECTOR)
    decision = policy.decide(invitation(mutual_connections=0), explain=True)
    assert (decision.decision, decision.rule) == ("ask", "default")
    # Not missing, so not asked and not reported.
    assert decision.missing == ()
    assert explanation_lines(decision)[:3] == [
        "rule sector: false, does not fire",
        '  mutual_in_sector {"at_least": 1}: false; '
        "mutual_in_sector is at most mutual_connections=0",
        "rule default: no condition, fires",
    ]
    assert decision.trace is not None
    condition = decision.trace[0].condition
    assert condition is not None
    assert condition["settled"] == "mutual_in_sector is at most mutual_connections=0"


def test_a_bound_that_leaves_room_settles_nothing(make_policy: MakePolicy) -> None:
    policy = make_policy(SECTOR)
    decision = policy.decide(invitation(mutual_connections=2))
    assert decision.missing == ("mutual_in_sector",)
    # Unknown counts as before when nothing bounds the fact.
    assert policy.decide(invitation()).missing == ("mutual_in_sector",)


def test_a_bound_can_settle_a_test_true(make_policy: MakePolicy) -> None:
    policy = make_policy(
        """\
        - id: few
          when: {experience: {below: 10}}
          decision: accept
        - id: at-most-two-in-sector
          when: {not: {mutual_in_sector: {at_least: 3}}}
          decision: decline
        - id: default
          decision: ask
        """
    )
    decision = policy.decide(invitation(mutual_connections=2, experience_years=12))
    assert (decision.decision, decision.rule, decision.missing) == (
        "decline",
        "at-most-two-in-sector",
        (),
    )


def test_an_invitation_that_breaks_a_link_is_refused_where_it_does(write) -> None:
    from invpolicy.loading.invitations import load_invitations

    path = write(
        "pending.yaml",
        "- id: anna\n  name: Anna Berg\n  mutual_connections: 2\n  mutual_in_sector: 3\n",
    )
    with pytest.raises(InvpolicyError) as exc:
        load_invitations(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:4:21: [0].mutual_in_sector: 3 is more than mutual_connections (2), "
        "which it is part of"
    ]


def test_what_if_never_proposes_a_value_the_links_rule_out(make_policy: MakePolicy) -> None:
    policy = make_policy(SECTOR)
    assert what_would_change(policy, invitation(mutual_connections=0)) == []
    changes = what_would_change(policy, invitation(mutual_connections=3))
    assert [(c.fact, c.value) for c in changes] == [("mutual_in_sector", 1)]
    # The other way round: a known sector count keeps mutual_connections at least as high.
    policy = make_policy(
        """\
        - id: none
          when: {not: {mutual_connections: {at_least: 1}}}
          decision: decline
        - id: default
          decision: ask
        """
    )
    assert what_would_change(policy, invitation(mutual_in_sector=2)) == []


def test_scores_decide_sooner_once_links_settle_a_signal(make_policy: MakePolicy) -> None:
    policy = make_policy(
        """\
        - id: high
          when: {score: {at_least: 3}}
          decision: accept
        - id: default
          decision: ask
        """,
        extra=(
            "scoring:\n"
            "  - {id: sector, when: {mutual_in_sector: {at_least: 1}}, weight: 3}\n"
            "  - {id: met, when: {met_in_person: }, weight: 1}\n"
        ),
    )
    open_range = policy.decide(invitation(mutual_connections=4)).score
    assert open_range is not None and (open_range.low, open_range.high) == (0, 4)
    settled = policy.decide(invitation(mutual_connections=0)).score
    assert settled is not None and (settled.low, settled.high) == (0, 1)


def test_interactive_does_not_ask_a_settled_fact_and_refuses_a_clash(tmp_path) -> None:
    from ..conftest import POLICY_HEADER

    policy = tmp_path / "sector.yaml"
    policy.write_text(
        POLICY_HEADER.format(name="sector") + "rules:\n" + textwrap.indent(SECTOR, "  "),
        encoding="utf-8",
    )
    pending = tmp_path / "pending.yaml"
    pending.write_text(
        "- id: anna\n  name: Anna Berg\n  mutual_connections: 0\n"
        "- id: bo\n  name: Bo Lind\n  mutual_connections: 1\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        ["decide", str(pending), "-p", str(policy), "--interactive"],
        input="3\n1\n",
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    # Anna: settled, nothing asked. Bo: 3 is refused, 1 is taken.
    assert result.output.count("[mutual_in_sector] (") == 2
    assert "mutual_in_sector cannot be more than mutual_connections, which is 1." in result.output
    assert pending.read_text(encoding="utf-8").endswith(
        "- id: bo\n  name: Bo Lind\n  mutual_connections: 1\n  mutual_in_sector: 1\n"
    )


def test_upper_bounds_follow_a_chain_of_links(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = (Link("a", "b"), Link("b", "c"))
    monkeypatch.setattr(links_module, "links", lambda: chain)
    assert upper_bound({"c": 4}, "a") == (4, Link("a", "b"))
    assert upper_bound({"b": 2, "c": 4}, "a") == (2, Link("a", "b"))
    assert upper_bound({}, "a") is None


# --- A plugin's criterion that declares its logic is settled the same way ----------------


def _in_sector(params: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool | None]:
    def check(facts: Mapping[str, Any]) -> bool | None:
        value = facts.get("mutual_in_sector")
        return None if value is None else value >= 2

    return check


class _Declared:
    @hookimpl
    def invpolicy_criteria(self) -> list[Criterion]:
        return [
            Criterion(
                "two_in_sector",
                "Two of the mutual connections work in your sector.",
                ("mutual_in_sector",),
                _in_sector,
                logic=lambda params: Counts("mutual_in_sector", at_least=2),
            ),
            Criterion(
                "two_in_sector_opaque",
                "The same, without saying so.",
                ("mutual_in_sector",),
                _in_sector,
            ),
        ]


@pytest.fixture(scope="module")
def declared() -> Registry:
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(_Declared(), name="declared")
    return Registry(pm)


def test_a_plugin_criterion_that_declares_its_logic_is_settled(
    make_policy: MakePolicy, declared: Registry
) -> None:
    rules = """\
    - id: sector
      when: {%s: }
      decision: accept
    - id: default
      decision: ask
    """
    settled = make_policy(rules % "two_in_sector", reg=declared)
    assert settled.decide(invitation(mutual_connections=1)).missing == ()
    opaque = make_policy(rules % "two_in_sector_opaque", reg=declared)
    assert opaque.decide(invitation(mutual_connections=1)).missing == ("mutual_in_sector",)


# --- what a review found ------------------------------------------------------------------


def test_a_count_written_as_a_float_keeps_the_link(write) -> None:
    from invpolicy.loading.invitations import load_invitations

    path = write(
        "pending.yaml",
        "- {id: a, name: Ann, mutual_connections: 2.0, mutual_in_sector: 3}\n",
    )
    with pytest.raises(InvpolicyError) as exc:
        load_invitations(path)
    assert "mutual_in_sector: 3 is more than mutual_connections (2.0)" in str(exc.value)


def test_a_policy_example_that_breaks_a_link_is_refused(write, registry: Registry) -> None:
    from invpolicy.loading.parse import read_policy

    from ..conftest import POLICY_HEADER

    path = write(
        "ex.yaml",
        POLICY_HEADER.format(name="ex")
        + "rules:\n  - id: d\n    decision: accept\n"
        + "examples:\n  - name: impossible\n"
        + "    invitation: {mutual_connections: 0, mutual_in_sector: 2}\n"
        + "    expect: {decision: accept}\n",
    )
    with pytest.raises(InvpolicyError) as exc:
        read_policy(path, registry)
    assert [p.message for p in exc.value.problems] == [
        "examples[0].invitation.mutual_in_sector: 2 is more than mutual_connections (0), "
        "which it is part of"
    ]


def test_a_part_known_settles_the_whole_from_below(make_policy: MakePolicy) -> None:
    policy = make_policy(
        """\
        - id: sector
          when: {mutual_in_sector: {at_least: 3}}
          decision: accept
        - id: some
          when: {mutual_connections: {at_least: 1}}
          decision: defer
        - id: default
          decision: ignore
        """
    )
    decision = policy.decide(invitation(mutual_in_sector=2), explain=True)
    assert (decision.decision, decision.missing) == ("defer", ())
    assert (
        '  mutual_connections {"at_least": 1}: true; '
        "mutual_connections is at least mutual_in_sector=2"
    ) in explanation_lines(decision)
    # What-if tries the values the link allows: here, from 2 up.
    high = make_policy(
        """\
        - id: many
          when: {mutual_connections: {at_least: 5}}
          decision: accept
        - id: default
          decision: ignore
        """
    )
    changes = what_would_change(high, invitation(mutual_in_sector=2))
    assert [(c.fact, c.value, c.decision) for c in changes] == [("mutual_connections", 5, "accept")]


def test_interactive_says_which_way_a_clash_goes(tmp_path) -> None:
    from ..conftest import POLICY_HEADER

    policy = tmp_path / "conn.yaml"
    policy.write_text(
        POLICY_HEADER.format(name="conn")
        + "rules:\n  - id: many\n    when: {mutual_connections: {at_least: 5}}\n"
        + "    decision: accept\n  - id: d\n    decision: ignore\n",
        encoding="utf-8",
    )
    pending = tmp_path / "pending.yaml"
    pending.write_text("- id: a\n  name: Ann\n  mutual_in_sector: 2\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["decide", str(pending), "-p", str(policy), "--interactive"],
        input="1\n6\n",
        catch_exceptions=False,
    )
    assert "mutual_connections cannot be less than mutual_in_sector, which is 2." in result.output


def test_a_clash_with_the_facts_file_is_said_in_the_facts_file(tmp_path) -> None:
    from invpolicy.loading.readers import open_invitations

    pending = tmp_path / "p.yaml"
    pending.write_text(
        "- id: two\n  name: Two\n  mutual_connections: 2\n  mutual_in_sector: 2\n",
        encoding="utf-8",
    )
    facts = tmp_path / "p.facts.yaml"
    facts.write_text("two:\n  mutual_connections: 1\n", encoding="utf-8")
    source = open_invitations(pending, facts=facts)
    with pytest.raises(InvpolicyError) as exc:
        source.check()
    assert [str(p) for p in exc.value.problems] == [
        f"{facts}:2:23: two.mutual_connections: 1 is less than mutual_in_sector (2), "
        "which is part of it"
    ]


class _Misbehaving:
    @hookimpl
    def invpolicy_criteria(self) -> list[Criterion]:
        def boom(params: Mapping[str, Any]) -> Any:
            raise RuntimeError("no logic today")

        return [
            Criterion("raises", "Its logic raises.", ("exchanges",), _in_sector, logic=boom),
            Criterion(
                "garbage",
                "Its logic returns text.",
                ("exchanges",),
                _in_sector,
                logic=lambda params: "exchanges >= 1",  # type: ignore[arg-type,return-value]
            ),
            Criterion(
                "bad_bound",
                "Its bound is text.",
                ("mutual_in_sector",),
                _in_sector,
                logic=lambda params: Counts("mutual_in_sector", at_least="2"),  # type: ignore[arg-type]
            ),
        ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("raises", "its logic failed: RuntimeError: no logic today"),
        ("garbage", "its logic returned str, expected Counts, OneOf or Mentions"),
        ("bad_bound", "its logic gives at_least='2', expected a number"),
    ],
)
def test_a_plugin_logic_that_misbehaves_is_a_plugin_error(write, name: str, message: str) -> None:
    from invpolicy.authoring.lint import lint_policy
    from invpolicy.errors import PluginError
    from invpolicy.loading.parse import read_policy

    from ..conftest import POLICY_HEADER

    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(_Misbehaving(), name="misbehaving")
    registry = Registry(pm)
    path = write(
        "p.yaml",
        POLICY_HEADER.format(name="p")
        + f"rules:\n  - id: r\n    when: {{{name}: }}\n    decision: accept\n"
        + "  - id: d\n    decision: ignore\n",
    )
    policy = read_policy(path, registry)
    expected = f"criterion '{name}' of plugin misbehaving: {message}"
    with pytest.raises(PluginError) as exc:
        CompiledPolicy(policy, registry)
    assert str(exc.value) == expected
    with pytest.raises(PluginError) as exc:
        lint_policy(policy, registry)
    assert str(exc.value) == expected


def test_the_plugin_testing_kit_checks_the_declared_logic() -> None:
    from invpolicy.testing import check_criterion

    garbage = _Misbehaving().invpolicy_criteria()[1]
    with pytest.raises(AssertionError) as exc:
        check_criterion(garbage)
    assert "its logic returned str, expected Counts, OneOf or Mentions" in str(exc.value)
