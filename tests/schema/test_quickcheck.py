"""The quick test of a flat record's schema agrees with the full validator.

Invitations are checked by a plain function built from their schema; the
JSON Schema validator speaks only when that function says no. It must never
say yes to what the validator refuses.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invpolicy.io.document import Document
from invpolicy.model.invitation import _quick_test, invitation_problems
from invpolicy.resources import validator
from invpolicy.schema.check import quick_test
from invpolicy.schema.fields import invitation_fields

INVITATION = validator("invitation", "invitation")
FIELDS = sorted(invitation_fields())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-3, max_value=3),
    st.sampled_from(["", "en", "fr-CA", "english", "linkedin", "myspace", "x"]),
    st.text(max_size=5),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(), scalars))
any_records = st.dictionaries(st.sampled_from([*FIELDS, "extra"]), values, max_size=8)
# Records with an id and a name, so that many are valid and the test sees both answers.
named = st.fixed_dictionaries({"id": st.text(min_size=1), "name": st.text(min_size=1)})
records = st.one_of(
    any_records,
    st.builds(lambda base, more: {**more, **base}, named, any_records),
    st.builds(
        lambda base, count, network: {**base, "mutual_connections": count, "network": network},
        named,
        st.integers(-1, 3),
        st.sampled_from(["linkedin", "viadeo", None, "myspace"]),
    ),
)


def _integral_floats(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(isinstance(item, float) and item.is_integer() for item in items)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(records)
def test_the_quick_test_says_yes_exactly_when_the_validator_does(record: dict[str, Any]) -> None:
    quick = _quick_test()(record)
    valid = INVITATION.is_valid(record)
    assert not quick or valid
    if not any(_integral_floats(v) for v in record.values()):
        # 2.0 is an integer to JSON Schema; the quick test leaves it to the validator.
        assert quick == valid


@pytest.mark.parametrize(
    ("record", "quick"),
    [
        ({"id": "a", "name": "A"}, True),
        (
            {"id": "a", "name": "A", "network": None, "shared_groups": ["x"], "language": "fr-CA"},
            True,
        ),
        ({"id": "a", "name": "A", "met_in_person": True, "experience_years": 2.5}, True),
        ({"id": "a", "name": "A", "exchanges": -1}, False),
        ({"id": "a", "name": "A", "exchanges": True}, False),
        ({"id": "a", "name": "A", "language": "english"}, False),
        ({"id": "a"}, False),
    ],
)
def test_the_quick_test_passes_valid_records_and_sends_the_rest_on(
    record: dict[str, Any], quick: bool
) -> None:
    assert _quick_test()(record) is quick


def test_a_record_refused_quickly_is_still_explained_in_full() -> None:
    doc = Document("inv.jsonl", {"id": "a", "name": "A", "exchanges": -1})
    (problem,) = invitation_problems(doc.data, doc)
    assert problem.message == "exchanges: -1 is less than the minimum of 0"


def test_schemas_with_other_keywords_have_no_quick_test() -> None:
    assert quick_test({"type": "object", "oneOf": [{}]}) is None
    assert quick_test({"properties": {"a": {"$ref": "#/$defs/a"}}}) is None
    assert quick_test({"additionalProperties": False}) is None
    assert quick_test(validator("policy").schema) is None


def test_an_enum_of_lists_or_mappings_is_left_to_the_validator() -> None:
    # To Python, [True] == [1] and {"a": False} == {"a": 0}; to JSON Schema, not.
    assert quick_test({"enum": [[1]]}) is None
    assert quick_test({"enum": [{"a": 0}]}) is None
    assert quick_test({"enum": [1, "a", None]}) is not None
