"""The invitation space two policies see: each fact cut where a criterion of either one
changes its answer, into a few classes, each with an invitation's facts to stand for it.

A *dimension* is a fact, or facts that must be cut together: facts the
invitation schema links (``mutual_in_sector`` is at most
``mutual_connections``, and the engine settles one from the other), or the
facts one criterion reads (``headline_mentions`` reads the headline and the
company). A *class* of a dimension is a set of values on which every
criterion of both policies answers the same: its ``facts`` are one such value
(absent facts are unknown), and ``values`` the answer of each criterion there,
found by running the criterion itself on those facts, as the engine would.

How a fact is cut depends on what its criteria declare
(:mod:`invpolicy.plugins.contract`):

- ``Counts``: at each bound any criterion tests, on the fact and the facts
  linked to it; the classes are the ranges between, and unknown;
- ``OneOf`` on the value itself: the values that the tests tell apart, and
  unknown unless the test is never unknown;
- ``OneOf`` on what a classifier reads from a text (the kind of answer, the
  kind of note): sample texts of each kind, checked by the classifier;
- ``Mentions``: which of the words are there, a text (or list) for each
  combination that can happen, none of them, and unknown;
- a criterion that declares nothing: true, false and unknown, as given, since
  nothing else is known of it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from invpolicy.engine.settle import settler
from invpolicy.errors import PluginError
from invpolicy.frozen import frozen
from invpolicy.model.conditions import CriterionCheck
from invpolicy.model.policy import Policy
from invpolicy.model.visitor import leaves
from invpolicy.plugins.contract import Counts, Logic, Mentions, OneOf, declared_logic
from invpolicy.plugins.registry import Registry
from invpolicy.schema.fields import invitation_fields
from invpolicy.schema.links import broken, links

#: Sample texts for what a classifier reads from a text fact, by fact: what each
#: one stands for. The classifiers are run on them: a text only counts for what
#: they make of it.
SAMPLE_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "message": (
        ("a note of the network's stock text", "I'd like to add you to my professional network."),
        (
            "a note of the inviter's own",
            "Hello, we met at the Lyon meetup last month; I enjoyed your talk on accessibility.",
        ),
        (
            "a note that sells",
            "Hello, my agency offers SEO services: book a free demo call this week and get "
            "20% off.",
        ),
        # A greeting of a few words is not a note of the inviter's own: this one only sells.
        ("a greeting that sells", "Hi book a demo"),
    ),
    "follow_up": (
        (
            "an answer that sells",
            "Thanks for asking! We offer web design services, book a call here to get a quote.",
        ),
        (
            "an answer stating a need",
            "I am looking for a mentor in accessibility because I am starting a project for a "
            "school.",
        ),
        ("an answer that says neither", "Thanks, nice to meet you."),
    ),
}
#: The readings of a text that the samples stand for, by fact.
READINGS: dict[str, frozenset[str]] = {
    "message": frozenset({"personalized", "kind of note"}),
    "follow_up": frozenset({"kind of answer"}),
}
#: What joins two words in a text made of several: no keyword spans it.
JOINT = ". "
#: At most this many combinations of the words a fact's tests look for.
MAX_WORD_SETS = 4096
#: A word no keyword list is expected to hold: a text that mentions none of the words.
FILLER = "Zyxwv"
#: The range of numbers each number class of a fact stands for, by fact and words.
SPANS: dict[tuple[str, str], tuple[float, float | None]] = {}
#: How an unknown fact is said.
UNKNOWN = "unknown"
#: At most this many classes in one dimension (a fact cut finer is refused).
MAX_CLASSES = 400


class TooLarge(Exception):
    """The policies cut the invitations too finely to search; the message says where."""


@frozen
class Test:
    """One criterion check of either policy: what it is, and what it declares."""

    criterion: str
    params_key: str
    logic: Logic | None
    facts: tuple[str, ...]
    #: The parameters as the policy gives them (``params_key`` is their JSON, for the key).
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def shown(self) -> str:
        params = json.loads(self.params_key)
        return self.criterion + (f" {self.params_key}" if params else "")


@dataclass
class Class:
    """One class of a dimension: facts standing for it, what it is, each test's answer there.

    ``said`` holds, for each fact of the dimension, what its value is in words
    (``"1 to 2"``, ``"unknown"``); classes that answer alike are one, and
    ``also`` holds what the others said.
    """

    facts: dict[str, Any]
    said: tuple[str, ...]
    values: dict[Test, bool | None] = field(default_factory=dict)
    also: list[tuple[str, ...]] = field(default_factory=list)


@dataclass
class Dimension:
    """Facts cut together, their classes, and the tests that read them."""

    facts: tuple[str, ...]
    tests: list[Test]
    classes: list[Class] = field(default_factory=list)

    #: Each test's answer for given facts, as the engine gives it (set by :func:`fill`).
    checks: dict[Test, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return " and ".join(self.facts)

    def answer(self, test: Test, facts: Mapping[str, Any]) -> bool | None:
        """What ``test`` answers for an invitation's facts."""
        answer: bool | None = self.checks[test](facts)
        return answer


