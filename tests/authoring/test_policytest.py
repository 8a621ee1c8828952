"""``invpolicy test``: policies checked against their worked examples, and rule coverage."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from invpolicy.authoring.policytest import TestReport, run_tests
from invpolicy.cli import cli
from invpolicy.cli import options as cli_module
from invpolicy.loading.catalog import installed_policies
from invpolicy.loading.parse import read_policy
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry

from ..conftest import POLICY_HEADER, REPO, SCHOOLS

Write = Callable[[str, str | bytes], Path]

RULES = """\
rules:
  - id: met
    when: {met_in_person: }
    decision: accept
    reply: {generator: welcome}
  - id: talked
    when: {exchanges: {at_least: 1}}
    decision: accept
  - id: default
    decision: decline
    reply: {generator: short_decline}
"""

MET = """\
  - name: met at a meetup
    invitation: {name: Ann Lee, met_in_person: true}
    expect: {decision: accept, rule: met, generator: welcome}
"""

STRANGER = """\
  - name: a stranger
    invitation: {met_in_person: false, exchanges: 0}
    expect: {decision: decline, rule: default, generator: short_decline}
"""


#: The line of the first example in ``policy_text``: after the rules and "examples:".
FIRST_EXAMPLE_LINE = POLICY_HEADER.count("\n") + RULES.count("\n") + 2


def policy_text(name: str, examples: str = "") -> str:
    text = POLICY_HEADER.format(name=name) + RULES
    return text + ("examples:\n" + examples if examples else "")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, registry: Registry) -> Callable[..., Result]:
    """``invpolicy ARGS...`` with the built-in plugins only."""
    monkeypatch.setattr(cli_module, "load_registry", lambda: registry)

    def invoke(*args: str | Path) -> Result:
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


# --- passing, failing ---------------------------------------------------------


def test_a_policy_whose_examples_hold_passes_with_a_summary(write: Write, run) -> None:
    path = write("mine.yaml", policy_text("mine", MET + STRANGER))
    result = run("test", path)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "mine: 2 passed, 0 failed; rules exercised 2/3 (66.6%); not exercised: talked\n"
        "1 policy, 2 examples: 2 passed, 0 failed\n"
    )
    assert result.stderr == ""


def test_a_failing_example_shows_expected_and_actual_rule_and_why(write: Write, run) -> None:
    wrong = """\
  - name: a stranger who wrote
    invitation: {exchanges: 2}
    expect: {decision: decline, rule: default}
"""
    path = write("mine.yaml", policy_text("mine", MET + wrong))
    result = run("test", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # The second example, after the three lines of MET.
    line = FIRST_EXAMPLE_LINE + 3
    assert lines[0] == (
        f"{path}:{line}:5: policy mine, example 'a stranger who wrote': "
        "expected decline by rule default, got accept by rule talked"
    )
    # The explanation: each rule tried, what its criterion saw, what was missing.
    assert lines[1:6] == [
        "    rule met: unknown, does not fire",
        "      met_in_person: unknown; missing met_in_person",
        "    rule talked: true, fires",
        '      exchanges {"at_least": 1}: true; saw exchanges=2',
        "    missing facts: met_in_person",
    ]
    assert "mine: 1 passed, 1 failed; rules exercised 2/3 (66.6%)" in result.stdout
    assert lines[-1] == "1 policy, 2 examples: 1 passed, 1 failed"


def test_the_reply_is_checked_when_the_example_names_one(write: Write, run) -> None:
    no_reply = """\
  - name: met, and no reply expected
    invitation: {met_in_person: true}
    expect: {decision: accept, rule: met, generator: null}
