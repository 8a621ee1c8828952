"""``invpolicy fmt``: one canonical layout for policy and test files, comments kept."""

from __future__ import annotations

import os
import shutil
import stat
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from invpolicy.authoring.fmt.formatter import format_file, format_text, preview_file
from invpolicy.authoring.fmt.style import plain_is_safe
from invpolicy.cli import cli
from invpolicy.errors import InvpolicyError
from invpolicy.io.safeload import load_document

from ..conftest import REPO, SCHOOLS

Write = Callable[[str, str | bytes], Path]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["fmt", *map(str, args)], catch_exceptions=False)


def comment_lines(text: str) -> Counter[str]:
    """Every comment line and end-of-line comment, as the author wrote it."""
    found: Counter[str] = Counter()
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            found[line.strip()] += 1
        elif " #" in line:
            found[line[line.index(" #") + 1 :].strip()] += 1
    return found


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of the bundled policies, to format freely."""
    copy = tmp_path / "policies"
    shutil.copytree(REPO / "policies", copy)
    return copy


MESSY = """\


# yaml-language-server: $schema=../schemas/policy.schema.json
name: messy   # the file's name
format: 1
sources:
    -   title: 'A title'
        article: "a.txt"
rules:
    # The first rule.
    -   decision: accept
        # Why this id.
        id: 'known'
        when: {any: [{met_in_person: ~}, {exchanges: {at_least: 1}}]}
        reply:
            params: {signature: "Me", channel: "Twitter (@me)"}
            generator: welcome


    # The second rule.
    -   when:
            not: {met_in_person: }
        reply: {params: {}, generator: short_decline}
        description: >-
            Folded text that goes on
            over two lines.
        id: other
        decision: decline
        # closes the second rule
title: "Messy"
summary: |
    Literal text
    # not a comment
custom: kept
examples:
    - expect: {rule: known, generator: null, decision: accept}
      invitation:
          met_in_person: yes
          name: Alex
          id: "1"
      name: "met"
# the end
"""

MESSY_FORMATTED = """\
# yaml-language-server: $schema=../schemas/policy.schema.json
format: 1
name: messy   # the file's name
title: Messy
summary: |
  Literal text
  # not a comment
sources:
  - article: a.txt
    title: A title
rules:
  # The first rule.
  # Why this id.
  - id: known
    when: {any: [{met_in_person: }, {exchanges: {at_least: 1}}]}
    decision: accept
    reply:
      generator: welcome
      params: {signature: Me, channel: Twitter (@me)}

  # The second rule.
  - id: other
    description: >-
      Folded text that goes on
      over two lines.
    when:
      not: {met_in_person: }
    decision: decline
    reply: {generator: short_decline, params: {}}
    # closes the second rule
examples:
  - name: met
    invitation:
      id: "1"
      name: Alex
      met_in_person: "yes"
    expect: {decision: accept, rule: known, generator: null}
