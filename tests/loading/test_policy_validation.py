"""Policy files: what validation accepts, and how it says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

import invpolicy
from invpolicy.errors import InvpolicyError
from invpolicy.loading.catalog import installed_policies, resolve_policy
from invpolicy.loading.parse import read_policy
from invpolicy.model.policy import FORMAT_VERSION
from invpolicy.resources import data_dir

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
format: 1
name: {name}
title: Mine
summary: A policy.
author: Me
sources: [{{article: 001_f2db09ed6ce3cf39.txt}}]
language: fr
rules:
  - id: met
    when:
      met_in_person:
    decision: accept
  - id: default
    decision: decline
    reply:
      generator: three_part_decline
      params: {{signature: Me}}
"""


def _problems(path, registry) -> list[str]:
    with pytest.raises(InvpolicyError) as info:
        read_policy(path, registry)
    return [str(p) for p in info.value.problems]


def test_a_good_policy_reads(write, registry):
    policy = read_policy(write("mine.yaml", GOOD.format(name="mine")), registry)
    assert [r.id for r in policy.rules] == ["met", "default"]
    assert policy.rules[1].reply.params == {"signature": "Me"}
    assert policy.language == "fr"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "decision: accept",
            "desicion: accept",
            [
                "9:5: rules[0]: missing required key 'decision'",
                "12:5: rules[0]: unknown key 'desicion' (did you mean 'decision'?)",
            ],
        ),
        (
            "decision: accept",
            "decision: acept",
            [
                '12:15: rules[0].decision: "acept" is not one of: accept, accept_limited, '
                "ask, decline, ignore, defer (did you mean 'accept'?)",
            ],
        ),
        (
            "      met_in_person:",
            "      met_in_persn:",
            [
                "11:7: rules[0].when.met_in_persn: unknown criterion 'met_in_persn' "
                "(did you mean 'met_in_person'?)",
            ],
        ),
        (
            "      met_in_person:",
            "      exchanges: {at_least: two}",
            [
                '11:29: rules[0].when.exchanges.at_least: expected integer, got a string ("two")',
            ],
        ),
        (
            "      met_in_person:",
            "      exchanges: {at_leest: 2}",
            [
                "11:19: rules[0].when.exchanges: unknown key 'at_leest' (did you mean 'at_least'?)",
            ],
        ),
        (
            "generator: three_part_decline",
            "generator: three_part",
            [
                "16:18: rules[1].reply.generator: unknown reply generator 'three_part' "
                "(did you mean 'three_part_decline'?)",
            ],
        ),
        (
            "{signature: Me}",
            "{signature: 12}",
            [
                "17:27: rules[1].reply.params.signature: expected string, got an integer (12)",
            ],
        ),
        (
            "{signature: Me}",
            "{sign: Me}",
            [
                "17:16: rules[1].reply.params: unknown key 'sign' (did you mean 'signature'?)",
            ],
        ),
        ("title: Mine", "title: [Mine]", ['3:8: title: expected string, got a list (["Mine"])']),
        (
            "format: 1",
            f"format: {FORMAT_VERSION + 1}",
            [
                f"1:9: format {FORMAT_VERSION + 1} is newer than this invpolicy reads "
                f"(up to {FORMAT_VERSION}): upgrade invpolicy",
            ],
        ),
        (
            "  - id: default\n    decision: decline",
            "  - id: met\n    when: {exchanges: }\n    decision: decline",
            [
                "13:5: rules[1]: the last rule must have no 'when': it is the default, "
                "deciding when no other rule does",
                "13:9: rules[1].id: duplicate rule id 'met' (first used by rules[0])",
            ],
        ),
        (
            "      met_in_person:",
            "      met_in_person: {}\n      exchanges: {}",
            [
                "11:7: rules[0].when: a condition has exactly one key: all, any, not, score, "
                "or a criterion name",
            ],
        ),
        (
            "language: fr",
            "language: english",
            [
                "7:11: language: 'english' does not match '^[a-z]{2,3}(-[A-Za-z]{2,4})?$'",
            ],
        ),
        (
            "language: fr",
            "language: de",
            [
                "16:18: rules[1].reply.generator: reply generator 'three_part_decline' does not "
                "write the policy's language 'de' (it writes: fr, en)",
            ],
        ),
        (
            # An invalid decision is reported once, not again as a mismatched reply.
            "decision: decline",
            "decision: decilne",
            [
                '14:15: rules[1].decision: "decilne" is not one of: accept, accept_limited, '
                "ask, decline, ignore, defer (did you mean 'decline'?)",
            ],
        ),
        (
            "generator: three_part_decline",
            "generator: welcome",
            [
                "16:18: rules[1].reply.generator: reply generator 'welcome' writes for "
                "accept, accept_limited, not for the rule's decision 'decline'",
            ],
        ),
    ],
)
def test_mistakes_are_located_and_explained(write, registry, old, new, expected):
    text = GOOD.format(name="mine")
    assert old in text
    path = write("mine.yaml", text.replace(old, new, 1))
    assert _problems(path, registry) == [f"{path}:{line}" for line in expected]


def test_the_name_must_match_the_file(write, registry):
    path = write("other.yaml", GOOD.format(name="mine"))
    assert _problems(path, registry) == [
        f"{path}:2:7: name: 'mine' must equal the file name without its extension ('other')"
    ]


def test_every_bundled_policy_validates(registry):
    entries = installed_policies(registry)
    assert {e.name for e in entries} >= {"accept-all", "strong-ties-only", "ask-first"}
    for entry in entries:
        policy = read_policy(entry.path, registry)
        assert policy.sources and policy.author and policy.summary
        assert all(source.article.endswith(".txt") for source in policy.sources)


@pytest.mark.skipif(
    Path(invpolicy.__file__).resolve().is_relative_to(REPO / "src"),
    reason="an editable install reads the data from the source tree; tox tests the wheel",
)
def test_bundled_policies_and_schemas_ship_inside_the_installed_package():
    package = Path(invpolicy.__file__).resolve().parent
    assert data_dir("policies") == package / "policies"
    assert (package / "policies" / "strong-ties-only.yaml").is_file()
    assert (package / "schemas" / "policy.schema.json").is_file()
    assert (package / "schemas" / "invitation.schema.json").is_file()


def test_resolve_by_name_or_path(write, registry):
    assert resolve_policy("ask-first", registry).name == "ask-first.yaml"
    mine = write("mine.yaml", GOOD.format(name="mine"))
    assert resolve_policy(str(mine), registry) == mine
    with pytest.raises(InvpolicyError, match=r"did you mean 'ask-first'\?"):
        resolve_policy("ask-frist", registry)


def test_the_schema_words_a_condition_with_every_operator():
    from invpolicy.model.visitor import OPERATORS
    from invpolicy.resources import load_schema

    words = load_schema("policy")["$defs"]["condition"]["x-messages"]
    for message in words.values():
        assert f"{', '.join(OPERATORS)}, or a criterion name" in message
