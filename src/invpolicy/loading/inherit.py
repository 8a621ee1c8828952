"""``extends``: a policy that adapts another one.

The extending file inherits the other policy's metadata, scoring and rules, and
changes the rules in this order: ``replace`` (a rule with the same id),
``insert`` (before or after a rule of the extended policy), ``drop`` (by id),
then ``reply_params`` (parameters set in every reply written by a generator).
Every name in these changes must be one of the extended policy's, so that a
typo is an error instead of a change that silently does nothing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invpolicy.errors import InvpolicyError, Problem, did_you_mean
from invpolicy.io.document import Document, JsonPath, dotted
from invpolicy.io.files import regular_file
from invpolicy.resources import load_schema
from invpolicy.schema.check import check

if TYPE_CHECKING:
    from invpolicy.model.policy import Policy, Rule
    from invpolicy.plugins.registry import Registry

#: How many policies a chain of ``extends`` may hold.
MAX_CHAIN = 16


def parent_path(ref: str, doc: Document, registry: Registry) -> Path:
    """The file that ``extends: ref`` names in ``doc``.

    A path is read relative to the extending file. A name is an installed
    policy's, or else a policy file of that name beside the extending file
    (installed first: a file may extend the installed policy it is named after).
    """
    from invpolicy.loading.catalog import find_policy, looks_like_path, unknown_name

    here = Path(doc.path).parent
    if looks_like_path(ref):
        path = here / ref
        if regular_file(path):
            return path
        if path.is_dir():
            why = "is a directory, not a policy file"
        elif path.exists():
            why = "is not a regular file"
        else:
            why = "no such file"
        raise InvpolicyError(doc.problem(("extends",), f"extends: {path}: {why}"))
    found = find_policy(ref, registry, beside=here)
    if found is not None:
        if not regular_file(found):  # a file beside, linked into /proc or to a device
            raise InvpolicyError(
                doc.problem(("extends",), f"extends: {found}: is not a regular file")
            )
        return found
    raise InvpolicyError(
        doc.problem(
            ("extends",),
            f"extends: {unknown_name(ref, registry, listing=False)}, "
            f"and no file {ref}.yaml beside this one",
        )
    )


#: The most rules a policy may hold, as the schema says, counted once flattened.
MAX_RULES: int = load_schema("policy")["properties"]["rules"]["maxItems"]


def merge_rules(parent: Policy, doc: Document, registry: Registry) -> tuple[Rule, ...]:
    """The extended policy's rules with the changes ``doc`` writes; raises on a bad change."""
    merger = _Merger(parent, doc, registry)
    rules = merger.merge()
    if merger.problems:
        raise InvpolicyError(sorted(set(merger.problems)))
    return rules


class _Merger:
    def __init__(self, parent: Policy, doc: Document, registry: Registry) -> None:
        self.parent = parent
        self.doc = doc
        self.registry = registry
        self.problems: list[Problem] = []
        self.ids = [rule.id for rule in parent.rules]

    def _add(self, path: JsonPath, message: str) -> None:
        self.problems.append(self.doc.problem(path, f"{dotted(path)}: {message}"))

    def _known(self, ident: str, path: JsonPath) -> bool:
        if ident in self.ids:
            return True
        hint = did_you_mean(ident, self.ids)
        self._add(path, f"policy '{self.parent.name}' has no rule '{ident}'{hint}")
        return False

    def merge(self) -> tuple[Rule, ...]:
        from invpolicy.loading.build import build_rule

        data = self.doc.data
        rules: list[Rule] = list(self.parent.rules)
        for i, item in enumerate(data.get("replace", ())):
            if self._known(item["id"], ("replace", i, "id")):
                rules[self.ids.index(item["id"])] = build_rule(item, self.doc, ("replace", i))
        # Insertions are placed by the extended policy's rules, so one
        # insertion never depends on where another one went.
        before: dict[str, list[Rule]] = {}
        after: dict[str, list[Rule]] = {}
        for i, item in enumerate(data.get("insert", ())):
            where = "before" if "before" in item else "after"
            anchor = item[where]
            if not self._known(anchor, ("insert", i, where)):
                continue
            new = [
                build_rule(r, self.doc, ("insert", i, "rules", j))
                for j, r in enumerate(item["rules"])
            ]
            (before if where == "before" else after).setdefault(anchor, []).extend(new)
        dropped = set()
        for i, ident in enumerate(data.get("drop", ())):
            if self._known(ident, ("drop", i)):
                dropped.add(ident)
        merged: list[Rule] = []
        for ident, rule in zip(self.ids, rules, strict=True):
            merged.extend(before.get(ident, ()))
            if ident not in dropped:
                merged.append(rule)
            merged.extend(after.get(ident, ()))
        merged = self._reply_params(merged, data.get("reply_params") or {})
        self._check_whole(merged)
        return tuple(merged)

    def _reply_params(self, rules: list[Rule], overrides: dict[str, Any]) -> list[Rule]:
        used = list(dict.fromkeys(rule.reply.generator for rule in rules if rule.reply))
        for name in overrides:
            if name not in used:
                hint = did_you_mean(name, used)
                self._add(
                    ("reply_params", name),
                    f"no rule replies with '{name}'{hint} (used: {', '.join(used)})",
                )
        out: list[Rule] = []
        for rule in rules:
            params = overrides.get(rule.reply.generator) if rule.reply else None
            if rule.reply is None or params is None:
                out.append(rule)
                continue
            merged = {**rule.reply.params, **params}
            # Each rule's own parameters meet the override: check every result.
            validator = self.registry.params_validator("reply generator", rule.reply.generator)
            self.problems.extend(
                check(validator, merged, self.doc, ("reply_params", rule.reply.generator))
            )
            out.append(replace(rule, reply=replace(rule.reply, params=merged)))
        return out

    def _check_whole(self, rules: list[Rule]) -> None:
        """What only the flattened rules show: ids, the default rule, the language."""
        parents = {rule.id: rule for rule in rules if rule.at.path != self.doc.path}
        for rule in rules:
            first = parents.get(rule.id)
            if first is not None and rule.at.path == self.doc.path:
                self.problems.append(
                    rule.at.problem(
                        f"rule id '{rule.id}' is already used by policy '{self.parent.name}' "
                        f"(at {first.at}): to change that rule, use replace"
                    )
                )
        if not rules:
            self._add(("drop",), "every rule is dropped: a policy needs a default rule")
        elif len(rules) > MAX_RULES:
            self._add(
                ("insert",),
                f"with the rules of policy '{self.parent.name}', this policy has "
                f"{len(rules)} rules: a policy has at most {MAX_RULES} rules",
            )
        elif rules[-1].when is not None:
            last = rules[-1]
            where = last.at if last.at.path == self.doc.path else None
            message = (
                f"the last rule ('{last.id}') must have no 'when': it is the default, "
                "deciding when no other rule does"
            )
            if where is not None:
                self.problems.append(where.problem(message))
            else:
                key = "drop" if "drop" in self.doc.data else "extends"
                self._add((key,), message)
        language = self.doc.data.get("language")
        if isinstance(language, str):
            for rule in rules:
                if rule.reply is None or rule.at.path == self.doc.path:
                    continue  # the extending file's own rules were checked with it
                generator = self.registry.generators[rule.reply.generator]
                if language not in generator.languages:
                    self._add(
                        ("language",),
                        f"rule '{rule.id}' replies with '{generator.name}', which does not "
                        f"write '{language}' (it writes: {', '.join(generator.languages)})",
                    )
