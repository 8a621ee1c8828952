"""Policy files: read, validate (schema, then plugins), and model them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invpolicy.errors import InvpolicyError, Location, Problem, did_you_mean
from invpolicy.schemacheck import check
from invpolicy.source import Document, JsonPath, dotted, load_document

if TYPE_CHECKING:
    from invpolicy.engine import CompiledPolicy
    from invpolicy.invitations import Invitation
    from invpolicy.plugins import Registry

#: The newest policy format this version of invpolicy reads.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class CriterionCheck:
    """A criterion called with its parameters."""

    criterion: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class AllOf:
    """True when every part is true; false as soon as one is false."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True as soon as one part is true; false when every part is false."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """The negation of its part (unknown stays unknown)."""

    part: Condition


@dataclass(frozen=True)
class ScoreTest:
    """True when the policy's score is at least ``at_least`` and below ``below``."""

    at_least: float | None = None
    below: float | None = None

    def bounds(self) -> dict[str, float]:
        """The bounds as a policy file writes them: ``{"at_least": 5}``."""
        pairs = (("at_least", self.at_least), ("below", self.below))
        return {key: bound for key, bound in pairs if bound is not None}

    def within(self, low: float, high: float) -> bool | None:
        """The test's value for a score known to lie in ``[low, high]``.

        True when every such score passes, false when none does, unknown
        otherwise: the facts still missing could move the score either way.
        """
        results = []
        if self.at_least is not None:
            results.append(
                True if low >= self.at_least else False if high < self.at_least else None
            )
        if self.below is not None:
            results.append(True if high < self.below else False if low >= self.below else None)
        if False in results:
            return False
        return None if None in results else True


Condition = CriterionCheck | AllOf | AnyOf | Not | ScoreTest


def leaves(node: Condition | None) -> Iterator[CriterionCheck | ScoreTest]:
    """The criterion checks and score tests of a condition, in the order written."""
    if isinstance(node, CriterionCheck | ScoreTest):
        yield node
    elif isinstance(node, AllOf | AnyOf):
        for part in node.parts:
            yield from leaves(part)
    elif isinstance(node, Not):
        yield from leaves(node.part)


@dataclass(frozen=True)
class Signal:
    """A weighted condition: ``weight`` points when ``when`` is true."""

    id: str
    when: Condition
    weight: float
    description: str = ""
    at: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class ReplySpec:
    """Which generator writes the reply, and with what parameters."""

    generator: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """One rule: if ``when`` is true (or absent), ``decision`` with ``reply``."""

    id: str
    when: Condition | None
    decision: str
    reply: ReplySpec | None = None
    description: str = ""
    #: Where the rule is written (in the extending file, or in the one it extends).
    at: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class Source:
    """An article a policy comes from."""

    article: str
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class Example:
    """A worked example: an invitation, and what the policy must decide for it.

    ``rule`` and ``generator`` are checked only when given; ``expects_reply``
    tells a ``generator: null`` (no reply wanted) from no expectation at all.
    """

    name: str
    invitation: Invitation
    decision: str
    rule: str | None = None
    generator: str | None = None
    expects_generator: bool = False
    at: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class Policy:
    """A validated policy file."""

    name: str
    title: str
    summary: str
    author: str
    sources: tuple[Source, ...]
    rules: tuple[Rule, ...]
    language: str = "en"
    format: int = FORMAT_VERSION
    path: str = ""
    scoring: tuple[Signal, ...] = ()
    examples: tuple[Example, ...] = ()
    #: The policy this one extends, as written, and the files of the whole chain.
    extends: str = ""
    parents: tuple[str, ...] = ()

    def compile(self, registry: Registry) -> CompiledPolicy:
        """Resolve criteria and generators once, for many decisions."""
        from invpolicy.engine import CompiledPolicy

        return CompiledPolicy(self, registry)


def read_policy(path: str | Path, registry: Registry) -> Policy:
    """Read and validate a policy file; raise :class:`InvpolicyError` on any problem."""
    doc = load_document(path)
    return parse_policy(doc, registry, stem=Path(path).stem)


def load_policy(ref: str | Path, registry: Registry | None = None) -> CompiledPolicy:
    """A compiled policy from an installed policy's name or a file path."""
    from invpolicy.catalog import resolve_policy
    from invpolicy.plugins import Registry

    registry = registry if registry is not None else Registry.default()
    return read_policy(resolve_policy(ref, registry), registry).compile(registry)


