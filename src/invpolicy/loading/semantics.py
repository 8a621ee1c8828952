"""What the policy schema cannot check: names and parameters that plugins define.

The checks run on the document as written, so that each problem points at its
line, and they run even when the schema found problems, so that one run reports
them all; they skip what the schema already refused.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from invpolicy.errors import Problem, did_you_mean
from invpolicy.io.document import Document, JsonPath, dotted
from invpolicy.model.invitation import link_problems
from invpolicy.model.visitor import OPERATORS, SCORE, walk_written
from invpolicy.plugins.contract import DECISIONS
from invpolicy.schema.check import check

if TYPE_CHECKING:
    from invpolicy.model.policy import Policy
    from invpolicy.plugins.registry import Registry

#: The bounds of a score test.
BOUNDS = ("at_least", "below")

#: The keys that change the rules of an extended policy.
CHANGES = ("insert", "replace", "drop", "reply_params")


def is_language(value: Any) -> bool:
    """Whether ``value`` is a language code as policies write it (``fr``, ``pt-BR``)."""
    from invpolicy.resources import load_schema

    pattern = load_schema("policy")["properties"]["language"]["pattern"]
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


def _switched_off() -> str:
    """A reminder of the plugins switched off, which may provide an unknown name."""
    from invpolicy.plugins.manager import DISABLE_ENV, disabled_plugins

    names = sorted(disabled_plugins())
    return f" (switched off by {DISABLE_ENV}: {', '.join(names)})" if names else ""


def written_rules(data: dict[str, Any]) -> list[tuple[JsonPath, Any]]:
    """The rules written in this document, with their paths: ``rules``, or an
    extension's ``replace`` and ``insert``."""
    if "extends" not in data:
        return list(_items(("rules",), data.get("rules")))
    found = list(_items(("replace",), data.get("replace")))
    for path, item in _items(("insert",), data.get("insert")):
        if isinstance(item, dict):
            found.extend(_items((*path, "rules"), item.get("rules")))
    return found


def _items(path: JsonPath, items: Any) -> list[tuple[JsonPath, Any]]:
    return [((*path, i), item) for i, item in enumerate(items)] if isinstance(items, list) else []


def example_facts(index: int, example: dict[str, Any]) -> dict[str, Any]:
    """An example's invitation as an invitations file would hold it: ``id`` and
    ``name`` are made up when the example leaves them out."""
    name = example.get("name")
    facts = {
        "id": f"example-{index + 1}",
        "name": name if isinstance(name, str) and name else "example",
    }
    given = example["invitation"]
    # A null id or name is unknown, as an absent one: the made-up one stands.
    return {**facts, **{k: v for k, v in given.items() if v is not None or k not in facts}}


