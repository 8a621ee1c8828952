"""``extends``: adapting someone else's policy, and ``invpolicy show --resolved``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy import CompiledPolicy
from invpolicy.cli import cli
from invpolicy.errors import InvpolicyError
from invpolicy.loading.parse import read_policy
from invpolicy.model.invitation import build_invitation
from invpolicy.plugins.registry import Registry

Write = Callable[[str, str | bytes], Path]

MINE = """\
format: 1
name: mine
extends: strong-ties-only
insert:
  - before: no-strong-tie
    rules:
      - id: same-group
        when: {shared_groups: {at_least: 1}}
        decision: accept_limited
replace:
  - id: talked-before
    when: {exchanges: {at_least: 2}}
    decision: accept
drop: [pitch-in-answer]
reply_params:
  three_part_decline: {signature: Jeanne, channel: "Mastodon (@jeanne)"}
"""


def _problems(path: Path, registry: Registry) -> list[str]:
    with pytest.raises(InvpolicyError) as info:
        read_policy(path, registry)
    return [str(problem) for problem in info.value.problems]


def test_an_extending_policy_inherits_and_changes_the_rules(
    write: Write, registry: Registry
) -> None:
    path = write("mine.yaml", MINE)
    policy = read_policy(path, registry)
    assert [rule.id for rule in policy.rules] == [
        "met-in-person",
        "talked-before",
        "need-in-answer",
        "pitch-in-note",
        "same-group",
        "no-strong-tie",
    ]
    # Metadata and language come from the school.
    assert policy.title == "Strong ties only"
    assert policy.language == "fr"
    assert policy.extends == "strong-ties-only"
    assert Path(policy.parents[0]).name == "strong-ties-only.yaml"
    # Each rule knows the file it was written in.
    assert policy.rules[1].at.path == str(path)
    assert policy.rules[1].at.line == 11
    assert Path(policy.rules[0].at.path).name == "strong-ties-only.yaml"

    compiled = CompiledPolicy(policy, registry)

    def decide(**facts: object) -> tuple[str, str]:
        invitation = build_invitation({"id": "x", "name": "Lou", **facts})
        decision = compiled.decide(invitation)
        return decision.decision, decision.reply.text if decision.reply else ""

    # The replaced rule needs two conversations now.
    assert decide(met_in_person=False, exchanges=1, shared_groups=[])[0] == "decline"
    assert decide(exchanges=2)[0] == "accept"
    # The inserted rule decides before the default.
    assert decide(met_in_person=False, exchanges=0, shared_groups=["Python"])[0] == (
        "accept_limited"
    )
    # The reply parameters are merged into the school's rule.
    decision, text = decide(met_in_person=False, exchanges=0, shared_groups=[])
    assert decision == "decline"
    assert "Jeanne" in text and "Mastodon (@jeanne)" in text


def test_metadata_written_in_the_extending_file_wins(write: Write, registry: Registry) -> None:
    path = write(
        "mine.yaml",
        MINE + "title: Mine\nlanguage: en\nsources: [{article: my blog}]\n",
    )
    policy = read_policy(path, registry)
    assert (policy.title, policy.language) == ("Mine", "en")
    assert [source.article for source in policy.sources] == ["my blog"]
    assert policy.author.startswith("Mathieu")


def test_extends_a_path_relative_to_the_file_and_a_sibling_by_name(
    write: Write, registry: Registry
) -> None:
    base = MINE.replace("name: mine", "name: base")
    write("base.yaml", base).with_name("sub").mkdir()
    child = write("sub/child.yaml", "format: 1\nname: child\nextends: ../base.yaml\n")
    assert [r.id for r in read_policy(child, registry).rules][4] == "same-group"
    sibling = write("sibling.yaml", "format: 1\nname: sibling\nextends: base\n")
    policy = read_policy(sibling, registry)
    # A chain of two: sibling -> base -> strong-ties-only.
    assert [Path(p).name for p in policy.parents] == ["base.yaml", "strong-ties-only.yaml"]


def test_a_cycle_is_an_error_naming_the_chain(write: Write, registry: Registry) -> None:
    write("a.yaml", "format: 1\nname: a\nextends: b.yaml\n")
    write("b.yaml", "format: 1\nname: b\nextends: c\n")
    path = write("c.yaml", "format: 1\nname: c\nextends: ./a.yaml\n")
    problems = _problems(path, registry)
    assert (
        f"{path.with_name('b.yaml')}:3:10: extends: a cycle: c.yaml -> a.yaml -> b.yaml -> c.yaml"
        in problems
    )
    assert (
        f"{path}:3:10: extends: './a.yaml' ({path.with_name('a.yaml')}) has problems, listed below"
        in problems
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            "extends: strong-ties-onl\n",
            ":3:10: extends: no installed policy named 'strong-ties-onl' (did you mean "
            "'strong-ties-only'?), and no file strong-ties-onl.yaml beside this one",
        ),
        (
            "extends: strong-ties-only\ndrop: [talked-befor]\n",
            ":4:8: drop[0]: policy 'strong-ties-only' has no rule 'talked-befor' "
            "(did you mean 'talked-before'?)",
        ),
        (
            "extends: strong-ties-only\n"
            "insert: [{after: nope, rules: [{id: x, decision: accept}]}]\n",
            ":4:18: insert[0].after: policy 'strong-ties-only' has no rule 'nope'",
        ),
        (
            "extends: strong-ties-only\ninsert: [{before: no-strong-tie, rules: "
            "[{id: met-in-person, decision: accept, when: {met_in_person: }}]}]\n",
            ":4:42: rule id 'met-in-person' is already used by policy 'strong-ties-only' (at ",
        ),
        (
            "extends: strong-ties-only\ndrop: [no-strong-tie]\n",
            ":4:7: drop: the last rule ('pitch-in-note') must have no 'when': it is the default",
        ),
        (
            "extends: strong-ties-only\nreply_params: {three_part_declin: {signature: x}}\n",
            ":4:35: reply_params.three_part_declin: no rule replies with 'three_part_declin' "
            "(did you mean 'three_part_decline'?)",
        ),
        (
            "extends: strong-ties-only\nreply_params: {three_part_decline: {signatur: x}}\n",
            ":4:37: reply_params.three_part_decline: unknown key 'signatur'",
        ),
        (
            "extends: strong-ties-only\nrules: [{id: x, decision: accept}]\n",
            ":4:1: rules: a policy that extends another does not list rules",
        ),
        (
            "title: T\nsummary: S\nauthor: A\nsources: [{article: a}]\n"
            "rules: [{id: x, decision: accept}]\ndrop: [x]\n",
            ":8:1: drop: changes the rules of an extended policy: name it with 'extends'",
        ),
        ("extends: strong-ties-only\nlanguage: de\n", ":4:11: language: rule 'need-in-answer'"),
    ],
)
def test_mistakes_in_an_extending_policy_are_located(
    write: Write, registry: Registry, change: str, expected: str
) -> None:
    path = write("mine.yaml", "format: 1\nname: mine\n" + change)
    problems = _problems(path, registry)
    assert any(p.startswith(f"{path}{expected}") for p in problems), problems


def test_a_broken_parent_is_reported_in_its_own_file(write: Write, registry: Registry) -> None:
    write("base.yaml", "format: 1\nname: base\nextends: strong-ties-only\ndrop: [nope]\n")
    path = write("child.yaml", "format: 1\nname: child\nextends: base\n")
    problems = _problems(path, registry)
    assert any(p.startswith(f"{path}:3:10: extends: 'base' (") for p in problems)
    assert (
        f"{path.with_name('base.yaml')}:4:8: drop[0]: policy 'strong-ties-only' has no rule 'nope'"
        in problems
    )


def test_show_prints_the_file_or_the_flattened_policy(write: Write, tmp_path: Path) -> None:
    path = write("mine.yaml", MINE)
    runner = CliRunner()
    result = runner.invoke(cli, ["show", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == MINE

    result = runner.invoke(cli, ["show", str(path), "--resolved"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"# Flattened: {path} extends ")
    assert "extends" not in result.output.split("\n", 1)[1]
    assert "signature: Jeanne" in result.output
    # The flattened policy is a policy file of its own, with the same rules.
    flat = tmp_path / "flat" / "mine.yaml"
    flat.parent.mkdir()
    flat.write_text(result.output, encoding="utf-8")
    check = runner.invoke(cli, ["validate", str(flat)], catch_exceptions=False)
    assert check.exit_code == 0, check.output
    assert "6 rules" in check.output

    result = runner.invoke(
        cli, ["show", str(path), "--resolved", "--format", "json"], catch_exceptions=False
    )
    data = json.loads(result.output)
    assert [rule["id"] for rule in data["rules"]][-2:] == ["same-group", "no-strong-tie"]


def test_show_an_installed_policy_by_name() -> None:
    result = CliRunner().invoke(cli, ["show", "accept-all"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "name: accept-all" in result.output


def test_show_resolved_reports_problems_as_lines(write: Write) -> None:
    path = write("mine.yaml", "format: 1\nname: mine\nextends: nothing-like-it\n")
    result = CliRunner().invoke(cli, ["show", str(path), "--resolved"])
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:3:10: extends: no installed policy named")
    assert "Traceback" not in result.output


def test_this_files_problems_come_before_the_extended_ones(
    write: Write, registry: Registry
) -> None:
    write("base.yaml", "format: 1\nname: base\nextends: strong-ties-only\ntitle: 3\n")
    path = write("a-child.yaml", "format: 1\nname: a-child\nextends: base\n")
    problems = _problems(path, registry)
    assert problems[0].startswith(f"{path}:3:10: extends: 'base' (")
    assert problems[0].endswith("has problems, listed below")
    assert problems[1:] == [
        f"{path.with_name('base.yaml')}:4:8: title: expected string, got an integer (3)"
    ]


def test_a_long_chain_is_refused_with_the_chain(write: Write, registry: Registry) -> None:
    write("c0.yaml", "format: 1\nname: c0\nextends: strong-ties-only\n")
    for i in range(1, 16):
        path = write(f"c{i}.yaml", f"format: 1\nname: c{i}\nextends: c{i - 1}\n")
    read_policy(path.with_name("c14.yaml"), registry)  # 15 files and the school: 16
    problems = _problems(path, registry)
    assert problems[0].startswith(f"{path}:3:10: extends: 'c14' (")
    assert problems[-1].endswith(
        "extends: more than 16 policies in a chain: c15.yaml -> c14.yaml -> c13.yaml -> "
        "c12.yaml -> c11.yaml -> c10.yaml -> c9.yaml -> c8.yaml -> c7.yaml -> c6.yaml -> "
        "c5.yaml -> c4.yaml -> c3.yaml -> c2.yaml -> c1.yaml -> c0.yaml -> strong-ties-only.yaml"
    )


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/dev/null", "extends: /dev/null: is not a regular file"),
        ("./nowhere.yaml", "nowhere.yaml: no such file"),
        ("folder/", "is a directory, not a policy file"),
        ("junk.yaml", "extends: 'junk.yaml' ("),
    ],
)
def test_an_extended_file_that_is_no_policy(
    write: Write, registry: Registry, target: str, expected: str
) -> None:
    write("junk.yaml", b"\x00\x01binary").with_name("folder").mkdir()
    path = write("mine.yaml", f"format: 1\nname: mine\nextends: {target}\n")
    problems = _problems(path, registry)
    assert problems[0].startswith(f"{path}:3:10: ") and expected in problems[0]
    assert "Traceback" not in " ".join(problems)


def test_a_test_file_given_as_a_policy_says_so(write: Write, registry: Registry) -> None:
    path = write("mine.test.yaml", "policy: strong-ties-only\nexamples: []\n")
    assert _problems(path, registry) == [
        f"{path}:1:1: this is a test file (policy: and examples:), not a policy: "
        "run it with invpolicy test"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            "insert: [{before: met-in-person, after: met-in-person, "
            "rules: [{id: x, decision: accept}]}]",
            ":4:10: insert[0]: an insertion has 'rules' and one place: 'before' or 'after' a rule",
        ),
        ("drop: [met-in-person, met-in-person]", ':4:7: drop: "met-in-person" is listed twice'),
        ("reply_params: {}", ":4:15: reply_params: expected at least 1 key, got 0"),
    ],
)
def test_malformed_changes_read_plainly(
    write: Write, registry: Registry, change: str, expected: str
) -> None:
    path = write("mine.yaml", f"format: 1\nname: mine\nextends: strong-ties-only\n{change}\n")
    assert f"{path}{expected}" in _problems(path, registry)


def test_a_name_from_a_switched_off_plugin_says_so(
    write: Write, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INVPOLICY_DISABLE_PLUGINS", "sectors")
    path = write("mine.yaml", MINE.replace("shared_groups: {at_least: 1}", "sector: {in: [hr]}"))
    (problem,) = _problems(path, registry)
    assert problem.endswith(
        "unknown criterion 'sector' (did you mean 'score'?) "
        "(switched off by INVPOLICY_DISABLE_PLUGINS: sectors)"
    )


def test_show_refuses_what_is_not_a_policy_file() -> None:
    result = CliRunner().invoke(cli, ["show", "/dev/null"])
    assert result.exit_code == 1
    assert result.output == "/dev/null:1:1: file is empty\n"


def test_reply_params_are_checked_against_every_rule_they_change(write: Write) -> None:
    from invpolicy import ReplyGenerator, hookimpl
    from invpolicy.plugins.manager import make_plugin_manager

    class OneOf:
        @hookimpl
        def invpolicy_reply_generators(self) -> list[ReplyGenerator]:
            schema = {
                "type": "object",
                "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                "not": {"required": ["a", "b"]},
            }
            return [ReplyGenerator("one", "a or b", ("en",), lambda p: lambda f, lang: "x", schema)]

    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(OneOf(), name="one-of")
    registry = Registry(pm)
    write(
        "base.yaml",
        "format: 1\nname: base\ntitle: t\nsummary: s\nauthor: a\nsources: [{article: x}]\n"
        "rules:\n"
        "  - {id: r1, when: {met_in_person: }, decision: ask, reply: {generator: one, "
        "params: {a: 1}}}\n"
        "  - {id: r2, decision: decline, reply: {generator: one, params: {b: 1}}}\n",
    )
    path = write("mine.yaml", "format: 1\nname: mine\nextends: base\nreply_params: {one: {a: 2}}\n")
    # r1 takes a=2 happily; r2 would hold both a and b, which the generator refuses.
    (problem,) = _problems(path, registry)
    assert problem.startswith(f"{path}:4:21: reply_params.one: ")


# --- extends says nothing it should not ----------------------------------------------------


def test_extends_of_a_file_that_is_not_a_policy_quotes_nothing_of_it(write, registry) -> None:
    secret = write("secret.txt", "token: s3cr3t-value\nanother: line\n")
    plain = write("notes.yaml", "just some text with a password=hunter2\n")
    for target in (secret, plain):
        path = write("mine.yaml", f"format: 1\nname: mine\nextends: {target}\n")
        problems = _problems(path, registry)
        assert problems == [f"{path}:3:10: extends: '{target}' is not a policy file"]
        assert not any("s3cr3t" in p or "hunter2" in p for p in problems)


@pytest.mark.parametrize("target", ["/proc/self/environ", "/dev/zero", "fifo"])
def test_extends_reads_only_regular_files(write, registry, tmp_path, target) -> None:
    import os

    if target == "fifo":
        target = str(tmp_path / "pipe.yaml")
        os.mkfifo(target)
    elif not Path(target).exists():
        pytest.skip(f"{target} does not exist here")
    path = write("mine.yaml", f"format: 1\nname: mine\nextends: {target}\n")
    assert _problems(path, registry) == [f"{path}:3:10: extends: {target}: is not a regular file"]


def test_a_name_that_finds_a_link_into_proc_beside_is_not_read(write, registry, tmp_path) -> None:
    import os

    os.symlink("/proc/self/environ", tmp_path / "penv.yaml")
    path = write("mine.yaml", "format: 1\nname: mine\nextends: penv\n")
    assert _problems(path, registry) == [
        f"{path}:3:10: extends: {tmp_path / 'penv.yaml'}: is not a regular file"
    ]
