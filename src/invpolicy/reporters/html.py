"""One self-contained HTML page for ``decide`` and ``compare``: ``--format html``.

The page loads nothing: its style and script are inline, and its Content
Security Policy forbids every fetch and lets only its own script run (by
hash), so that text from an invitation can never become code even if it
slipped past the escaping. Every piece of that text goes through Jinja's
autoescaping; the DOM ids and the script's data attributes are numbers.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from invpolicy.engine.explain import decision_notes
from invpolicy.plugins.contract import DECISIONS
from invpolicy.reporters.base import decision_counts, report_title, skipped_text

if TYPE_CHECKING:
    from jinja2 import Environment

    from invpolicy.engine.decision import Decision, Reply, Score
    from invpolicy.engine.runner import Report, Row

#: Meanings of the decisions, shown as the legend's tooltips.
MEANINGS = {
    "accept": "accept the invitation",
    "accept_limited": "accept, with a restricted view of your profile",
    "ask": "send a message without accepting",
    "decline": "refuse, with a reply",
    "ignore": "leave it unanswered",
    "defer": "decide later",
}


@dataclass(frozen=True)
class Cell:
    """One decision as the page shows it; ``key`` names its detail in the DOM."""

    key: str
    decision: Decision
    css: str
    notes: tuple[str, ...]
    score: str
    explanation: tuple[tuple[int, str], ...]
    reply: Reply | None
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Line:
    """One invitation: its cells in the order of the policies."""

    row: Row
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Agreement:
    """One cell of the agreement heatmap."""

    share: float
    label: str
    background: str
    dark: bool


def render_report(
    report: Report, *, replies: bool, explain_lines: Callable[[Decision], list[str]]
) -> str:
    """The report as one complete HTML document that needs no network.

    ``report.rows`` is read once. ``explain_lines`` gives the lines of the
    rule-by-rule explanation of a decision; ``replies`` shows the drafted replies.
    """
    from invpolicy.version import __version__

    env = _environment()
    rows = list(report.rows)
    names = report.policy_names
    lines = [_line(i, row, names, replies, explain_lines) for i, row in enumerate(rows)]
    summary = report.summary
    script = _source(env, "report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return env.get_template("report.html.j2").render(
        title=report_title(report),
        policies=[p.policy for p in report.policies],
        lines=lines,
        summary=summary,
        skipped=skipped_text(report),
        only_disagreements=report.only_disagreements,
        what_if=report.what_if,
        decisions=[(d, MEANINGS[d]) for d in DECISIONS],
        counts={name: _counts(summary.decisions[name]) for name in names},
        matrix=_matrix(report) if len(names) > 1 and summary.invitations else None,
        scored=any(c.decision.score is not None for line in lines for c in line.cells),
        answered=any(c.decision.on_follow_up for line in lines for c in line.cells),
        version=__version__,
        script=script,
        script_hash=f"sha256-{digest}",
    )


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        # The templates are files of this package, beside this module.
        loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _source(env: Environment, name: str) -> str:
    # Read as it is, not rendered: the page's CSP names the script by its hash.
    assert env.loader is not None
    text, _, _ = env.loader.get_source(env, name)
    return text


def _line(
    index: int,
    row: Row,
    names: list[str],
    replies: bool,
    explain_lines: Callable[[Decision], list[str]],
) -> Line:
    cells = []
    for column, name in enumerate(names):
        d = row.decisions[name]
        cells.append(
            Cell(
                key=f"detail-{index}-{column}",
                decision=d,
                css=_css(d.decision),
                notes=decision_notes(d),
                score=_score_text(d.score) if d.score is not None else "",
                explanation=tuple(_indented(line) for line in explain_lines(d)),
                reply=d.reply if replies else None,
                changes=tuple(c.describe() for c in row.changes_for(name)),
            )
        )
    return Line(row, tuple(cells))


def _score_text(score: Score) -> str:
    text = f"{score.total:g} pts"
    if score.low != score.high:
        text += (
            f", could still reach {score.low:g} to {score.high:g} once the missing facts are known"
        )
    return text


def _indented(line: str) -> tuple[int, str]:
    """A line's indent apart from its text, so that a wrapped line hangs under its own start."""
    text = line.lstrip(" ")
    return len(line) - len(text), text


def _percent(share: float) -> str:
    """A share as the page shows it: ``0.357`` is "36%"."""
    return f"{round(share * 100)}%"


def _css(decision: str) -> str:
    """The CSS class that colours a decision; ``error`` and the like share one."""
    return f"d-{decision}" if decision in DECISIONS else "d-other"


def _counts(counter: dict[str, int]) -> list[tuple[str, int, str]]:
    """(decision, count, CSS class) in the order of the legend, then any others."""
    return [(d, n, _css(d)) for d, n in decision_counts(counter)]


def _matrix(report: Report) -> dict[str, dict[str, Agreement]]:
    """Each pair's agreement; only called once some invitation was decided."""
    names = report.policy_names
    return {a: {b: _agreement(report.summary.agreement(a, b) or 0.0) for b in names} for a in names}


def _agreement(share: float) -> Agreement:
    # From a pale to a deep blue; white text once the blue is dark enough.
    lightness = 96 - 60 * share
    return Agreement(share, _percent(share), f"hsl(212 72% {lightness:.0f}%)", lightness < 62)
