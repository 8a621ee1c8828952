"""Build the model of a policy from a document the schema accepted."""

from __future__ import annotations

from typing import Any

from invpolicy.errors import Location, Problem, did_you_mean
from invpolicy.io.document import Document, JsonPath, dotted
from invpolicy.model.policy import Example, Policy, ReplySpec, Rule, Signal, Source
from invpolicy.model.visitor import condition_from_data


def located(doc: Document, path: JsonPath) -> Location:
    """The :class:`Location` of the value at ``path`` in ``doc``."""
    line, col = doc.position(path)
    return Location(doc.path, line, col)


def build_rule(data: dict[str, Any], doc: Document, path: JsonPath) -> Rule:
    reply = data.get("reply")
    return Rule(
        id=data["id"],
        when=condition_from_data(data["when"]) if "when" in data else None,
        decision=data["decision"],
        reply=ReplySpec(reply["generator"], reply.get("params") or {}) if reply else None,
        description=data.get("description", ""),
        at=located(doc, path),
    )


def _signal(data: dict[str, Any], doc: Document, path: JsonPath) -> Signal:
    return Signal(
        id=data["id"],
        when=condition_from_data(data["when"]),
        weight=data["weight"],
        description=data.get("description", ""),
        at=located(doc, path),
    )


def read_examples(doc: Document, policy: Policy) -> tuple[tuple[Example, ...], list[Problem]]:
    """The ``examples`` of ``doc`` (a policy or a test file), checked against ``policy``.

    An example that expects a rule the policy does not have, or a reply
    generator none of its rules uses, is a problem: it could never pass.
    """
    from invpolicy.loading.semantics import example_facts
    from invpolicy.model.invitation import build_invitation

    items = doc.data.get("examples") if isinstance(doc.data, dict) else None
    rule_ids = [rule.id for rule in policy.rules]
    generators = list(dict.fromkeys(r.reply.generator for r in policy.rules if r.reply))
    examples: list[Example] = []
    problems: list[Problem] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        path: JsonPath = ("examples", i)
        expect = item["expect"]
        rule = expect.get("rule")
        if rule is not None and rule not in rule_ids:
            where = (*path, "expect", "rule")
            problems.append(
                doc.problem(
                    where,
                    f"{dotted(where)}: policy '{policy.name}' has no rule '{rule}'"
                    f"{did_you_mean(rule, rule_ids)}",
                )
            )
        generator = expect.get("generator")
        if generator is not None and generator not in generators:
            where = (*path, "expect", "generator")
            used = ", ".join(generators) or "none"
            problems.append(
                doc.problem(
                    where,
                    f"{dotted(where)}: no rule of policy '{policy.name}' replies with "
                    f"'{generator}'{did_you_mean(generator, generators)} (used: {used})",
                )
            )
        examples.append(
            Example(
                name=item["name"],
                invitation=build_invitation(example_facts(i, item)),
                decision=expect["decision"],
                rule=rule,
                generator=generator,
                expects_generator="generator" in expect,
                at=located(doc, path),
            )
        )
    return tuple(examples), problems


def build_policy(doc: Document, parent: Policy | None, rules: tuple[Rule, ...] | None) -> Policy:
    """The policy a schema-valid document describes; inherited parts come from ``parent``.

    ``rules`` are the extended policy's rules once changed (see
    :func:`invpolicy.loading.inherit.merge_rules`); None to build the document's own.
    """
    data = doc.data
    if rules is None:
        rules = tuple(build_rule(rule, doc, ("rules", i)) for i, rule in enumerate(data["rules"]))
    signals = data.get("scoring", ())
    return Policy(
        name=data["name"],
        title=data.get("title") or (parent.title if parent else ""),
        summary=data.get("summary") or (parent.summary if parent else ""),
        author=data.get("author") or (parent.author if parent else ""),
        sources=(
            parent.sources
            if parent and "sources" not in data
            else tuple(Source(**source) for source in data["sources"])
        ),
        rules=rules,
        scoring=(
            parent.scoring
            if parent and "scoring" not in data
            else tuple(_signal(signal, doc, ("scoring", i)) for i, signal in enumerate(signals))
        ),
        language=data.get("language", parent.language if parent else "en"),
        format=data["format"],
        path=doc.path,
        extends=data.get("extends", ""),
        parents=(parent.path, *parent.parents) if parent else (),
    )
