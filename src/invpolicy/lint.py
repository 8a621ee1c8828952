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

Whether a rule can fire is decided with the engine's three-valued logic: a
rule fires only when its condition is true, so it is dead when every
invitation making it true makes an earlier rule true. The prover below
answers "always" only when it can show it, and "not shown" otherwise: a rule
is never reported dead while some invitation could make it fire. It assumes
that a criterion answers the same for the same facts and parameters; it
knows what the built-in criteria mean, and of a plugin's criterion only that
it agrees with itself.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from invpolicy.errors import InvpolicyError, Location, PluginError, Problem
from invpolicy.policy import AllOf, AnyOf, Condition, CriterionCheck, Not, ScoreTest

if TYPE_CHECKING:
    from invpolicy.plugins import Registry
    from invpolicy.policy import Policy, Rule

Severity = Literal["warning", "error"]

#: Languages an invitation may ask for, besides those the policy's generators write:
#: the two the invitation schema names.
CHECKED_LANGUAGES = ("en", "fr")

#: Above this many signals, whether each one can change a score test is not checked
#: (the check tries every combination of the signals' values: 3 ** n).
MAX_SIGNALS = 10


@dataclass(frozen=True)
class Finding:
    """One thing lint found, at the place where the rule or signal is written."""

    severity: Severity
    code: str
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"

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
    from invpolicy.catalog import resolve_policy
    from invpolicy.policy import read_policy

    try:
        policy = read_policy(resolve_policy(ref, registry), registry)
    except InvpolicyError as exc:
        return [Finding.from_problem(problem) for problem in exc.problems]
    except PluginError as exc:
        return [Finding("error", "invalid", Location(str(ref)), f"plugin error: {exc}")]
    return lint_policy(policy, registry)


def lint_policy(policy: Policy, registry: Registry) -> list[Finding]:
    """What is likely wrong in a validated ``policy``, sorted by place."""
    prover = _Prover(policy, registry)
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
        f"{_count(policies, 'policy', 'policies')}: "
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    )


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _where(location: Location, here: Location) -> str:
    if location.path == here.path:
        return f"line {location.line}"
    return str(location)


# --- Rules that can never fire ---------------------------------------------


def _dead_rules(policy: Policy, prover: _Prover) -> Iterator[Finding]:
    earlier: list[tuple[Rule, _Node]] = []
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


# Conditions in negation normal form. The engine's three-valued logic obeys
# De Morgan's laws, so "when is C true" and "when is C false" are both unions
# and intersections of literals: a criterion (or score test) being true, or false.


@dataclass(frozen=True)
class _Lit:
    atom: _Atom
    true: bool


@dataclass(frozen=True)
class _And:
    parts: tuple[_Node, ...]


@dataclass(frozen=True)
class _Or:
    parts: tuple[_Node, ...]


_Node = _Lit | _And | _Or


def _negated(node: _Node) -> _Node:
    """The invitations where the condition is false instead of true (or the reverse)."""
    if isinstance(node, _Lit):
        return _Lit(node.atom, not node.true)
    parts = tuple(_negated(part) for part in node.parts)
    return _Or(parts) if isinstance(node, _And) else _And(parts)


@dataclass(frozen=True)
class _Atom:
    """What a criterion check is true for, as far as lint knows it.

    Atoms with the same ``key`` read one fact, and are unknown on exactly the
    same invitations (when the fact is absent, unless ``always_known``). The
    relations answer for the known invitations; an opaque atom (a plugin's
    criterion) is only known to equal itself.
    """

    key: tuple[str, ...]
    always_known: bool = False

    def subset(self, other: _Atom) -> bool:
        return self == other

    def disjoint(self, other: _Atom) -> bool:
        return self.empty()

    def covers(self, other: _Atom) -> bool:
        """Whether every known invitation makes one of the two true."""
        return self.full() or other.full()

    def empty(self) -> bool:
        return False

    def full(self) -> bool:
        return False


