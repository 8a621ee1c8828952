"""``invpolicy lint``: findings, their soundness, and the command."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from invpolicy import Counts, Criterion, ReplyGenerator, hookimpl
from invpolicy.authoring.lint import Finding, lint_file, lint_policy
from invpolicy.cli import cli
from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.model.conditions import AllOf, AnyOf, Condition, CriterionCheck, Not, ScoreTest
from invpolicy.model.invitation import Invitation, build_invitation
from invpolicy.model.policy import Policy, Rule, Signal, Source
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry

from ..conftest import REPO, SCHOOLS

Write = Callable[[str, str | bytes], Path]
MakePolicy = Callable[..., CompiledPolicy]
Lint = Callable[..., list[Finding]]

#: The findings that say a rule never fires.
DEAD = ("unreachable", "shadowed", "never-true")


@pytest.fixture
def lint_rules(make_policy: MakePolicy, registry: Registry) -> Lint:
    """Lint a policy made of ``rules`` (YAML text), as ``make_policy`` writes it."""

    def lint(rules: str, *, reg: Registry | None = None, extra: str = "") -> list[Finding]:
        used = reg or registry
        return lint_policy(make_policy(rules, reg=used, extra=extra).policy, used)

    return lint


def codes(findings: list[Finding]) -> list[tuple[str, str, int]]:
    return [(f.severity, f.code, f.location.line) for f in findings]


def dead(findings: list[Finding]) -> list[Finding]:
    """The findings that say a rule never fires."""
    return [f for f in findings if f.code in DEAD]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["lint", *args], catch_exceptions=False)


@pytest.fixture
def builtins_only(monkeypatch: pytest.MonkeyPatch, registry: Registry) -> Registry:
    """The CLI sees the built-in plugins only, whatever is installed."""
    monkeypatch.setattr("invpolicy.cli.options.load_registry", lambda: registry)
    return registry


# --- Throwaway plugins ---------------------------------------------------------


def _flag(params: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool | None]:
    fact = params["fact"]

    def check(facts: Mapping[str, Any]) -> bool | None:
        value = facts.get(fact)
        return None if value is None else bool(value)

    return check


def _unknown(params: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool | None]:
    return lambda facts: None


def _three_talks(params: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool | None]:
    def check(facts: Mapping[str, Any]) -> bool | None:
        value = facts.get("exchanges")
        return None if value is None else value >= 3

    return check


class _Plugins:
    """A criterion answering the fact it names as it is, one reading an unknown
    fact, and a reply generator writing German only, or German too."""

    @hookimpl
    def invpolicy_criteria(self) -> list[Criterion]:
        schema = {"type": "object", "required": ["fact"], "properties": {"fact": {}}}
        return [
            Criterion("flag", "The fact named `fact`.", (), _flag, schema),
            Criterion("headline_typo", "Reads a misspelt fact.", ("headlines",), _unknown),
            Criterion("headline_ok", "Reads a known fact.", ("headline",), _unknown),
            Criterion(
                "talked_a_lot",
                "Three talks at least, and says so.",
                ("exchanges",),
                _three_talks,
                logic=lambda params: Counts("exchanges", at_least=3),
            ),
            Criterion("talked_a_lot_opaque", "The same, silently.", ("exchanges",), _three_talks),
        ]

    @hookimpl
    def invpolicy_reply_generators(self) -> list[ReplyGenerator]:
        def compile_(params: Mapping[str, Any]) -> Callable[[Mapping[str, Any], str], str]:
            return lambda facts, language: f"Hallo ({language})"

        return [
            ReplyGenerator("hallo", "German only.", ("de",), compile_),
            ReplyGenerator("trilingual", "fr, en, de.", ("fr", "en", "de"), compile_),
        ]


@pytest.fixture(scope="module")
def plugged() -> Registry:
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(_Plugins(), name="throwaway")
    return Registry(pm)


# --- Rules that never fire ---------------------------------------------------


def test_a_rule_after_one_without_when_is_unreachable(lint_rules: Lint) -> None:
    findings = lint_rules(
        """\
        - id: everyone
          decision: accept
        - id: met
          when: {met_in_person: }
          decision: accept
        - id: default
          decision: ignore
        """,
    )
    assert codes(findings) == [("error", "unreachable", 10), ("error", "unreachable", 13)]
    assert findings[0].message == (
        "rule 'met' is never tried: rule 'everyone' (line 8) has no 'when' and always fires"
    )


SCORING = """\
scoring:
  - {id: met, when: {met_in_person: }, weight: 3}
  - {id: groups, when: {shared_groups: }, weight: 2}
  - {id: silent, when: {not: {personalized_message: }}, weight: -1}
