"""Run the worked examples of policies and test files: ``invpolicy test`` as a library.

A policy's examples are written in its ``examples`` section, or in a test file
(``NAME.test.yaml``) that names the policy. Each example is decided with the
trace on; it passes when the decision, and the rule and reply generator it
names, are those the policy gives. A rule is *exercised* when it decided at
least one example, whether that example passed or not: coverage says which
rules the examples reach, the failures say which ones they get wrong.

    from invpolicy.plugins.registry import Registry
    from invpolicy.authoring.policytest import run_tests

    report = run_tests(["policies/"], Registry.default())
    assert report.ok(min_coverage=100), report.problems
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.errors import InvpolicyError, PluginError, Problem
from invpolicy.frozen import frozen
from invpolicy.io.document import Document
from invpolicy.io.files import open_problem
from invpolicy.loading.catalog import (
    active_policies,
    find_policy,
    looks_like_path,
    policy_files,
    resolve_policy,
    unknown_name,
)
from invpolicy.loading.testfile import TEST_SUFFIXES, is_test_file

if TYPE_CHECKING:
    from invpolicy.engine.decision import Decision
    from invpolicy.model.policy import Example, Policy
    from invpolicy.plugins.registry import Registry


@frozen
class ExampleResult:
    """One example, decided: ``decision`` is None when a plugin failed (``error`` says how)."""

    example: Example
    decision: Decision | None
    error: str = ""

    @property
    def passed(self) -> bool:
        """Whether the policy decided as the example expects."""
        d, ex = self.decision, self.example
        if d is None:
            return False
        generator = d.reply.generator if d.reply else None
        return (
            d.decision == ex.decision
            and (ex.rule is None or ex.rule == d.rule)
            and (not ex.expects_generator or ex.generator == generator)
        )

    def expected(self) -> str:
        """What the example wants: ``decline by rule no-strong-tie with reply short_decline``."""
        ex = self.example
        by = f" by rule {ex.rule}" if ex.rule is not None else ""
        return ex.decision + by + (_with_reply(ex.generator) if ex.expects_generator else "")

    def got(self) -> str:
        """What the policy decided, told as :meth:`expected` tells what was wanted."""
        if self.decision is None:
            return f"plugin error: {self.error}"
        d = self.decision
        reply = _with_reply(d.reply.generator if d.reply else None)
        return f"{d.decision} by rule {d.rule}" + (reply if self.example.expects_generator else "")


def _with_reply(generator: str | None) -> str:
    return f" with reply {generator}" if generator else " with no reply"


@frozen
class PolicyResult:
    """The examples of one policy, run, and the rules they exercised."""

    policy: Policy
    results: tuple[ExampleResult, ...]

    @property
    def name(self) -> str:
        return self.policy.name

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    @property
    def exercised(self) -> tuple[str, ...]:
        """The rules that decided at least one example, in the policy's order."""
        fired = {r.decision.rule for r in self.results if r.decision is not None}
        return tuple(rule.id for rule in self.policy.rules if rule.id in fired)

    @property
    def not_exercised(self) -> tuple[str, ...]:
        """The rules that no example reached."""
        fired = set(self.exercised)
        return tuple(rule.id for rule in self.policy.rules if rule.id not in fired)

    @property
    def coverage(self) -> float:
        """The share of the rules exercised, in percent."""
        return 100 * len(self.exercised) / len(self.policy.rules)

    def to_json(self, min_coverage: float | None = None) -> dict[str, Any]:
        return {
            "policy": self.name,
            "path": self.policy.path,
            "passed": self.passed,
            "failed": self.failed,
            "rules": len(self.policy.rules),
            "exercised": list(self.exercised),
            "not_exercised": list(self.not_exercised),
            "coverage": self.coverage,
            "below_min_coverage": min_coverage is not None and self.coverage < min_coverage,
            "examples": [
                {
                    "name": r.example.name,
                    "at": str(r.example.at),
                    "passed": r.passed,
                    "expected": r.expected(),
                    "got": r.got(),
                    "decision": r.decision.to_json() if r.decision is not None else None,
                }
                for r in self.results
            ],
        }


