"""The index of ids read from a streamed file: what a dict would say, in less memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest

from invpolicy.loading import idindex
from invpolicy.loading.idindex import FirstLines, IdIndex


def test_it_answers_like_a_set_as_it_grows() -> None:
    index = IdIndex()
    expected: set[str] = set()
    for line in range(1, 5001):
        ident = f"inviter-{line % 3000}"
        assert index.add(ident) == (ident not in expected)
        expected.add(ident)
    assert len(index) == len(expected) == 3000
    assert all(ident in index for ident in expected)
    assert "inviter-3000" not in index
    assert "someone else" not in index
    assert 42 not in index


def _lines(idents: list[str]) -> tuple[FirstLines, list[str]]:
    replays: list[str] = []

    def replay(line: int) -> Iterator[tuple[str, int]]:
        replays.append(f"up to {line}")
        for at, ident in enumerate(idents[: line - 1], start=1):
            yield ident, at

    return FirstLines(replay), replays


def test_first_lines_are_exact_and_the_file_is_read_again_once() -> None:
    idents = [f"inviter-{n % 700}" for n in range(1000)]
    first_lines, replays = _lines(idents)
    said = {line: first_lines.first(ident, line) for line, ident in enumerate(idents, start=1)}
    assert all(said[line] is None for line in range(1, 701))
    assert all(said[line] == line - 700 for line in range(701, 1001))
    # The first repeat read the file again up to it: once to find that id, once to
    # know every id's line; the ones after are known.
    assert replays == ["up to 701", "up to 701"]


def test_two_ids_with_the_same_hash_are_not_taken_for_one(monkeypatch) -> None:
    monkeypatch.setattr(idindex, "_key", lambda ident: (5, 12345))
    idents = ["ann", "bob", "cid", "ann", "dee", "bob"]
    first_lines, replays = _lines(idents)
    assert first_lines.first("ann", 1) is None
    assert first_lines.first("bob", 2) is None  # same hash, another id: checked, not a repeat
    assert first_lines.first("cid", 3) is None
    assert replays == ["up to 2", "up to 3"]
    # The same id: a repeat, and from then on every id is known exactly.
    assert first_lines.first("ann", 4) == 1
    assert first_lines.first("dee", 5) is None
    assert first_lines.first("bob", 6) == 2
    assert replays == ["up to 2", "up to 3", "up to 4", "up to 4"]


@pytest.mark.slow
def test_an_id_costs_a_few_bytes_not_a_string_and_a_dict_entry() -> None:
    idents = [f"https-www-linkedin-com-in-person-{i}" for i in range(50_000)]
    tracemalloc.start()
    try:
        index = IdIndex()
        for ident in idents:
            index.add(ident)
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(index) == 50_000
    # 4 bytes a slot, at least a quarter of the slots empty: under 16 bytes an id.
    assert kept < 16 * 50_000


def test_ids_made_from_names_and_the_reading_never_depend_on_the_fingerprints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pathlib import Path

    from invpolicy import open_invitations

    export = (
        Path(__file__).resolve().parents[2]
        / "examples"
        / "linkedin"
        / "Basic_LinkedInDataExport_03-01-2026"
    )
    before = [invitation.id for invitation in open_invitations(export)]
    # Every id on one fingerprint: each is checked by reading again, none taken for another.
    monkeypatch.setattr(idindex, "_key", lambda ident: (0, 7))
    assert [invitation.id for invitation in open_invitations(export)] == before
    assert len(set(before)) == len(before) > 5
