"""Decide a batch of invitations with one or more policies.

Rows are made one at a time, so that a large input streams: :func:`compare_stream`
gives a :class:`Report` whose rows are decided while they are read, and whose
:class:`Summary` is complete once they have all been read. :func:`compare`
keeps every row, for Python callers who want them all at hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from invpolicy.engine.compiled import ERROR, CompiledPolicy
from invpolicy.engine.decision import Decision
from invpolicy.engine.timeout import DEFAULT_SECONDS, Limit, PluginTimeout, current
from invpolicy.errors import InvpolicyError, PluginError, Problem
from invpolicy.frozen import frozen
from invpolicy.model.invitation import Invitation

if TYPE_CHECKING:
    # Imported when --what-if asks for it: most runs never do.
    from invpolicy.engine.whatif import Change


@frozen
class Row:
    """One invitation, what each policy decided for it, and what would change a decision."""

    invitation: Invitation
    decisions: dict[str, Decision]
    changes: tuple[Change, ...] = ()

    @property
    def agree(self) -> bool:
        """True when every policy reached the same decision."""
        return len({d.decision for d in self.decisions.values()}) <= 1

    @property
    def lacks_facts(self) -> bool:
        """True when some decision was made without a fact it would have read."""
        return any(d.missing for d in self.decisions.values())

    @property
    def lacked(self) -> list[str]:
        """The facts that some decision lacked, each once, in the order they were missed."""
        return list(dict.fromkeys(f for d in self.decisions.values() for f in d.missing))

    def changes_for(self, policy: str) -> tuple[Change, ...]:
        """The changes that would turn the decision of the policy named ``policy``, in order."""
        return tuple(change for change in self.changes if change.policy == policy)

    def to_json(self, *, what_if: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "invitation": self.invitation.id,
            "name": self.invitation.name,
            "agree": self.agree,
            "decisions": {name: d.to_json() for name, d in self.decisions.items()},
        }
        if what_if:
            data["what_if"] = [change.to_json() for change in self.changes]
        return data


class Summary:
    """Counts kept as rows go by: decisions per policy, and agreement per pair of policies."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self.invitations = 0
        self.agreed = 0
        self.decisions: dict[str, Counter[str]] = {name: Counter() for name in names}
        #: Why each decision that could not be made failed (a plugin broke).
        self.errors: list[str] = []
        self._pairs: Counter[tuple[str, str]] = Counter()

    def add(self, row: Row) -> None:
        """Count one row."""
        self.invitations += 1
        self.agreed += row.agree
        for name, decision in row.decisions.items():
            self.decisions[name][decision.decision] += 1
            if decision.error is not None:
                self.errors.append(decision.error)
        for a, b in combinations(self.names, 2):
            if row.decisions[a].decision == row.decisions[b].decision:
                self._pairs[a, b] += 1

    def agreement(self, a: str, b: str) -> float | None:
        """The share of invitations on which ``a`` and ``b`` decide alike; None with none."""
        if not self.invitations:
            return None
        if a == b:
            return 1.0
        pair = (a, b) if self.names.index(a) < self.names.index(b) else (b, a)
        return round(self._pairs[pair] / self.invitations, 4)

    def to_json(self) -> dict[str, Any]:
        return {
            "invitations": self.invitations,
            "agreed": self.agreed,
            "decisions": {name: dict(sorted(c.items())) for name, c in self.decisions.items()},
            "agreement": {
                a: {b: self.agreement(a, b) for b in self.names if b != a} for a in self.names
            },
            "errors": list(self.errors),
        }


