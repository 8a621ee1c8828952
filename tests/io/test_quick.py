"""Files of invitations read the quick way: the same data, the same located errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy.cli import cli
from invpolicy.io.composer import POLICY_BOUNDS, RECORDS_BOUNDS
from invpolicy.io.fastload import quick_data
from invpolicy.io.safeload import parse_document

Write = Callable[[str, str | bytes], Path]


def _records(count: int) -> list[dict[str, object]]:
    return [
        {"id": f"i{n}", "name": f"Person {n}", "met_in_person": n % 2 == 0, "exchanges": n % 5}
        for n in range(count)
    ]


@pytest.mark.parametrize("name", ["inv.json", "inv.yaml"])
def test_a_file_of_records_is_read_quickly_into_the_careful_readers_data(name: str) -> None:
    records = _records(50)
    text = json.dumps(records, indent=2) if name.endswith(".json") else _block_yaml(records)
    quick = parse_document(text, name, bounds=RECORDS_BOUNDS, quick=True)
    assert quick.locate is not None  # no position kept, until one is needed
    assert quick.data == records == parse_document(text, name, bounds=RECORDS_BOUNDS).data


def _block_yaml(records: list[dict[str, object]]) -> str:
    lines = []
    for record in records:
        first = True
        for key, value in record.items():
            shown = json.dumps(value)
            lines.append(f"{'- ' if first else '  '}{key}: {shown}")
            first = False
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        "- {id: a, name: !!python/name:os.system x}",  # a tag
        "- &a {id: a, name: A}\n- *a",  # an anchor and an alias
        "- {id: a, name: A, <<: {b: 1}}",  # a merge key
        "- {id: a, name: A, id: b}",  # a duplicate key
        '[{"id": "a", "name": "A", "id": "b"}]',
        "%YAML 1.1\n---\n- {id: a, name: A}",  # a directive
        "- {id: a, name: A}\n---\n- {id: b, name: B}",  # a second document
        '[{"id": "a", "name": "A", "n": 123456789012345678901234567890}]',
        '[{"id": "a", "name": "\\ud83d"}]',  # half a surrogate pair
        "- {id: a, name: A, x: =}",  # a tag the careful reader refuses
        "- {id: a,\tname: A}",  # a tab
        "[" * 70 + "]" * 70,  # nesting near the limit
        json.dumps([0] * 101),  # more than 100 items that are not invitations
        json.dumps([{"id": "a", "name": "A", "many": list(range(1000))}]),  # a record too big
    ],
)
def test_what_the_quick_way_does_not_handle_exactly_goes_the_careful_way(text: str) -> None:
    assert quick_data(text, "inv.yaml", RECORDS_BOUNDS) is None


def test_json_that_only_yaml_reads_goes_the_careful_way() -> None:
    # NaN is no JSON number: YAML reads it as text, so the careful reader does.
    assert quick_data('[{"id": "a", "name": NaN}]', "inv.json", RECORDS_BOUNDS) is None


def test_a_policy_past_the_node_bound_goes_the_careful_way() -> None:
    text = json.dumps({"rules": list(range(POLICY_BOUNDS.nodes or 0))})
    assert quick_data(text, "policy.json", POLICY_BOUNDS) is None
    assert quick_data(json.dumps({"rules": [1, 2]}), "policy.json", POLICY_BOUNDS) == [
        {"rules": [1, 2]}
    ]


@pytest.mark.parametrize("name", ["inv.json", "inv.yaml"])
def test_a_problem_in_a_file_read_quickly_is_said_at_its_line(write: Write, name: str) -> None:
    """The positions come back for the message: the line of the bad value, and of the
    first invitation a duplicate id repeats."""
    records = _records(30)
    records[20]["exchanges"] = "many"
    records[25]["id"] = "i3"
    text = json.dumps(records, indent=2) if name.endswith(".json") else _block_yaml(records)
    path = write(name, text)
    result = CliRunner().invoke(cli, ["compare", str(path), "-p", "strong-ties-only"])
    assert result.exit_code == 1
    lines = text.splitlines()
    bad = next(n for n, line in enumerate(lines, 1) if '"many"' in line)
    # A duplicate is said at its id, and the first is named by the line its invitation
    # starts on: the line of "{" in JSON, of "- " in YAML.
    starts = 1 if name.endswith(".json") else 0
    first = next(n for n, line in enumerate(lines, 1) if '"i3"' in line) - starts
    second = max(n for n, line in enumerate(lines, 1) if '"i3"' in line)
    errors = result.stderr.splitlines()
    assert any(e.startswith(f"{path}:{bad}:") and "exchanges" in e for e in errors), errors
    assert any(
        e.startswith(f"{path}:{second}:") and f"(first at line {first})" in e for e in errors
    ), errors


def test_a_list_of_non_records_stops_the_quick_way_early(write: Write) -> None:
    """A large JSON list of anything but invitations is given up item by item, at the bound,
    and the careful reader stops there too: one located line."""
    path = write("inv.json", "[" + "0," * 200_000 + "0]")
    result = CliRunner().invoke(cli, ["compare", str(path), "-p", "ask-first"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:1:202: more than 100 items of the list")
