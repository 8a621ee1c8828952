"""One self-contained HTML page for ``decide`` and ``compare``: ``--format html``.

The page loads nothing: its style and script are inline, and its Content
Security Policy forbids every fetch and lets only its own script run (by
hash), so that text from an invitation can never become code even if it
slipped past the escaping. Every piece of that text goes through Jinja's
autoescaping; the DOM ids and the script's data attributes are numbers.

The page is written as the rows are read (:func:`write_report`): each row,
with its cells' explanations, as soon as it is decided; what needs every row
(the counts, the agreement, the notes) after the grid, where CSS shows it on
top; the "What would change" section, which lists rows again, is written
aside (:class:`~invpolicy.reporters.lines.Spool`) and follows the grid.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

from invpolicy.engine.explain import decision_notes
from invpolicy.frozen import frozen
from invpolicy.plugins.contract import DECISIONS
from invpolicy.reporters.base import decision_counts, report_title, skipped_text
from invpolicy.reporters.lines import Spool

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


@frozen
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


@frozen
class Line:
    """One invitation: its cells in the order of the policies."""

    row: Row
    cells: tuple[Cell, ...]


@frozen
class Agreement:
    """One cell of the agreement heatmap."""

    share: float
    label: str
    background: str
    dark: bool


@dataclass
class Shown:
    """What the page says of the rows it listed, known once they are written."""

    count: int = 0
    scored: bool = False
    answered: bool = False

    def add(self, line: Line) -> None:
        self.count += 1
        self.scored = self.scored or any(c.decision.score is not None for c in line.cells)
        self.answered = self.answered or any(c.decision.on_follow_up for c in line.cells)


def render_report(
    report: Report, *, replies: bool, explain_lines: Callable[[Decision], list[str]]
) -> str:
    """The report as one complete HTML document that needs no network (as one string).

    The same page as :func:`write_report`, which writes it as the rows are read.
    """
    page = io.StringIO()
    write_report(report, page, replies=replies, explain_lines=explain_lines)
    return page.getvalue()


def write_report(
    report: Report,
    stream: IO[str],
    *,
    replies: bool,
    explain_lines: Callable[[Decision], list[str]],
) -> None:
    """Write the report to ``stream``, one complete HTML document that needs no network.

    ``report.rows`` is read once, each row written as it is read and then
    forgotten. ``explain_lines`` gives the lines of the rule-by-rule
    explanation of a decision; ``replies`` shows the drafted replies.
    """
    from invpolicy.version import __version__

    env = _environment()
    names = report.policy_names
    summary = report.summary
    shown = Shown()
    changes = Spool()
    article = env.get_template("report-change.html.j2")

    def lines() -> Iterator[Line]:
        for index, row in enumerate(report.rows):
            line = _line(index, row, names, replies, explain_lines)
            shown.add(line)
            if row.changes:
                changes.write(article.render(line=line))
            yield line

    def agreement() -> dict[str, dict[str, Agreement]] | None:
        return _matrix(report) if len(names) > 1 and summary.invitations else None

    script = _source(env, "report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    page = env.get_template("report.html.j2").stream(
        title=report_title(report),
        policies=[p.policy for p in report.policies],
        lines=lines(),
        shown=shown,
        changes=changes,
        summary=summary,
        skipped=lambda: skipped_text(report),
        only_disagreements=report.only_disagreements,
        what_if=report.what_if,
        decisions=[(d, MEANINGS[d]) for d in DECISIONS],
        # Called once the rows are read, when the summary (and what was skipped) is complete.
        counts=lambda name: _counts(summary.decisions[name]),
        agreement=agreement,
        version=__version__,
        script=script,
        script_hash=f"sha256-{digest}",
    )
    # Jinja's pieces are small: written some hundreds at a time, each by the
    # stream's write (a terminal's stream makes control characters inert there).
    page.enable_buffering(256)
    try:
        for chunk in page:
            stream.write(chunk)
    finally:
        changes.close()


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