@dataclass
class Report:
    """The decisions of several policies on several invitations.

    ``rows`` may be read once only (see :func:`compare_stream`); ``summary``
    counts every invitation decided, shown or not, once the rows are read.
    ``skipped`` counts what the input left out, such as outgoing invitations.
    """

    policies: tuple[CompiledPolicy, ...]
    rows: Iterable[Row]
    summary: Summary
    what_if: bool = False
    only_disagreements: bool = False
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def policy_names(self) -> list[str]:
        return [policy.name for policy in self.policies]

    def json_parts(self) -> Iterator[tuple[str, Any]]:
        """The keys of the JSON document in order; ``results`` lazily, row by row.

        ``summary`` is made only once the results before it have been read.
        """
        yield "policies", self.policy_names
        yield "results", (row.to_json(what_if=self.what_if) for row in self.rows)
        yield "summary", self.summary.to_json()
        yield "skipped", dict(self.skipped)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``decide`` and ``compare``."""
        parts = self.json_parts()
        return {key: list(value) if key == "results" else value for key, value in parts}


def compare_stream(
    invitations: Iterable[Invitation],
    policies: Sequence[CompiledPolicy],
    *,
    explain: bool = False,
    what_if: bool = False,
    only_disagreements: bool = False,
    plugin_timeout: float | None = DEFAULT_SECONDS,
) -> Report:
    """Decide every invitation with every policy, one row at a time as ``rows`` is read.

    Each call of a plugin that is not built in may take ``plugin_timeout``
    seconds (``0`` or ``None``: no limit); one that takes longer gives that
    decision the decision ``error`` and its plugin is switched off for the rest
    of the run (:mod:`invpolicy.engine.timeout`).

    With ``what_if``, rows whose decisions lacked facts or disagree say which
    single facts would change a decision. With ``only_disagreements``, rows on
    which every policy agrees are counted in the summary but not given.
    """
    seen: set[str] = set()
    for policy in policies:
        if policy.name in seen:
            raise InvpolicyError(
                Problem(policy.policy.path, 1, 1, f"two policies are named '{policy.name}'")
            )
        seen.add(policy.name)
    summary = Summary([p.name for p in policies])
    limit = Limit(plugin_timeout)
    rows = _rows(invitations, policies, summary, explain, what_if, only_disagreements, limit)
    return Report(tuple(policies), rows, summary, what_if, only_disagreements)


def _rows(
    invitations: Iterable[Invitation],
    policies: Sequence[CompiledPolicy],
    summary: Summary,
    explain: bool,
    what_if: bool,
    only_disagreements: bool,
    limit: Limit,
) -> Iterator[Row]:
    for invitation in invitations:
        with current(limit):
            decisions = {p.name: _decide(p, invitation, explain, limit) for p in policies}
        row = Row(invitation, decisions)
        summary.add(row)
        if only_disagreements and row.agree:
            continue
        if what_if and (row.lacks_facts or not row.agree):
            changes = [
                change
                for p in policies
                for change in _changes(p, invitation, row.decisions[p.name], limit)
            ]
            row = Row(invitation, row.decisions, tuple(changes))
        yield row


def _decide(
    policy: CompiledPolicy, invitation: Invitation, explain: bool, limit: Limit
) -> Decision:
    """The policy's decision, or an ``error`` decision naming the plugin that failed.

    One plugin failing on one invitation does not stop the others from being
    decided; the summary keeps the error, for the caller to report.
    """
    try:
        return policy.decide(invitation, explain=explain)
    except (PluginError, PluginTimeout) as exc:
        if isinstance(exc, PluginTimeout):
            limit.switch_off(exc.plugin)
            exc = PluginError(f"{exc} (policy '{policy.name}', invitation '{invitation.id}')")
        return Decision(
            policy=policy.name,
            invitation=invitation.id,
            decision=ERROR,
            rule="",
            reply=None,
            missing=(),
            error=str(exc),
        )


def _changes(
    policy: CompiledPolicy, invitation: Invitation, decision: Decision, limit: Limit
) -> list[Change]:
    if decision.error is not None:
        return []
    from invpolicy.engine.whatif import what_would_change

    try:
        with current(limit):
            return what_would_change(policy, invitation, decision)
    except PluginTimeout as exc:
        limit.switch_off(exc.plugin)
        return []
    except PluginError:
        # The plugin fails with other facts: no change can be promised.
        return []


def compare(
    invitations: Iterable[Invitation], policies: Sequence[CompiledPolicy], **options: bool
) -> Report:
    """Like :func:`compare_stream` (same options), with every row decided and kept in ``rows``."""
    report = compare_stream(invitations, policies, **options)
    report.rows = tuple(report.rows)
    return report