custom: kept
# the end
"""


def test_a_messy_policy_gets_the_canonical_layout(write: Write) -> None:
    path = write("messy.yaml", MESSY)
    result = run(path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"reformatted {path}\n"
    assert "1 file reformatted, 0 files left unchanged." in result.stderr
    assert path.read_text(encoding="utf-8") == MESSY_FORMATTED
    # The same data, only laid out differently.
    assert load_document(path).data == load_document(write("before.yaml", MESSY)).data


def test_formatting_twice_changes_nothing(write: Write) -> None:
    path = write("messy.yaml", MESSY)
    run(path)
    before = snapshot(path)
    result = run(path)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "0 files reformatted, 1 file left unchanged." in result.stderr
    assert snapshot(path) == before
    assert format_text(MESSY_FORMATTED, "messy.yaml") == MESSY_FORMATTED


@pytest.mark.parametrize("school", SCHOOLS)
def test_bundled_policies_keep_every_comment_and_their_data(bundled: Path, school: str) -> None:
    path = bundled / f"{school}.yaml"
    before = path.read_text(encoding="utf-8")
    data = load_document(path).data
    assert run(path).exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert comment_lines(after) == comment_lines(before)
    assert after.startswith("# yaml-language-server: $schema=../schemas/policy.schema.json\n")
    assert load_document(path).data == data
    # Idempotent: a second run finds nothing to change.
    again = run("--check", path)
    assert again.exit_code == 0, again.output
    assert format_text(after, str(path)) == after


def test_bundled_policies_are_already_in_the_canonical_layout(bundled: Path) -> None:
    result = run("--check", bundled)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    count = len(list(bundled.glob("*.yaml")))
    assert f"0 files would be reformatted, {count} files left unchanged." in result.stderr


def test_rule_keys_take_the_canonical_order_with_their_comments() -> None:
    text = """\
    format: 1
    name: x
    rules:
      - reply:
          params: {zeta: 1, alpha: 2}
          # the generator
          generator: welcome
        # what it decides
        decision: accept
        when: {met_in_person: }
        description: Met.
        id: met
    """
    assert format_text(textwrap.dedent(text), "x.yaml") == textwrap.dedent(
        """\
        format: 1
        name: x
        rules:
          - id: met
            description: Met.
            when: {met_in_person: }
            # what it decides
            decision: accept
            reply:
              # the generator
              generator: welcome
              params: {zeta: 1, alpha: 2}
        """
    )


def test_extension_scoring_and_unknown_keys_take_their_places() -> None:
    text = """\
    zzz: unknown keys go last, in their order
    reply_params:
      welcome: {signature: Me}
    drop: [old]
    replace:
      - decision: ask
        id: b
    insert:
      - rules:
          - decision: ask
            id: a
        after: known
    scoring:
      - weight: 2
        when: {shared_groups: {at_least: 1}}
        description: A shared group.
        id: group
    aaa: second unknown key
    extends: ask-first
    name: x
    format: 1
    """
    assert format_text(textwrap.dedent(text), "x.yaml") == textwrap.dedent(
        """\
        format: 1
        name: x
        extends: ask-first
        scoring:
          - id: group
            description: A shared group.
            when: {shared_groups: {at_least: 1}}
            weight: 2
        insert:
          - after: known
            rules:
              - id: a
                decision: ask
        replace:
          - id: b
            decision: ask
        drop: [old]
        reply_params:
          welcome: {signature: Me}
        zzz: unknown keys go last, in their order
        aaa: second unknown key
        """
    )


def test_a_test_file_is_formatted_with_the_same_rules(write: Write) -> None:
    path = write(
        "ask-first.test.yaml",
        """\
        examples:
            # A client.
            - expect:
                  rule: known
                  decision: accept
              invitation: {headline: Client, name: "Ann", id: a1}
              name: 'a client'
        policy: ask-first
        """,
    )
    assert format_file(path) is True
    assert path.read_text(encoding="utf-8") == textwrap.dedent(
        """\
        policy: ask-first
        examples:
          # A client.
          - name: a client
            invitation: {id: a1, name: Ann, headline: Client}
            expect:
              decision: accept
              rule: known
        """
    )
    assert format_file(path) is False


def test_strings_are_plain_unless_they_need_double_quotes() -> None:
    text = """\
    format: 1
    name: 'quoted'
    title: 'it''s: quoted'
    summary: "yes"
    author: "@someone"
    language: '1.0'
    drop: [Off, "on", 'plain', "a, b", "#hash", "with # hash", ""]
    """
    assert format_text(textwrap.dedent(text), "x.yaml") == textwrap.dedent(
        """\
        format: 1
        name: quoted
        title: "it's: quoted"
        summary: "yes"
        author: "@someone"
        language: "1.0"
        drop: ["Off", "on", plain, "a, b", "#hash", "with # hash", ""]
        """
    )


def test_the_document_start_line_goes_but_the_comments_above_it_stay() -> None:
    text = "# yaml-language-server: $schema=x.json\n--- # the policy\nname: x\nformat: 1\n"
    assert format_text(text, "x.yaml") == (
        "# yaml-language-server: $schema=x.json\n# the policy\nformat: 1\nname: x\n"
    )


def test_long_prose_is_never_rewrapped() -> None:
    long = " ".join(["word"] * 60)
    text = f"format: 1\nname: x\nsummary: {long}\nauthor: >-\n  short\n  lines\n"
    assert format_text(text, "x.yaml") == text


def test_check_lists_the_files_it_would_change_and_changes_nothing(write: Write) -> None:
    messy = write("messy.yaml", MESSY)
    tidy = write("tidy.yaml", MESSY_FORMATTED)
    before = snapshot(messy), snapshot(tidy)
    result = run("--check", messy, tidy)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"would reformat {messy}"
    assert lines[1:3] == [f"--- {messy}", f"+++ {messy} (formatted)"]
    assert lines[3].startswith("@@ -1,")
    assert "+format: 1" in lines
    assert all(line[0] in " +-@" for line in lines[3:-1])
    assert lines[-1].startswith("... (")  # the diff is cut short
    assert str(tidy) not in result.stdout
    assert "1 file would be reformatted, 1 file left unchanged." in result.stderr
    assert (snapshot(messy), snapshot(tidy)) == before


def test_check_exits_0_when_nothing_would_change(write: Write) -> None:
    path = write("tidy.yaml", MESSY_FORMATTED)
    result = run("--check", path)
    assert result.exit_code == 0
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (b"format: 1\nname: [unclosed\n", "2:7", "invalid YAML: this '[' is never closed"),
        (b"format: 1\nname: x\x00\x01\x02\n", "2:8", "binary data"),
        (b"format: 1\nname: !!python/object/apply:os.system [id]\n", "2:7", "is not allowed"),
        (b"format: 1\nformat: 2\n", "2:1", "duplicate key 'format'"),
        (b"- a list\n- of rules\n", "1:1", "must be a YAML mapping"),
        (b"\xff\xfe bad", "1:1", "not valid UTF-8"),
        (b"# only a comment\n", "1:1", "file is empty"),
    ],
)
@pytest.mark.parametrize("check", [False, True])
def test_a_bad_file_gives_one_located_line_and_is_left_untouched(
    write: Write, content: bytes, where: str, message: str, check: bool
) -> None:
    path = write("bad.yaml", content)
    before = snapshot(path)
    result = run(*(["--check"] if check else []), path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    problems = [line for line in result.stderr.splitlines() if line.startswith(f"{path}:")]
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{where}: ")
    assert message in problems[0]
    assert result.stdout == ""
    assert snapshot(path) == before
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_other_files_are_formatted_even_when_one_is_bad(write: Write) -> None:
    bad = write("bad.yaml", "name: [unclosed\n")
    good = write("good.yaml", MESSY)
    result = run(bad, good)
    assert result.exit_code == 1
    assert good.read_text(encoding="utf-8") == MESSY_FORMATTED
    assert f"reformatted {good}" in result.stdout
    assert result.stderr.splitlines()[-1].startswith(f"{bad}:1:7: invalid YAML")


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere.yaml")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere.yaml'}:1:1: no such file or directory" in result.stderr


def test_no_path_is_a_usage_error() -> None:
    result = run()
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_a_json_file_is_not_rewritten_as_yaml(write: Write) -> None:
    path = write("policy.json", '{"name": "x", "format": 1}\n')
    before = snapshot(path)
    result = run(path)
    assert result.exit_code == 1
    assert "a .json file is left as is" in result.stderr
    assert snapshot(path) == before


def test_a_directory_gives_its_yaml_files_recursively_but_not_hidden_ones(
    write: Write, tmp_path: Path
) -> None:
    for name in ("sub", "sub/deeper", ".git", "sub/.cache"):
        (tmp_path / name).mkdir()
    found = [
        write("a.yaml", MESSY),
        write("sub/b.yml", MESSY),
        write("sub/deeper/c.test.yaml", "examples: []\npolicy: x\n"),
    ]
    ignored = [
        write(".git/d.yaml", MESSY),
        write("sub/.cache/e.yaml", MESSY),
        write("sub/.hidden.yaml", MESSY),
        write("notes.txt", MESSY),
        write("f.json", '{"b": 1, "a": 2}'),
    ]
    before = [snapshot(path) for path in ignored]
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"reformatted {path}" for path in found]
    assert [snapshot(path) for path in ignored] == before
    assert found[2].read_text(encoding="utf-8") == "policy: x\nexamples: []\n"


def test_a_file_named_twice_is_formatted_once(write: Write, tmp_path: Path) -> None:
    path = write("a.yaml", MESSY)
    result = run(path, tmp_path)
    assert result.stdout == f"reformatted {path}\n"


@pytest.mark.parametrize(
    ("bom", "newline"), [(b"", b"\r\n"), (b"\xef\xbb\xbf", b"\n"), (b"\xef\xbb\xbf", b"\r\n")]
)
def test_byte_order_mark_and_line_endings_are_kept(
    write: Write, bom: bytes, newline: bytes
) -> None:
    messy = MESSY.encode("utf-8").replace(b"\n", newline)
    path = write("messy.yaml", bom + messy)
    assert run(path).exit_code == 0
    expected = MESSY_FORMATTED.encode("utf-8").replace(b"\n", newline)
    assert path.read_bytes() == bom + expected
    assert run("--check", path).exit_code == 0


def test_a_failed_write_leaves_the_file_as_it_was(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write("messy.yaml", MESSY)
    before = snapshot(path)

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.replace", refuse)
    result = run(path)
    assert result.exit_code == 1
    assert f"{path}:1:1: cannot write: Permission denied" in result.stderr
    assert snapshot(path) == before
    assert list(path.parent.iterdir()) == [path]


def test_comments_that_close_a_block_stay_at_its_end() -> None:
    text = """\
    name: x
    rules:
      - id: a
        decision: accept
        when:
          any:
            - met_in_person:
            # closes the list
          # closes the condition
        # closes the rule
      # - id: b, commented out
      #   decision: ignore
    # About the format.
    format: 1
    """
    assert format_text(textwrap.dedent(text), "x.yaml") == textwrap.dedent(
        """\
        # About the format.
        format: 1
        name: x
        rules:
          - id: a
            when:
              any:
                - met_in_person:
                # closes the list
              # closes the condition
            decision: accept
            # closes the rule
          # - id: b, commented out
          #   decision: ignore
        """
    )


def test_the_library_refuses_what_it_cannot_format_safely() -> None:
    with pytest.raises(InvpolicyError) as caught:
        format_text("name: x\nname: y\n", "dup.yaml")
    assert str(caught.value) == "dup.yaml:2:1: duplicate key 'name' (first at line 1)"


# --- strings that YAML 1.1 tools read as something else ------------------------------

#: Strings that YAML 1.2 reads as strings, but YAML 1.1 tools as numbers,
#: booleans, nulls or dates (or that some of them do: 80:80, yEs).
YAML11_TRAPS = [
    "12:30", "1:2:3", "80:80", "190:20:30.15", "1_000", "0b101", "+0b1", "0x1F", "017",
    ".inf", "-.INF", ".NaN", "~", "Null", "NULL", "nUll", "y", "Y", "n", "N", "yes", "Yes",
    "YES", "yEs", "no", "NO", "on", "On", "ON", "off", "Off", "OFF", "oFf", "true", "False",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "-.5", "1e5", "=", "<<",
]  # fmt: skip


def yaml11() -> YAML:
    loader = YAML(typ="safe", pure=True)
    loader.version = (1, 1)
    return loader


def test_the_yaml_1_1_loader_of_these_tests_reads_sexagesimal_numbers() -> None:
    assert yaml11().load("a: 12:30\nb: yes\nc: 0b101\n") == {"a": 750, "b": True, "c": 5}


@pytest.mark.parametrize("value", YAML11_TRAPS)
def test_strings_that_yaml_1_1_reads_otherwise_keep_their_quotes(value: str) -> None:
    text = f"format: 1\nname: x\ntitle: '{value}'\ndrop: ['{value}']\n'{value}': key\n"
    out = format_text(text, "x.yaml")
    assert f'title: "{value}"\n' in out
    assert f'drop: ["{value}"]\n' in out
    assert f'"{value}": key\n' in out
    data = yaml11().load(out)
    assert (data["title"], data["drop"], data[value]) == (value, [value], "key")
    assert not plain_is_safe(value)


@pytest.mark.parametrize(
    "value", ["a.txt", "Twitter (@me)", "12:30 pm", "0:3a", "version 1", "yess", "nulls"]
)
def test_strings_that_every_yaml_reads_as_strings_are_plain(value: str) -> None:
    out = format_text(f'format: 1\nname: x\ntitle: "{value}"\n', "x.yaml")
    assert out == f"format: 1\nname: x\ntitle: {value}\n"
    assert yaml11().load(out)["title"] == value
    assert plain_is_safe(value)


# --- which files: folders hold other YAML files -------------------------------------

COMPOSE = """\
version: '3'
services:
    web:
        image: "nginx"
        ports: ['80:80', "8080:80"]
