"""Your settings, once: the TOML file, the environment over it, the options over both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli
from invpolicy.loading.settings import load_settings

from ..conftest import EXAMPLES, LINKEDIN_EXPORT

SETTINGS = """\
# My invpolicy settings
[me]
name = "Sam Leroy"
policy = "strong-ties-only"
policies = ["ask-first", "strong-ties-only"]

[reply]
channel = "Mastodon (@sam@example.social)"
"""


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "invpolicy.toml"
    path.write_text(SETTINGS, encoding="utf-8")
    monkeypatch.setenv("INVPOLICY_CONFIG", str(path))
    return path


def test_config_shows_the_file_and_what_it_sets(settings_file: Path) -> None:
    result = run("config", env={"INVPOLICY_POLICY": "ask-first"})
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"Settings read from {settings_file}",
        "  me.name = 'Sam Leroy'  (the file)",
        "  me.policy = 'ask-first'  (INVPOLICY_POLICY)",
        "  me.policies = 'ask-first, strong-ties-only'  (the file)",
        "  reply.channel = 'Mastodon (@sam@example.social)'  (the file)",
    ]


def test_the_file_is_found_in_the_current_folder_then_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INVPOLICY_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    monkeypatch.chdir(tmp_path)
    nothing = load_settings()
    assert nothing.path is None
    assert nothing.looked == (
        Path("invpolicy.toml"),
        tmp_path / "home-config" / "invpolicy" / "config.toml",
    )
    user = tmp_path / "home-config" / "invpolicy" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text('[me]\nname = "From Home"\n', encoding="utf-8")
    assert load_settings().name == "From Home"
    (tmp_path / "invpolicy.toml").write_text('[me]\nname = "From Here"\n', encoding="utf-8")
    assert load_settings().name == "From Here"


def test_replies_are_signed_and_give_your_channel(settings_file: Path) -> None:
    result = run("decide", str(EXAMPLES / "invitations.yaml"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["policies"] == ["strong-ties-only"]
    recruiter = next(r for r in report["results"] if r["invitation"] == "recruiter-no-note")
    text = recruiter["decisions"]["strong-ties-only"]["reply"]["text"]
    assert text.rstrip().endswith("Sam Leroy")
    assert "Mastodon (@sam@example.social)" in text


def test_a_policy_s_own_reply_parameters_win(settings_file: Path, tmp_path: Path) -> None:
    policy = tmp_path / "mine.yaml"
    policy.write_text(
        "format: 1\nname: mine\nextends: strong-ties-only\n"
        "reply_params:\n  three_part_decline: {signature: Jeanne}\n",
        encoding="utf-8",
    )
    result = run(
        "decide", str(EXAMPLES / "invitations.yaml"), "-p", str(policy), "--format", "json"
    )
    report = json.loads(result.stdout)
    recruiter = next(r for r in report["results"] if r["invitation"] == "recruiter-no-note")
    text = recruiter["decisions"]["mine"]["reply"]["text"]
    assert text.rstrip().endswith("Jeanne")
    assert "Mastodon (@sam@example.social)" in text


def test_options_win_over_the_environment_which_wins_over_the_file(settings_file: Path) -> None:
    invitations = str(EXAMPLES / "invitations.yaml")
    by_file = json.loads(run("compare", invitations, "--format", "json").stdout)
    assert by_file["policies"] == ["ask-first", "strong-ties-only"]
    by_env = json.loads(
        run(
            "compare", invitations, "--format", "json", env={"INVPOLICY_POLICIES": "accept-all"}
        ).stdout
    )
    assert by_env["policies"] == ["accept-all"]
    by_option = json.loads(
        run(
            "compare",
            invitations,
            "-p",
            "in-person-only",
            "--format",
            "json",
            env={"INVPOLICY_POLICIES": "accept-all"},
        ).stdout
    )
    assert by_option["policies"] == ["in-person-only"]
    signed = run(
        "decide",
        invitations,
        "--format",
        "json",
        env={"INVPOLICY_REPLY_SIGNATURE": "S. L."},
    )
    recruiter = next(
        r for r in json.loads(signed.stdout)["results"] if r["invitation"] == "recruiter-no-note"
    )
    assert recruiter["decisions"]["strong-ties-only"]["reply"]["text"].rstrip().endswith("S. L.")


def test_your_name_wins_over_the_export_s_owner(settings_file: Path) -> None:
    settings_file.write_text('[me]\nname = "Samuel Leroy"\n', encoding="utf-8")
    result = run("compare", str(LINKEDIN_EXPORT), "-p", "accept-all", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "(the export of Samuel Leroy)" in result.stderr


def test_without_a_policy_decide_says_how_to_give_one(settings_file: Path) -> None:
    settings_file.write_text("", encoding="utf-8")
    result = run("decide", str(EXAMPLES / "invitations.yaml"))
    assert result.exit_code == 2
    assert "no policy: name one with --policy, or set policy in [me]" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[me]\nname = "Sam\n', ":2:12: invalid TOML: Illegal character"),
        ("[me]\nnmae = 'Sam'\n", ":2:1: me.nmae: no such setting (did you mean 'name'?)"),
        (
            "[reply_params]\nsignature = 'Sam'\n",
            ":1:1: [reply_params]: no such table",
        ),
        ("[me]\npolicies = 'ask-first'\n", ":2:1: me.policies: expected a list of policy names"),
    ],
)
def test_a_broken_settings_file_is_one_located_line(
    settings_file: Path, text: str, message: str
) -> None:
    settings_file.write_text(text, encoding="utf-8")
    result = run("decide", str(EXAMPLES / "invitations.yaml"), "-p", "accept-all")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{settings_file}{message}")
    assert result.stderr.count("\n") == 1
    assert settings_file.read_text(encoding="utf-8") == text


def test_a_named_settings_file_that_does_not_exist_is_an_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("INVPOLICY_CONFIG", str(tmp_path / "nowhere.toml"))
    result = run("config")
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'nowhere.toml'}:1:1: no such file\n"