@dataclass(frozen=True)
class _Range(_Atom):
    """A number fact in ``[low, high)``; facts are never below 0 (the invitation schema)."""

    low: float = 0
    high: float | None = None

    def subset(self, other: _Atom) -> bool:
        assert isinstance(other, _Range)
        return self.empty() or (
            self.low >= other.low
            and (other.high is None or (self.high is not None and self.high <= other.high))
        )

    def disjoint(self, other: _Atom) -> bool:
        assert isinstance(other, _Range)
        return (
            self.empty()
            or other.empty()
            or (self.high is not None and self.high <= other.low)
            or (other.high is not None and other.high <= self.low)
        )

    def covers(self, other: _Atom) -> bool:
        assert isinstance(other, _Range)
        if self.full() or other.full():
            return True
        first, second = (self, other) if self.low <= other.low else (other, self)
        return (
            first.low <= 0
            and first.high is not None
            and second.high is None
            and second.low <= first.high
        )

    def empty(self) -> bool:
        return self.high is not None and self.low >= self.high

    def full(self) -> bool:
        return self.low <= 0 and self.high is None


@dataclass(frozen=True)
class _Choice(_Atom):
    """A fact with a few possible values; true for ``values``."""

    values: frozenset[Any] = frozenset()
    domain: frozenset[Any] = frozenset()

    def subset(self, other: _Atom) -> bool:
        assert isinstance(other, _Choice)
        return self.values & self.domain <= other.values

    def disjoint(self, other: _Atom) -> bool:
        assert isinstance(other, _Choice)
        return not self.values & other.values & self.domain

    def covers(self, other: _Atom) -> bool:
        assert isinstance(other, _Choice)
        return self.domain <= self.values | other.values

    def empty(self) -> bool:
        return not self.values & self.domain

    def full(self) -> bool:
        return self.domain <= self.values


@dataclass(frozen=True)
class _Words(_Atom):
    """True when one of ``words`` is found; ``None``: when anything is (a non-empty list)."""

    words: frozenset[str] | None = None

    def subset(self, other: _Atom) -> bool:
        assert isinstance(other, _Words)
        return other.words is None or (self.words is not None and self.words <= other.words)


@dataclass(frozen=True)
class _Score(_Atom):
    """A score test. The score's bounds lie between ``least`` and ``most``.

    ``at_least`` and ``below`` are None when every score satisfies them; the
    relations follow the engine: true when ``low >= at_least`` and
    ``high < below``, false when ``high < at_least`` or ``low >= below``.
    """

    at_least: float | None = None
    below: float | None = None
    never: bool = False

    def relation(self, true: bool, other: _Score, other_true: bool) -> bool:
        """Whether this test being ``true`` (or false) makes ``other`` be ``other_true``."""
        a2, b2, a1, b1 = self.at_least, self.below, other.at_least, other.below
        if true and other_true:
            return (a1 is None or (a2 is not None and a2 >= a1)) and (
                b1 is None or (b2 is not None and b2 <= b1)
            )
        if not true and not other_true:
            return (a2 is None or (a1 is not None and a2 <= a1)) and (
                b2 is None or (b1 is not None and b2 >= b1)
            )
        if true:
            return (a1 is not None and b2 is not None and b2 <= a1) or (
                b1 is not None and a2 is not None and a2 >= b1
            )
        return (a2 is None or (a1 is None and (b1 is None or a2 <= b1))) and (
            b2 is None or (b1 is None and (a1 is None or b2 >= a1))
        )

    def empty(self) -> bool:
        return self.never

    def full(self) -> bool:
        return self.at_least is None and self.below is None


#: A margin for the score's sums when they are not tried one by one.
_EPSILON = 1e-6

#: The built-in counting criteria and the fact each one counts.
_COUNTS = {
    "exchanges": "exchanges",
    "mutual_connections": "mutual_connections",
    "mutual_in_sector": "mutual_in_sector",
    "shared_groups": "shared_groups",
    "publishes": "posts",
}
_FOLLOW_UP = frozenset({"pitch", "need", "neither"})


