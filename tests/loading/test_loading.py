"""Bad files of every kind: one located problem each, nothing executed."""

from __future__ import annotations

import pytest

from invpolicy.errors import InvpolicyError
from invpolicy.io.limits import MAX_DEPTH
from invpolicy.io.safeload import load_document, parse_document
from invpolicy.loading.invitations import load_invitations


def _problems(load, path) -> list[str]:
    with pytest.raises(InvpolicyError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ":1:1: file is empty"),
        (b"# nothing but a comment\n", ":1:1: file is empty"),
        (b"a: 1\nb: [1, 2\n", ":2:4: invalid YAML: this '[' is never closed: add ']'"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":3:1: binary data (a NUL byte)"),
        (b"name: Andr\xe9\n", ":1:11: not valid UTF-8 text (byte 0xe9)"),
        (b"a: 1\nb: 2\na: 3\n", ":3:1: duplicate key 'a' (first at line 1)"),
        (b"base: &b {x: 1}\nother:\n  <<: *b\n", ":3:3: merge keys ('<<') are not supported"),
        (b"? [a, b]\n: 1\n", ":1:3: a key must be a plain string"),
        (b"weight: .nan\n", ":1:9: '.nan' is not a finite number"),
        (b"weight: -.inf\n", ":1:9: '-.inf' is not a finite number"),
        (b"weight: 1e999\n", ":1:9: '1e999' is not a finite number"),
    ],
)
def test_unreadable_files_get_one_located_problem(write, content, expected):
    path = write("input.yaml", content)
    (problem,) = _problems(load_document, path)
    assert problem.startswith(str(path) + expected)


@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system ['touch {marker}']", "!!python/name:os.system", "!custom x"],
)
def test_tags_are_refused_and_never_run(write, tmp_path, tag):
    marker = tmp_path / "ran"
    path = write("evil.yaml", f"value: {tag.format(marker=marker)}\n")
    (problem,) = _problems(load_document, path)
    assert ":1:8: the YAML tag" in problem
    assert "is not allowed" in problem
    assert not marker.exists()


@pytest.mark.parametrize("text", ["", "\n", "# nothing but a comment\n"])
def test_text_with_no_document_is_refused_unless_allowed(text):
    with pytest.raises(InvpolicyError) as info:
        parse_document(text, "empty.yaml")
    assert str(info.value) == "empty.yaml:1:1: file is empty"
    # Allowed, it reads as an empty document ("---" alone) does: no data.
    assert parse_document(text, "empty.yaml", allow_empty=True).data is None
    assert parse_document("---\n", "empty.yaml").data is None


def test_a_bom_is_accepted(write):
    assert load_document(write("bom.yaml", b"\xef\xbb\xbfa: 1\n")).data == {"a": 1}


def test_json_is_read_with_positions(write):
    doc = load_document(write("x.json", '{\n\t"a": [1, "\\u00e9"],\n\t"b": {"c": null}\n}\n'))
    assert doc.data == {"a": [1, "é"], "b": {"c": None}}
    assert doc.position(("a", 1)) == (2, 11)
    assert doc.position(("b",), key=True) == (3, 2)


def test_broken_json_names_the_format(write):
    path = write("x.json", '{"id": "a", "name": ')
    (problem,) = _problems(load_document, path)
    assert problem.startswith(f"{path}:1:21: invalid JSON: ")


def test_alias_bombs_fail_fast(write):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    (problem,) = _problems(load_document, write("bomb.yaml", "\n".join(lines) + "\n"))
    assert "aliases expand to too many values" in problem


def test_deep_nesting_is_refused(write):
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    (problem,) = _problems(load_document, write("deep.yaml", f"a: {deep}\n"))
    assert "nesting is too deep" in problem


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path):
    (problem,) = _problems(load_document, tmp_path / "nope.yaml")
    assert problem.endswith("nope.yaml:1:1: no such file")


# Invitation files ----------------------------------------------------------


def test_invitations_as_a_list_or_under_a_key(write):
    listed = write("a.yaml", "- {id: x, name: X}\n- {id: y, name: Y}\n")
    keyed = write("b.json", '{"owner": "me", "invitations": [{"id": "x", "name": "X"}]}')
    assert [i.id for i in load_invitations(listed)] == ["x", "y"]
    assert [i.id for i in load_invitations(keyed)] == ["x"]


def test_invitation_defaults_and_unknowns(write):
    (inv,) = load_invitations(
        write("a.yaml", "- {id: x, name: X, met_in_person: null, extra_field: 3}\n")
    )
    assert inv.facts["network"] == "linkedin"
    assert "met_in_person" not in inv.facts  # null is unknown, like absent
    assert inv.facts["extra_field"] == 3  # other fields are kept for plugins
    assert inv.language is None


def test_every_invitation_problem_is_reported_at_once(write):
    path = write(
        "inv.yaml",
        """\
        invitations:
          - id: a
            name: Ann
          - id: a
            name: Bob
            met_in_person: sometimes
          - name: Cy
            mutual_connections: -1
            network: myspace
        """,
    )
    assert _problems(load_invitations, path) == [
        f"{path}:4:9: invitations[1].id: duplicate invitation id 'a' (first at line 2)",
        f'{path}:6:20: invitations[1].met_in_person: expected boolean, got a string ("sometimes")',
        f"{path}:7:5: invitations[2]: missing required key 'id'",
        f"{path}:8:25: invitations[2].mutual_connections: -1 is less than the minimum of 0",
        f'{path}:9:14: invitations[2].network: "myspace" is not one of: '
        "linkedin, viadeo, facebook, twitter, other",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("just a string\n", "expected a list of invitations, or a mapping with the key"),
        ("invitations: {a: 1}\n", "invitations: expected a list"),
        ("- 42\n", "[0]: expected object, got an integer (42)"),
        ('[{"id": 3, "name": "B"}]', "[0].id: expected string, got an integer (3)"),
    ],
)
def test_invitation_files_of_the_wrong_shape(write, content, message):
    (problem,) = _problems(load_invitations, write("inv.yaml", content))
    assert message in problem


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(write, monkeypatch):
    import tracemalloc

    from invpolicy.io import files as source

    monkeypatch.setattr(source, "MAX_FILE_BYTES", 10)
    path = write("big.yaml", "a: " + "1" * 20_000_000 + "\n")
    tracemalloc.start()
    try:
        (problem,) = _problems(load_document, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem == f"{path}:1:1: file is too large (more than 10 bytes)"
    # A 20 MB file, refused after 11 bytes: nowhere near its size in memory.
    assert peak < 1_000_000


def test_every_missing_required_key_is_named_once(write):
    path = write("inv.yaml", "- {network: viadeo}\n")
    assert _problems(load_invitations, path) == [
        f"{path}:1:3: [0]: missing required key 'id'",
        f"{path}:1:3: [0]: missing required key 'name'",
    ]


def test_folded_text_reads_as_the_words_written(write):
    # A folded block (>-) is one line of text, with nothing hidden at the folds.
    path = write(
        "inv.yaml",
        "follow_up: >-\n  We are looking for a designer\n  because our app launches soon\n",
    )
    text = load_document(path).data["follow_up"]
    assert text == "We are looking for a designer because our app launches soon"
