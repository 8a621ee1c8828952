"""One walk of a condition tree: the visitor, and how a condition is written."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import pytest

from invpolicy.errors import InvpolicyError
from invpolicy.io.safeload import load_document
from invpolicy.loading.parse import read_policy
from invpolicy.model.conditions import AllOf, AnyOf, Condition, CriterionCheck, Not, ScoreTest
from invpolicy.model.visitor import (
    OPERATORS,
    SCORE,
    ConditionVisitor,
    WrittenCondition,
    condition_data,
    condition_from_data,
    leaves,
    written_condition,
)
from invpolicy.plugins.contract import is_valid_name

from ..conftest import REPO

#: The policy schema's definition of a condition.
CONDITION = json.loads((REPO / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))[
    "$defs"
]["condition"]
SCHEMA_OPERATORS = list(CONDITION["properties"])
POLICY_FILES = sorted((REPO / "policies").glob("*.yaml"))

#: Every operator, nested: the condition a policy file would write.
EVERYTHING: dict[str, Any] = {
    "all": [
        {"any": [{"met_in_person": None}, {"score": {"at_least": 1}}]},
        {"not": {"exchanges": {"at_least": 3}}},
        {"score": {"at_least": -2, "below": 4.5}},
    ]
}


def _is_condition(spec: dict[str, Any]) -> bool:
    return spec.get("$ref") == "#/$defs/condition"


def _sample(spec: dict[str, Any]) -> Any:
    """A value the schema accepts for an operator, with criteria as its sub-conditions."""
    if spec.get("type") == "array" and _is_condition(spec["items"]):
        return [{"met_in_person": None}, {"exchanges": {"at_least": 2}}]
    if _is_condition(spec):
        return {"met_in_person": None}
    if spec.get("type") == "object" and "properties" in spec:
        return {name: float(i) for i, name in enumerate(spec["properties"])}
    raise AssertionError(f"no sample for {spec}: teach _sample this operator's shape")


def _sub_conditions(op: str, value: Any) -> list[tuple[tuple[str | int, ...], Any]]:
    """Where the schema says ``{op: value}`` holds conditions."""
    spec = CONDITION["properties"][op]
    if spec.get("type") == "array" and _is_condition(spec["items"]):
        return [((op, i), part) for i, part in enumerate(value)]
    return [((op,), value)] if _is_condition(spec) else []


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


# --- What the schema allows, the visitor and the written form know ---------------


def test_the_operators_are_the_schemas():
    assert list(OPERATORS) == SCHEMA_OPERATORS
    # A criterion may not take an operator's name: a policy could not tell them apart.
    assert not any(is_valid_name(op) for op in SCHEMA_OPERATORS)


def test_a_visitor_has_one_method_per_operator_and_one_for_criteria():
    assert ConditionVisitor.__abstractmethods__ == {
        *(f"visit_{op}" for op in SCHEMA_OPERATORS),
        "visit_criterion",
    }


@pytest.mark.parametrize("op", SCHEMA_OPERATORS)
def test_each_operator_is_read_and_written_as_the_schema_says(op):
    data = {op: _sample(CONDITION["properties"][op])}
    written = written_condition(data)
    assert written is not None and not written.is_criterion
    assert list(written.parts) == _sub_conditions(op, data[op])
    for path, part in written.parts:
        assert _at(data, path) == part
    model = condition_from_data(data)
    assert not isinstance(model, CriterionCheck)
    assert condition_data(model) == data


def test_a_criterion_is_any_other_key_and_null_means_no_parameters():
    written = written_condition({"met_in_person": None})
    assert written is not None and written.is_criterion and written.parts == ()
    model = condition_from_data({"met_in_person": None})
    assert model == CriterionCheck("met_in_person", {})
    assert condition_data(model) == {"met_in_person": None}
    assert condition_data(CriterionCheck("exchanges", {"at_least": 2})) == {
        "exchanges": {"at_least": 2}
    }


@pytest.mark.parametrize("data", [None, [], "all", {}, {"all": [], "any": []}], ids=repr)
def test_what_is_not_a_one_key_mapping_is_not_read_as_a_condition(data):
    assert written_condition(data) is None


@pytest.mark.parametrize(("op", "value"), [("all", 5), ("any", {"a": None}), ("all", None)])
def test_a_value_of_the_wrong_shape_has_no_parts(op, value):
    assert WrittenCondition(op, value).parts == ()


# --- The visitor ------------------------------------------------------------------


class _Kinds(ConditionVisitor[str]):
    def visit_criterion(self, node: CriterionCheck) -> str:
        return node.criterion

    def visit_score(self, node: ScoreTest) -> str:
        return SCORE

    def visit_all(self, node: AllOf) -> str:
        return "all(" + ",".join(self.visit(part) for part in node.parts) + ")"

    def visit_any(self, node: AnyOf) -> str:
        return "any(" + ",".join(self.visit(part) for part in node.parts) + ")"

    def visit_not(self, node: Not) -> str:
        return f"not({self.visit(node.part)})"


SAMPLES: list[Condition] = [
    CriterionCheck("a", {}),
    ScoreTest(1),
    AllOf((CriterionCheck("a", {}), CriterionCheck("b", {}))),
    AnyOf((CriterionCheck("a", {}),)),
    Not(ScoreTest(below=2)),
]


def test_visit_sends_each_kind_of_node_to_its_method():
    assert {type(node) for node in SAMPLES} == set(typing.get_args(Condition))
    assert [_Kinds().visit(node) for node in SAMPLES] == [
        "a",
        "score",
        "all(a,b)",
        "any(a)",
        "not(score)",
    ]


def test_a_visitor_that_forgets_a_node_kind_cannot_be_made():
    class Forgetful(ConditionVisitor[str]):
        def visit_criterion(self, node: CriterionCheck) -> str:
            return ""

        def visit_score(self, node: ScoreTest) -> str:
            return ""

        def visit_all(self, node: AllOf) -> str:
            return ""

        def visit_any(self, node: AnyOf) -> str:
            return ""

    with pytest.raises(TypeError, match="visit_not"):
        Forgetful()  # type: ignore[abstract]


def test_visiting_what_is_not_a_condition_fails():
    with pytest.raises(AssertionError):
        _Kinds().visit({"all": []})  # type: ignore[arg-type]


def test_leaves_are_the_criteria_and_score_tests_in_the_order_written():
    model = condition_from_data(EVERYTHING)
    assert list(leaves(model)) == [
        CriterionCheck("met_in_person", {}),
        ScoreTest(at_least=1),
        CriterionCheck("exchanges", {"at_least": 3}),
        ScoreTest(at_least=-2, below=4.5),
    ]
    assert list(leaves(None)) == []


# --- Written form and model agree, for every bundled policy -----------------------


def test_every_operator_round_trips():
    assert condition_data(condition_from_data(EVERYTHING)) == EVERYTHING


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda path: path.stem)
def test_a_bundled_policys_conditions_read_back_as_written(path: Path, registry):
    data = load_document(path).data
    policy = read_policy(path, registry)
    written = [rule.get("when") for rule in data["rules"]]
    written += [signal["when"] for signal in data.get("scoring", ())]
    read = [rule.when for rule in policy.rules] + [signal.when for signal in policy.scoring]
    assert written and len(read) == len(written)
    for when, model in zip(written, read, strict=True):
        assert (None if model is None else condition_data(model)) == when
        if when is not None:
            assert condition_from_data(when) == model


# --- Users of the walk: where problems point, what explanations show ---------------


def test_a_problem_deep_in_a_condition_points_at_its_place(write, registry):
    path = write(
        "deep.yaml",
        """\
        format: 1
        name: deep
        title: Deep
        summary: A criterion misspelt deep in a condition.
        author: The tests
        sources: [{article: tests}]
        rules:
          - id: deep
            when:
              all:
                - met_in_person:
                - not:
                    any: [{exchanges: {at_least: 1}}, {met_in_persn: }]
            decision: accept
          - id: default
            decision: ignore
        """,
    )
    with pytest.raises(InvpolicyError) as caught:
        read_policy(path, registry)
    (problem,) = caught.value.problems
    assert (problem.line, problem.col) == (13, 48)
    assert problem.message.startswith(
        "rules[0].when.all[1].not.any[1].met_in_persn: unknown criterion 'met_in_persn'"
    )


def _as_written(trace: dict[str, Any]) -> dict[str, Any]:
    """An explanation's trace without what it saw: the condition it explains."""
    op = next((key for key in OPERATORS if key in trace), None)
    if op is None:
        return {trace["criterion"]: trace["params"] or None}
    parts = WrittenCondition(op, trace[op]).parts
    if not parts:
        return {op: trace[op]}
    if len(parts) == 1 and parts[0][0] == (op,):
        return {op: _as_written(parts[0][1])}
    return {op: [_as_written(part) for _, part in parts]}


