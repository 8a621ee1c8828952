"""``--format text``: plain lines, for ``lint``, ``test`` and ``validate``.

Each finding or problem is one ``path:line:col: ...`` line, so that an editor
or a CI log links it to its place. Problems that stop a file from being read
go to stderr, what was checked to the report's stream; they are printed as
every command prints problems (:func:`~invpolicy.errors.problem_lines`: each
thing said once, at most ``--max-problems`` lines).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from invpolicy.engine.explain import explanation_lines
from invpolicy.errors import problem_lines
from invpolicy.reporters.base import Reporter
from invpolicy.text import counted, one_line

if TYPE_CHECKING:
    from invpolicy.authoring.lint import Finding
    from invpolicy.authoring.policytest import ExampleResult, PolicyResult, TestReport
    from invpolicy.authoring.validate import Validation


class TextReporter(Reporter):
    """One line per finding, failure or problem."""

    name = "text"

    def _line(self, text: str = "", *, error: bool = False) -> None:
        (sys.stderr if error else self.stream).write(text + "\n")

    def findings(self, findings: Sequence[Finding], policies: int) -> None:
        for finding in findings:
            self._line(str(finding))

    def tests(
        self,
        report: TestReport,
        min_coverage: float | None,
        *,
        quiet: bool = False,
        verbose: bool = False,
    ) -> None:
        for line in problem_lines(report.problems):
            self._line(line, error=True)
        for policy, result in report.failures():
            self._line("\n".join(failure_lines(policy, result)))
        low = {p.name for p in report.below(min_coverage)}
        for policy in report.policies:
            if verbose:
                for line in passing_lines(policy):
                    self._line(line)
            if not quiet:
                self._line(summary_line(policy))
            if policy.name in low:
                self._line(
                    f"{policy.name}: rule coverage {percent(policy.coverage)} is below "
                    f"--min-coverage {percent(min_coverage or 0)}"
                )
        self._line(total_line(report, min_coverage))

    def validation(self, results: Sequence[Validation]) -> None:
        for result in results:
            if result.policy is not None:
                policy = result.policy
                rules = counted(len(policy.rules), "rule")
                self._line(f"{policy.path}: valid ({policy.name}, {rules})")
        problems = [problem for result in results for problem in result.problems]
        for line in problem_lines(problems):
            self._line(line, error=True)


# --- a test run as lines ------------------------------------------------------


def failure_lines(policy: PolicyResult, result: ExampleResult) -> list[str]:
    """A failing example at its place in its file, then the explanation of the decision."""
    head = (
        f"{result.example.at}: policy {policy.name}, example '{result.example.name}': "
        f"expected {result.expected()}, got {result.got()}"
    )
    if result.decision is None:
        return [one_line(head)]
    lines = [head, *("    " + line for line in explanation_lines(result.decision))]
    if result.decision.missing:
        lines.append(f"    missing facts: {', '.join(result.decision.missing)}")
    # Names and facts come from the file: each line stays one inert line.
    return [one_line(line) for line in lines]


def percent(value: float) -> str:
    """``80%``; ``66.6%`` (rounded down, so that it never shows more than was reached)."""
    return f"{math.floor(value * 10) / 10:g}%"


def summary_line(policy: PolicyResult) -> str:
    """``NAME: 5 passed, 1 failed; rules exercised 4/5 (80%); not exercised: talked-before``."""
    counts = f"{policy.passed} passed, {policy.failed} failed" if policy.results else "no examples"
    covered = (
        f"rules exercised {len(policy.exercised)}/{len(policy.policy.rules)} "
        f"({percent(policy.coverage)})"
    )
    rest = f"; not exercised: {', '.join(policy.not_exercised)}" if policy.not_exercised else ""
    return f"{policy.name}: {counts}; {covered}{rest}"


def total_line(report: TestReport, min_coverage: float | None = None) -> str:
    """The whole run in one line."""
    examples = sum(len(p.results) for p in report.policies)
    failed = len(report.failures())
    parts = [
        counted(len(report.policies), "policy", "policies"),
        counted(examples, "example", "examples"),
        f"{examples - failed} passed, {failed} failed",
    ]
    line = ", ".join(parts[:2]) + ": " + parts[2]
    low = len(report.below(min_coverage))
    if low:
        below = percent(min_coverage or 0)
        line += f"; {counted(low, 'policy', 'policies')} below {below} coverage"
    files = len({p.path for p in report.problems})
    if files:
        line += f"; {counted(files, 'file', 'files')} with problems"
    return line


def passing_lines(policy: PolicyResult) -> Iterable[str]:
    """One line per passing example, for ``--verbose``."""
    for result in policy.results:
        if result.passed and result.decision is not None:
            d = result.decision
            yield one_line(
                f"{result.example.at}: ok: policy {policy.name}, example "
                f"'{result.example.name}': {d.decision} by rule {d.rule}"
            )
