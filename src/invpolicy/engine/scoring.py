"""Scores: the weighted signals of a policy, added up once per decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from invpolicy.engine.decision import Contribution, Score
from invpolicy.engine.nodes import Eval, Node, Test
from invpolicy.model.conditions import ScoreTest
from invpolicy.model.policy import Signal
from invpolicy.model.visitor import SCORE


class SignalNode:
    __slots__ = ("id", "weight", "when")

    def __init__(self, signal: Signal, when: Node) -> None:
        self.id = signal.id
        self.weight = signal.weight
        self.when = when


def score_range(
    weights: Sequence[float], values: Sequence[bool | None]
) -> tuple[float, float, float]:
    """The score (``total``) and the ``low`` and ``high`` it can still reach.

    ``values`` says for each weighted signal whether it is true, false or
    unknown. The sums are rounded, so that weights such as 0.7 and 0.1 reach
    a threshold of 0.8.
    """
    total: float = 0
    low: float = 0
    high: float = 0
    for weight, value in zip(weights, values, strict=True):
        total += weight if value is True else 0
        if value is None:
            low += min(weight, 0)
            high += max(weight, 0)
    return round(total, 9), round(total + low, 9), round(total + high, 9)


class Scorer:
    """Adds up the weighted signals of a policy, once per decision."""

    __slots__ = ("signals",)

    def __init__(self, signals: list[SignalNode]) -> None:
        self.signals = signals

    def compute(self, ctx: Eval) -> Score:
        outer = ctx.missing
        values: list[bool | None] = []
        contributions = []
        missing: list[str] = []
        for signal in self.signals:
            ctx.missing = []
            condition = None
            if ctx.explain:
                condition = signal.when.trace(ctx)
                value = condition["value"]
            else:
                value = signal.when.test(ctx)
            values.append(value)
            if value is None:
                missing.extend(ctx.missing)
            points = signal.weight if value is True else 0
            contributions.append(
                Contribution(signal.id, signal.weight, value, points, tuple(ctx.missing), condition)
            )
        ctx.missing = outer
        total, low, high = score_range([signal.weight for signal in self.signals], values)
        ctx.score = Score(
            total=total,
            low=low,
            high=high,
            contributions=tuple(contributions),
            missing=tuple(dict.fromkeys(missing)),
        )
        return ctx.score

    def reads(self) -> set[str]:
        return set().union(*(signal.when.reads() for signal in self.signals))


class ScoreNode:
    """``score: {at_least, below}``: decided by the bounds the score can still reach."""

    __slots__ = ("node", "scorer", "test")

    def __init__(self, node: ScoreTest, scorer: Scorer) -> None:
        self.node = node
        self.scorer = scorer
        compute, within = scorer.compute, node.within

        def test(ctx: Eval) -> bool | None:
            score = ctx.score if ctx.score is not None else compute(ctx)
            value = within(score.low, score.high)
            if value is None:
                ctx.missing.extend(score.missing)
            return value

        self.test: Test = test

    def trace(self, ctx: Eval) -> dict[str, Any]:
        mark = len(ctx.missing)
        value = self.test(ctx)
        assert ctx.score is not None
        return {
            SCORE: self.node.bounds(),
            "value": value,
            "total": ctx.score.total,
            "low": ctx.score.low,
            "high": ctx.score.high,
            "missing": ctx.missing[mark:],
        }

    def reads(self) -> set[str]:
        return self.scorer.reads()