class _Prover:
    """Decides, soundly but not completely, whether one set of invitations holds another."""

    def __init__(self, policy: Policy, registry: Registry) -> None:
        from invpolicy.builtin.criteria import CRITERIA

        self.registry = registry
        self.builtin = {c.name for c in CRITERIA if registry.criteria.get(c.name) is c}
        weights = [signal.weight for signal in policy.scoring]
        #: The score's bounds for each combination of the signals' values, when
        #: there are few enough signals to try them all.
        self.bounds: dict[tuple[bool | None, ...], tuple[float, float]] | None = None
        if len(weights) <= MAX_SIGNALS:
            self.bounds = {
                values: _bounds(weights, values)
                for values in itertools.product((True, False, None), repeat=len(weights))
            }
            self.least = min(low for low, _ in self.bounds.values())
            self.most = max(high for _, high in self.bounds.values())
        else:
            # The engine rounds its sums to 9 decimals: keep clear of that.
            self.least = math.fsum(w for w in weights if w < 0) - _EPSILON
            self.most = math.fsum(w for w in weights if w > 0) + _EPSILON
        self.memo: dict[tuple[_Node, _Node], bool] = {}

    def nnf(self, node: Condition, true: bool) -> _Node:
        """Where ``node`` is ``true`` (or false), as a union and intersection of literals."""
        if isinstance(node, Not):
            return self.nnf(node.part, not true)
        if isinstance(node, AllOf | AnyOf):
            parts = tuple(self.nnf(part, true) for part in node.parts)
            return _And(parts) if isinstance(node, AllOf) == true else _Or(parts)
        return _Lit(self.atom(node), true)

    def atom(self, node: CriterionCheck | ScoreTest) -> _Atom:
        if isinstance(node, ScoreTest):
            return self._score(node)
        name, params = node.criterion, node.params
        if name not in self.builtin:
            return _Atom(("opaque", name, json.dumps(params, sort_keys=True, default=str)))
        from invpolicy.builtin.criteria import NETWORKS
        from invpolicy.text import fold

        if name in _COUNTS:
            return _Range(("range", _COUNTS[name]), low=params.get("at_least", 1))
        if name == "experience":
            return _Range(
                ("range", "experience_years"),
                low=max(params.get("at_least", 0), 0),
                high=params.get("below"),
            )
        if name in ("met_in_person", "profile_visible"):
            return _Choice(
                ("choice", name), values=frozenset({True}), domain=frozenset({True, False})
            )
        if name == "network":
            return _Choice(
                ("choice", "network"), True, frozenset(params["in"]), frozenset(NETWORKS)
            )
        if name in ("follow_up_pitch", "follow_up_need"):
            kind = name.removeprefix("follow_up_")
            return _Choice(("choice", "follow_up"), True, frozenset({kind}), _FOLLOW_UP)
        if name == "headline_mentions":
            words = frozenset(fold(k).strip() for k in params["keywords"])
            return _Words(("words", "headline"), words=words)
        if name == "common_ground":
            wanted = params.get("any_of")
            return _Words(
                ("words", "common_ground"),
                words=None if wanted is None else frozenset(fold(w) for w in wanted),
            )
        return _Atom(("opaque", name, json.dumps(params, sort_keys=True, default=str)))

    def _score(self, node: ScoreTest) -> _Score:
        least, most = self.least, self.most
        # A bound that every score the engine can reach meets says nothing.
        at_least = None if node.at_least is None or node.at_least <= least else node.at_least
        below = None if node.below is None or node.below > most else node.below
        never = (
            (at_least is not None and at_least > most)
            or (below is not None and below <= least)
            or (at_least is not None and below is not None and at_least >= below)
        )
        return _Score(("score",), False, at_least, below, never)

    def empty(self, node: _Node) -> bool:
        """Whether no invitation is in ``node``."""
        if isinstance(node, _Lit):
            return node.atom.empty() if node.true else node.atom.full()
        if isinstance(node, _Or):
            return all(self.empty(part) for part in node.parts)
        # A part true where another is false: the intersection is empty.
        return any(self.empty(part) for part in node.parts) or any(
            self.subset(p, _negated(q)) for p, q in itertools.permutations(node.parts, 2)
        )

    def universal(self, node: _Node) -> bool:
        """Whether every invitation is in ``node``."""
        if isinstance(node, _Lit):
            atom = node.atom
            if isinstance(atom, _Score):
                return node.true and atom.full()
            return atom.always_known and (atom.full() if node.true else atom.empty())
        if isinstance(node, _And):
            return all(self.universal(part) for part in node.parts)
        # A part that is never unknown is true or false: with another part
        # true wherever it is false, one of them is true.
        return any(self.universal(part) for part in node.parts) or any(
            self.two_valued(p) and self.subset(_negated(p), q)
            for p, q in itertools.permutations(node.parts, 2)
        )

    def two_valued(self, node: _Node) -> bool:
        """Whether ``node`` is true or false for every invitation, never unknown."""
        if isinstance(node, _Lit):
            return node.atom.always_known and not isinstance(node.atom, _Score)
        return all(self.two_valued(part) for part in node.parts)

    def subset(self, x: _Node, y: _Node) -> bool:
        """Whether every invitation in ``x`` is in ``y`` (False when it cannot tell)."""
        key = (x, y)
        if key not in self.memo:
            self.memo[key] = False  # guards against a cycle; none is expected
            self.memo[key] = self._subset(x, y)
        return self.memo[key]

    def _subset(self, x: _Node, y: _Node) -> bool:
        if self.empty(x) or self.universal(y):
            return True
        # Exact: a union is inside when each part is; inside an intersection when inside each.
        if isinstance(x, _Or):
            return all(self.subset(part, y) for part in x.parts)
        if isinstance(y, _And):
            return all(self.subset(x, part) for part in y.parts)
        # Enough, not necessary: one part of an intersection inside, or inside one part of a union.
        if isinstance(x, _And) and any(self.subset(part, y) for part in x.parts):
            return True
        if isinstance(y, _Or) and any(self.subset(x, part) for part in y.parts):
            return True
        return isinstance(x, _Lit) and isinstance(y, _Lit) and _literal_subset(x, y)

    def covering(self, node: _Node, earlier: list[tuple[Rule, _Node]]) -> list[Rule]:
        """The fewest earlier rules that are true wherever ``node`` is (none if not shown)."""
        for rule, other in earlier:
            if self.subset(node, other):
                return [rule]
        if len(earlier) < 2 or not self.subset(node, _Or(tuple(n for _, n in earlier))):
            return []
        kept = list(earlier)
        for item in list(kept):
            trial = [other for other in kept if other is not item]
            if self.subset(node, _Or(tuple(n for _, n in trial))):
                kept = trial
        return [rule for rule, _ in kept]