@frozen
class TestReport:
    """What a run found: each policy's results, and the files that could not be run."""

    __test__ = False  # a library class, not one for pytest to collect

    policies: tuple[PolicyResult, ...]
    problems: tuple[Problem, ...] = ()

    def failures(self) -> list[tuple[PolicyResult, ExampleResult]]:
        """Every failing example, with its policy."""
        return [(p, r) for p in self.policies for r in p.results if not r.passed]

    def below(self, min_coverage: float | None) -> list[PolicyResult]:
        """The policies whose rule coverage is below ``min_coverage`` percent."""
        if min_coverage is None:
            return []
        return [p for p in self.policies if p.coverage < min_coverage]

    def ok(self, min_coverage: float | None = None) -> bool:
        """True when every file was run, every example passed and coverage is enough."""
        return not (self.problems or self.failures() or self.below(min_coverage))

    def to_json(self, min_coverage: float | None = None) -> dict[str, Any]:
        return {
            "ok": self.ok(min_coverage),
            "min_coverage": min_coverage,
            "policies": [p.to_json(min_coverage) for p in self.policies],
            "problems": [problem.to_json() for problem in self.problems],
        }


def run_tests(targets: Sequence[str | Path], registry: Registry) -> TestReport:
    """Run the examples that ``targets`` name; with no target, every installed policy's.

    A target is a policy (a path or an installed name: its examples, and
    ``STEM.test.yaml`` or ``STEM.test.yml`` beside it), a test file (its
    examples, against its policy), or a folder (every policy and test file
    directly in it; sub-folders are not searched). A file that cannot be read
    or does not validate is a problem of the report; the others still run.
    """
    plan = _Plan(registry)
    if not targets:
        targets = [entry.path for entry in active_policies(registry)]
    for target in targets:
        plan.add(target)
    return plan.run()


@dataclass
class _Entry:
    """A policy to run: its own examples (``own``) and those of test files."""

    policy: Policy | None
    own: bool = False
    examples: list[Example] = field(default_factory=list)


