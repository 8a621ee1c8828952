"""invpolicy diff: every region real (its witness lands in it), every disagreement in one."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import invpolicy
from invpolicy.authoring.diff.differ import Diff, diff_policies
from invpolicy.authoring.diff.space import SAMPLE_TEXTS
from invpolicy.builtin.criteria import NETWORKS
from invpolicy.cli import cli
from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.io.document import Document
from invpolicy.loading.catalog import resolve_policy
from invpolicy.loading.parse import read_policy
from invpolicy.model.invitation import build_invitation, invitation_problems
from invpolicy.model.policy import Policy
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry

from ..conftest import SCHOOLS

REGISTRY = Registry(make_plugin_manager(entry_points=False, disabled=()))
POLICIES: dict[str, Policy] = {
    name: read_policy(resolve_policy(name, REGISTRY), REGISTRY) for name in SCHOOLS
}
COMPILED = {name: CompiledPolicy(policy, REGISTRY) for name, policy in POLICIES.items()}
PAIRS = list(itertools.combinations(SCHOOLS, 2))
DIFFS: dict[tuple[str, str], Diff] = {}


def diff_of(a: str, b: str) -> Diff:
    if (a, b) not in DIFFS:
        DIFFS[a, b] = diff_policies(POLICIES[a], POLICIES[b], REGISTRY)
    return DIFFS[a, b]


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}~{b}" for a, b in PAIRS])
def test_every_witness_lands_where_its_region_says(a: str, b: str) -> None:
    found = diff_of(a, b)
    assert found.a == a and found.b == b
    for region in found.regions:
        invitation = build_invitation(region.witness)
        assert not invitation_problems(region.witness, Document("witness", region.witness))
        got_a = COMPILED[a].decide(invitation)
        got_b = COMPILED[b].decide(invitation)
        assert (got_a.decision, got_a.rule) == (region.a.decision, region.a.rule)
        assert (got_b.decision, got_b.rule) == (region.b.decision, region.b.rule)
        assert got_a.decision != got_b.decision
        assert found.locate(region.witness) == region
        assert region.when and all(region.when)


@pytest.mark.parametrize("name", SCHOOLS)
def test_a_policy_is_equivalent_to_itself(name: str) -> None:
    found = diff_policies(POLICIES[name], POLICIES[name], REGISTRY)
    assert found.equivalent
    assert found.to_json() == {"a": name, "b": name, "equivalent": True, "regions": []}


def test_different_schools_differ() -> None:
    assert not diff_of("strong-ties-only", "in-person-only").equivalent
    assert all(not diff_of(a, "accept-all").equivalent for a in SCHOOLS if a != "accept-all")


def test_swapping_two_rules_that_never_both_fire_changes_nothing(tmp_path: Path) -> None:
    # strong-ties-only's answers: a pitch and a stated need are never both there.
    source = Path(POLICIES["strong-ties-only"].path).read_text(encoding="utf-8")
    rules = read_policy(POLICIES["strong-ties-only"].path, REGISTRY).rules
    ids = [rule.id for rule in rules]
    assert ids.index("pitch-in-answer") + 1 == ids.index("need-in-answer")
    start = source.index("  - id: pitch-in-answer")
    middle = source.index("  - id: need-in-answer")
    end = source.index("  - id: pitch-in-note")
    swapped = source[:start] + source[middle:end] + source[start:middle] + source[end:]
    copy = tmp_path / "strong-ties-only.yaml"
    copy.write_text(swapped, encoding="utf-8")
    reordered = read_policy(copy, REGISTRY)
    assert [rule.id for rule in reordered.rules] != ids
    assert diff_policies(reordered, POLICIES["strong-ties-only"], REGISTRY).equivalent


def test_an_extension_that_drops_a_rule_shows_that_rule_and_nothing_else(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "format: 1\nname: mine\nextends: strong-ties-only\ndrop: [pitch-in-note]\n",
        encoding="utf-8",
    )
    found = diff_policies(read_policy(mine, REGISTRY), POLICIES["strong-ties-only"], REGISTRY)
    assert found.regions
    assert {region.b.rule for region in found.regions} == {"pitch-in-note"}
    assert {(region.a.decision, region.a.rule) for region in found.regions} == {
        ("decline", "no-strong-tie")
    }
    (region,) = found.regions
    assert "message is a note that sells" in region.said()
    assert region.witness["message"] == SAMPLE_TEXTS["message"][2][1]


NOTES = [
    None,
    *(text for _, text in SAMPLE_TEXTS["message"]),
    "Hi",
    "Book a demo of our CRM",
    "Hello, book a free demo call with our agency today",
]
ANSWERS = [None, *(text for _, text in SAMPLE_TEXTS["follow_up"]), "ok", "We sell leads"]
WORDS = ["recruteur", "coach", "Zyxwv", "consultant", "Lyon", "alumni", "developer", "CEO", "RH"]


@st.composite
def invitations(draw: st.DrawFn) -> dict[str, object]:
    facts: dict[str, object] = {"id": "x", "name": "X"}

    def maybe(key: str, strategy: st.SearchStrategy[object]) -> None:
        if draw(st.booleans()):
            facts[key] = draw(strategy)

    maybe("met_in_person", st.booleans())
    maybe("profile_visible", st.booleans())
    maybe("exchanges", st.integers(0, 8))
    maybe("posts", st.integers(0, 8))
    maybe("experience_years", st.integers(0, 40))
    maybe("mutual_connections", st.integers(0, 12))
    if draw(st.booleans()):
        top = facts.get("mutual_connections", 12)
        assert isinstance(top, int)
        facts["mutual_in_sector"] = draw(st.integers(0, top))
    maybe("shared_groups", st.lists(st.sampled_from(["g1", "g2", "g3", "g4"]), max_size=4))
    maybe("common_ground", st.lists(st.sampled_from(WORDS), max_size=3))
    maybe("headline", st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join))
    maybe("company", st.lists(st.sampled_from(WORDS), max_size=2).map(" ".join))
    maybe("network", st.sampled_from(list(NETWORKS)))
    note = draw(st.sampled_from(NOTES))
    if note is not None:
        facts["message"] = note
    answer = draw(st.sampled_from(ANSWERS))
    if answer is not None:
        facts["follow_up"] = answer
    return facts


@settings(max_examples=300, deadline=None)
@given(facts=invitations(), pair=st.sampled_from(PAIRS))
def test_every_disagreement_falls_in_a_region_that_says_so(
    facts: dict[str, object], pair: tuple[str, str]
) -> None:
    a, b = pair
    invitation = build_invitation(facts)
    got_a, got_b = COMPILED[a].decide(invitation), COMPILED[b].decide(invitation)
    region = diff_of(a, b).locate(facts)
    if got_a.decision == got_b.decision:
        assert region is None
        return
    assert region is not None, f"{a} {got_a.decision}, {b} {got_b.decision}: in no region"
    assert (region.a.decision, region.a.rule) == (got_a.decision, got_a.rule)
    assert (region.b.decision, region.b.rule) == (got_b.decision, got_b.rule)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_command_exits_as_diff_does(tmp_path: Path) -> None:
    code, out, _ = run("strong-ties-only", "strong-ties-only")
    assert code == 0
    assert "decide alike for every invitation" in out
    code, out, _ = run("strong-ties-only", "in-person-only", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["a"] == "strong-ties-only" and data["equivalent"] is False
    first = data["regions"][0]
    assert set(first) == {"a", "b", "when", "witness"}
    assert set(first["a"]) == {"decision", "rule"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nname: bad\nrules: [}\n", encoding="utf-8")
    code, out, err = run(str(bad), "strong-ties-only")
    assert code == 2
    assert err.startswith(f"{bad}:3:")
    assert "Traceback" not in err
    code, _, err = run("no-such-school", "strong-ties-only")
    assert code == 2
    assert "no installed policy named 'no-such-school'" in err


def test_the_markdown_and_the_table_show_each_region() -> None:
    code, out, _ = run("strong-ties-only", "in-person-only", "--format", "markdown")
    assert code == 1
    assert out.startswith("# strong-ties-only against in-person-only\n")
    found = diff_of("strong-ties-only", "in-person-only")
    assert out.count("\n| ") == len(found.regions) + 1
    code, out, _ = run("strong-ties-only", "in-person-only")
    assert code == 1
    assert "talked-before" in out and "never-met" in out


def test_from_python_by_name_or_policy() -> None:
    by_name = invpolicy.diff_policies("strong-ties-only", "in-person-only")
    by_policy = invpolicy.diff_policies(COMPILED["strong-ties-only"], POLICIES["in-person-only"])
    assert by_name.to_json() == by_policy.to_json()
    assert isinstance(by_name.regions[0], invpolicy.Region)


def test_a_policy_too_large_to_search_is_refused_with_what_it_would_take(tmp_path: Path) -> None:
    rules = "".join(
        f"  - id: r{i}\n    when: {{exchanges: {{at_least: {i}}}}}\n    decision: accept\n"
        for i in range(1, 450)
    )
    big = tmp_path / "big.yaml"
    big.write_text(
        "format: 1\nname: big\ntitle: Big\nsummary: Many bounds.\nauthor: Tests\n"
        "sources:\n  - article: a\nrules:\n"
        f"{rules}  - id: rest\n    decision: decline\n",
        encoding="utf-8",
    )
    code, _, err = run(str(big), "strong-ties-only")
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith(f"{big}:1:1: cannot diff big and strong-ties-only: ")
    assert "exchanges is cut into" in line and "fewer bounds" in line


def test_a_plugin_criterion_that_declares_nothing_is_a_free_variable(
    registry_with_testplugin: Registry, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "format: 1\nname: mine\ntitle: Mine\nsummary: By a plugin's criterion.\n"
        "author: Tests\nsources:\n  - article: a\nrules:\n"
        "  - id: flagged\n    when: {fact: {fact: met_in_person}}\n    decision: accept\n"
        "  - id: rest\n    decision: decline\n    reply: {generator: three_part_decline}\n",
        encoding="utf-8",
    )
    policy = read_policy(mine, registry_with_testplugin)
    other = read_policy(
        resolve_policy("in-person-only", registry_with_testplugin), registry_with_testplugin
    )
    found = diff_policies(policy, other, registry_with_testplugin)
    assert found.regions
    for region in found.regions:
        # Nothing is known of what the criterion reads: each region says what it takes it to answer.
        assert set(region.assumes) == {'fact {"fact": "met_in_person"}'}
        assert region.to_json()["assumes"] == region.assumes
        assert any("fact" in part for term in region.when for part in term)
    taken = {
        (region.assumes['fact {"fact": "met_in_person"}'], region.a.rule)
        for region in found.regions
    }
    assert (True, "flagged") in taken


def _policy(tmp_path: Path, name: str, rules: str) -> Policy:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"format: 1\nname: {name}\ntitle: T\nsummary: S.\nauthor: Tests\n"
        f"sources:\n  - article: a\nrules:\n{rules}",
        encoding="utf-8",
    )
    return read_policy(path, REGISTRY)


def _else(decision: str) -> str:
    return f"  - id: rest\n    decision: {decision}\n"


def _when(condition: str, decision: str, rule: str = "first") -> str:
    return f"  - id: {rule}\n    when: {condition}\n    decision: {decision}\n"


#: Pairs the cut must tell apart, and an invitation on which they differ (or agree: None).
TRICKY = {
    "a prefix and the bare word": (
        _when("{headline_mentions: {keywords: ['recrut*']}}", "ask") + _else("accept"),
        _when("{headline_mentions: {keywords: ['recrut']}}", "ask") + _else("accept"),
        {"headline": "Recruteur"},
        True,
    ),
    "a phrase and its words": (
        _when("{headline_mentions: {keywords: ['data science']}}", "accept") + _else("ask"),
        _when(
            "{all: [{headline_mentions: {keywords: [data]}}, "
            "{headline_mentions: {keywords: [science]}}]}",
            "accept",
        )
        + _else("ask"),
        {"headline": "science and data"},
        True,
    ),
    "the company, read with the headline": (
        _when("{headline_mentions: {keywords: [coach]}}", "decline")
        + _when("{not: {headline_mentions: {keywords: [coach]}}}", "ask", "second")
        + _else("accept"),
        _when("{headline_mentions: {keywords: [coach]}}", "decline") + _else("ask"),
        {"company": "Acme"},
        False,
    ),
    "a greeting that sells": (
        _when("{note_pitch: }", "ignore") + _else("accept"),
        _when("{all: [{note_pitch: }, {personalized_message: }]}", "ignore") + _else("accept"),
        {"message": "Hi book a demo"},
        True,
    ),
    "a literal star in common ground": (
        _when("{common_ground: {any_of: ['C*']}}", "ask") + _else("accept"),
        _else("accept"),
        {"common_ground": ["C*"]},
        True,
    ),
}


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_the_cut_tells_apart_what_the_criteria_do(case: str, tmp_path: Path) -> None:
    rules_a, rules_b, facts, differ = TRICKY[case]
    a, b = _policy(tmp_path, "a", rules_a), _policy(tmp_path, "b", rules_b)
    invitation = build_invitation({"id": "x", "name": "X", **facts})
    got_a = CompiledPolicy(a, REGISTRY).decide(invitation)
    got_b = CompiledPolicy(b, REGISTRY).decide(invitation)
    assert (got_a.decision != got_b.decision) is differ
    found = diff_policies(a, b, REGISTRY)
    region = found.locate(facts)
    if not differ:
        assert region is None
        return
    assert region is not None
    assert (region.a.rule, region.b.rule) == (got_a.rule, got_b.rule)
    for region in found.regions:
        witness = build_invitation(region.witness)
        assert CompiledPolicy(a, REGISTRY).decide(witness).rule == region.a.rule
