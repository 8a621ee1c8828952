"""A policy as plain data and back, whole: what the cache of compiled policies stores.

Unlike :func:`invpolicy.model.written.policy_data` (the policy as a file
writes it), this keeps everything a read policy holds: where each rule,
signal and example is written, the examples, and the chain of files it
extends. ``policy_from_stored(policy_to_stored(p))`` equals ``p``, locations
included. Only JSON types are used: never pickle.
"""

from __future__ import annotations

from typing import Any

from invpolicy.errors import Location
from invpolicy.model.invitation import Invitation
from invpolicy.model.policy import Example, Policy, ReplySpec, Rule, Signal, Source
from invpolicy.model.visitor import condition_data, condition_from_data


def _at(location: Location) -> list[Any]:
    return [location.path, location.line, location.col]


def _location(data: list[Any]) -> Location:
    path, line, col = data
    return Location(str(path), int(line), int(col))


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "when": None if rule.when is None else condition_data(rule.when),
        "decision": rule.decision,
        "reply": None
        if rule.reply is None
        else {"generator": rule.reply.generator, "params": dict(rule.reply.params)},
        "description": rule.description,
        "at": _at(rule.at),
    }


def _from_rule(data: dict[str, Any]) -> Rule:
    reply = data["reply"]
    return Rule(
        id=data["id"],
        when=None if data["when"] is None else condition_from_data(data["when"]),
        decision=data["decision"],
        reply=None if reply is None else ReplySpec(reply["generator"], reply["params"]),
        description=data["description"],
        at=_location(data["at"]),
    )


def _example(example: Example) -> dict[str, Any]:
    invitation = example.invitation
    return {
        "name": example.name,
        "invitation": {
            "id": invitation.id,
            "name": invitation.name,
            "facts": dict(invitation.facts),
            "origins": dict(invitation.origins),
        },
        "decision": example.decision,
        "rule": example.rule,
        "generator": example.generator,
        "expects_generator": example.expects_generator,
        "at": _at(example.at),
    }


def _from_example(data: dict[str, Any]) -> Example:
    invitation = data["invitation"]
    return Example(
        name=data["name"],
        invitation=Invitation(
            invitation["id"], invitation["name"], invitation["facts"], invitation["origins"]
        ),
        decision=data["decision"],
        rule=data["rule"],
        generator=data["generator"],
        expects_generator=data["expects_generator"],
        at=_location(data["at"]),
    )


def policy_to_stored(policy: Policy) -> dict[str, Any]:
    """``policy`` as JSON-ready data that :func:`policy_from_stored` reads back."""
    return {
        "name": policy.name,
        "title": policy.title,
        "summary": policy.summary,
        "author": policy.author,
        "sources": [
            {"article": s.article, "title": s.title, "note": s.note} for s in policy.sources
        ],
        "rules": [_rule(rule) for rule in policy.rules],
        "language": policy.language,
        "format": policy.format,
        "path": policy.path,
        "scoring": [
            {
                "id": s.id,
                "when": condition_data(s.when),
                "weight": s.weight,
                "description": s.description,
                "at": _at(s.at),
            }
            for s in policy.scoring
        ],
        "examples": [_example(example) for example in policy.examples],
        "extends": policy.extends,
        "parents": list(policy.parents),
    }


def policy_from_stored(data: dict[str, Any]) -> Policy:
    """The policy that :func:`policy_to_stored` wrote.

    Raises ``KeyError``, ``TypeError`` or ``ValueError`` on data of another
    shape (a damaged cache entry): the caller reads the file again.
    """
    return Policy(
        name=data["name"],
        title=data["title"],
        summary=data["summary"],
        author=data["author"],
        sources=tuple(Source(s["article"], s["title"], s["note"]) for s in data["sources"]),
        rules=tuple(_from_rule(rule) for rule in data["rules"]),
        language=data["language"],
        format=data["format"],
        path=data["path"],
        scoring=tuple(
            Signal(
                id=s["id"],
                when=condition_from_data(s["when"]),
                weight=s["weight"],
                description=s["description"],
                at=_location(s["at"]),
            )
            for s in data["scoring"]
        ),
        examples=tuple(_from_example(example) for example in data["examples"]),
        extends=data["extends"],
        parents=tuple(data["parents"]),
    )