def test_key(node: CriterionCheck) -> tuple[str, str]:
    """A criterion check's name and parameters, as one hashable key."""
    return node.criterion, json.dumps(dict(node.params), sort_keys=True, default=str)


def policy_tests(policies: Iterable[Policy], registry: Registry) -> dict[tuple[str, str], Test]:
    """Every criterion check of the policies' rules and signals, once each."""
    found: dict[tuple[str, str], Test] = {}
    for policy in policies:
        conditions = [rule.when for rule in policy.rules if rule.when is not None]
        conditions += [signal.when for signal in policy.scoring]
        for condition in conditions:
            for leaf in leaves(condition):
                if not isinstance(leaf, CriterionCheck):
                    continue
                key = test_key(leaf)
                if key in found:
                    continue
                criterion = registry.criteria[leaf.criterion]
                owner = registry.origins[("criterion", leaf.criterion)].plugin
                logic = declared_logic(criterion, owner, leaf.params)
                if (
                    isinstance(logic, OneOf)
                    and logic.reading
                    and logic.reading not in READINGS.get(logic.fact, ())
                ):
                    logic = None  # a reading of a text no sample stands for: nothing known
                facts = tuple(criterion.facts)
                found[key] = Test(leaf.criterion, key[1], logic, facts, dict(leaf.params))
    return found


def _linked(fact: str) -> set[str]:
    """The facts linked to ``fact``, through any chain of links, and itself."""
    group, todo = {fact}, [fact]
    while todo:
        current = todo.pop()
        for link in links():
            for a, b in ((link.fact, link.at_most), (link.at_most, link.fact)):
                if a == current and b not in group:
                    group.add(b)
                    todo.append(b)
    return group


def dimensions(tests: Iterable[Test]) -> list[Dimension]:
    """The dimensions the tests read, each test in the one that holds its fact."""
    groups: list[set[str]] = []
    owners: list[tuple[set[str], Test]] = []
    for test in tests:
        if test.logic is None:
            facts = {f"{test.criterion} {test.params_key}"}  # its own dimension
        elif isinstance(test.logic, Counts):
            facts = _linked(test.logic.fact)
        else:  # the fact it declares, and any other its criterion reads (company, headline)
            facts = {test.logic.fact, *test.facts}
        owners.append((facts, test))
        merged = [group for group in groups if group & facts]
        union = set(facts).union(*merged)
        groups = [group for group in groups if not group & facts] + [union]
    found = []
    for group in groups:
        tests_here = [test for facts, test in owners if facts & group]
        found.append(Dimension(tuple(sorted(group)), tests_here))
    return found


def _ranges(bounds: set[float]) -> list[tuple[float, float | None]]:
    cuts = sorted({0.0, *(b for b in bounds if b > 0)})
    return [(low, cuts[i + 1] if i + 1 < len(cuts) else None) for i, low in enumerate(cuts)]


def range_said(low: float, high: float | None) -> str:
    """A range of numbers in words: ``0``, ``1 to 2``, ``3 or more``."""

    def num(value: float) -> str:
        return f"{value:g}"

    if high is None:
        return f"{num(low)} or more" if low else "any number"
    integral = float(low).is_integer() and float(high).is_integer()
    if integral and high - low == 1:
        return num(low)
    if integral:
        return f"{num(low)} to {num(high - 1)}"
    return f"from {num(low)} to below {num(high)}"