"""


@pytest.mark.parametrize(
    ("earlier", "later", "is_dead"),
    [
        # Identical conditions, however the parameters are written.
        ("{met_in_person: }", "{met_in_person: {}}", True),
        ("{exchanges: }", "{exchanges: {at_least: 1}}", True),
        # A count: a higher threshold is true only where the lower one is.
        ("{exchanges: {at_least: 1}}", "{exchanges: {at_least: 3}}", True),
        ("{exchanges: {at_least: 3}}", "{exchanges: {at_least: 1}}", False),
        # An earlier any, one of whose parts is implied.
        ("{any: [{met_in_person: }, {exchanges: }]}", "{exchanges: {at_least: 2}}", True),
        ("{exchanges: {at_least: 2}}", "{any: [{met_in_person: }, {exchanges: }]}", False),
        # A later all, one of whose parts implies the earlier condition.
        ("{met_in_person: }", "{all: [{shared_groups: }, {met_in_person: }]}", True),
        ("{all: [{shared_groups: }, {met_in_person: }]}", "{met_in_person: }", False),
        ("{met_in_person: }", "{any: [{met_in_person: }, {shared_groups: }]}", False),
        # not: De Morgan holds with unknown facts too...
        (
            "{not: {any: [{met_in_person: }, {shared_groups: }]}}",
            "{all: [{not: {met_in_person: }}, {not: {shared_groups: }}]}",
            True,
        ),
        ("{not: {not: {profile_visible: }}}", "{profile_visible: }", True),
        # ...but "not A" does not hold wherever A is unknown or another part is false.
        ("{not: {met_in_person: }}", "{met_in_person: }", False),
        ("{not: {met_in_person: }}", "{not: {all: [{met_in_person: }, {shared_groups: }]}}", False),
        ("{not: {exchanges: {at_least: 1}}}", "{not: {exchanges: {at_least: 3}}}", False),
        ("{not: {exchanges: {at_least: 3}}}", "{not: {exchanges: {at_least: 1}}}", True),
        # Fewer than 3 years is "not at least 3 years" (the fact is known then).
        ("{not: {experience: {at_least: 3}}}", "{experience: {below: 3}}", True),
        ("{experience: {below: 5}}", "{experience: {at_least: 1, below: 3}}", True),
        ("{experience: {at_least: 1, below: 3}}", "{experience: {below: 5}}", False),
        ("{network: {in: [linkedin, viadeo]}}", "{network: {in: [viadeo]}}", True),
        ("{network: {in: [viadeo]}}", "{network: {in: [linkedin, viadeo]}}", False),
        (
            "{headline_mentions: {keywords: [recruiter, talent]}}",
            "{headline_mentions: {keywords: [Talent]}}",
            True,
        ),
        (
            "{headline_mentions: {keywords: [recruiter]}}",
            "{headline_mentions: {keywords: [recruiter, talent]}}",
            False,
        ),
        ("{common_ground: }", "{common_ground: {any_of: [HEC]}}", True),
        ("{common_ground: {any_of: [HEC]}}", "{common_ground: }", False),
        # An answer is a pitch or a need, never both.
        ("{not: {follow_up_pitch: }}", "{follow_up_need: }", True),
        ("{follow_up_pitch: }", "{follow_up_need: }", False),
        # Score tests: an earlier range that holds the later one.
        ("{score: {at_least: 2}}", "{score: {at_least: 4}}", True),
        ("{score: {at_least: 4}}", "{score: {at_least: 2}}", False),
        ("{score: {at_least: 1, below: 5}}", "{score: {at_least: 2, below: 4}}", True),
        ("{score: {at_least: 2, below: 4}}", "{score: {at_least: 1, below: 5}}", False),
        ("{not: {score: {at_least: 4}}}", "{score: {below: 2}}", True),
        # The score is at least -1 (every negative weight): at_least -1 always holds.
        ("{score: {at_least: -1}}", "{met_in_person: }", True),
        ("{score: {at_least: -0.5}}", "{met_in_person: }", False),
        # Plugins' criteria: only the same parameters are known to agree.
        ("{flag: {fact: a}}", "{flag: {fact: a}}", True),
        ("{flag: {fact: a}}", "{flag: {fact: b}}", False),
        # ...unless the criterion declares what it tests.
        ("{exchanges: {at_least: 1}}", "{talked_a_lot: }", True),
        ("{talked_a_lot: }", "{exchanges: {at_least: 2}}", False),
        ("{talked_a_lot: }", "{exchanges: {at_least: 4}}", True),
        ("{exchanges: {at_least: 1}}", "{talked_a_lot_opaque: }", False),
    ],
)
def test_shadowing(
    lint_rules: Lint, plugged: Registry, earlier: str, later: str, is_dead: bool
) -> None:
    findings = dead(
        lint_rules(
            f"""\
        - id: earlier
          when: {earlier}
          decision: accept
        - id: later
          when: {later}
          decision: accept
        - id: default
          decision: ignore
        """,
            reg=plugged,
            extra=SCORING if "score" in earlier + later else "",
        )
    )
    # The scoring section takes 4 lines.
    offset = 4 if "score" in earlier + later else 0
    if is_dead:
        assert codes(findings) == [("error", "shadowed", 11 + offset)]
        assert findings[0].message == (
            f"rule 'later' never fires: rule 'earlier' (line {8 + offset}) before it fires "
            "whenever its condition is true"
        )
    else:
        assert findings == []


def test_a_rule_shadowed_by_several_rules_names_those_that_matter(
    lint_rules: Lint,
) -> None:
    # network is always known: every invitation is on LinkedIn or not.
    findings = lint_rules(
        """\
        - id: linkedin
          when: {network: {in: [linkedin]}}
          decision: accept
        - id: met
          when: {met_in_person: }
          decision: accept
        - id: elsewhere
          when: {network: {in: [viadeo, facebook, twitter, other]}}
          decision: decline
          reply: {generator: short_decline}
        - id: note
          when: {personalized_message: }
          decision: accept
        - id: default
          decision: ignore
        """,
    )
    assert codes(findings) == [("error", "shadowed", 18)]
    assert findings[0].message == (
        "rule 'note' never fires: rules 'linkedin' (line 8) and 'elsewhere' (line 14) "
        "before it fire whenever its condition is true"
    )


def test_linked_facts_that_leave_room_are_not_reported(lint_rules: Lint) -> None:
    findings = lint_rules(
        """\
        - id: some
          when:
            all: [{not: {mutual_connections: {at_least: 3}}}, {mutual_in_sector: {at_least: 2}}]
          decision: accept
        - id: default
          decision: ignore
        """
    )
    assert dead(findings) == []


@pytest.mark.parametrize(
    "condition",
    [
        "{all: [{met_in_person: }, {not: {met_in_person: }}]}",
        "{experience: {at_least: 5, below: 3}}",
        "{not: {exchanges: {at_least: 0}}}",
        "{all: [{follow_up_pitch: }, {follow_up_need: }]}",
        # The weights add up to 5 at most.
        "{score: {at_least: 6}}",
        "{score: {below: -1}}",
        # Linked facts: no more in your sector than mutual connections in all.
        "{all: [{not: {mutual_connections: {at_least: 3}}}, {mutual_in_sector: {at_least: 3}}]}",
        "{all: [{mutual_in_sector: {at_least: 2}}, {not: {mutual_connections: {at_least: 1}}}]}",
    ],
)
def test_a_condition_that_is_never_true(lint_rules: Lint, condition: str) -> None:
    findings = dead(
        lint_rules(
            f"""\
        - id: never
          when: {condition}
          decision: accept
        - id: default
          decision: ignore
        """,
            extra=SCORING,
        )
    )
    assert codes(findings) == [("error", "never-true", 12)]
    assert findings[0].message == (
        "rule 'never' never fires: no invitation makes its condition true"
    )


@pytest.mark.parametrize(
    "condition",
    [
        "{any: [{met_in_person: }, {not: {met_in_person: }}]}",
        "{experience: {at_least: 3, below: 5}}",
        "{not: {exchanges: {at_least: 1}}}",
        "{score: {at_least: 5}}",
        "{score: {below: -0.5}}",
    ],
)
def test_a_condition_that_can_be_true(lint_rules: Lint, condition: str) -> None:
    rules = (
        f"- id: maybe\n  when: {condition}\n  decision: accept\n- id: default\n  decision: ignore\n"
    )
    assert dead(lint_rules(rules, extra=SCORING)) == []


def test_rules_that_split_what_is_known_are_not_dead(lint_rules: Lint) -> None:
    """As in common-ground: something in common, nothing in common, not known yet."""
    findings = lint_rules(
        """\
        - id: some
          when: {any: [{mutual_connections: }, {common_ground: }]}
          decision: accept
        - id: none
          when: {not: {any: [{mutual_connections: }, {common_ground: }]}}
          decision: ignore
        - id: default
          decision: defer
        """,
    )
    assert findings == []


# --- Soundness: a rule reported dead never fires ------------------------------

PITCH = "Our agency helps B2B brands double their leads. Book a call: https://calendly.com/jade"
NEED = "Fair enough. I'm looking for advice on UX research, because your posts helped me a lot."


def _invitations(count: int, seed: int) -> list[Invitation]:
    rng = random.Random(seed)

    def maybe(*values: Any) -> Any:
        return rng.choice([None, *values])

    invitations = []
    for i in range(count):
        facts = {
            "id": f"inv-{i}",
            "name": "Ann Lee",
            "met_in_person": maybe(True, False),
            "profile_visible": maybe(True, False),
            "exchanges": maybe(0, 1, 2, 3, 4),
            "mutual_connections": maybe(0, 1, 2, 3),
            "posts": maybe(0, 1, 5),
            "shared_groups": maybe([], ["a"], ["a", "b"]),
            "common_ground": maybe([], ["HEC"], ["Lyon"], ["hec", "Acme"]),
            "experience_years": maybe(0, 1, 2.5, 3, 5, 7.9, 8, 12),
            "network": maybe("linkedin", "viadeo", "facebook", "twitter", "other"),
            "message": maybe("", "I'd like to add you to my network.", "We met at PyCon."),
            "headline": maybe("Tech Recruiters", "Talent acquisition", "Recruteuse", "Baker"),
            "company": maybe("Acme", "Talent & co"),
            "follow_up": maybe("", "Thanks, good to hear from you.", PITCH, NEED),
            "a": maybe(True, False),
            "b": maybe(True, False),
        }
        invitations.append(build_invitation(facts))
    return invitations


LEAVES: list[Condition] = [
    CriterionCheck("met_in_person", {}),
    CriterionCheck("profile_visible", {}),
    CriterionCheck("personalized_message", {}),
    *(CriterionCheck("exchanges", {"at_least": n}) for n in (0, 1, 2, 3)),
    CriterionCheck("mutual_connections", {}),
    CriterionCheck("shared_groups", {"at_least": 2}),
    CriterionCheck("publishes", {"at_least": 5}),
    CriterionCheck("experience", {"at_least": 3}),
    CriterionCheck("experience", {"below": 3}),
    CriterionCheck("experience", {"at_least": 2, "below": 8}),
    CriterionCheck("experience", {"at_least": 2.5, "below": 3}),
    CriterionCheck("network", {"in": ["linkedin"]}),
    CriterionCheck("network", {"in": ["linkedin", "viadeo"]}),
    CriterionCheck("network", {"in": ["viadeo", "facebook", "twitter", "other"]}),
    CriterionCheck("common_ground", {}),
    CriterionCheck("common_ground", {"any_of": ["HEC"]}),
    CriterionCheck("headline_mentions", {"keywords": ["recruiter"]}),
    CriterionCheck("headline_mentions", {"keywords": ["recruiter", "talent"]}),
    CriterionCheck("follow_up_pitch", {}),
    CriterionCheck("follow_up_need", {}),
    CriterionCheck("flag", {"fact": "a"}),
    CriterionCheck("flag", {"fact": "b"}),
    ScoreTest(at_least=2),
    ScoreTest(at_least=4),
    ScoreTest(below=1),
    ScoreTest(at_least=-1),
    ScoreTest(at_least=0),
    ScoreTest(below=-0.5),
    ScoreTest(at_least=1, below=5),
    ScoreTest(below=6.5),
]
SIGNALS = (
    Signal("met", CriterionCheck("met_in_person", {}), 2),
    Signal("talked", CriterionCheck("exchanges", {"at_least": 2}), -1),
    Signal("senior", CriterionCheck("experience", {"at_least": 5}), 1.5),
    Signal("group", CriterionCheck("shared_groups", {}), 3),
)


def _random_condition(rng: random.Random, depth: int = 0) -> Condition:
    roll = rng.random()
    if depth >= 3 or roll < 0.4:
        return rng.choice(LEAVES)
    if roll < 0.55:
        return Not(_random_condition(rng, depth + 1))
    parts = tuple(_random_condition(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    return AllOf(parts) if roll < 0.8 else AnyOf(parts)


def _same(rng: random.Random, node: Condition) -> Condition:
    """``node`` written another way (De Morgan, double negation)."""
    if isinstance(node, AllOf | AnyOf):
        parts = tuple(_same(rng, part) for part in node.parts)
        other = AnyOf if isinstance(node, AllOf) else AllOf
        if rng.random() < 0.5:
            return Not(other(tuple(Not(part) for part in parts)))
        return type(node)(parts)
    if isinstance(node, Not):
        return Not(_same(rng, node.part))
    return Not(Not(node)) if rng.random() < 0.3 else node


def _policy(conditions: list[Condition]) -> Policy:
    rules = [Rule(f"r{i}", c, "accept") for i, c in enumerate(conditions)]
    return Policy(
        name="generated",
        title="Generated",
        summary="Generated by the tests.",
        author="The tests",
        sources=(Source("tests"),),
        rules=(*rules, Rule("default", None, "ignore")),
        scoring=SIGNALS,
    )


class _Values:
    """Each condition's value for each invitation, as the engine decides it."""

    def __init__(self, registry: Registry, invitations: list[Invitation]) -> None:
        self.registry = registry
        self.invitations = invitations
        self.cache: dict[str, list[bool | None]] = {}

    def __call__(self, condition: Condition) -> list[bool | None]:
        key = repr(condition)
        if key not in self.cache:
            policy = _policy([condition])
            rules = (
                Rule("true", condition, "accept"),
                Rule("false", Not(condition), "decline"),
                Rule("unknown", None, "ignore"),
            )
            compiled = CompiledPolicy(replace(policy, rules=rules), self.registry)
            value = {"true": True, "false": False, "unknown": None}
            self.cache[key] = [value[compiled.decide(i).rule] for i in self.invitations]
        return self.cache[key]


