"""What a policy decided for one invitation, and why: the values the engine returns."""

from __future__ import annotations

from typing import Any

from invpolicy.frozen import frozen

#: Where a reply's language can come from, as ``--explain`` says it.
FROM_INVITATION = "from the invitation"
FROM_NOTE = "from the note"
FROM_ANSWER = "from their answer"
FROM_POLICY = "from the policy"


@frozen
class Reply:
    """The message drafted for a decision.

    ``language_from`` says where its language came from: the invitation's
    ``language``, the inviter's words (the note, their answer), or the policy.
    """

    generator: str
    language: str
    text: str
    language_from: str = FROM_POLICY

    def to_json(self) -> dict[str, str]:
        return {
            "generator": self.generator,
            "language": self.language,
            "language_from": self.language_from,
            "text": self.text,
        }


@frozen
class Decision:
    """What a policy decided for one invitation, and why."""

    policy: str
    invitation: str
    decision: str
    rule: str
    reply: Reply | None
    missing: tuple[str, ...]
    trace: tuple[RuleTrace, ...] | None = None
    score: Score | None = None
    on_follow_up: bool = False
    #: Why no decision could be made: a plugin failed (``decision`` is ``error``).
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "decision": self.decision,
            "rule": self.rule,
            "on_follow_up": self.on_follow_up,
            "score": self.score.to_json() if self.score else None,
            "reply": self.reply.to_json() if self.reply else None,
            "missing": list(self.missing),
        }
        if self.trace is not None:
            out["explanation"] = [step.to_json() for step in self.trace]
        if self.error is not None:
            out["error"] = self.error
        return out


@frozen
class RuleTrace:
    """One rule tried: its condition's value and how each part came out."""

    rule: str
    value: bool | None
    fired: bool
    condition: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "value": self.value,
            "fired": self.fired,
            "condition": self.condition,
        }


@frozen
class Contribution:
    """What one signal added to the score."""

    signal: str
    weight: float
    value: bool | None
    points: float
    missing: tuple[str, ...]
    condition: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "signal": self.signal,
            "weight": self.weight,
            "value": self.value,
            "points": self.points,
            "missing": list(self.missing),
        }
        if self.condition is not None:
            out["condition"] = self.condition
        return out


@frozen
class Score:
    """A policy's score for one invitation.

    ``total`` adds the weights of the signals that are true. While some signals
    are unknown the score could still move: ``low`` and ``high`` are the least
    and the most it can reach once they are known, and a threshold is decided
    only when both fall on the same side of it.
    """

    total: float
    low: float
    high: float
    contributions: tuple[Contribution, ...]
    missing: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "low": self.low,
            "high": self.high,
            "signals": [c.to_json() for c in self.contributions],
        }