"""
    result = run("test", write("mine.yaml", policy_text("mine", no_reply)))
    assert result.exit_code == 1
    assert (
        "expected accept by rule met with no reply, got accept by rule met with reply welcome"
        in result.stdout
    )


def test_an_example_expecting_an_unknown_rule_fails_at_its_line(write: Write, run) -> None:
    typo = MET.replace("rule: met,", "rule: meet,")
    path = write("mine.yaml", policy_text("mine", typo))
    result = run("test", path)
    assert result.exit_code == 1
    line = FIRST_EXAMPLE_LINE + 2
    assert result.stderr == (
        f"{path}:{line}:38: examples[0].expect.rule: policy 'mine' has no rule 'meet' "
        "(did you mean 'met'?)\n"
    )
    assert result.stdout.endswith(
        "0 policies, 0 examples: 0 passed, 0 failed; 1 file with problems\n"
    )


def test_an_example_expecting_an_unused_generator_in_a_test_file_fails_at_its_line(
    write: Write, run
) -> None:
    write("mine.yaml", policy_text("mine"))
    tests = write(
        "mine.test.yaml",
        """\
        policy: mine
        examples:
          - name: met
            invitation: {met_in_person: true}
            expect: {decision: accept, rule: met, generator: welcom}
        """,
    )
    result = run("test", tests)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{tests}:5:54: examples[0].expect.generator: no rule of policy 'mine' replies with "
        "'welcom' (did you mean 'welcome'?) (used: welcome, short_decline)\n"
    )
    # The policy is not listed: it had no example to run.
    assert result.stdout == "0 policies, 0 examples: 0 passed, 0 failed; 1 file with problems\n"


# --- coverage -----------------------------------------------------------------


def test_min_coverage_fails_a_policy_below_it_and_says_so(write: Write, run) -> None:
    path = write("mine.yaml", policy_text("mine", MET))
    assert run("test", path, "--min-coverage", "33").exit_code == 0
    result = run("test", path, "--min-coverage", "50")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "mine: 1 passed, 0 failed; rules exercised 1/3 (33.3%); not exercised: talked, default",
        "mine: rule coverage 33.3% is below --min-coverage 50%",
        "1 policy, 1 example: 1 passed, 0 failed; 1 policy below 50% coverage",
    ]


def test_a_rule_reached_only_by_a_failing_example_still_counts_as_exercised(
    write: Write, registry: Registry
) -> None:
    wrong = STRANGER.replace("exchanges: 0", "exchanges: 3")
    report = run_tests([write("mine.yaml", policy_text("mine", MET + wrong))], registry)
    (policy,) = report.policies
    assert (policy.passed, policy.failed) == (1, 1)
    assert policy.exercised == ("met", "talked")
    assert policy.not_exercised == ("default",)
    assert not report.ok()


def test_a_policy_without_examples_has_no_coverage(write: Write, run) -> None:
    result = run("test", write("mine.yaml", policy_text("mine")))
    assert result.exit_code == 0
    assert "mine: no examples; rules exercised 0/3 (0%); not exercised: met, talked, default" in (
        result.stdout
    )
    below = run("test", write("mine.yaml", policy_text("mine")), "--min-coverage", "1")
    assert below.exit_code == 1
    assert "mine: rule coverage 0% is below --min-coverage 1%" in below.stdout


def test_min_coverage_is_a_percentage(run) -> None:
    result = run("test", "accept-all", "--min-coverage", "120")
    assert result.exit_code == 2
    assert "120" in result.stderr


# --- test files ---------------------------------------------------------------


TEST_FILE = """\
policy: mine
examples:
  - name: someone we talked with
    invitation: {name: Bo Lind, met_in_person: false, exchanges: 4}
    expect: {decision: accept, rule: talked, generator: null}