@pytest.mark.slow
def test_a_rule_reported_dead_never_fires(plugged: Registry) -> None:
    """For random rules, and rules built to be dead: never a false alarm."""
    rng = random.Random(2024)
    values = _Values(plugged, _invitations(250, seed=7))
    reported = 0
    for trial in range(600):
        earlier = [_random_condition(rng) for _ in range(rng.choice((1, 1, 2)))]
        extra = _random_condition(rng, 1)
        pick = rng.choice(earlier)
        template = rng.randrange(6)
        later = [
            _same(rng, pick),
            AllOf((_same(rng, pick), extra)),
            AnyOf((pick, extra)),
            Not(pick),
            extra,
            _random_condition(rng),
        ][template]
        conditions = [*earlier, later]
        findings = [f for f in lint_policy(_policy(conditions), plugged) if f.code in DEAD]
        dead = {f.message.split("'")[1] for f in findings}
        for finding in findings:
            index = int(finding.message.split("'")[1].removeprefix("r"))
            before = [values(c) for c in conditions[:index]]
            mine = values(conditions[index])
            fires = [
                n
                for n, value in enumerate(mine)
                if value is True and not any(b[n] is True for b in before)
            ]
            assert not fires, (trial, str(finding), conditions, fires[:3])
            reported += index == len(earlier)
        if template < 2 and f"r{earlier.index(pick)}" not in dead:
            # The same condition written another way, or narrowed: found every time.
            assert f"r{len(earlier)}" in dead, (trial, conditions)
    assert reported > 150


