"""The invpolicy command, through click's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy import __version__
from invpolicy.cli import cli

from ..conftest import SCHOOLS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
POLICIES = SCHOOLS


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def without_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> str:
    """Switch off the plugins installed through entry points (tox installs
    invpolicy-sectors, which ships a policy): the test names the bundled ones."""
    from importlib.metadata import entry_points

    names = ",".join(ep.name for ep in entry_points(group="invpolicy"))
    monkeypatch.setenv("INVPOLICY_DISABLE_PLUGINS", names)
    return names


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_validate_valid_policies_by_name_and_path():
    result = run("validate", "ask-first", str(EXAMPLES.parent / "policies" / "accept-all.yaml"))
    assert result.exit_code == 0, result.output
    assert "ask-first.yaml: valid (ask-first, 6 rules)" in result.stdout
    assert "accept-all.yaml: valid (accept-all, 1 rule)" in result.stdout


def test_validate_reports_a_typo_with_its_position(write):
    source = (EXAMPLES.parent / "policies" / "strong-ties-only.yaml").read_text(encoding="utf-8")
    path = write(
        "strong-ties-only.yaml", source.replace("    decision: decline", "    decison: decline")
    )
    result = run("validate", str(path), "accept-all")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "unknown key 'decison' (did you mean 'decision'?)" in result.stderr
    assert "Traceback" not in result.output
    # the valid one is still checked and reported
    assert "accept-all.yaml: valid" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02", "binary data"),
        (b"\xff\xfe bad", "not valid UTF-8"),
        (b"", "file is empty"),
        (b"[unclosed", "invalid YAML"),
        (b"- !!python/object/apply:os.system [id]\n", "is not allowed"),
        (b"- {id: a, name: A}\n- {id: a, name: B}\n", "duplicate invitation id 'a'"),
        (b"- {name: A}\n", "missing required key 'id'"),
        (b"- {id: a, name: A, exchanges: lots}\n", "expected integer"),
    ],
)
@pytest.mark.parametrize("command", ["decide", "compare"])
def test_bad_invitation_files_exit_1_with_one_clean_line(write, command, content, message):
    path = write("invitations.yaml", content)
    result = run(command, str(path), "--policy", "accept-all")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}:")
    assert message in line
    assert result.stdout == ""


def test_an_unknown_policy_name_suggests_the_closest(write):
    result = run("decide", str(EXAMPLES / "invitations.yaml"), "-p", "strong-ties")
    assert result.exit_code == 1
    assert "no installed policy named 'strong-ties' (did you mean 'strong-ties-only'?)" in (
        result.stderr
    )


@pytest.mark.usefixtures("without_installed_plugins")
def test_compare_json_has_the_documented_shape():
    result = run("compare", str(EXAMPLES / "invitations.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["policies"] == POLICIES
    assert len(data["results"]) == 14
    for row in data["results"]:
        assert isinstance(row["invitation"], str)
        assert set(row["decisions"]) == set(POLICIES)
        for decision in row["decisions"].values():
            assert decision["decision"] in {
                "accept",
                "accept_limited",
                "ask",
                "decline",
                "ignore",
                "defer",
            }
            assert isinstance(decision["rule"], str)
            assert isinstance(decision["missing"], list)
            assert isinstance(decision["on_follow_up"], bool)
            score = decision["score"]
            assert score is None or set(score) == {"total", "low", "high", "signals"}
            reply = decision["reply"]
            assert reply is None or (
                set(reply) == {"generator", "language", "language_from", "text"} and reply["text"]
            )
    viadeo = next(r for r in data["results"] if r["invitation"] == "viadeo-unknown")
    assert viadeo["decisions"]["strong-ties-only"]["missing"] == ["met_in_person", "exchanges"]
    assert viadeo["decisions"]["ask-first"]["reply"]["generator"] == "ask_purpose"
    assert viadeo["decisions"]["ask-first"]["reply"]["language"] == "fr"
    # Scores and decisions on the inviter's answer are in the JSON.
    student = next(r for r in data["results"] if r["invitation"] == "student-learning")
    quality = student["decisions"]["quality-over-quantity"]
    assert (quality["decision"], quality["score"]["total"]) == ("accept", 6)
    assert {s["signal"]: s["points"] for s in quality["score"]["signals"]}["beginner"] == 1
    pitch = next(r for r in data["results"] if r["invitation"] == "answered-with-a-pitch")
    assert pitch["decisions"]["strong-ties-only"]["decision"] == "ignore"
    assert pitch["decisions"]["strong-ties-only"]["on_follow_up"] is True
    assert pitch["decisions"]["in-person-only"]["on_follow_up"] is False


def test_decide_json_is_the_same_shape_with_one_policy():
    result = run(
        "decide", str(EXAMPLES / "invitations.yaml"), "-p", "strong-ties-only", "--format", "json"
    )
    data = json.loads(result.stdout)
    assert data["policies"] == ["strong-ties-only"]
    recruiter = next(r for r in data["results"] if r["invitation"] == "recruiter-no-note")
    reply = recruiter["decisions"]["strong-ties-only"]["reply"]
    assert reply["generator"] == "three_part_decline"
    # A note that sells is ignored, with no reply to draft.
    pitch = next(r for r in data["results"] if r["invitation"] == "pitch")
    assert pitch["decisions"]["strong-ties-only"]["rule"] == "pitch-in-note"
    assert pitch["decisions"]["strong-ties-only"]["reply"] is None


@pytest.mark.usefixtures("without_installed_plugins")
def test_compare_table_shows_every_policy_and_the_agreement():
    result = run("compare", str(EXAMPLES / "invitations.yaml"))
    assert result.exit_code == 0
    out = result.stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Seven schools do not fit by name in 80 columns: short keys and a legend.
    header = next(line for line in lines if line.startswith("invitation"))
    assert header.split() == ["invitation", "AA", "AF", "BOTD", "CG", "IPO", "QOQ", "STO"]
    legend = " ".join(out.split("Policies:")[1].split())
    assert "QOQ quality-over-quantity" in legend and "STO strong-ties-only" in legend
    row = next(line for line in lines if line.startswith("content-creator"))
    assert row.split()[1:] == [
        "accept",
        "ask",
        "limited",
        "decline",
        "decline",
        "ask",
        "decline",
    ]
    # Under the decision: the score (or the range unknown facts leave open), or
    # that it was decided on the inviter's answer. With 0 mutual connections,
    # none is in her sector: the signal on that is settled, and so is the score.
    after = lines[lines.index(row) + 1]
    assert after.split() == ["Aisha", "Khan", "2", "pts"]
    row = next(line for line in lines if line.startswith("pitch "))
    assert lines[lines.index(row) + 1].split() == ["Ryan", "Cole", "0", "pts"]
    pitch = next(i for i, line in enumerate(lines) if line.startswith("answered-with-a"))
    assert lines[pitch].split()[2] == "ignore" and lines[pitch + 1].split()[1] == "answer"
    assert "The policies agree on 2 of 14 invitations." in out
    assert "strong-ties-only: 4 accept, 1 ask, 7 decline, 2 ignore" in out
    assert "\x1b[" not in out  # no colour when not on a terminal


@pytest.mark.usefixtures("without_installed_plugins")
def test_compare_on_a_narrow_terminal_shows_one_block_per_invitation():
    result = CliRunner().invoke(
        cli, ["compare", str(EXAMPLES / "invitations.yaml")], env={"COLUMNS": "60"}
    )
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    # Every invitation keeps its whole id, and every school its decision.
    start = lines.index("answered-with-a-pitch")
    end = lines.index("", start)
    block = " ".join(" ".join(lines[start:end]).split())
    assert "AF ignore (answer)" in block and "QOQ decline (0 pts)" in block
    assert "STO ignore (answer)" in block


@pytest.mark.usefixtures("without_installed_plugins")
def test_compare_table_uses_full_names_when_the_terminal_is_wide():
    result = CliRunner().invoke(
        cli, ["compare", str(EXAMPLES / "invitations.yaml")], env={"COLUMNS": "200"}
    )
    header = next(line for line in result.stdout.splitlines() if "invitation" in line)
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == [
        "invitation",
        *POLICIES,
        "agree",
    ]


def test_decide_table_shows_decisions_and_replies():
    result = run("decide", str(EXAMPLES / "invitations.yaml"), "-p", "ask-first")
    out = result.stdout
    assert "client-new-name" in out
    assert "reply by ask_how_we_met (fr)" in out
    assert "Pourriez-vous me rappeler" in out


def test_decide_explain_shows_rules_tried_and_facts_seen():
    result = run(
        "decide", str(EXAMPLES / "invitations.yaml"), "-p", "strong-ties-only", "--explain"
    )
    out = result.stdout
    assert "rule met-in-person: false, does not fire" in out
    assert 'exchanges {"at_least": 1}: false; saw exchanges=0' in out
    assert "met_in_person: unknown; missing met_in_person" in out
    assert "rule no-strong-tie: no condition, fires" in out
    data = json.loads(
        run(
            "decide",
            str(EXAMPLES / "invitations.yaml"),
            "-p",
            "ask-first",
            "--explain",
            "--format",
            "json",
        ).stdout
    )
    steps = data["results"][0]["decisions"]["ask-first"]["explanation"]
    assert steps[0]["rule"] == "known" and steps[0]["fired"] is True


def test_untrusted_text_is_not_interpreted_as_markup(write):
    path = write("inv.yaml", "- {id: '[bold]x[/bold]', name: '[red]Eve[/red]'}\n")
    out = run("compare", str(path), "-p", "accept-all").stdout
    assert "[red]Eve[/red]" in out and "[bold]x[/bold]" in out


def test_policies_lists_where_each_comes_from():
    result = run("policies", "--format", "json")
    data = json.loads(result.stdout)
    assert {e["name"] for e in data} >= set(POLICIES)
    assert all(e["distribution"] == "invpolicy" for e in data if e["name"] in POLICIES)
    assert all(e["title"] and e["summary"] and e["author"] for e in data)
    out = run("policies").stdout
    for name in POLICIES:
        assert name in out
    assert "Quality over quantity" in out
    assert "invpolicy " + __version__ in out
    long = run("policies", "--long").stdout
    assert "from invpolicy " + __version__ + " (built-in)" in long
    assert "a beginner" in " ".join(long.split())  # quality-over-quantity's summary


def test_plugins_lists_criteria_and_generators():
    data = json.loads(run("plugins", "--format", "json").stdout)
    criteria = {c["name"]: c for c in data["criteria"]}
    generators = {g["name"]: g for g in data["reply_generators"]}
    assert criteria["met_in_person"]["facts"] == ["met_in_person"]
    assert criteria["exchanges"]["params_schema"]["properties"]["at_least"]["type"] == "integer"
    assert generators["three_part_decline"]["languages"] == ["fr", "en"]
    assert set(generators) >= {"three_part_decline", "ask_how_we_met", "ask_purpose"}
    assert generators["welcome"]["decisions"] == ["accept", "accept_limited"]
    wide = CliRunner().invoke(cli, ["plugins"], env={"COLUMNS": "200"}).stdout
    assert "fr, en; for decline" in wide


def test_validate_compiles_so_a_failing_plugin_is_caught(write, monkeypatch):
    from invpolicy import Criterion, hookimpl
    from invpolicy.cli import options as cli_module
    from invpolicy.plugins.manager import make_plugin_manager
    from invpolicy.plugins.registry import Registry

    def compile_fails(params):
        raise KeyError("threshold")

    class Flaky:
        @hookimpl
        def invpolicy_criteria(self):
            return [Criterion("flaky", "Fails to compile.", (), compile_fails)]

    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(Flaky(), name="flaky-plugin")
    monkeypatch.setattr(cli_module, "load_registry", lambda: Registry(pm))
    source = (EXAMPLES.parent / "policies" / "strong-ties-only.yaml").read_text(encoding="utf-8")
    path = write("strong-ties-only.yaml", source.replace("met_in_person:", "flaky:", 1))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:1:1: plugin error: criterion 'flaky' of plugin flaky-plugin failed to compile: "
        "KeyError: 'threshold'\n"
    )


def test_show_resolved_is_laid_out_as_fmt_lays_out_policies(write):
    from invpolicy.authoring.fmt.formatter import format_text

    path = write(
        "mine.yaml",
        "format: 1\nname: mine\nextends: in-person-only\n"
        "reply_params:\n  welcome: {signature: 'Kim: yes'}\n",
    )
    result = run("show", str(path), "--resolved")
    assert result.exit_code == 0, result.output
    assert format_text(result.stdout) == result.stdout
    assert 'signature: "Kim: yes"' in result.stdout


def test_compare_with_no_installed_policy_says_so(monkeypatch, without_installed_plugins):
    monkeypatch.setenv(
        "INVPOLICY_DISABLE_PLUGINS", f"invpolicy.builtin.policies,{without_installed_plugins}"
    )
    result = run("compare", str(EXAMPLES / "invitations.yaml"))
    assert result.exit_code == 2
    assert "no policy is installed: name one with --policy" in result.stderr


def test_an_empty_invitation_list_is_reported_not_an_error(write):
    result = run("compare", str(write("none.yaml", "invitations: []\n")), "-p", "ask-first")
    assert result.exit_code == 0
    assert "No invitations to decide." in result.stdout


def test_policies_says_which_installed_policy_does_not_validate(tmp_path, monkeypatch):
    from invpolicy import hookimpl
    from invpolicy.cli import options as cli_module
    from invpolicy.plugins.manager import make_plugin_manager
    from invpolicy.plugins.registry import Registry

    class Shipper:
        @hookimpl
        def invpolicy_policy_paths(self):
            return [tmp_path]

    source = (EXAMPLES.parent / "policies" / "in-person-only.yaml").read_text(encoding="utf-8")
    (tmp_path / "wrong.yaml").write_text(source.replace("decision: decline", "decision: nope", 1))
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(Shipper(), name="shipper")
    monkeypatch.setattr(cli_module, "load_registry", lambda: Registry(pm))
    data = {e["name"]: e for e in json.loads(run("policies", "--format", "json").stdout)}
    assert data["in-person-only"]["problem"] is None
    problem = data["wrong"]["problem"]
    assert problem.startswith(f"{tmp_path / 'wrong.yaml'}:")
    # The name that is not the file's, and the decision.
    assert "(and 1 more)" in problem
    assert data["wrong"]["title"] == "Met in person only"
    out = " ".join(CliRunner().invoke(cli, ["policies"], env={"COLUMNS": "200"}).stdout.split())
    assert "does not validate: " in out


def test_naming_several_policies_lists_the_policy_folders_once(monkeypatch):
    listed: list[Path] = []
    iterdir = Path.iterdir

    def counting_iterdir(self):
        listed.append(self)
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", counting_iterdir)
    result = run(
        "compare",
        str(EXAMPLES / "invitations.yaml"),
        "-p",
        "ask-first",
        "-p",
        "in-person-only",
        "-p",
        "common-ground",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    # Each folder once: the bundled one, and those of installed plugins.
    folders = [p for p in listed if p.name == "policies"]
    assert folders and len(folders) == len(set(folders))
