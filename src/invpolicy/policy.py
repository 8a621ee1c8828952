"""Policy files: read, validate (schema, then plugins), and model them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invpolicy.contract import DECISIONS, OPERATORS
from invpolicy.errors import InvpolicyError, Problem, did_you_mean
from invpolicy.schemacheck import check, dotted
from invpolicy.source import Document, JsonPath, load_document

if TYPE_CHECKING:
    from invpolicy.engine import CompiledPolicy
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


Condition = CriterionCheck | AllOf | AnyOf | Not | ScoreTest


@dataclass(frozen=True)
class Signal:
    """A weighted condition: ``weight`` points when ``when`` is true."""

    id: str
    when: Condition
    weight: float
    description: str = ""


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


@dataclass(frozen=True)
class Source:
    """An article a policy comes from."""

    article: str
    title: str = ""
    note: str = ""


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


def parse_policy(doc: Document, registry: Registry, *, stem: str | None = None) -> Policy:
    """Validate a parsed policy document and build the :class:`Policy`."""
    from invpolicy.resources import validator

    data = doc.data
    version = data.get("format") if isinstance(data, dict) else None
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise InvpolicyError(
            doc.problem(
                ("format",),
                f"format {version} is newer than this invpolicy reads "
                f"(up to {FORMAT_VERSION}): upgrade invpolicy",
            )
        )
    problems = check(validator("policy"), data, doc)
    if isinstance(data, dict):
        # Plugin-level checks run even when the schema found problems, so one
        # run reports them all; they skip what the schema already refused.
        problems.extend(_Semantics(doc, registry).check())
        name = data.get("name")
        if stem is not None and isinstance(name, str) and name != stem:
            problems.append(
                doc.problem(
                    ("name",),
                    f"name: '{name}' must equal the file name without its extension ('{stem}')",
                )
            )
    if problems:
        raise InvpolicyError(sorted(set(problems)))
    return Policy(
        name=data["name"],
        title=data["title"],
        summary=data["summary"],
        author=data["author"],
        sources=tuple(Source(**source) for source in data["sources"]),
        rules=tuple(_rule(rule) for rule in data["rules"]),
        scoring=tuple(
            Signal(
                id=signal["id"],
                when=_condition(signal["when"]),
                weight=signal["weight"],
                description=signal.get("description", ""),
            )
            for signal in data.get("scoring", ())
        ),
        language=data.get("language", "en"),
        format=data["format"],
        path=doc.path,
    )


def _rule(data: dict[str, Any]) -> Rule:
    reply = data.get("reply")
    return Rule(
        id=data["id"],
        when=_condition(data["when"]) if "when" in data else None,
        decision=data["decision"],
        reply=ReplySpec(reply["generator"], reply.get("params") or {}) if reply else None,
        description=data.get("description", ""),
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


#: The bounds of a score test.
BOUNDS = ("at_least", "below")


def _is_language(value: Any) -> bool:
    from invpolicy.resources import load_schema

    pattern = load_schema("policy")["properties"]["language"]["pattern"]
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


class _Semantics:
    """What the schema cannot check: names and parameters the plugins define."""

    def __init__(self, doc: Document, registry: Registry) -> None:
        self.doc = doc
        self.registry = registry
        self.problems: list[Problem] = []
        self.scoring = isinstance(doc.data.get("scoring"), list)

    def check(self) -> list[Problem]:
        data = self.doc.data
        rules = data.get("rules")
        if not isinstance(rules, list) or not rules:
            return self.problems
        language = data.get("language", "en")
        self._signals(data.get("scoring"))
        seen: dict[str, int] = {}
        for i, rule in enumerate(rules):
            if not isinstance(rule, dict):
                continue
            path: JsonPath = ("rules", i)
            ident = rule.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    self._add(
                        (*path, "id"),
                        f"duplicate rule id '{ident}' (first used by rules[{seen[ident]}])",
                    )
                seen.setdefault(ident, i)
            if "when" in rule:
                self._condition(rule["when"], (*path, "when"))
            reply = rule.get("reply")
            if isinstance(reply, dict) and isinstance(reply.get("generator"), str):
                self._reply(reply, (*path, "reply"), language, rule.get("decision"))
        if isinstance(rules[-1], dict) and "when" in rules[-1]:
            self._add(
                ("rules", len(rules) - 1),
                "the last rule must have no 'when': it is the default, "
                "deciding when no other rule does",
            )
        return self.problems

    def _add(self, path: JsonPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, f"{dotted(path)}: {message}", key=key))

    def _signals(self, signals: Any) -> None:
        seen: dict[str, int] = {}
        for i, signal in enumerate(signals if isinstance(signals, list) else []):
            if not isinstance(signal, dict):
                continue
            ident = signal.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    self._add(
                        ("scoring", i, "id"),
                        f"duplicate signal id '{ident}' (first used by scoring[{seen[ident]}])",
                    )
                seen.setdefault(ident, i)
            if "when" in signal:
                self._condition(signal["when"], ("scoring", i, "when"), in_signal=True)
            if signal.get("weight") == 0 and not isinstance(signal.get("weight"), bool):
                self._add(
                    ("scoring", i, "weight"),
                    "a weight of 0 adds nothing: give the signal a weight or remove it",
                )

    def _condition(self, data: Any, path: JsonPath, *, in_signal: bool = False) -> None:
        if not isinstance(data, dict) or len(data) != 1:
            return  # the schema reports it
        ((key, value),) = data.items()
        if key in ("all", "any"):
            for i, part in enumerate(value if isinstance(value, list) else []):
                self._condition(part, (*path, key, i), in_signal=in_signal)
        elif key == "not":
            self._condition(value, (*path, key), in_signal=in_signal)
        elif key == "score":
            low, high = (value.get(k) if isinstance(value, dict) else None for k in BOUNDS)
            if isinstance(low, int | float) and isinstance(high, int | float) and low >= high:
                self._add(
                    (*path, key),
                    f"no score is at least {low:g} and below {high:g}: this test is never true",
                    key=True,
                )
            if in_signal:
                self._add((*path, key), "a signal cannot test the score it adds up to", key=True)
            elif not self.scoring:
                self._add(
                    (*path, key),
                    "tests the score, but the policy has no 'scoring' section",
                    key=True,
                )
        elif key not in self.registry.criteria:
            known = [*self.registry.criteria, *OPERATORS]
            self._add(
                (*path, key),
                f"unknown criterion '{key}'{did_you_mean(key, known)}",
                key=True,
            )
        elif value is None or isinstance(value, dict):
            validator = self.registry.params_validator("criterion", key)
            self.problems.extend(check(validator, value or {}, self.doc, (*path, key)))

    def _reply(self, data: dict[str, Any], path: JsonPath, language: str, decision: Any) -> None:
        name = data["generator"]
        generator = self.registry.generators.get(name)
        if generator is None:
            hint = did_you_mean(name, self.registry.generators)
            self._add((*path, "generator"), f"unknown reply generator '{name}'{hint}")
            return
        params = data.get("params") or {}
        if isinstance(params, dict):
            validator = self.registry.params_validator("reply generator", name)
            self.problems.extend(check(validator, params, self.doc, (*path, "params")))
        if decision in DECISIONS and decision not in generator.decisions:
            # A welcome must not go with a decline: the reply would say what
            # the decision does not do.
            self._add(
                (*path, "generator"),
                f"reply generator '{name}' writes for {', '.join(generator.decisions)}, "
                f"not for the rule's decision '{decision}'",
            )
        if _is_language(language) and language not in generator.languages:
            self._add(
                (*path, "generator"),
                f"reply generator '{name}' does not write the policy's language "
                f"'{language}' (it writes: {', '.join(generator.languages)})",
            )
