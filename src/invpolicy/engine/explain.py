"""Explanations as plain text lines, shared by every format that shows them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from invpolicy.model.visitor import OPERATORS, SCORE, WrittenCondition

if TYPE_CHECKING:
    from invpolicy.engine.decision import Decision, Score


def explanation_lines(decision: Decision) -> list[str]:
    """Every rule tried, in order, with what each criterion saw, then the score.

    Needs a decision made with ``explain=True``; without its trace, only the
    rule that fired and the score are given.
    """
    lines: list[str] = []
    if decision.trace is None:
        lines.append(f"rule {decision.rule}: fires")
    for step in decision.trace or ():
        if step.condition is None:
            lines.append(f"rule {step.rule}: no condition, fires")
            continue
        verdict = "fires" if step.fired else "does not fire"
        lines.append(f"rule {step.rule}: {tri(step.value)}, {verdict}")
        lines += condition_lines(step.condition, 1)
    if decision.score is not None:
        lines += score_lines(decision.score)
    if decision.reply is not None:
        lines.append(f"language {decision.reply.language}, {decision.reply.language_from}")
    return lines


def tri(value: bool | None) -> str:
    """A three-valued result in words."""
    return {True: "true", False: "false", None: "unknown"}[value]


def score_label(score: Score, *, unit: bool = True) -> str:
    """ "3 pts" for a settled score; "0-11" for one that unknown signals could still move."""
    if score.low != score.high:
        return f"{score.low:g}-{score.high:g}"
    return f"{score.total:g} pts" if unit else f"{score.total:g}"


def decision_notes(decision: Decision) -> tuple[str, ...]:
    """What every format writes under or beside a decision: ``("0-11", "answer")``.

    The score, when the policy scores, and "answer" when the rule read the
    inviter's answer: a scoring policy gives its score even then, so both are
    said. Each format joins them its own way.
    """
    notes = []
    if decision.score is not None:
        notes.append(score_label(decision.score))
    if decision.on_follow_up:
        notes.append("answer")
    return tuple(notes)


def score_lines(score: Score) -> list[str]:
    """Each signal's contribution to the score."""
    lines = [f"score {score.total:g}:"]
    for c in score.contributions:
        points = f"{c.points:+g}" if c.value else "0"
        missing = f"; missing {', '.join(c.missing)}" if c.missing else ""
        lines.append(f"  {c.signal} (weight {c.weight:g}): {tri(c.value)}, {points}{missing}")
        if c.condition is not None:
            lines += condition_lines(c.condition, 2)
    return lines


def condition_lines(node: dict[str, Any], depth: int) -> list[str]:
    """A traced condition, one line per part, indented by ``depth``."""
    pad = "  " * depth
    # A trace holds one operator's key, as written, beside its value and what it saw.
    op = next((key for key in OPERATORS if key in node), None)
    if op == SCORE:
        bounds = ", ".join(f"{k} {v:g}" for k, v in node[SCORE].items())
        reach = (
            f"; could reach {node['low']:g} to {node['high']:g}"
            if node["low"] != node["high"]
            else ""
        )
        missing = f"; missing {', '.join(node['missing'])}" if node["missing"] else ""
        return [
            f"{pad}score ({bounds}): {tri(node['value'])}; score {node['total']:g}{reach}{missing}"
        ]
    if op is not None:
        lines = [f"{pad}{op}: {tri(node['value'])}"]
        for _, part in WrittenCondition(op, node[op]).parts:
            lines += condition_lines(part, depth + 1)
        return lines
    params = f" {json.dumps(node['params'], ensure_ascii=False)}" if node["params"] else ""
    origins = node.get("from", {})
    saw = ", ".join(
        f"{fact}={json.dumps(value, ensure_ascii=False)}"
        + (f" from {origins[fact]}" if fact in origins else "")
        for fact, value in node["saw"].items()
    )
    seen = f"; saw {saw}" if saw else ""
    settled = f"; {node['settled']}" if node.get("settled") else ""
    missing = f"; missing {', '.join(node['missing'])}" if node["missing"] else ""
    return [f"{pad}{node['criterion']}{params}: {tri(node['value'])}{seen}{settled}{missing}"]
