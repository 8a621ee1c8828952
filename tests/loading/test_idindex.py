"""The index of ids read from a streamed file: what a dict would say, in less memory."""

from __future__ import annotations

import tracemalloc

import pytest

from invpolicy.loading.idindex import IdIndex


def test_it_answers_like_a_dict_of_first_lines_as_it_grows() -> None:
    index = IdIndex(capacity=4)
    expected: dict[str, int] = {}
    for line in range(1, 5001):
        ident = f"inviter-{line % 3000}"
        if ident not in expected:
            expected[ident] = line
        index.add(ident, line)  # a repeated id keeps its first line
    assert len(index) == len(expected) == 3000
    assert all(index.get(ident) == first for ident, first in expected.items())
    assert "inviter-2999" in index
    assert "inviter-3000" not in index
    assert index.get("someone else") is None
    assert 42 not in index


@pytest.mark.slow
def test_an_id_costs_a_few_bytes_not_a_string_and_a_dict_entry() -> None:
    idents = [f"https-www-linkedin-com-in-person-{i}" for i in range(50_000)]
    tracemalloc.start()
    try:
        index = IdIndex()
        for line, ident in enumerate(idents, start=1):
            index.add(ident, line)
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(index) == 50_000
    # 16 bytes a slot, at least a quarter of the slots empty: under 64 bytes an id.
    assert kept < 64 * 50_000