def test_the_invitations_reach_every_value(plugged: Registry) -> None:
    """The soundness test sees each leaf true, false and unknown (or always known)."""
    values = _Values(plugged, _invitations(250, seed=7))
    for leaf in LEAVES:
        seen = set(values(leaf))
        assert True in seen, leaf
        # The weights add up to -1 at least: that test is always true.
        assert len(seen) > 1 or leaf == ScoreTest(at_least=-1), leaf


# --- Replies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "warned"),
    [
        ("decline", True),
        ("ask", True),
        ("ignore", False),
        ("defer", False),
        ("accept", False),
        ("accept_limited", False),
    ],
)
def test_a_decline_or_question_without_reply(lint_rules: Lint, decision: str, warned: bool) -> None:
    findings = lint_rules(
        f"""\
        - id: maybe
          when: {{met_in_person: }}
          decision: {decision}
        - id: default
          decision: ignore
        """,
    )
    if warned:
        assert codes(findings) == [("warning", "no-reply", 8)]
        assert findings[0].message == (
            f"rule 'maybe' decides '{decision}' without a reply: the inviter gets no word"
        )
    else:
        assert findings == []


@pytest.mark.parametrize(
    ("met_reply", "default", "language", "expected"),
    [
        pytest.param(
            "hallo",
            "accept\n  reply: {generator: hallo}",
            "de",
            [
                (
                    9,
                    "reply generator 'hallo' (rules 'met', 'default') does not write en, fr: "
                    "invitations asking for them get a reply in the policy's language, 'de'",
                )
            ],
            id="only the policy's language",
        ),
        pytest.param(
            # An invitation in German gets German from one rule: from the others too?
            "trilingual",
            "decline\n  reply: {generator: short_decline}",
            "fr",
            [
                (
                    13,
                    "reply generator 'short_decline' (rule 'default') does not write de: "
                    "invitations asking for it get a reply in the policy's language, 'fr'",
                )
            ],
            id="a language another generator of the policy writes",
        ),
        pytest.param(
            "welcome",
            "decline\n  reply: {generator: short_decline}",
            "fr",
            [],
            id="fr and en everywhere",
        ),
    ],
)
def test_reply_languages_the_generators_do_not_write(
    lint_rules: Lint,
    plugged: Registry,
    met_reply: str,
    default: str,
    language: str,
    expected: list[tuple[int, str]],
) -> None:
    rules = (
        "- id: met\n  when: {met_in_person: }\n  decision: accept\n"
        f"  reply: {{generator: {met_reply}}}\n- id: default\n  decision: {default}\n"
    )
    findings = lint_rules(rules, reg=plugged, extra=f"language: {language}\n")
    assert [(f.code, f.location.line, f.message) for f in findings] == [
        ("language-fallback", line, message) for line, message in expected
    ]


