"""The ``strong-ties-only`` policy written by hand, and in three peer engines.

Each contender is a function from an :class:`Invitation` to a
:class:`Decision`, timed per invitation by the harness.

The hand-written function is the floor: the least work that gives exactly the
decision invpolicy gives, missing facts and reply included.

The peers (json-logic-qubit, rule-engine, zen-engine) encode the same rules in
their own languages: the first rule that holds wins, in the policy's order, and
an absent fact never satisfies a test. They answer with the id of the rule that
fired; the same code then adds the decision and drafts the reply, with the
render function of the same built-in generator. Missing facts are invpolicy's
own idea, so a peer's decision lists none. None of the peers can classify an
inviter's answer (a pitch, a need, or neither) or note (a pitch or not): each
contender calls :func:`invpolicy.builtin.followup.classify` inside its timed call
and hands the peer the answer's and the note's kinds as facts, so each pays the
same cost.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from invpolicy.builtin.followup import NOTE, classify
from invpolicy.engine.decision import FROM_INVITATION, FROM_POLICY, Decision, Reply
from invpolicy.engine.language import inviter_language
from invpolicy.model.invitation import Invitation
from invpolicy.plugins.contract import Render
from invpolicy.plugins.registry import Registry

POLICY = "strong-ties-only"
#: The policy's ``language``: replies are in it when the invitation asks for none.
LANGUAGE = "fr"

#: What each rule of strong-ties-only decides, and the reply generator it drafts with.
OUTCOMES: dict[str, tuple[str, str | None]] = {
    "met-in-person": ("accept", None),
    "talked-before": ("accept", None),
    "pitch-in-answer": ("ignore", None),
    "need-in-answer": ("ask", "propose_meeting"),
    "pitch-in-note": ("ignore", None),
    "no-strong-tie": ("decline", "three_part_decline"),
}
#: The rules that read the inviter's answer.
ON_FOLLOW_UP = frozenset({"pitch-in-answer", "need-in-answer"})

Decide = Callable[[Invitation], Decision]


class _Drafter:
    """A generator's compiled render function, and the language rule of the engine."""

    __slots__ = ("languages", "name", "render")

    def __init__(self, registry: Registry, name: str) -> None:
        generator = registry.generators[name]
        self.name = name
        self.render: Render = generator.compile({})
        self.languages = frozenset(generator.languages)

    def reply(self, facts: Mapping[str, Any]) -> Reply:
        # The invitation's language if the generator writes it, else the one the
        # inviter wrote in, else the policy's.
        given = facts.get("language")
        language, where = (
            (given, FROM_INVITATION)
            if given
            else inviter_language(facts) or (LANGUAGE, FROM_POLICY)
        )
        if language not in self.languages:
            language, where = LANGUAGE, FROM_POLICY
        return Reply(self.name, language, self.render(facts, language), where)


def hand_written(registry: Registry) -> Decide:
    """strong-ties-only as plain Python: the floor."""
    meet = _Drafter(registry, "propose_meeting")
    decline = _Drafter(registry, "three_part_decline")

    def decide(invitation: Invitation) -> Decision:
        facts = invitation.facts
        met = facts.get("met_in_person")
        if met:
            return Decision(POLICY, invitation.id, "accept", "met-in-person", None, ())
        missing: tuple[str, ...] = () if met is not None else ("met_in_person",)
        exchanges = facts.get("exchanges")
        if exchanges is None:
            missing += ("exchanges",)
        elif exchanges >= 1:
            return Decision(POLICY, invitation.id, "accept", "talked-before", None, missing)
        answer = facts.get("follow_up")
        if answer is not None and answer.strip():
            kind = classify(answer).kind
            if kind == "pitch":
                return Decision(
                    POLICY,
                    invitation.id,
                    "ignore",
                    "pitch-in-answer",
                    None,
                    missing,
                    on_follow_up=True,
                )
            if kind == "need":
                return Decision(
                    POLICY,
                    invitation.id,
                    "ask",
                    "need-in-answer",
                    meet.reply(facts),
                    missing,
                    on_follow_up=True,
                )
        note = facts.get("message")
        if note is not None and note.strip() and classify(note, NOTE).kind == "pitch":
            return Decision(POLICY, invitation.id, "ignore", "pitch-in-note", None, missing)
        return Decision(
            POLICY, invitation.id, "decline", "no-strong-tie", decline.reply(facts), missing
        )

    return decide