"""


def test_a_folder_formats_its_policy_and_test_files_only(write: Write, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    policy = write("mine.yaml", MESSY)
    tests = write("mine.test.yaml", "examples: []\npolicy: mine\n")
    named_test = write("odd.test.yaml", "other: 1\nexamples: []\n")
    others = [
        write("docker-compose.yaml", COMPOSE),
        write("list.yaml", "- b\n-   a\n"),
        write("config.yml", "name: 'not a policy'\nversion: '1'\n"),
        write("templates/chart.yaml", "kind: {{ .Values.kind }}\nname: x\n"),
    ]
    before = [snapshot(path) for path in others]
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.splitlines()) == sorted(
        f"reformatted {path}" for path in (policy, tests, named_test)
    )
    assert [snapshot(path) for path in others] == before
    assert result.stderr.splitlines()[-1] == (
        "3 files reformatted, 0 files left unchanged, "
        "4 files left alone (not policy or test files; -v lists them)."
    )
    verbose = run("--check", "-v", tmp_path)
    assert f"left alone {others[0]}: not a policy or test file" in verbose.stdout.splitlines()
    assert f"left alone {others[3]}: not YAML that fmt can read" in verbose.stdout.splitlines()
    assert "4 files left alone (not policy or test files)." in verbose.stderr


def test_a_broken_policy_in_a_folder_is_still_reported(write: Write, tmp_path: Path) -> None:
    path = write("broken.yaml", "format: 1\nname: [unclosed\n")
    result = run(tmp_path)
    assert result.exit_code == 1
    assert f"{path}:2:7: invalid YAML" in result.stderr


def test_a_file_named_on_the_command_line_is_formatted_whatever_it_holds(write: Write) -> None:
    path = write("docker-compose.yaml", COMPOSE)
    result = run(path)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == (
        'version: "3"\nservices:\n  web:\n    image: nginx\n    ports: ["80:80", "8080:80"]\n'
    )


def test_a_file_named_and_in_a_folder_is_formatted_as_named(write: Write, tmp_path: Path) -> None:
    path = write("docker-compose.yaml", COMPOSE)
    result = run(tmp_path, path)
    assert result.stdout == f"reformatted {path}\n"


# --- files fmt must not touch or read -----------------------------------------------


@pytest.mark.parametrize("check", [False, True])
def test_a_read_only_file_is_never_rewritten(write: Write, check: bool) -> None:
    path = write("ro.yaml", MESSY)
    path.chmod(0o444)  # as root too: the owner's write bit is what counts
    before = snapshot(path)
    result = run(*(["--check"] if check else []), path)
    assert result.exit_code == 1
    if check:
        assert result.stdout.startswith(f"would reformat {path}\n")
    else:
        assert result.stderr.splitlines()[-1] == f"{path}:1:1: read-only file: not changed"
        assert result.stdout == ""
        assert "1 file with errors" in result.stderr
    assert snapshot(path) == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert list(path.parent.iterdir()) == [path]


def test_a_read_only_file_already_formatted_is_no_error(write: Write) -> None:
    path = write("ro.yaml", MESSY_FORMATTED)
    path.chmod(0o444)
    assert run(path).exit_code == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_never_read(tmp_path: Path, write: Write) -> None:
    fifo = tmp_path / "ff.yaml"
    os.mkfifo(fifo)
    # Reading the pipe would block this test for ever: fmt must not open it.
    result = run(fifo)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"{fifo}:1:1: not a regular file"
    with pytest.raises(InvpolicyError, match="not a regular file"):
        preview_file(fifo)
    policy = write("mine.yaml", MESSY)
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"reformatted {policy}\n"
    assert "1 file reformatted, 0 files left unchanged." in result.stderr