# --- Facts ---------------------------------------------------------------------


@pytest.mark.parametrize(("criterion", "warned"), [("headline_typo", True), ("headline_ok", False)])
def test_a_criterion_reading_a_fact_invitations_do_not_have(
    lint_rules: Lint, plugged: Registry, criterion: str, warned: bool
) -> None:
    findings = lint_rules(
        f"""\
        - id: reads
          when: {{not: {{{criterion}: }}}}
          decision: accept
        - id: default
          decision: ignore
        """,
        reg=plugged,
        extra=f"scoring:\n  - {{id: sig, when: {{{criterion}: }}, weight: 1}}\n",
    )
    if warned:
        assert codes(findings) == [
            ("warning", "unknown-fact", 8),
            ("warning", "unused-scoring", 8),
            ("warning", "unknown-fact", 10),
        ]
        assert findings[2].message == (
            "rule 'reads': criterion 'headline_typo' reads the fact 'headlines', which "
            "the invitation schema does not know (a typo in plugin throwaway?)"
        )
    else:
        assert codes(findings) == [("warning", "unused-scoring", 8)]


# --- Scoring -------------------------------------------------------------------

THRESHOLD = """\
- id: enough
  when: {score: {at_least: 3}}
  decision: accept
- id: default
  decision: ignore
"""