def test_an_explanation_follows_the_condition_as_written(make_policy, make_invitation):
    policy = make_policy(
        f"""\
        - id: everything
          when: {json.dumps(EVERYTHING)}
          decision: accept
        - id: default
          decision: ignore
        """,
        extra="scoring:\n  - {id: met, when: {met_in_person: }, weight: 2}\n",
    )
    decision = policy.decide(make_invitation(met_in_person=False), explain=True)
    assert decision.trace is not None
    (step, _) = decision.trace
    assert step.rule == "everything" and step.condition is not None
    assert _as_written(step.condition) == EVERYTHING
    assert decision.score is not None
    (contribution,) = decision.score.contributions
    assert contribution.condition is not None
    assert _as_written(contribution.condition) == {"met_in_person": None}


def test_the_written_walk_gives_each_condition_before_its_parts_with_its_path():
    from invpolicy.model.visitor import walk_written

    data = {"all": [{"met_in_person": None}, {"not": {"any": [{"score": {"at_least": 2}}]}}]}
    walked = [(path, written.key) for path, written in walk_written(data, ("rules", 0, "when"))]
    assert walked == [
        (("rules", 0, "when"), "all"),
        (("rules", 0, "when", "all", 0), "met_in_person"),
        (("rules", 0, "when", "all", 1), "not"),
        (("rules", 0, "when", "all", 1, "not"), "any"),
        (("rules", 0, "when", "all", 1, "not", "any", 0), "score"),
    ]


def test_the_written_walk_leaves_a_mapping_of_two_keys_to_the_schema_unless_told():
    from invpolicy.model.visitor import walk_written

    two = {"met_in_person": None, "exchanges": {"at_least": 1}}
    assert list(walk_written(two)) == []
    assert [w.key for _, w in walk_written(two, every_key=True)] == ["met_in_person", "exchanges"]
    assert list(walk_written(["not", "a", "mapping"])) == []
