"""Limits on what a stranger's file may hold: each refused with one located line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli
from invpolicy.io.limits import MAX_STRING_CHARS
from invpolicy.loading.inherit import MAX_RULES

Write = Callable[[str, str | bytes], Path]

TOO_LONG = f"a text of {MAX_STRING_CHARS + 1} characters is too long (at most {MAX_STRING_CHARS})"


def _run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output.splitlines()


def _policy(rules: int, *, name: str = "big") -> str:
    lines = [
        "format: 1",
        f"name: {name}",
        "title: Big",
        "summary: Many rules.",
        "author: Someone",
        "sources: [{article: a.txt, title: A}]",
        "rules:",
    ]
    for i in range(rules - 1):
        lines += [f"  - id: r{i}", "    when: {met_in_person: }", "    decision: accept"]
    lines += ["  - id: last", "    decision: ignore"]
    return "\n".join(lines) + "\n"


def test_a_policy_of_the_most_rules_is_read(write: Write) -> None:
    path = write("big.yaml", _policy(MAX_RULES))
    assert _run("validate", str(path)) == (0, [f"{path}: valid (big, {MAX_RULES} rules)"])


def test_a_policy_with_more_rules_is_refused_at_its_rules(write: Write) -> None:
    path = write("big.yaml", _policy(MAX_RULES + 1))
    code, lines = _run("validate", str(path))
    # At the first rule: the list starts there.
    assert (code, lines) == (1, [f"{path}:8:3: rules: a policy has at most {MAX_RULES} rules"])


def test_the_rule_limit_counts_the_rules_an_extended_policy_brings(write: Write) -> None:
    # strong-ties-only has six rules: with these, one too many.
    inserted = MAX_RULES - 5
    rules = [
        f"      - {{id: r{i}, when: {{met_in_person: }}, decision: accept}}"
        for i in range(inserted)
    ]
    path = write(
        "mine.yaml",
        "format: 1\nname: mine\nextends: strong-ties-only\ninsert:\n"
        "  - before: met-in-person\n    rules:\n" + "\n".join(rules) + "\n",
    )
    code, lines = _run("validate", str(path))
    assert code == 1
    assert lines == [
        f"{path}:5:3: insert: with the rules of policy 'strong-ties-only', this policy has "
        f"{MAX_RULES + 1} rules: a policy has at most {MAX_RULES} rules"
    ]


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("p.yaml", "format: 1\nname: {text}\n", ":2:7: "),
        # YAML allows long keys only as explicit keys ("? key").
        ("p.yaml", "format: 1\n? {text}\n: 1\n", ":2:3: "),
        ("inv.yaml", "- id: a\n  name: A\n  message: {text}\n", ":3:12: "),
        ("inv.json", '[{{"id": "a", "name": "A", "headline": "{text}"}}]', ":1:39: "),
        # JSON Lines: at the key; CSV: at the column.
        ("inv.jsonl", '{{"id": "a", "name": "A", "message": "{text}"}}\n', ":1:26: message: "),
        (
            "inv.jsonl",
            '{{"id": "a", "name": "A", "shared_groups": ["g", "{text}"]}}\n',
            ":1:26: shared_groups[1]: ",
        ),
        ("inv.csv", "id,name,message\na,A,{text}\n", ":2:3: message: "),
    ],
)
def test_a_text_over_the_length_limit_is_refused_where_it_is(
    write: Write, name: str, content: str, where: str
) -> None:
    path = write(name, content.format(text="x" * (MAX_STRING_CHARS + 1)))
    command = ["validate", str(path)] if name.startswith("p.") else ["compare", str(path)]
    code, lines = _run(*command, "-p", "ask-first") if command[0] == "compare" else _run(*command)
    assert code == 1
    (line,) = lines
    assert line.startswith(f"{path}{where}")
    assert line.endswith(TOO_LONG)


def test_a_text_of_the_longest_length_is_read(write: Write) -> None:
    path = write("inv.jsonl", json.dumps({"id": "a", "name": "x" * MAX_STRING_CHARS}) + "\n")
    code, lines = _run("compare", str(path), "-p", "ask-first", "--format", "json")
    assert code == 0
    assert json.loads("\n".join(lines))["results"][0]["name"] == "x" * MAX_STRING_CHARS


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        (["k"] * 201, "expected at most 200 items, got 201"),
        (["k" * 101], "is too long"),
    ],
)
def test_keyword_lists_are_bounded(write: Write, keywords: list[str], message: str) -> None:
    policy = _policy(1).replace(
        "  - id: last",
        f"  - id: hr\n    when: {{headline_mentions: {{keywords: {json.dumps(keywords)}}}}}\n"
        "    decision: ignore\n  - id: last",
    )
    code, lines = _run("validate", str(write("big.yaml", policy)))
    assert code == 1
    (line,) = lines
    assert "rules[0].when.headline_mentions.keywords" in line
    assert message in line


def test_a_csv_cell_over_the_csv_module_limit_is_one_located_line(write: Write) -> None:
    path = write("inv.csv", "id,name,message\na,A," + "x" * 140_000 + "\n")
    assert _run("compare", str(path), "-p", "ask-first") == (
        1,
        [f"{path}:2:1: invalid CSV: field larger than field limit (131072)"],
    )


def test_a_json_key_over_the_yaml_key_limit_is_one_located_line(write: Write) -> None:
    # YAML, which reads JSON files too, takes keys of up to 1024 characters.
    path = write("inv.json", json.dumps([{"id": "a", "name": "A", "k" * 1100: 1}]))
    assert _run("compare", str(path), "-p", "ask-first") == (
        1,
        [f"{path}:1:1129: invalid JSON: the key before this ':' is longer than 1,024 characters"],
    )


def _scoring(signals: int) -> str:
    lines = ["scoring:"]
    for i in range(signals):
        lines += [f"  - id: s{i}", "    weight: 1", "    when: {met_in_person: }"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("signals", "refused"), [(500, False), (501, True)])
def test_a_policy_has_at_most_500_scoring_signals(
    write: Write, signals: int, refused: bool
) -> None:
    path = write("big.yaml", _policy(1) + _scoring(signals))
    code, lines = _run("validate", str(path))
    if refused:
        assert (code, lines) == (
            1,
            [f"{path}:11:3: scoring: a policy has at most 500 scoring signals"],
        )
    else:
        assert (code, lines) == (0, [f"{path}: valid (big, 1 rule)"])