def test_a_signal_too_light_to_change_a_threshold(lint_rules: Lint) -> None:
    extra = """\
scoring:
  - {id: met, when: {met_in_person: }, weight: 3}
  - {id: note, when: {personalized_message: }, weight: 0.5}
"""
    findings = lint_rules(THRESHOLD, extra=extra)
    assert codes(findings) == [("warning", "inert-signal", 9)]
    assert findings[0].message == (
        "signal 'note' (weight 0.5) never changes a score test (at least 3): "
        "no decision depends on it"
    )


def test_a_signal_that_can_tip_a_threshold(lint_rules: Lint) -> None:
    extra = """\
scoring:
  - {id: met, when: {met_in_person: }, weight: 2.5}
  - {id: note, when: {personalized_message: }, weight: 0.5}
"""
    assert lint_rules(THRESHOLD, extra=extra) == []


def test_a_signal_that_matters_only_while_unknown(
    lint_rules: Lint, make_policy: MakePolicy, make_invitation: Callable[..., Invitation]
) -> None:
    """Met or not, the score is outside [1, 3); unknown, it may be inside."""
    extra = """\
scoring:
  - {id: met, when: {met_in_person: }, weight: 3}
  - {id: note, when: {personalized_message: }, weight: 0.25}
"""
    rules = """\
- id: outside
  when: {not: {score: {at_least: 1, below: 3}}}
  decision: accept
- id: default
  decision: ignore
"""
    # Only the light signal is inert: the heavy one decides while it is unknown.
    findings = lint_rules(rules, extra=extra)
    assert [(f.code, f.message.split("'")[1]) for f in findings] == [("inert-signal", "note")]
    compiled = make_policy(rules, extra=extra)
    decided = {
        compiled.decide(make_invitation(**facts)).rule
        for facts in ({"met_in_person": True}, {"met_in_person": False}, {})
    }
    assert decided == {"outside", "default"}