"""


def test_a_test_file_beside_a_policy_runs_with_its_examples(write: Write, run) -> None:
    path = write("mine.yaml", policy_text("mine", MET + STRANGER))
    write("mine.test.yaml", TEST_FILE)
    result = run("test", path, "--min-coverage", "100")
    assert result.exit_code == 0, result.output
    assert "mine: 3 passed, 0 failed; rules exercised 3/3 (100%)\n" in result.stdout


def test_a_test_file_is_known_by_its_keys_whatever_its_name(write: Write, run, tmp_path) -> None:
    # The one definition (invpolicy.loading.testfile): policy: and no policy keys.
    write("mine.yaml", policy_text("mine", MET))
    tests = write("checks.yaml", TEST_FILE)
    result = run("test", tests)
    assert result.exit_code == 0, result.output
    assert "mine: 1 passed, 0 failed" in result.stdout
    # In a folder too: the file is run as a test file, not refused as a policy.
    result = run("test", tmp_path)
    assert result.exit_code == 0, result.output
    # The policy's own example, and the test file's.
    assert "mine: 2 passed, 0 failed" in result.stdout


def test_a_test_file_alone_runs_against_its_policy(write: Write, run) -> None:
    write("mine.yaml", policy_text("mine", MET))
    result = run("test", write("mine.test.yml", TEST_FILE))
    assert result.exit_code == 0, result.output
    # Only the test file's examples: the policy was not a target.
    assert "mine: 1 passed, 0 failed; rules exercised 1/3 (33.3%)" in result.stdout


def test_a_test_file_may_name_an_installed_policy_or_a_relative_path(
    tmp_path: Path, write: Write, run
) -> None:
    (tmp_path / "sub" / "tests").mkdir(parents=True)
    write("sub/mine.yaml", policy_text("mine"))
    write("sub/tests/paths.test.yaml", TEST_FILE.replace("policy: mine", "policy: ../mine.yaml"))
    write(
        "installed.test.yaml",
        """\
        policy: accept-all
        examples:
          - name: anyone
            invitation: {}
            expect: {decision: accept, rule: accept-everyone}
        """,
    )
    result = run("test", tmp_path / "sub/tests/paths.test.yaml", tmp_path / "installed.test.yaml")
    assert result.exit_code == 0, result.output
    assert "mine: 1 passed, 0 failed" in result.stdout
    assert "accept-all: 1 passed, 0 failed" in result.stdout


def test_a_folder_runs_its_policies_and_test_files_once_each(
    tmp_path: Path, write: Write, run
) -> None:
    write("mine.yaml", policy_text("mine", MET))
    write("mine.test.yaml", TEST_FILE)
    write("other.yaml", policy_text("other", STRANGER))
    (tmp_path / "nested").mkdir()
    write("nested/ignored.yaml", "not: [a policy")
    # The policy is named twice, and its test file is also found beside it.
    result = run("test", tmp_path, tmp_path / "mine.yaml", "--min-coverage", "30")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "mine: 2 passed, 0 failed; rules exercised 2/3 (66.6%); not exercised: default",
        "other: 1 passed, 0 failed; rules exercised 1/3 (33.3%); not exercised: met, talked",
        "2 policies, 3 examples: 3 passed, 0 failed",
    ]


def test_test_files_are_not_installed_policies(tmp_path: Path, write: Write, monkeypatch) -> None:
    from invpolicy import hookimpl

    class Shipper:
        @hookimpl
        def invpolicy_policy_paths(self) -> list[Path]:
            return [tmp_path]

    write("mine.yaml", policy_text("mine", MET))
    write("mine.test.yaml", TEST_FILE)
    write("more.test.yml", TEST_FILE)
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(Shipper(), name="shipper")
    registry = Registry(pm)
    names = [e.name for e in installed_policies(registry)]
    assert "mine" in names
    assert not [n for n in names if n.endswith(".test")]
    monkeypatch.setattr(cli_module, "load_registry", lambda: registry)
    listed = json.loads(CliRunner().invoke(cli, ["policies", "--format", "json"]).stdout)
    assert [e["name"] for e in listed if e["name"].startswith(("mine", "more"))] == ["mine"]
    # With no target, the installed policy runs with the test file beside it.
    result = CliRunner().invoke(cli, ["test"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "mine: 2 passed, 0 failed" in result.stdout


# --- files that cannot run ----------------------------------------------------


def test_broken_files_are_located_and_the_others_still_run(write: Write, run) -> None:
    good = write("good.yaml", policy_text("good", MET))
    bad_policy = write(
        "bad.yaml", policy_text("bad", MET).replace("decision: decline", "decision: no")
    )
    bad_tests = write(
        "bad-tests.test.yaml",
        """\
        policy: good
        examples:
          - name: an invitation with a bad fact
            invitation: {mutual_connections: three}
            expect: {decision: accept}
        """,
    )
    orphan = write("orphan.test.yaml", TEST_FILE.replace("policy: mine", "policy: bad"))
    junk = write("junk.test.yaml", b"\x00\x01\x02")
    broken = write("broken.test.yaml", "policy: good\nexamples: [}\n")
    result = run("test", good, bad_policy, bad_tests, orphan, junk, broken)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert f'{bad_policy}:16:15: rules[2].decision: "no" is not one of: accept, ' in errors[0]
    assert (
        f"{bad_tests}:4:38: examples[0].invitation.mutual_connections: expected integer, "
        'got a string ("three")'
    ) in errors
    assert (
        f"{orphan}:1:9: policy: 'bad' does not validate: the examples of this file were not run"
    ) in errors
    assert f"{junk}:1:1: binary data (a NUL byte), not a text file" in errors
    assert any(e.startswith(f"{broken}:2:12: invalid YAML") for e in errors)
    assert len(errors) == 5
    assert result.stdout.splitlines() == [
        "good: 1 passed, 0 failed; rules exercised 1/3 (33.3%); not exercised: talked, default",
        "1 policy, 1 example: 1 passed, 0 failed; 5 files with problems",
    ]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nowhere.test.yaml", "nowhere.test.yaml:1:1: no such file"),
        ("nowhere/mine.yaml", "nowhere/mine.yaml:1:1: no such file"),
        ("accept-al", "accept-al:1:1: no installed policy named 'accept-al' (did you mean"),
    ],
)
def test_a_missing_target_is_a_clear_problem(run, target: str, message: str) -> None:
    result = run("test", target)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_a_folder_without_policies_says_so(tmp_path: Path, run) -> None:
    (tmp_path / "notes.txt").write_text("nothing here", encoding="utf-8")
    result = run("test", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path}:1:1: no policy or test file here (*.yaml, *.yml)\n"


def test_a_test_file_naming_no_known_policy_is_located(write: Write, run) -> None:
    tests = write("t.test.yaml", TEST_FILE.replace("policy: mine", "policy: strong-tie-only"))
    result = run("test", tests)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{tests}:1:9: policy: no file strong-tie-only.yaml beside this one, and no installed "
        "policy named 'strong-tie-only' (did you mean 'strong-ties-only'?)\n"
    )


def test_a_failing_plugin_fails_its_example_not_the_run(write: Write, monkeypatch) -> None:
    from invpolicy import Criterion, hookimpl

    def compile_(params: object) -> Callable[[object], bool]:
        def check(facts: object) -> bool:
            raise ValueError("no network")

        return check

    class Flaky:
        @hookimpl
        def invpolicy_criteria(self) -> list[Criterion]:
            return [Criterion("flaky", "Fails on every invitation.", (), compile_)]

    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(Flaky(), name="flaky-plugin")
    monkeypatch.setattr(cli_module, "load_registry", lambda: Registry(pm))
    path = write("mine.yaml", policy_text("mine", MET).replace("{met_in_person: }", "{flaky: }"))
    other = write("other.yaml", policy_text("other", STRANGER))
    result = CliRunner().invoke(cli, ["test", str(path), str(other)], catch_exceptions=False)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:")
    assert "example 'met at a meetup': expected accept by rule met with reply welcome, " in first
    assert "got plugin error: criterion 'flaky'" in first
    assert "ValueError: no network" in first
    assert "other: 1 passed, 0 failed" in result.stdout


# --- output options -----------------------------------------------------------


def test_json_output_for_ci(write: Write, run) -> None:
    wrong = STRANGER.replace("exchanges: 0", "exchanges: 3")
    path = write("mine.yaml", policy_text("mine", MET + wrong))
    result = run("test", path, "--format", "json", "--min-coverage", "100")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["problems"] == []
    (policy,) = data["policies"]
    assert policy["exercised"] == ["met", "talked"]
    assert policy["below_min_coverage"] is True
    failing = policy["examples"][1]
    assert failing["passed"] is False
    assert failing["got"] == "accept by rule talked with no reply"
    assert failing["decision"]["explanation"][1]["rule"] == "talked"


def test_quiet_and_verbose(write: Write, run) -> None:
    path = write("mine.yaml", policy_text("mine", MET))
    quiet = run("test", "-q", path)
    assert quiet.stdout == "1 policy, 1 example: 1 passed, 0 failed\n"
    verbose = run("test", "-v", path)
    assert verbose.stdout.startswith(
        f"{path}:{FIRST_EXAMPLE_LINE}:5: ok: policy mine, "
        "example 'met at a meetup': accept by rule met\n"
    )
    assert run("test", "-q", "-v", path).exit_code == 2


# --- the library --------------------------------------------------------------


def test_run_tests_is_usable_from_python(write: Write, registry: Registry) -> None:
    path = write("mine.yaml", policy_text("mine", MET + STRANGER))
    report = run_tests([path], registry)
    assert isinstance(report, TestReport)
    assert report.ok()
    assert not report.ok(min_coverage=100)
    (policy,) = report.policies
    assert [r.example.name for r in policy.results] == ["met at a meetup", "a stranger"]
    assert [r.decision.rule for r in policy.results if r.decision] == ["met", "default"]
    assert policy.coverage == pytest.approx(200 / 3)
    assert report.to_json(100)["policies"][0]["not_exercised"] == ["talked"]


def test_run_tests_reports_problems_without_raising(write: Write, registry: Registry) -> None:
    report = run_tests([write("bad.yaml", "format: 1\nname: [\n")], registry)
    assert report.policies == ()
    assert report.problems[0].message.startswith("invalid YAML")
    assert not report.ok()


# --- the bundled policies -----------------------------------------------------


@pytest.mark.parametrize("name", SCHOOLS)
def test_every_bundled_policy_validates_with_examples_for_every_rule(
    name: str, registry: Registry
) -> None:
    policy = read_policy(REPO / "policies" / f"{name}.yaml", registry)
    assert policy.examples
    # Every example says which rule decides, and which reply (or none) it writes.
    assert all(e.rule is not None and e.expects_generator for e in policy.examples)
    assert {e.rule for e in policy.examples} == {rule.id for rule in policy.rules}


def test_the_installed_policies_pass_their_examples_with_full_coverage(run) -> None:
    result = run("test", "--min-coverage", "100")
    assert result.exit_code == 0, result.output
    for name in SCHOOLS:
        assert f"\n{name}: " in "\n" + result.stdout
    assert result.stdout.count("(100%)") == len(SCHOOLS)
    assert result.stdout.splitlines()[-1].startswith(f"{len(SCHOOLS)} policies, ")
    assert result.stdout.splitlines()[-1].endswith(" 0 failed")


@pytest.mark.slow
def test_the_installed_command_runs_the_examples(tmp_path: Path) -> None:
    beside = Path(sys.executable).with_name("invpolicy")
    command = str(beside) if beside.exists() else shutil.which("invpolicy")
    assert command, "the invpolicy console script is not installed"
    (tmp_path / "mine.yaml").write_text(
        policy_text("mine", STRANGER.replace("exchanges: 0", "exchanges: 3")), encoding="utf-8"
    )

    def invpolicy(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [command, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )

    bundled = invpolicy("test", "--min-coverage", "100", str(REPO / "policies"))
    assert bundled.returncode == 0, bundled.stdout + bundled.stderr
    assert bundled.stdout.splitlines()[-1].endswith(" 0 failed")
    failing = invpolicy("test", "mine.yaml")
    assert failing.returncode == 1
    assert (
        "expected decline by rule default with reply short_decline, got accept by rule talked"
        in (failing.stdout)
    )
    assert "Traceback" not in failing.stderr


def test_no_target_and_no_installed_policy_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    pm = make_plugin_manager(entry_points=False, disabled=("invpolicy.builtin.policies",))
    monkeypatch.setattr(cli_module, "load_registry", lambda: Registry(pm))
    result = CliRunner().invoke(cli, ["test"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "no policy is installed: name a policy, a folder or a test file" in result.stderr


def test_test_files_are_known_by_name_in_any_case(tmp_path: Path) -> None:
    from invpolicy.loading.catalog import is_test_file, policy_files

    for name in ("a.yaml", "b.YML", "c.test.yaml", "D.TEST.YML", "notes.txt"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    assert is_test_file(tmp_path / "D.TEST.YML")
    assert [p.name for p in policy_files(tmp_path)] == ["a.yaml", "b.YML"]
    assert [p.name for p in policy_files(tmp_path, tests=True)] == [
        "D.TEST.YML",
        "a.yaml",
        "b.YML",
        "c.test.yaml",
    ]