def _literal_subset(x: _Lit, y: _Lit) -> bool:
    a, b = x.atom, y.atom
    if isinstance(a, _Score) and isinstance(b, _Score):
        return a.relation(x.true, b, y.true)
    if a.key != b.key:
        return False
    # Same fact: false means "known, and not true", for both.
    if x.true and y.true:
        return a.subset(b)
    if not x.true and not y.true:
        return b.subset(a)
    if x.true:
        return a.disjoint(b)
    return a.covers(b)


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


def _checks(node: Condition) -> Iterator[CriterionCheck]:
    if isinstance(node, CriterionCheck):
        yield node
    elif isinstance(node, AllOf | AnyOf):
        for part in node.parts:
            yield from _checks(part)
    elif isinstance(node, Not):
        yield from _checks(node.part)


def _unknown_facts(policy: Policy, registry: Registry) -> Iterator[Finding]:
    from invpolicy.fields import invitation_fields

    known = invitation_fields()
    places = [(f"rule '{r.id}'", r.at, r.when) for r in policy.rules]
    places += [(f"signal '{s.id}'", s.at, s.when) for s in policy.scoring]
    for what, at, when in places:
        names = dict.fromkeys(c.criterion for c in _checks(when)) if when else {}
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


def _score_tests(node: Condition | None) -> Iterator[ScoreTest]:
    if isinstance(node, ScoreTest):
        yield node
    elif isinstance(node, AllOf | AnyOf):
        for part in node.parts:
            yield from _score_tests(part)
    elif isinstance(node, Not):
        yield from _score_tests(node.part)


def _within(low: float, high: float, test: ScoreTest) -> bool | None:
    """A score test's value for the bounds ``low`` and ``high``, as the engine decides it."""
    results = []
    if test.at_least is not None:
        results.append(True if low >= test.at_least else False if high < test.at_least else None)
    if test.below is not None:
        results.append(True if high < test.below else False if low >= test.below else None)
    if False in results:
        return False
    return None if None in results else True


def _bounds(weights: Sequence[float], values: Sequence[bool | None]) -> tuple[float, float]:
    """The score's ``low`` and ``high``, added up in the engine's order."""
    total: float = 0
    low: float = 0
    high: float = 0
    for weight, value in zip(weights, values, strict=True):
        total += weight if value is True else 0
        if value is None:
            low += min(weight, 0)
            high += max(weight, 0)
    return round(total + low, 9), round(total + high, 9)


def _signals(policy: Policy, prover: _Prover) -> Iterator[Finding]:
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
    tests = list(dict.fromkeys(t for rule in policy.rules for t in _score_tests(rule.when)))
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
        values: tuple(_within(low, high, test) for test in tests)
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
