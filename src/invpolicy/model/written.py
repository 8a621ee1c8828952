"""A policy as a policy file writes it: plain data, ready to dump as YAML or JSON."""

from __future__ import annotations

from typing import Any

from invpolicy.model.policy import Policy
from invpolicy.model.visitor import condition_data


def policy_data(policy: Policy) -> dict[str, Any]:
    """The flattened policy as a policy file writes it: every rule, no ``extends``.

    The result validates as a policy file of its own; examples are left out.
    """

    def described(data: dict[str, Any], description: str) -> dict[str, Any]:
        return {
            "id": data.pop("id"),
            **({"description": description} if description else {}),
            **data,
        }

    rules = []
    for rule in policy.rules:
        data: dict[str, Any] = {"id": rule.id}
        if rule.when is not None:
            data["when"] = condition_data(rule.when)
        data["decision"] = rule.decision
        if rule.reply is not None:
            data["reply"] = {"generator": rule.reply.generator, "params": dict(rule.reply.params)}
        rules.append(described(data, rule.description))
    out: dict[str, Any] = {
        "format": policy.format,
        "name": policy.name,
        "title": policy.title,
        "summary": policy.summary,
        "author": policy.author,
        "sources": [
            {key: value for key, value in vars(source).items() if value}
            for source in policy.sources
        ],
        "language": policy.language,
    }
    if policy.scoring:
        out["scoring"] = [
            described(
                {"id": s.id, "when": condition_data(s.when), "weight": s.weight}, s.description
            )
            for s in policy.scoring
        ]
    out["rules"] = rules
    return out
