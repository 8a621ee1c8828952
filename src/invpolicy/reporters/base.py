"""The base of every output format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, ClassVar

from invpolicy.plugins.contract import DECISIONS

if TYPE_CHECKING:
    from invpolicy.authoring.diff.differ import Diff
    from invpolicy.authoring.lint import Finding
    from invpolicy.authoring.policytest import TestReport
    from invpolicy.authoring.validate import Validation
    from invpolicy.engine.runner import Report
    from invpolicy.loading.catalog import PolicyEntry
    from invpolicy.model.policy import Policy
    from invpolicy.plugins.registry import Registry

DECISION_STYLES = {
    "accept": "green",
    "accept_limited": "cyan",
    "ask": "yellow",
    "decline": "red",
    "ignore": "dim",
    "defer": "magenta",
    "error": "bold white on red",
}


class Reporter:
    """Base of the output formats; ``name`` is the value of ``--format``.

    A command writes one kind of output (:data:`invpolicy.reporters.KINDS`)
    through the method of that name. A format implements the methods of the
    kinds it writes, as :data:`invpolicy.reporters.FORMATS` declares; a
    command offers only the formats that write its kind, so the others are
    never called.
    """

    name: ClassVar[str]

    def __init__(
        self,
        stream: IO[str],
        *,
        replies: bool = True,
        explain: bool = False,
        long: bool = False,
        color: bool | None = None,
    ) -> None:
        self.stream = stream
        self.replies = replies
        self.explain = explain
        self.long = long
        #: None: colour only when the stream is a terminal.
        self.color = color

    def _refuse(self, kind: str) -> TypeError:
        return TypeError(f"--format {self.name} does not write {kind}")

    def decisions(self, report: Report) -> None:
        """Write what each policy decided for each invitation, then the summary.

        ``report.rows`` may be read once only.
        """
        raise self._refuse("decisions")

    def policies(self, entries: list[PolicyEntry], registry: Registry) -> None:
        """Write the installed policies (each one validated against ``registry``)."""
        raise self._refuse("a list of policies")

    def plugins(self, registry: Registry) -> None:
        """Write the installed criteria and reply generators."""
        raise self._refuse("a list of plugins")

    def findings(self, findings: Sequence[Finding], policies: int) -> None:
        """Write what ``invpolicy lint`` found in ``policies`` policies."""
        raise self._refuse("lint findings")

    def tests(
        self,
        report: TestReport,
        min_coverage: float | None,
        *,
        quiet: bool = False,
        verbose: bool = False,
    ) -> None:
        """Write what ``invpolicy test`` found: failures, coverage, the total."""
        raise self._refuse("test results")

    def validation(self, results: Sequence[Validation]) -> None:
        """Write which policy files are valid, and every problem of the others."""
        raise self._refuse("validation results")

    def policy(self, policy: Policy, data: dict[str, Any]) -> None:
        """Write ``policy``, flattened, as ``data`` (a policy file's content)."""
        raise self._refuse("a policy")

    def diff(self, diff: Diff) -> None:
        """Write where two policies decide differently (``invpolicy diff``)."""
        raise self._refuse("a diff")


def report_title(report: Report) -> str:
    """ "strong-ties-only: Strong ties only" for one policy; "3 policies compared" for more."""
    if len(report.policies) == 1:
        policy = report.policies[0].policy
        return f"{policy.name}: {policy.title}"
    return f"{len(report.policies)} policies compared"


def skipped_text(report: Report) -> str:
    """What the input left out: "2 outgoing, 1 already connected"; empty for nothing."""
    return ", ".join(f"{n} {why}" for why, n in report.skipped.items())


def input_notes(report: Report) -> list[str]:
    """What the input left out, and which rows are shown."""
    notes = []
    if report.skipped:
        notes.append(f"Not decided: {skipped_text(report)}.")
    if report.only_disagreements:
        shown = report.summary.invitations - report.summary.agreed
        notes.append(
            f"Showing the {shown} invitations on which the policies disagree "
            f"(of {report.summary.invitations})."
        )
    return notes


def decision_counts(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """``(decision, count)`` for one policy, in the order of ``DECISIONS``, then any other.

    Another decision (``error``, when a plugin failed) comes after, by name;
    decisions never made are left out.
    """
    others = sorted(d for d in counts if d not in DECISIONS)
    return [(d, counts[d]) for d in [*DECISIONS, *others] if counts.get(d)]
