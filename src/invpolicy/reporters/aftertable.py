"""The sections that follow the table and the summary, and list rows again.

The facts each invitation lacked (or, with ``--what-if``, what would change
its decisions), the explanations (``--explain``) and the drafted replies
come after the summary, as a person reads a report: the overview first.
They are written while the rows stream, each into a :class:`Spool` (memory
up to a megabyte, then a temporary file), and copied out after the summary,
so that no row is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invpolicy.engine.explain import explanation_lines
from invpolicy.reporters.base import DECISION_STYLES
from invpolicy.reporters.lines import Spool, wrap
from invpolicy.reporters.screen import Piece, Screen
from invpolicy.text import inert

if TYPE_CHECKING:
    from invpolicy.engine.runner import Report, Row


class AfterTable:
    """Collects the sections while the rows go by; :meth:`write` them after the summary."""

    def __init__(self, report: Report, screen: Screen, *, explain: bool, replies: bool) -> None:
        self.screen = screen
        self.paint = screen.paint
        self.width = max(screen.width, 20)
        self.what_if = report.what_if
        listed = report.what_if or len(report.policies) > 1
        self.changes = Spool() if listed else None
        self.explanations = Spool() if explain else None
        self.replies = Spool() if replies else None

    def __enter__(self) -> AfterTable:
        return self

    def __exit__(self, *_: object) -> None:
        for spool in (self.changes, self.explanations, self.replies):
            if spool is not None:
                spool.close()

    def add(self, row: Row) -> None:
        """Keep what the sections say of ``row``."""
        if self.changes is not None and (row.changes or row.lacks_facts):
            self.changes.write(self._changes(row))
        if self.explanations is not None:
            self.explanations.write(self._explanations(row))
        if self.replies is not None:
            self.replies.write(self._replies(row))

    def write(self) -> None:
        """Write the sections, each after its title, in the order they were kept."""
        out = self.screen.file
        if self.changes:
            self.screen.print()
            title = (
                "What would change the decisions" if self.what_if else "Facts the decisions lacked"
            )
            self.screen.print(title, "bold")
            self.changes.copy_to(out)
        for spool in (self.explanations, self.replies):
            if spool:
                spool.copy_to(out)
        out.flush()

    def _changes(self, row: Row) -> str:
        lines = self._block(f"{row.invitation.id} ({row.invitation.name})", "", 0)
        lacked = row.lacked
        if lacked:
            lines += self._block(f"decided without: {', '.join(lacked)}", "dim", 2)
        for change in row.changes:
            lines += self._block(change.describe(), "", 2)
        if self.what_if and not row.changes:
            lines += self._block("no single fact would change a decision", "dim", 2)
        return "".join(lines)

    def _explanations(self, row: Row) -> str:
        lines = []
        who = f"{row.invitation.id} ({row.invitation.name})"
        for name, d in row.decisions.items():
            lines.append("\n")
            lines += self._block(f"{who}, {name}: {d.decision} by rule {d.rule}", "", 0)
            for line in explanation_lines(d):
                # A long line wraps under its own start, two columns further in.
                text = line.lstrip(" ")
                lines += self._block(text, "", 2 + len(line) - len(text), hang=2)
        return "".join(lines)

    def _replies(self, row: Row) -> str:
        lines = []
        who = f"{row.invitation.id} ({row.invitation.name})"
        for name, d in row.decisions.items():
            if d.reply is None:
                continue
            lines.append("\n")
            head: list[Piece] = [
                (inert(f"{who}, {name}: "), ""),
                (inert(d.decision), DECISION_STYLES.get(d.decision, "")),
                (inert(f", reply by {d.reply.generator} ({d.reply.language})"), ""),
            ]
            lines.append(self._pieces(head))
            lines += self._block(d.reply.text, "", 4)
        return "".join(lines)

    def _block(self, text: str, style: str, indent: int, *, hang: int = 0) -> list[str]:
        """``text`` wrapped to the width, each line indented; the second and later ``hang`` more."""
        width = self.width - indent - hang
        paint = self.paint
        lines = wrap(inert(text), width)
        first = " " * indent
        rest = first + " " * hang
        return [
            ((first if i == 0 else rest) + paint(line, style) if line else "") + "\n"
            for i, line in enumerate(lines)
        ]

    def _pieces(self, pieces: list[Piece]) -> str:
        """One line of several styles; wrapped when it does not fit."""
        return self.screen.pieces_text(pieces)