# The rules as each peer writes them. The inputs are the facts the rules read,
# null when unknown, with `follow_up` replaced by the answer's kind.

JSON_LOGIC_RULES: dict[str, Any] = {
    "if": [
        {"===": [{"var": "met_in_person"}, True]},
        "met-in-person",
        {"and": [{"!==": [{"var": "exchanges"}, None]}, {">=": [{"var": "exchanges"}, 1]}]},
        "talked-before",
        {"===": [{"var": "follow_up"}, "pitch"]},
        "pitch-in-answer",
        {"===": [{"var": "follow_up"}, "need"]},
        "need-in-answer",
        {"===": [{"var": "note"}, "pitch"]},
        "pitch-in-note",
        "no-strong-tie",
    ]
}

RULE_ENGINE_RULES = (
    ("met-in-person", "met_in_person == true"),
    ("talked-before", "exchanges != null and exchanges >= 1"),
    ("pitch-in-answer", "follow_up == 'pitch'"),
    ("need-in-answer", "follow_up == 'need'"),
    ("pitch-in-note", "note == 'pitch'"),
)

#: A JDM decision table, hit policy "first"; an empty cell matches anything.
ZEN_TABLE: dict[str, Any] = {
    "contentType": "application/vnd.gorules.decision",
    "nodes": [
        {"id": "in", "type": "inputNode", "name": "invitation", "position": {"x": 0, "y": 0}},
        {
            "id": "rules",
            "type": "decisionTableNode",
            "name": POLICY,
            "position": {"x": 300, "y": 0},
            "content": {
                "hitPolicy": "first",
                "inputs": [
                    {"id": "met", "name": "Met", "type": "expression", "field": "met_in_person"},
                    {"id": "talks", "name": "Talks", "type": "expression", "field": "exchanges"},
                    {"id": "answer", "name": "Answer", "type": "expression", "field": "follow_up"},
                    {"id": "note", "name": "Note", "type": "expression", "field": "note"},
                ],
                "outputs": [{"id": "rule", "name": "Rule", "type": "expression", "field": "rule"}],
                "rules": [
                    {
                        "_id": rule,
                        "met": met,
                        "talks": talks,
                        "answer": answer,
                        "note": note,
                        "rule": f'"{rule}"',
                    }
                    for rule, met, talks, answer, note in (
                        ("met-in-person", "$ == true", "", "", ""),
                        ("talked-before", "", "$ != null and $ >= 1", "", ""),
                        ("pitch-in-answer", "", "", '$ == "pitch"', ""),
                        ("need-in-answer", "", "", '$ == "need"', ""),
                        ("pitch-in-note", "", "", "", '$ == "pitch"'),
                        ("no-strong-tie", "", "", "", ""),
                    )
                ],
            },
        },
        {"id": "out", "type": "outputNode", "name": "decision", "position": {"x": 600, "y": 0}},
    ],
    "edges": [
        {"id": "in-rules", "type": "edge", "sourceId": "in", "targetId": "rules"},
        {"id": "rules-out", "type": "edge", "sourceId": "rules", "targetId": "out"},
    ],
}

#: The same rules as one zen expression, compiled once.
ZEN_EXPRESSION = (
    "met_in_person == true ? 'met-in-person' : "
    "exchanges != null and exchanges >= 1 ? 'talked-before' : "
    "follow_up == 'pitch' ? 'pitch-in-answer' : "
    "follow_up == 'need' ? 'need-in-answer' : "
    "note == 'pitch' ? 'pitch-in-note' : 'no-strong-tie'"
)

#: Evaluates the inputs to the id of the rule that fired.
Evaluate = Callable[[dict[str, Any]], str]