def test_scoring_that_no_rule_tests(lint_rules: Lint) -> None:
    extra = "scoring:\n  - {id: met, when: {met_in_person: }, weight: 3}\n"
    findings = lint_rules("- id: default\n  decision: ignore\n", extra=extra)
    assert codes(findings) == [("warning", "unused-scoring", 8)]


def test_a_signal_that_is_never_true(lint_rules: Lint) -> None:
    extra = """\
scoring:
  - {id: met, when: {met_in_person: }, weight: 3}
  - {id: both, when: {all: [{follow_up_pitch: }, {follow_up_need: }]}, weight: 1}
"""
    findings = lint_rules(THRESHOLD, extra=extra)
    assert ("warning", "dead-signal", 9) in codes(findings)


def test_a_signal_reported_inert_changes_no_decision(plugged: Registry) -> None:
    """Every combination of the signals' values, through the engine."""
    rng = random.Random(5)
    reported = 0
    for _ in range(120):
        count = rng.randint(2, 4)
        weights = [rng.choice((-2, -1, -0.5, 0.25, 0.5, 1, 2, 3)) for _ in range(count)]
        signals = tuple(
            Signal(f"s{i}", CriterionCheck("flag", {"fact": f"f{i}"}), w)
            for i, w in enumerate(weights)
        )
        tests = [
            ScoreTest(rng.choice((None, -1, 0, 1, 2.5)), rng.choice((None, 3, 4.5)))
            for _ in range(rng.randint(1, 3))
        ]
        tests = [
            t if t.at_least is not None or t.below is not None else ScoreTest(1) for t in tests
        ]
        # Under a "not", a test that is unknown and one that is false decide differently.
        rules = tuple(
            Rule(f"t{i}", Not(t) if rng.random() < 0.5 else t, "accept")
            for i, t in enumerate(tests)
        )
        policy = Policy(
            name="weights",
            title="t",
            summary="s",
            author="a",
            sources=(Source("tests"),),
            rules=(*rules, Rule("default", None, "ignore")),
            scoring=signals,
        )
        inert = [
            int(f.message.split("'")[1].removeprefix("s"))
            for f in lint_policy(policy, plugged)
            if f.code == "inert-signal"
        ]
        compiled = CompiledPolicy(policy, plugged)
        for i in inert:
            reported += 1
            for others in itertools.product((True, False, None), repeat=count - 1):
                decided = set()
                for value in (True, False, None):
                    values = [*others[:i], value, *others[i:]]
                    facts = {f"f{n}": v for n, v in enumerate(values)}
                    decided.add(
                        compiled.decide(build_invitation({"id": "x", "name": "X", **facts})).rule
                    )
                assert len(decided) == 1, (weights, tests, i, others)
    assert reported > 10


# --- Validation, extends -------------------------------------------------------


def test_duplicate_rule_ids_are_validation_errors(write: Write, registry: Registry) -> None:
    path = write(
        "dup.yaml",
        """\
        format: 1
        name: dup
        title: t
        summary: s
        author: a
        sources: [{article: x}]
        rules:
          - id: same
            when: {met_in_person: }
            decision: accept
          - id: same
            decision: ignore
        """,
    )
    findings = lint_file(path, registry)
    assert [str(f) for f in findings] == [
        f"{path}:11:9: error: rules[1].id: duplicate rule id 'same' (first used by rules[0]) "
        "[invalid]"
    ]


PARENT = """\
format: 1
name: parent
title: Parent
summary: s
author: a
sources: [{article: x}]
language: en
rules:
  - id: talked
    when: {exchanges: {at_least: 2}}
    decision: accept
  - id: default
    decision: ignore
"""


def test_an_extending_policy_points_at_the_file_where_a_rule_is_written(
    write: Write, registry: Registry
) -> None:
    parent = write("parent.yaml", PARENT)
    child = write(
        "child.yaml",
        """\
        format: 1
        name: child
        extends: parent
        insert:
          - before: talked
            rules:
              - id: chatty
                when: {exchanges: }
                decision: accept
          - after: talked
            rules:
              - id: very-chatty
                when: {exchanges: {at_least: 5}}
                decision: accept
        """,
    )
    assert [str(f) for f in lint_file(child, registry)] == [
        f"{child}:12:9: error: rule 'very-chatty' never fires: rule 'chatty' (line 7) "
        "before it fires whenever its condition is true [shadowed]",
        f"{parent}:9:5: error: rule 'talked' never fires: rule 'chatty' ({child}:7:9) "
        "before it fires whenever its condition is true [shadowed]",
    ]
    assert lint_file(parent, registry) == []