class Semantics:
    """Checks one policy document; ``parent`` is the policy it extends, if any."""

    def __init__(self, doc: Document, registry: Registry, parent: Policy | None = None) -> None:
        self.doc = doc
        self.registry = registry
        self.problems: list[Problem] = []
        data = doc.data
        self.scoring = isinstance(data.get("scoring"), list) or bool(parent and parent.scoring)
        language = data.get("language", parent.language if parent else "en")
        self.language = language

    def check(self) -> list[Problem]:
        data = self.doc.data
        extends = "extends" in data
        if extends and "rules" in data:
            self._add(
                ("rules",),
                "a policy that extends another does not list rules: it changes them with "
                "insert, replace and drop",
                key=True,
            )
        if not extends:
            for key in CHANGES:
                if key in data:
                    self._add(
                        (key,),
                        "changes the rules of an extended policy: name it with 'extends'",
                        key=True,
                    )
        self._signals(data.get("scoring"))
        seen: dict[str, JsonPath] = {}
        for path, rule in written_rules(data):
            if not isinstance(rule, dict):
                continue
            ident = rule.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    self._add(
                        (*path, "id"),
                        f"duplicate rule id '{ident}' (first used by {dotted(seen[ident])})",
                    )
                seen.setdefault(ident, path)
            if "when" in rule:
                self._condition(rule["when"], (*path, "when"))
            reply = rule.get("reply")
            if isinstance(reply, dict) and isinstance(reply.get("generator"), str):
                self._reply(reply, (*path, "reply"), rule.get("decision"))
        rules = data.get("rules")
        last = rules[-1] if not extends and isinstance(rules, list) and rules else None
        if isinstance(last, dict) and "when" in last:
            self._add(
                ("rules", len(rules) - 1),
                "the last rule must have no 'when': it is the default, "
                "deciding when no other rule does",
            )
        self.problems.extend(example_problems(self.doc))
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
        # A condition of the wrong shape is not walked: the schema reports it.
        for at, written in walk_written(data, path):
            if written.key == SCORE:
                self._score(written.value, (*at, SCORE), in_signal)
            elif written.is_criterion:
                self._criterion(written.key, written.value, (*at, written.key))

    def _score(self, bounds: Any, path: JsonPath, in_signal: bool) -> None:
        low, high = (bounds.get(k) if isinstance(bounds, dict) else None for k in BOUNDS)
        if isinstance(low, int | float) and isinstance(high, int | float) and low >= high:
            self._add(
                path,
                f"no score is at least {low:g} and below {high:g}: this test is never true",
                key=True,
            )
        if in_signal:
            self._add(path, "a signal cannot test the score it adds up to", key=True)
        elif not self.scoring:
            self._add(path, "tests the score, but the policy has no 'scoring' section", key=True)

    def _criterion(self, name: str, params: Any, path: JsonPath) -> None:
        if name not in self.registry.criteria:
            known = [*self.registry.criteria, *OPERATORS]
            hint = did_you_mean(name, known) + _switched_off() + self.registry.broken_hint()
            self._add(path, f"unknown criterion '{name}'{hint}", key=True)
        elif params is None or isinstance(params, dict):
            validator = self.registry.params_validator("criterion", name)
            self.problems.extend(check(validator, params or {}, self.doc, path))
        elif isinstance(params, bool):
            validator = self.registry.params_validator("criterion", name)
            if not validator.is_valid({}):
                written = "true" if params else "false"
                schema = self.registry.criteria[name].params_schema
                needed = [str(key) for key in schema.get("required", ())] or ["..."]
                example = ", ".join(f"{key}: ..." for key in needed)
                self._add(
                    path,
                    f"{name} needs parameters, so it cannot be written '{written}': "
                    f"write them as a mapping, such as {name}: {{{example}}}"
                    + (", under not: to negate it" if not params else ""),
                )

    def _reply(self, data: dict[str, Any], path: JsonPath, decision: Any) -> None:
        name = data["generator"]
        generator = self.registry.generators.get(name)
        if generator is None:
            hint = did_you_mean(name, self.registry.generators) + _switched_off()
            hint += self.registry.broken_hint()
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
        if is_language(self.language) and self.language not in generator.languages:
            self._add(
                (*path, "generator"),
                f"reply generator '{name}' does not write the policy's language "
                f"'{self.language}' (it writes: {', '.join(generator.languages)})",
            )


def example_problems(doc: Document) -> list[Problem]:
    """Each example's invitation (in a policy or a test file) must be one an invitations
    file could hold, its ``id`` and ``name`` aside."""
    from invpolicy.resources import validator

    examples = doc.data.get("examples") if isinstance(doc.data, dict) else None
    problems: list[Problem] = []
    for i, example in enumerate(examples if isinstance(examples, list) else []):
        invitation = example.get("invitation") if isinstance(example, dict) else None
        if isinstance(invitation, dict):
            path: JsonPath = ("examples", i, "invitation")
            facts = example_facts(i, example)
            found = check(validator("invitation", "invitation"), facts, doc, path)
            problems.extend(found or link_problems(facts, doc, path))
    return problems