def plain_python(inputs: dict[str, Any]) -> str:
    """The rules as Python tests on the peers' inputs: what the peers' common work costs."""
    if inputs["met_in_person"]:
        return "met-in-person"
    exchanges = inputs["exchanges"]
    if exchanges is not None and exchanges >= 1:
        return "talked-before"
    if inputs["follow_up"] == "pitch":
        return "pitch-in-answer"
    if inputs["follow_up"] == "need":
        return "need-in-answer"
    if inputs["note"] == "pitch":
        return "pitch-in-note"
    return "no-strong-tie"


def _json_logic() -> Evaluate:
    from json_logic import jsonLogic

    def evaluate(inputs: dict[str, Any]) -> str:
        rule: str = jsonLogic(JSON_LOGIC_RULES, inputs)
        return rule

    return evaluate


def _rule_engine() -> Evaluate:
    import rule_engine

    rules = [(rule_id, rule_engine.Rule(text)) for rule_id, text in RULE_ENGINE_RULES]

    def evaluate(inputs: dict[str, Any]) -> str:
        for rule_id, rule in rules:
            if rule.matches(inputs):
                return rule_id
        return "no-strong-tie"

    return evaluate


def _zen_table() -> Evaluate:
    import zen

    # Through the engine's loader: much faster per call, with zen-engine 2.1.3,
    # than ZenDecision.evaluate on a decision made by create_decision.
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {POLICY: ZEN_TABLE}}})

    def evaluate(inputs: dict[str, Any]) -> str:
        rule: str = engine.evaluate(POLICY, inputs)["result"]["rule"]
        return rule

    return evaluate


def _zen_expression() -> Evaluate:
    import zen

    expression = zen.compile_expression(ZEN_EXPRESSION)

    def evaluate(inputs: dict[str, Any]) -> str:
        rule: str = expression.evaluate(inputs)
        return rule

    return evaluate


@dataclass(frozen=True)
class Peer:
    """A peer engine: its label in the report, its distribution, and how it is set up."""

    label: str
    distribution: str
    setup: Callable[[], Evaluate]

    def version(self) -> str | None:
        """The installed version, or ``None`` when the peer is not installed."""
        try:
            return importlib.metadata.version(self.distribution)
        except importlib.metadata.PackageNotFoundError:
            return None


PEERS = (
    Peer("json-logic-qubit", "json-logic-qubit", _json_logic),
    Peer("rule-engine", "rule-engine", _rule_engine),
    Peer("zen-engine, JDM decision table", "zen-engine", _zen_table),
    Peer("zen-engine, one compiled expression", "zen-engine", _zen_expression),
)


def through_peer(evaluate: Evaluate, registry: Registry) -> Decide:
    """A contender asking ``evaluate`` for the rule, then deciding and drafting as invpolicy."""
    drafters = {
        rule: _Drafter(registry, generator) if generator else None
        for rule, (_, generator) in OUTCOMES.items()
    }

    def decide(invitation: Invitation) -> Decision:
        facts = invitation.facts
        answer = facts.get("follow_up")
        kind = classify(answer).kind if answer is not None and answer.strip() else None
        note = facts.get("message")
        selling = classify(note, NOTE).kind if note is not None and note.strip() else None
        rule = evaluate(
            {
                "met_in_person": facts.get("met_in_person"),
                "exchanges": facts.get("exchanges"),
                "follow_up": kind,
                "note": selling,
            }
        )
        drafter = drafters[rule]
        return Decision(
            POLICY,
            invitation.id,
            OUTCOMES[rule][0],
            rule,
            drafter.reply(facts) if drafter else None,
            (),
            on_follow_up=rule in ON_FOLLOW_UP,
        )

    return decide


def same_outcome(ours: Decision, theirs: Decision) -> bool:
    """Whether two decisions agree on everything but the missing facts."""
    return (ours.decision, ours.rule, ours.reply, ours.on_follow_up) == (
        theirs.decision,
        theirs.rule,
        theirs.reply,
        theirs.on_follow_up,
    )