def test_findings_shared_by_a_policy_and_its_extension_come_once(
    write: Write, builtins_only: Registry
) -> None:
    parent = write("parent.yaml", PARENT.replace("decision: ignore", "decision: decline"))
    child = write("child.yaml", "format: 1\nname: child\nextends: parent\n")
    result = run(str(parent), str(child))
    assert result.stdout.splitlines() == [
        f"{parent}:12:5: warning: rule 'default' decides 'decline' without a reply: the inviter "
        "gets no word [no-reply]"
    ]
    assert result.stderr == "2 policies: 0 errors, 1 warning\n"


# --- The command -----------------------------------------------------------------

WARNED = """\
format: 1
name: warned
title: t
summary: s
author: a
sources: [{article: x}]
rules:
  - id: default
    decision: decline
"""


def test_warnings_only_exit_0(write: Write, builtins_only: Registry) -> None:
    path = write("warned.yaml", WARNED)
    result = run(str(path))
    assert result.exit_code == 0
    assert result.stdout == (
        f"{path}:8:5: warning: rule 'default' decides 'decline' without a reply: "
        "the inviter gets no word [no-reply]\n"
    )
    assert result.stderr == "1 policy: 0 errors, 1 warning\n"


def test_strict_makes_warnings_errors(write: Write, builtins_only: Registry) -> None:
    path = write("warned.yaml", WARNED)
    result = run("--strict", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:8:5: error: rule 'default'")
    assert result.stderr == "1 policy: 1 error, 0 warnings\n"


def test_an_error_exits_1_and_the_other_policies_are_linted(
    write: Write, builtins_only: Registry
) -> None:
    broken = write("broken.yaml", "format: 1\nname: [\n")
    warned = write("warned.yaml", WARNED)
    result = run(str(broken), str(warned), "accept-all")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{broken}:3:1: error: invalid YAML: ")
    assert lines[0].endswith(" [invalid]")
    assert lines[1].startswith(f"{warned}:8:5: warning: ")
    assert len(lines) == 2
    assert result.stderr == "3 policies: 1 error, 1 warning\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "3:1: error: binary data (a NUL byte), not a text file",
        ),
        (b"name: \xff\xfe\n", "1:7: error: not valid UTF-8 text (byte 0xff)"),
        (b"- just\n- a list\n", "1:1: error: "),
        (b"format: 1\nname: x\nrules: {}\n", ": error: "),
    ],
)
def test_bad_input_gives_a_located_line(
    write: Write, builtins_only: Registry, content: bytes, message: str
) -> None:
    path = write("x.yaml", content)
    result = run(str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:")
    assert message in result.stdout
    assert "Traceback" not in result.output


def test_missing_files_and_unknown_names(tmp_path: Path, builtins_only: Registry) -> None:
    result = run(str(tmp_path / "nope.yaml"), str(tmp_path), "no-such-policy")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.yaml'}:1:1: error: no such file [invalid]" in result.stdout
    assert f"{tmp_path}:1:1: error: is a directory, not a file [invalid]" in result.stdout
    assert "no-such-policy:1:1: error: no installed policy named 'no-such-policy'" in result.stdout


def test_json_format(write: Write, builtins_only: Registry) -> None:
    path = write("warned.yaml", WARNED)
    result = run("--format", "json", str(path))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "policies": 1,
        "errors": 0,
        "warnings": 1,
        "findings": [
            {
                "path": str(path),
                "line": 8,
                "col": 5,
                "severity": "warning",
                "code": "no-reply",
                "message": "rule 'default' decides 'decline' without a reply: the inviter "
                "gets no word",
            }
        ],
    }


# --- The bundled policies ---------------------------------------------------------


@pytest.mark.parametrize("name", SCHOOLS)
def test_each_bundled_policy_lints_clean(registry: Registry, name: str) -> None:
    assert lint_file(REPO / "policies" / f"{name}.yaml", registry) == []


def test_every_installed_policy_by_default(builtins_only: Registry) -> None:
    result = run()
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"{len(SCHOOLS)} policies: 0 errors, 0 warnings\n"


def test_the_console_script(write: Write) -> None:
    path = write("warned.yaml", WARNED)
    script = Path(sys.executable).parent / "invpolicy"
    done = subprocess.run(
        [str(script), "lint", "--strict", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.endswith("[no-reply]\n")
    assert done.stderr == "1 policy: 1 error, 0 warnings\n"