def _number_classes(fact: str, bounds: set[float]) -> list[tuple[Any, str]]:
    kinds = invitation_fields()
    listed = fact in kinds and kinds[fact].kind == "strings"
    out: list[tuple[Any, str]] = [(None, UNKNOWN)]
    for low, high in _ranges(bounds):
        value: Any = int(low) if float(low).is_integer() else low
        if listed:
            value = [f"{fact} {i + 1}" for i in range(int(-(-low // 1)))]
        out.append((value, range_said(low, high)))
        SPANS[fact, range_said(low, high)] = (low, high)
    return out


def _choice_classes(fact: str, tests: list[Test]) -> list[tuple[Any, str]]:
    domain: set[Any] = set()
    for test in tests:
        assert isinstance(test.logic, OneOf)
        domain |= set(test.logic.domain)
    known = bool(tests) and all(
        isinstance(test.logic, OneOf) and test.logic.always_known for test in tests
    )
    # The values no test tells apart stand for each other: one stands for them all.
    by_answer: dict[tuple[bool, ...], list[Any]] = {}
    for value in sorted(domain, key=repr):
        answers = tuple(
            value in test.logic.values for test in tests if isinstance(test.logic, OneOf)
        )
        by_answer.setdefault(answers, []).append(value)
    out: list[tuple[Any, str]] = [] if known else [(None, UNKNOWN)]
    for values in by_answer.values():
        out.append((values[0], " or ".join(json.dumps(v) for v in values)))
    return out or [(None, UNKNOWN)]


def _text_classes(fact: str) -> list[tuple[Any, str]]:
    return [(None, "absent"), *((text, said) for said, text in SAMPLE_TEXTS[fact])]


def _candidates(tests: list[Test]) -> list[str]:
    """Words to try on a text or list fact: each word the tests look for, as written and
    bare, in the plural, lengthened (a prefix), each word of a phrase alone; and words
    none of them is likely to be."""
    found: list[str] = ["-", FILLER]
    for test in tests:
        if not isinstance(test.logic, Mentions) or test.logic.words is None:
            continue
        for word in sorted(test.logic.words):
            bare = word.rstrip("*").strip()
            parts = [word, bare] + (bare.split() if " " in bare else [])
            for part in parts:
                found += [part, part + "s", part + "x", part + "zq"]
    return list(dict.fromkeys(w for w in found if w))


def _mention_classes(fact: str, tests: list[Test], registry: Registry) -> list[tuple[Any, str]]:
    """The classes of a text or list fact that tests look for words in: which tests a
    text can make true, each choice of them with a text that does."""
    kinds = invitation_fields()
    listed = fact in kinds and kinds[fact].kind == "strings"
    checks = [_compiled(test, registry) for test in tests]

    def value(words: tuple[str, ...]) -> Any:
        return list(words) if listed else JOINT.join(words)

    def hits(words: tuple[str, ...]) -> frozenset[int]:
        facts = {fact: value(words)}
        return frozenset(i for i, check in enumerate(checks) if check(facts) is True)

    out: list[tuple[Any, str]] = [(None, UNKNOWN), (value(()), "empty")]
    # Which tests each word makes true; then every union of those a text can reach.
    by_hits: dict[frozenset[int], tuple[str, ...]] = {}
    for word in _candidates(tests):
        by_hits.setdefault(hits((word,)), (word,))
    reached: dict[frozenset[int], tuple[str, ...]] = {}
    for hit, words in by_hits.items():
        for union, more in [(frozenset(), ()), *reached.items()]:
            joined = tuple(dict.fromkeys((*more, *words)))
            if union | hit not in reached and hits(joined) == union | hit:
                reached[union | hit] = joined
            if len(reached) > MAX_WORD_SETS:
                raise TooLarge(
                    f"{fact} is looked at for words by tests that can be true together in "
                    f"more than {MAX_WORD_SETS:,} ways"
                )
    for words in reached.values():
        shown = json.dumps(value(words), ensure_ascii=False)
        out.append((value(words), f"like {shown}"))
    return out


def _opaque_classes(name: str) -> list[tuple[Any, str]]:
    return [(True, "true"), (False, "false"), (None, UNKNOWN)]


def _fact_classes(fact: str, dimension: Dimension, registry: Registry) -> list[tuple[Any, str]]:
    """The classes of one fact of ``dimension``, before they are combined and checked."""
    tests = dimension.tests
    if any(t.logic is None and fact == f"{t.criterion} {t.params_key}" for t in tests):
        return _opaque_classes(fact)
    counts = [t.logic for t in tests if isinstance(t.logic, Counts)]
    here = [t for t in tests if t.logic is not None and fact in (t.logic.fact, *t.facts)]
    kinds = {type(t.logic).__name__ for t in here} | ({"Counts"} if counts else set())
    if len(kinds) > 1:
        raise TooLarge(
            f"{fact} is tested as {' and as '.join(sorted(kinds))}, which the search cannot "
            "cut together"
        )
    if counts:  # every fact of a linked group is cut at every bound of the group
        bounds: set[float] = set()
        for logic in counts:
            bounds.add(float(logic.at_least))
            if logic.below is not None:
                bounds.add(float(logic.below))
        return _number_classes(fact, bounds)
    if any(isinstance(t.logic, Mentions) for t in here):
        return _mention_classes(fact, here, registry)
    if any(isinstance(t.logic, OneOf) and t.logic.reading for t in here):
        return _text_classes(fact)
    return _choice_classes(fact, here)


def fill(dimension: Dimension, registry: Registry) -> None:
    """Give ``dimension`` its classes: the combinations of its facts' classes that an
    invitation can have, each with every test's answer; classes that answer alike merged."""
    per_fact = [_fact_classes(fact, dimension, registry) for fact in dimension.facts]
    checks = {test: _compiled(test, registry) for test in dimension.tests}
    dimension.checks = {test: _compiled(test, registry, real=True) for test in dimension.tests}
    by_answers: dict[tuple[bool | None, ...], Class] = {}
    count = 0
    for combination in itertools.product(*per_fact):
        count += 1
        if count > MAX_CLASSES * 50:
            raise TooLarge(
                f"{dimension.name} take more than {MAX_CLASSES * 50:,} combinations of "
                "values: the policies test these facts at too many bounds"
            )
        facts = {
            fact: value
            for fact, (value, _) in zip(dimension.facts, combination, strict=True)
            if value is not None
        }
        if broken(facts):
            continue  # no invitation has these facts: the schema's links forbid it
        said = tuple(text for _, text in combination)
        values = {test: checks[test](facts) for test in dimension.tests}
        answers = tuple(values[test] for test in dimension.tests)
        if answers in by_answers:
            by_answers[answers].also.append(said)
            continue
        by_answers[answers] = Class(facts, said, values)
    dimension.classes = list(by_answers.values())
    if len(dimension.classes) > MAX_CLASSES:
        raise TooLarge(
            f"{dimension.name} is cut into {len(dimension.classes)} classes by the bounds the "
            f"policies test, more than the {MAX_CLASSES} a search can take"
        )


def _compiled(test: Test, registry: Registry, *, real: bool = False) -> Any:
    """The test's answer for given facts, as the engine's criterion leaf gives it.

    A criterion that declares nothing answers, unless ``real``, what the facts
    say under its own name: the search makes it answer each way. A criterion
    that fails, or answers other than true, false or None, is a
    :class:`~invpolicy.errors.PluginError`, as in the engine.
    """
    if test.logic is None and not real:
        name = f"{test.criterion} {test.params_key}"
        return lambda facts: facts.get(name)
    criterion = registry.criteria[test.criterion]
    owner = registry.origins[("criterion", test.criterion)].plugin
    what = f"criterion '{test.criterion}' of plugin {owner}"
    try:
        check = criterion.compile(test.params)
    except Exception as exc:
        raise PluginError(f"{what} failed to compile: {type(exc).__name__}: {exc}") from exc
    settle = settler(test.logic)

    def answer(facts: Mapping[str, Any]) -> bool | None:
        try:
            result = check(facts)
        except Exception as exc:
            raise PluginError(f"{what} failed: {type(exc).__name__}: {exc}") from exc
        if result is None and settle is not None:
            settled = settle(facts)
            if settled is not None:
                return settled[0]
        if result is not None and result is not True and result is not False:
            raise PluginError(f"{what} returned {type(result).__name__}, not true, false or None")
        return result

    return answer