class _Plan:
    """The policies and test files a run reaches, each read once however it was named."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.entries: dict[Path, _Entry] = {}
        self.test_files: set[Path] = set()
        self.problems: list[Problem] = []

    def add(self, target: str | Path) -> None:
        path = Path(target)
        if path.is_dir():
            self._folder(path)
        elif path.is_file():
            self._file(path)
        else:
            try:
                resolved = resolve_policy(target, self.registry)
            except InvpolicyError as exc:
                self.problems.extend(exc.problems)
                return
            self._policy(resolved, own=True)

    def _file(self, path: Path) -> None:
        """A file named in the run: a test file by its name or its content, else a policy.

        The file is read once: its document goes to the test file or the policy.
        """
        from invpolicy.io.safeload import load_document

        if is_test_file(path):
            self._test_file(path)
            return
        if path.resolve() in self.entries:
            self._policy(path, own=True)  # already read, as the policy of a test file
            return
        try:
            doc = load_document(path)
        except InvpolicyError as exc:
            self.problems.extend(exc.problems)
            return
        if is_test_file(path, doc.data):
            self._test_file(path, doc)
        else:
            self._policy(path, own=True, doc=doc)

    def _folder(self, folder: Path) -> None:
        try:
            files = policy_files(folder, tests=True)
        except OSError as exc:
            self.problems.append(open_problem(str(folder), exc))
            return
        if not files:
            self.problems.append(
                Problem(str(folder), 1, 1, "no policy or test file here (*.yaml, *.yml)")
            )
        for file in files:
            self._file(file)

    def _policy(self, path: Path, *, own: bool, doc: Document | None = None) -> _Entry:
        key = path.resolve()
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = _Entry(self._read(path, doc))
        if own and not entry.own:
            entry.own = True
            for suffix in TEST_SUFFIXES:
                beside = path.with_name(path.stem + suffix)
                if beside.is_file():
                    self._test_file(beside)
        return entry

    def _read(self, path: Path, doc: Document | None = None) -> Policy | None:
        from invpolicy.loading.parse import parse_policy, read_policy

        try:
            if doc is not None:
                return parse_policy(doc, self.registry, stem=path.stem)
            return read_policy(path, self.registry)
        except InvpolicyError as exc:
            self.problems.extend(exc.problems)
        except PluginError as exc:
            self.problems.append(Problem(str(path), 1, 1, f"plugin error: {exc}"))
        return None

    def _test_file(self, path: Path, doc: Document | None = None) -> None:
        from invpolicy.io.safeload import load_document
        from invpolicy.loading.build import read_examples
        from invpolicy.loading.semantics import example_problems
        from invpolicy.resources import validator
        from invpolicy.schema.check import check

        key = path.resolve()
        if key in self.test_files:
            return
        self.test_files.add(key)
        if doc is None:
            try:
                doc = load_document(path)
            except InvpolicyError as exc:
                self.problems.extend(exc.problems)
                return
        problems = check(validator("policy", "test_file"), doc.data, doc)
        if not isinstance(doc.data, dict) or problems:
            self.problems.extend(problems)
            return
        problems = example_problems(doc)
        try:
            policy_path = _policy_of(doc, self.registry)
        except InvpolicyError as exc:
            problems.extend(exc.problems)
        if problems:
            self.problems.extend(sorted(problems))
            return
        entry = self._policy(policy_path, own=False)
        if entry.policy is None:
            self.problems.append(
                doc.problem(
                    ("policy",),
                    f"policy: '{doc.data['policy']}' does not validate: "
                    "the examples of this file were not run",
                )
            )
            return
        examples, problems = read_examples(doc, entry.policy)
        if problems:
            self.problems.extend(problems)
            return
        entry.examples.extend(examples)

    def run(self) -> TestReport:
        results = []
        for entry in self.entries.values():
            # A policy reached only through test files that could not run has nothing to run.
            if entry.policy is None or not (entry.own or entry.examples):
                continue
            examples = [*(entry.policy.examples if entry.own else ()), *entry.examples]
            try:
                compiled = CompiledPolicy(entry.policy, self.registry)
            except PluginError as exc:
                self.problems.append(Problem(entry.policy.path, 1, 1, f"plugin error: {exc}"))
                continue
            outcomes = []
            for example in examples:
                try:
                    decision = compiled.decide(example.invitation, explain=True)
                except PluginError as exc:
                    outcomes.append(ExampleResult(example, None, str(exc)))
                else:
                    outcomes.append(ExampleResult(example, decision))
            results.append(PolicyResult(entry.policy, tuple(outcomes)))
        return TestReport(tuple(results), tuple(self.problems))


def _policy_of(doc: Document, registry: Registry) -> Path:
    """The policy file a test file names: a path relative to it, or a name.

    A name is first looked for beside the test file (``NAME.yaml``), so that a
    test file kept with its policy tests that file even when an installed
    policy has the same name; then among the installed policies.
    """
    ref: str = doc.data["policy"]
    here = Path(doc.path).parent
    if looks_like_path(ref):
        if (here / ref).is_file():
            return here / ref
        raise InvpolicyError(doc.problem(("policy",), f"policy: no such file: {here / ref}"))
    found = find_policy(ref, registry, beside=here, beside_first=True)
    if found is not None:
        return found
    raise InvpolicyError(
        doc.problem(
            ("policy",),
            f"policy: no file {ref}.yaml beside this one, and "
            f"{unknown_name(ref, registry, listing=False)}",
        )
    )
