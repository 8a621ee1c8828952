"""``--format text``: plain lines, for ``lint``, ``test`` and ``validate``.

Each finding or problem is one ``path:line:col: ...`` line, so that an editor
or a CI log links it to its place. Problems that stop a file from being read
go to stderr, what was checked to the report's stream.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from invpolicy.reporters.base import Reporter

if TYPE_CHECKING:
    from invpolicy.authoring.lint import Finding
    from invpolicy.authoring.policytest import TestReport
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
        from invpolicy.authoring.policytest import (
            failure_lines,
            passing_lines,
            percent,
            summary_line,
            total_line,
        )

        for problem in report.problems:
            self._line(str(problem), error=True)
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
        from invpolicy.text import counted

        for result in results:
            if result.policy is not None:
                policy = result.policy
                rules = counted(len(policy.rules), "rule")
                self._line(f"{policy.path}: valid ({policy.name}, {rules})")
