"""What the schema and validation cannot see in a policy: ``invpolicy lint``.

:func:`lint_policy` looks at a validated, flattened policy (after ``extends``)
and returns :class:`Finding` objects, each at the place where its rule or
signal is written. :func:`lint_file` reads a policy first; a policy that does
not validate gives its validation problems instead, as errors.

=================  =======  ==============================================
code               level    finding
=================  =======  ==============================================
invalid            error    a validation problem (duplicate rule ids among them)
unreachable        error    a rule after a rule without ``when``
never-true         error    a rule whose condition no invitation makes true
shadowed           error    a rule whose condition is true only where earlier rules fire
no-reply           warning  a ``decline`` or ``ask`` rule without a reply
unknown-fact       warning  a criterion reading a fact the invitation schema lacks
language-fallback  warning  a generator not writing a language an invitation may ask for
dead-signal        warning  a signal whose condition no invitation makes true
inert-signal       warning  a signal that changes no score test, whatever the others are
unused-scoring     warning  a ``scoring`` section that no rule tests
=================  =======  ==============================================

An invitation may ask for ``fr`` or ``en`` (the languages the invitation
schema names) or any language that one of the policy's generators writes; a
generator that does not write one of them replies in the policy's language.

Whether a rule or a signal can ever be true, and whether a rule is shadowed,
is proved by :mod:`invpolicy.authoring.prover`; a rule is never reported dead while
some invitation could make it fire.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from invpolicy.authoring.prover import Node, Prover
from invpolicy.errors import InvpolicyError, Location, PluginError, Problem
from invpolicy.frozen import frozen
from invpolicy.model.conditions import CriterionCheck, ScoreTest
from invpolicy.model.visitor import leaves
from invpolicy.text import counted

if TYPE_CHECKING:
    from invpolicy.model.policy import Policy, Rule
    from invpolicy.plugins.registry import Registry

Severity = Literal["warning", "error"]

#: Languages an invitation may ask for, besides those the policy's generators write:
#: the two the invitation schema names.
CHECKED_LANGUAGES = ("en", "fr")


@frozen
class Finding:
    """One thing lint found, at the place where the rule or signal is written."""

    severity: Severity
    code: str
    location: Location
    message: str

    def __str__(self) -> str:
        # A problem's line: path:line:col, then the message, on one inert line.
        return str(self.location.problem(f"{self.severity}: {self.message} [{self.code}]"))

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        where = self.location
        return (where.path, where.line, where.col, self.code, self.message)

    @classmethod
    def from_problem(cls, problem: Problem) -> Finding:
        """A validation problem, as an error."""
        where = Location(problem.path, problem.line, problem.col)
        return cls("error", "invalid", where, problem.message)

    def to_json(self) -> dict[str, Any]:
        where = self.location
        return {
            "path": where.path,
            "line": where.line,
            "col": where.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def lint_file(ref: str | Path, registry: Registry) -> list[Finding]:
    """Read, validate and lint a policy: a path, or an installed policy's name.

    A policy that does not validate gives its validation problems, as errors.
    """
    from invpolicy.loading.catalog import resolve_policy
    from invpolicy.loading.parse import read_policy

    try:
        policy = read_policy(resolve_policy(ref, registry), registry)
    except InvpolicyError as exc:
        return [Finding.from_problem(problem) for problem in exc.problems]
    except PluginError as exc:
        return [Finding("error", "invalid", Location(str(ref)), f"plugin error: {exc}")]
    return lint_policy(policy, registry)


def lint_policy(policy: Policy, registry: Registry) -> list[Finding]:
    """What is likely wrong in a validated ``policy``, sorted by place."""
    prover = Prover(policy, registry)
    findings = [
        *_dead_rules(policy, prover),
        *_replies(policy, registry),
        *_unknown_facts(policy, registry),
        *_signals(policy, prover),
    ]
    return sorted(findings, key=lambda finding: finding.sort_key)


def summary(policies: int, findings: Sequence[Finding]) -> str:
    """``3 policies: 0 errors, 2 warnings``."""
    errors = sum(1 for finding in findings if finding.severity == "error")
    warnings = len(findings) - errors
    return (
        f"{counted(policies, 'policy', 'policies')}: "
        f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
    )


def _where(location: Location, here: Location) -> str:
    if location.path == here.path:
        return f"line {location.line}"
    return str(location)


# --- Rules that can never fire ---------------------------------------------


def _dead_rules(policy: Policy, prover: Prover) -> Iterator[Finding]:
    earlier: list[tuple[Rule, Node]] = []
    default: Rule | None = None
    for rule in policy.rules:
        if default is not None:
            yield Finding(
                "error",
                "unreachable",
                rule.at,
                f"rule '{rule.id}' is never tried: rule '{default.id}' "
                f"({_where(default.at, rule.at)}) has no 'when' and always fires",
            )
            continue
        if rule.when is None:
            default = rule
            continue
        node = prover.nnf(rule.when, True)
        if prover.empty(node):
            yield Finding(
                "error",
                "never-true",
                rule.at,
                f"rule '{rule.id}' never fires: no invitation makes its condition true",
            )
            continue
        culprits = prover.covering(node, earlier)
        if culprits:
            names = " and ".join(f"'{r.id}' ({_where(r.at, rule.at)})" for r in culprits)
            fire = "fires" if len(culprits) == 1 else "fire"
            yield Finding(
                "error",
                "shadowed",
                rule.at,
                f"rule '{rule.id}' never fires: rule{'s' if len(culprits) > 1 else ''} "
                f"{names} before it {fire} whenever its condition is true",
            )
            continue
        earlier.append((rule, node))


# --- Replies -----------------------------------------------------------------


def _replies(policy: Policy, registry: Registry) -> Iterator[Finding]:
    by_generator: dict[str, list[Rule]] = {}
    for rule in policy.rules:
        if rule.reply is not None:
            by_generator.setdefault(rule.reply.generator, []).append(rule)
        elif rule.decision in ("decline", "ask"):
            yield Finding(
                "warning",
                "no-reply",
                rule.at,
                f"rule '{rule.id}' decides '{rule.decision}' without a reply: "
                "the inviter gets no word",
            )
    generators = [registry.generators[name] for name in by_generator]
    asked = {*CHECKED_LANGUAGES, *(lang for g in generators for lang in g.languages)}
    # One finding per generator, at the first rule that uses it: the fix is the
    # same for each of its rules.
    for generator in generators:
        missing = sorted(asked - set(generator.languages) - {policy.language})
        if missing:
            rules = by_generator[generator.name]
            names = ", ".join(f"'{rule.id}'" for rule in rules)
            them = "it" if len(missing) == 1 else "them"
            yield Finding(
                "warning",
                "language-fallback",
                rules[0].at,
                f"reply generator '{generator.name}' (rule{'s' if len(rules) > 1 else ''} "
                f"{names}) does not write {', '.join(missing)}: invitations asking for "
                f"{them} get a reply in the policy's language, '{policy.language}'",
            )


# --- Facts -------------------------------------------------------------------


def _unknown_facts(policy: Policy, registry: Registry) -> Iterator[Finding]:
    from invpolicy.schema.fields import invitation_fields

    known = invitation_fields()
    places = [(f"rule '{r.id}'", r.at, r.when) for r in policy.rules]
    places += [(f"signal '{s.id}'", s.at, s.when) for s in policy.scoring]
    for what, at, when in places:
        names = dict.fromkeys(c.criterion for c in leaves(when) if isinstance(c, CriterionCheck))
        for name in names:
            criterion = registry.criteria[name]
            for fact in criterion.facts:
                if fact not in known:
                    plugin = registry.origins[("criterion", name)].plugin
                    yield Finding(
                        "warning",
                        "unknown-fact",
                        at,
                        f"{what}: criterion '{name}' reads the fact '{fact}', which the "
                        f"invitation schema does not know (a typo in plugin {plugin}?)",
                    )


# --- Scoring -----------------------------------------------------------------


def _signals(policy: Policy, prover: Prover) -> Iterator[Finding]:
    if not policy.scoring:
        return
    for signal in policy.scoring:
        if prover.empty(prover.nnf(signal.when, True)):
            yield Finding(
                "warning",
                "dead-signal",
                signal.at,
                f"signal '{signal.id}' never adds its weight: no invitation makes its "
                "condition true",
            )
    tests = list(
        dict.fromkeys(
            t for rule in policy.rules for t in leaves(rule.when) if isinstance(t, ScoreTest)
        )
    )
    if not tests:
        yield Finding(
            "warning",
            "unused-scoring",
            policy.scoring[0].at,
            "no rule tests the score: the signals are added up, but decide nothing",
        )
        return
    if prover.bounds is None:
        return
    # Every combination of values, even those no invitation can give: a signal
    # is inert only if it changes no test whatever the others are.
    outcomes = {
        values: tuple(test.within(low, high) for test in tests)
        for values, (low, high) in prover.bounds.items()
    }
    shown = ", ".join(_test_text(test) for test in tests)
    for i, signal in enumerate(policy.scoring):
        if all(
            outcomes[values] == outcomes[(*values[:i], other, *values[i + 1 :])]
            for values in outcomes
            if values[i] is True
            for other in (False, None)
        ):
            yield Finding(
                "warning",
                "inert-signal",
                signal.at,
                f"signal '{signal.id}' (weight {signal.weight:g}) never changes a score "
                f"test ({shown}): no decision depends on it",
            )


def _test_text(test: ScoreTest) -> str:
    parts = []
    if test.at_least is not None:
        parts.append(f"at least {test.at_least:g}")
    if test.below is not None:
        parts.append(f"below {test.below:g}")
    return " and ".join(parts)
