"""A file's cost is bounded by its structure as it is read, not only by its size."""

from __future__ import annotations

from pathlib import Path

import pytest

from invpolicy.errors import InvpolicyError
from invpolicy.io import composer
from invpolicy.io.composer import MAX_NODES, RECORDS_BOUNDS
from invpolicy.io.safeload import load_document, parse_document
from invpolicy.resources import data_dir


def problems(exc: pytest.ExceptionInfo[InvpolicyError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_a_policy_with_many_keys_stops_where_the_bound_is_passed(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(
        "format: 1\nname: keys\n" + "".join(f"k{i}: {i}\n" for i in range(30_000)),
        encoding="utf-8",
    )
    with pytest.raises(InvpolicyError) as exc:
        load_document(path)
    # The document, then a key and a value a line: the 20,001st value is the key of line 10,000.
    assert problems(exc) == [
        f"{path}:10000:8: more than 20,000 values: far more than a policy holds; "
        "reading stopped here"
    ]


def test_a_policy_with_a_long_list_stops_too(tmp_path: Path) -> None:
    path = tmp_path / "zeros.yaml"
    path.write_text("rules: [" + ",".join("0" for _ in range(50_000)) + "]\n", encoding="utf-8")
    with pytest.raises(InvpolicyError) as exc:
        load_document(path)
    ((line, col),) = [tuple(map(int, p.split(":")[1:3])) for p in problems(exc)]
    # The document, the key, the list, then the zeros: the 20,001st value is zero 19,998.
    assert line == 1 and col == 9 + 2 * (MAX_NODES - 3)


def test_the_bundled_policies_are_far_below_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(composer, "MAX_NODES", MAX_NODES)
    for path in sorted(data_dir("policies").glob("*.yaml")):
        tight = composer.Bounds(nodes=MAX_NODES // 20)  # 1,000: still enough for each
        parse_document(path.read_text(encoding="utf-8"), str(path), bounds=tight)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_invitations_file_of_non_records_stops_early(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"pending{suffix}"
    if suffix == ".json":
        path.write_text("[" + ",".join("0" for _ in range(500_000)) + "]", encoding="utf-8")
        where = "1:202"
    else:
        path.write_text("".join("- 0\n" for _ in range(300_000)), encoding="utf-8")
        where = "101:3"
    with pytest.raises(InvpolicyError) as exc:
        load_document(path, bounds=RECORDS_BOUNDS)
    assert problems(exc) == [
        f"{path}:{where}: more than 100 items of the list are not invitations (a mapping "
        "with id and name each): reading stopped here"
    ]


def test_one_invitation_with_too_many_values_is_refused_at_it(tmp_path: Path) -> None:
    path = tmp_path / "pending.yaml"
    big = ", ".join(str(i) for i in range(2_000))
    path.write_text(
        f"invitations:\n  - {{id: a, name: A}}\n  - {{id: b, name: B, groups: [{big}]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvpolicyError) as exc:
        load_document(path, bounds=RECORDS_BOUNDS)
    assert problems(exc)[0].startswith(f"{path}:3:")
    assert problems(exc)[0].endswith(
        "more than 1,000 values in one invitation: reading stopped here"
    )


def test_many_ordinary_invitations_are_not_bounded_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "pending.yaml"
    path.write_text(
        "".join(
            f"- {{id: i{i}, name: N {i}, mutual_connections: {i % 7}}}\n" for i in range(8_000)
        ),
        encoding="utf-8",
    )
    doc = load_document(path, bounds=RECORDS_BOUNDS)
    assert len(doc.data) == 8_000
