"""A file the YAML reader cannot parse is one line in plain words, at the mistake.

Each text below is a mistake people make; the line checked is the one
``invpolicy validate`` prints. The parser's own words (ruamel.yaml's) are
kept behind ``--verbose``, and kept as they are for a message not translated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli
from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.safeload import parse_document

Write = Callable[[str, str | bytes], Path]


def said(write: Write, name: str, text: str, *options: str) -> str:
    """The one line ``invpolicy validate`` prints for a file ``name`` holding ``text``."""
    path = write(name, text.encode())
    result = CliRunner().invoke(cli, ["validate", str(path), *options], catch_exceptions=False)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    prefix = f"{path}:"
    assert line.startswith(prefix), line
    return line[len(prefix) :]


def test_a_colon_inside_a_value(write: Write) -> None:
    # "mapping values are not allowed here", at the ':' that starts a second mapping.
    assert said(write, "p.yaml", "format: 1\ntitle: Ask: first\n") == (
        "2:11: invalid YAML: a ':' inside a value: put the value in quotes"
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # "expected <block end>, but found '<block mapping start>'"
        ("rules:\n  - name: x\n    when: y\n   then: z\n", "4:4"),
        # "expected <block end>, but found '<block sequence start>'"
        ("a:\n  - 1\n - 2\n", "3:2"),
        # "expected <block end>, but found '<scalar>'", at the start of a line
        ("a: |\n  x\n  y\n z\n", "4:2"),
        # "expected '<document start>', but found ('<block mapping start>',)"
        ("  format: 1\nname: x\n", "2:1"),
    ],
)
def test_a_line_indented_unlike_the_others(write: Write, text: str, where: str) -> None:
    assert said(write, "p.yaml", text) == (
        f"{where}: invalid YAML: this line is not indented like the lines above it"
    )


def test_a_list_item_among_keys(write: Write) -> None:
    # "expected <block end>, but found '-'" (libyaml: "did not find expected key")
    assert said(write, "p.yaml", "a:\n  b: 1\n  - c\n") == (
        "3:3: invalid YAML: a list item where a key was expected: indent the list under its key"
    )


def test_a_key_among_list_items(write: Write) -> None:
    # "expected <block end>, but found '?'" (libyaml: "did not find expected '-' indicator")
    assert said(write, "p.yaml", "- a\n- b\nc: 1\n") == (
        "3:1: invalid YAML: a 'key: value' where a list item was expected: start it with '- ', "
        "or indent it"
    )


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # "expected <block end>, but found '<scalar>'", after a value on its line
        (
            "p.yaml",
            "title: 'it's mine'\n",
            "1:12: invalid YAML: more after the closing ': to write ' inside single quotes, "
            "double it ('')",
        ),
        (
            "p.yaml",
            'title: "say "hi""\n',
            '1:14: invalid YAML: more after the closing ": to write " inside double quotes, '
            'write \\"',
        ),
        (
            "p.yaml",
            "title: [a] b\n",
            "1:12: invalid YAML: more after the end of a value: put the whole value in quotes",
        ),
        # A JSON file has no single quotes to double.
        (
            "p.json",
            "title: 'it's mine'\n",
            "1:12: invalid JSON: more after the closing ': JSON strings are in double quotes",
        ),
    ],
)
def test_more_after_the_end_of_a_value(write: Write, name: str, text: str, expected: str) -> None:
    assert said(write, name, text) == expected


def test_a_tab(write: Write) -> None:
    # "found character '\t' that cannot start any token"
    assert said(write, "p.yaml", "format: 1\nrules:\n\t- name: x\n") == (
        "3:1: invalid YAML: a tab: indent with spaces"
    )
    # Tabs between the brackets of JSON are fine; outside them, they are not.
    assert said(write, "p.json", '\t{"format": 1}\n') == (
        "1:1: invalid JSON: a tab outside the brackets: use spaces"
    )


@pytest.mark.parametrize("char", ["@", "`", "%"])
def test_a_character_that_cannot_start_a_value(write: Write, char: str) -> None:
    # "found character '@' that cannot start any token"
    assert said(write, "p.yaml", f"title: {char}home\n") == (
        f"1:8: invalid YAML: '{char}' cannot start a value: put the value in quotes"
    )
    assert said(write, "p.json", f'{{"title": {char}home}}\n') == (
        f"1:11: invalid JSON: '{char}' cannot start a JSON value: write text in double quotes"
    )


def test_an_undefined_alias(write: Write) -> None:
    # "found undefined alias 'important*'"
    assert said(write, "p.yaml", "title: *important* note\n") == (
        "1:8: invalid YAML: '*important*' refers to an anchor '&important*' not set above: "
        "put the value in quotes if it is text"
    )
    assert said(write, "p.json", '{"title": *x}\n') == (
        "1:11: invalid JSON: '*' cannot start a JSON value: write text in double quotes"
    )


def test_an_anchor_without_a_name(write: Write) -> None:
    # "while scanning an anchor ... expected alphabetic or numeric character, but found ' '"
    assert said(write, "p.yaml", "title: & co\n") == (
        "1:9: invalid YAML: '&' must be followed by a name: put the value in quotes if it is text"
    )


def test_a_line_without_its_colon(write: Write) -> None:
    # "while scanning a simple key (2:1) ... could not find expected ':' (3:1)":
    # shown on the line that lacks the ':', not the line after.
    expected = (
        "invalid YAML: this line is not 'key: value': put ': ' after the key, or indent the "
        "line into the value above"
    )
    assert said(write, "p.yaml", "format: 1\nname:x\ntitle: X\n") == f"2:1: {expected}"
    assert said(write, "p.yaml", "rules:\n  - name: a\n    when\n") == f"3:5: {expected}"


def test_a_quote_never_closed(write: Write) -> None:
    # "while scanning a quoted scalar (2:8) ... found unexpected end of stream (4:1)":
    # shown at the quote that is never closed, not at the end of the file.
    assert said(write, "p.yaml", "format: 1\ntitle: 'Ask first\nname: x\n") == (
        "2:8: invalid YAML: this ' is never closed: end the value with '"
    )
    assert said(write, "p.yaml", 'format: 1\ntitle: "Ask first\n') == (
        '2:8: invalid YAML: this " is never closed: end the value with "'
    )
    assert said(write, "p.json", '{"format": 1, "title": "Ask first}\n') == (
        '1:24: invalid JSON: this string is never closed: end it with "'
    )


def test_a_bracket_never_closed(write: Write) -> None:
    # "expected ',' or ']', but got '<stream end>'": at the bracket, not the end of the file.
    assert said(write, "p.yaml", "format: 1\ntags: [a, b\n") == (
        "2:7: invalid YAML: this '[' is never closed: add ']' where it ends"
    )
    assert said(write, "p.json", '{"format": 1,\n "tags": ["a"]\n') == (
        "1:1: invalid JSON: this '{' is never closed: add '}' where it ends"
    )


def test_a_comma_missing_in_brackets(write: Write) -> None:
    # "expected ',' or '}', but got ':'", "expected ',' or ']', but got '}'"
    assert said(write, "p.json", '{\n  "format": 1\n  "name": "x"\n}\n') == (
        "3:9: invalid JSON: a ',' is missing before this, or the '{' at line 1, column 1 "
        "is not closed"
    )
    assert said(write, "p.json", '{"tags": ["a", "b"}\n') == (
        "1:19: invalid JSON: a ',' is missing before this, or the '[' at line 1, column 10 "
        "is not closed"
    )
    # "expected ',' or '}', but got '<scalar>'": a key without its ':'.
    assert said(write, "p.json", '{"format" 1}\n') == (
        "1:11: invalid JSON: a ':' (after a key) or a ',' (between entries) is missing before this"
    )


def test_a_value_missing_between_commas(write: Write) -> None:
    # "expected the node content, but found ','"
    assert said(write, "p.json", '{"tags": ["a",, "b"]}\n') == (
        "1:15: invalid JSON: a value is missing before this ','"
    )


def test_a_key_too_long_for_the_reader(write: Write) -> None:
    # "expected ',' or '}', but got ':'" after a key of more than 1024 characters.
    key = "k" * 1100
    assert said(write, "p.json", f'{{"format": 1, "{key}": 1}}\n') == (
        f"1:{17 + len(key)}: invalid JSON: the key before this ':' is longer than 1,024 characters"
    )


def test_an_unknown_escape(write: Write) -> None:
    # "found unknown escape character 'p'", shown at the backslash.
    assert said(write, "p.yaml", 'title: "C:\\path"\n') == (
        "1:11: invalid YAML: '\\p' is not an escape: write '\\\\' for a backslash, "
        "or use single quotes"
    )
    assert said(write, "p.json", '{"title": "C:\\path"}\n') == (
        "1:14: invalid JSON: '\\p' is not a JSON escape: write '\\\\' for a backslash"
    )


def test_an_escape_without_its_digits(write: Write) -> None:
    # "expected escape sequence of 8 hexdecimal numbers, but found 's'": a Windows path.
    assert said(write, "p.yaml", 'folder: "C:\\Users\\me"\n') == (
        "1:12: invalid YAML: '\\U' must be followed by 8 hexadecimal digits: "
        "write '\\\\' for a backslash"
    )


def test_a_list_on_the_line_of_its_key(write: Write) -> None:
    # "sequence entries are not allowed here" (libyaml: "block sequence entries are not
    # allowed in this context")
    assert said(write, "p.yaml", "format: 1\ntags: - a\n") == (
        "2:7: invalid YAML: a list cannot start on the line of its key: put the value in "
        "quotes, or write each item below it on a line of its own, indented, as '- item'"
    )


def test_a_question_mark_inside_a_value(write: Write) -> None:
    # "mapping keys are not allowed here"
    assert said(write, "p.yaml", "title: ? what\n") == (
        "1:8: invalid YAML: a '?' inside a value: put the value in quotes"
    )


def test_an_anchor_set_twice(write: Write) -> None:
    # ruamel.yaml only warns "found duplicate anchor 'x'" and keeps the second.
    assert said(write, "p.yaml", "a: &x 1\nb: &x 2\nc: *x\n") == (
        "2:4: invalid YAML: the anchor '&x' is set a second time (first at line 1): "
        "give each its own name"
    )


def test_a_second_document(write: Write) -> None:
    # "expected a single document in the stream ... but found another document"
    assert said(write, "p.yaml", "format: 1\n---\nname: x\n") == (
        "2:1: invalid YAML: a second document starts here: the file must hold one document"
    )
    # "expected '<document start>', but found ('{',)"
    assert said(write, "p.json", '{"format": 1}\n{"name": "x"}\n') == (
        "2:1: invalid JSON: more after the end of the JSON value: the file must hold one value"
    )


def test_text_after_a_block_indicator(write: Write) -> None:
    # "expected chomping or indentation indicators, but found 'x'"
    assert said(write, "p.yaml", "title: |x\n  y\n") == (
        "1:9: invalid YAML: only '-', '+' or a digit may follow '|' or '>': write the text on "
        "the lines below"
    )


def test_a_message_without_plain_words_keeps_the_parsers(write: Write) -> None:
    assert said(write, "p.yaml", "title: !x!y 1\n") == (
        "1:8: invalid YAML: found undefined tag handle '!x!'"
    )


def test_verbose_adds_the_parsers_words(write: Write) -> None:
    text = "format: 1\ntitle: 'Ask first\n"
    plain = "2:8: invalid YAML: this ' is never closed: end the value with '"
    assert said(write, "p.yaml", text) == plain
    assert said(write, "p.yaml", text, "--verbose") == (
        f"{plain} (parser: while scanning a quoted scalar at 2:8; found unexpected end of "
        "stream at 3:1)"
    )


def test_the_parsers_words_change_neither_the_problem_nor_its_line() -> None:
    with pytest.raises(InvpolicyError) as info:
        parse_document("a: b: c\n", "p.yaml")
    (problem,) = info.value.problems
    assert problem.detail == "mapping values are not allowed here at 1:5"
    same = Problem("p.yaml", 1, 5, problem.message)
    assert problem == same
    assert hash(problem) == hash(same)
    assert str(problem) == "p.yaml:1:5: invalid YAML: a ':' inside a value: put the value in quotes"