def parse_policy(
    doc: Document, registry: Registry, *, stem: str | None = None, chain: tuple[str, ...] = ()
) -> Policy:
    """Validate a parsed policy document and build the :class:`Policy`.

    A policy that ``extends`` another is read with it and flattened: the
    result holds every rule. ``chain`` lists the files already being read, to
    catch a cycle.
    """
    from invpolicy.resources import validator
    from invpolicy.semantics import Semantics

    data = doc.data
    version = data.get("format") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise InvpolicyError(
            doc.problem(
                ("format",),
                f"format {version} is newer than this invpolicy reads "
                f"(up to {FORMAT_VERSION}): upgrade invpolicy",
            )
        )
    if _is_test_file(data):
        raise InvpolicyError(
            doc.problem(
                (),
                "this is a test file (policy: and examples:), not a policy: "
                "run it with invpolicy test",
            )
        )
    problems = check(validator("policy"), data, doc)
    if not isinstance(data, dict):
        raise InvpolicyError(problems)
    # The rules can be built once the schema accepts them, so that what only
    # the built policy shows (a bad change to an extended policy, an example
    # expecting an unknown rule) is reported in the same run as the rest.
    buildable = not problems
    parent: Policy | None = None
    # The extended policy's own problems come after this file's, in their order.
    inherited: list[Problem] = []
    if isinstance(data.get("extends"), str):
        from invpolicy.inherit import load_parent

        try:
            parent = load_parent(doc, registry, chain)
        except InvpolicyError as exc:
            problems.append(exc.problems[0])
            inherited.extend(exc.problems[1:])
            buildable = False
    problems.extend(Semantics(doc, registry, parent).check())
    name = data.get("name")
    if stem is not None and isinstance(name, str) and name != stem:
        problems.append(
            doc.problem(
                ("name",),
                f"name: '{name}' must equal the file name without its extension ('{stem}')",
            )
        )
    if not buildable:
        raise InvpolicyError([*sorted(set(problems)), *inherited])
    try:
        policy = _build(doc, parent, registry)
    except InvpolicyError as exc:
        raise InvpolicyError(sorted({*problems, *exc.problems})) from None
    examples, more = read_examples(doc, policy)
    if problems or more:
        raise InvpolicyError(sorted({*problems, *more}))
    return replace(policy, examples=examples)


def _is_test_file(data: Any) -> bool:
    """A mapping shaped like a test file (``policy`` and ``examples``), not a policy."""
    return (
        isinstance(data, dict)
        and "policy" in data
        and "examples" in data
        and not {"format", "rules", "extends"} & data.keys()
    )


def _build(doc: Document, parent: Policy | None, registry: Registry) -> Policy:
    """The policy a schema-valid document describes; inherited parts come from ``parent``."""
    data = doc.data
    if parent is None:
        rules = tuple(build_rule(rule, doc, ("rules", i)) for i, rule in enumerate(data["rules"]))
    else:
        from invpolicy.inherit import merge_rules

        rules = merge_rules(parent, doc, registry)
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


def located(doc: Document, path: JsonPath) -> Location:
    """The :class:`Location` of the value at ``path`` in ``doc``."""
    line, col = doc.position(path)
    return Location(doc.path, line, col)


def build_rule(data: dict[str, Any], doc: Document, path: JsonPath) -> Rule:
    reply = data.get("reply")
    return Rule(
        id=data["id"],
        when=_condition(data["when"]) if "when" in data else None,
        decision=data["decision"],
        reply=ReplySpec(reply["generator"], reply.get("params") or {}) if reply else None,
        description=data.get("description", ""),
        at=located(doc, path),
    )


def _signal(data: dict[str, Any], doc: Document, path: JsonPath) -> Signal:
    return Signal(
        id=data["id"],
        when=_condition(data["when"]),
        weight=data["weight"],
        description=data.get("description", ""),
        at=located(doc, path),
    )


def _condition(data: dict[str, Any]) -> Condition:
    ((key, value),) = data.items()
    if key == "all":
        return AllOf(tuple(_condition(part) for part in value))
    if key == "any":
        return AnyOf(tuple(_condition(part) for part in value))
    if key == "not":
        return Not(_condition(value))
    if key == "score":
        return ScoreTest(value.get("at_least"), value.get("below"))
    return CriterionCheck(key, value or {})


def read_examples(doc: Document, policy: Policy) -> tuple[tuple[Example, ...], list[Problem]]:
    """The ``examples`` of ``doc`` (a policy or a test file), checked against ``policy``.

    An example that expects a rule the policy does not have, or a reply
    generator none of its rules uses, is a problem: it could never pass.
    """
    from invpolicy.invitations import build_invitation
    from invpolicy.semantics import example_facts

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
