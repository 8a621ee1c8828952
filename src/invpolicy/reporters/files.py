"""``--format csv``, ``markdown`` and ``html``: reports to keep, share or open."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from invpolicy.engine.explain import decision_notes, explanation_lines
from invpolicy.reporters.base import Reporter, decision_counts, input_notes, report_title
from invpolicy.text import inert

if TYPE_CHECKING:
    from invpolicy.authoring.diff.differ import Diff
    from invpolicy.engine.decision import Decision
    from invpolicy.engine.runner import Report, Row

#: Cells that a spreadsheet would run as a formula start with one of these.
_FORMULA = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(text: str) -> str:
    """``text``, with a leading quote if a spreadsheet would read it as a formula.

    A formula may hide behind spaces, tabs or line breaks (a cell that starts
    with a carriage return, then ``=1+1``), and in full-width characters (U+FF1D...).
    """
    start = text.lstrip(" \t\r\n")
    return "'" + text if start.startswith(_FORMULA) or text.startswith(("\t", "\r")) else text


class CsvReporter(Reporter):
    """One row per invitation and policy, written as they are decided."""

    name = "csv"

    #: The columns, in order; ``what_if`` is added with --what-if.
    columns = (
        "invitation",
        "name",
        "policy",
        "decision",
        "rule",
        "score",
        "score_low",
        "score_high",
        "on_follow_up",
        "missing",
        "agree",
        "reply_generator",
        "reply_language",
        "reply",
        "error",
    )

    def decisions(self, report: Report) -> None:
        import csv

        columns = [*self.columns, *(["what_if"] if report.what_if else [])]
        # Every cell quoted: a line break inside one stays inside it.
        writer = csv.writer(self.stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(columns)
        for row in report.rows:
            for name, d in row.decisions.items():
                cells = self._cells(row, name, d)
                if report.what_if:
                    cells.append("; ".join(c.describe() for c in row.changes_for(name)))
                writer.writerow([spreadsheet_safe(cell) for cell in cells])

    def _cells(self, row: Row, name: str, d: Decision) -> list[str]:
        score = d.score
        reply = d.reply if self.replies else None
        return [
            row.invitation.id,
            row.invitation.name,
            name,
            d.decision,
            d.rule,
            "" if score is None else f"{score.total:g}",
            "" if score is None else f"{score.low:g}",
            "" if score is None else f"{score.high:g}",
            "true" if d.on_follow_up else "false",
            ";".join(d.missing),
            "true" if row.agree else "false",
            reply.generator if reply else "",
            reply.language if reply else "",
            reply.text if reply else "",
            d.error or "",
        ]


#: Marks that mean something anywhere in a line of Markdown (or of inline HTML).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
#: Marks that mean something at the start of a line: lists, headings, quotes.
_MD_LEADING = re.compile(r"^(?:([-+#=!])|(\d+)([.)]))")


def md(text: str) -> str:
    """Untrusted text as inert Markdown, on one line: each mark that means something escaped."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(inert(text).split()))
    return _MD_LEADING.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


class MarkdownReporter(Reporter):
    """A Markdown report: the decisions table, the summary, what would change them."""

    name = "markdown"

    def diff(self, diff: Diff) -> None:
        from invpolicy.reporters.diffreport import write_markdown

        write_markdown(diff, self.stream)

    def decisions(self, report: Report) -> None:
        from tabulate import tabulate

        rows = list(report.rows)
        names = report.policy_names
        write = self.stream.write
        write(f"# {md(report_title(report))}\n\n")
        for note in input_notes(report):
            write(f"{md(note)}\n\n")
        headers = ["invitation", *(md(n) for n in names)]
        if len(names) > 1:
            headers.append("agree")
        table = []
        for row in rows:
            cells = [f"{md(row.invitation.id)} ({md(row.invitation.name)})"]
            cells += [_md_cell(row.decisions[n]) for n in names]
            if len(names) > 1:
                cells.append("yes" if row.agree else "no")
            table.append(cells)
        if table:
            write(tabulate(table, headers, tablefmt="github", disable_numparse=True) + "\n\n")
        write(self._summary(report))
        changed = [row for row in rows if row.changes or row.lacks_facts]
        if changed:
            title = "What would change the decisions" if report.what_if else "Facts lacked"
            write(f"## {title}\n\n")
            for row in changed:
                write(f"- **{md(row.invitation.id)}**")
                lacked = row.lacked
                if lacked:
                    write(f": decided without {md(', '.join(lacked))}")
                write("\n")
                for change in row.changes:
                    write(f"  - {md(change.describe())}\n")
            write("\n")
        if self.explain or self.replies:
            self._details(rows)

    def _summary(self, report: Report) -> str:
        from tabulate import tabulate

        summary = report.summary
        names = report.policy_names
        out = "## Summary\n\n"
        counts = [
            [md(n), ", ".join(f"{d} {count}" for d, count in decision_counts(summary.decisions[n]))]
            for n in names
        ]
        out += tabulate(counts, ["policy", "decisions"], tablefmt="github") + "\n\n"
        if len(names) > 1 and summary.invitations:
            out += (
                f"The policies agree on {summary.agreed} of {summary.invitations} invitations. "
                "How often each pair agrees:\n\n"
            )
            matrix = [
                [md(a)]
                + ["" if a == b else f"{(summary.agreement(a, b) or 0) * 100:.0f}%" for b in names]
                for a in names
            ]
            out += tabulate(matrix, ["", *(md(n) for n in names)], tablefmt="github") + "\n\n"
        return out

    def _details(self, rows: list[Row]) -> None:
        write = self.stream.write
        write("## Details\n\n")
        for row in rows:
            for name, d in row.decisions.items():
                write(f"### {md(row.invitation.id)}, {md(name)}: {d.decision}\n\n")
                if self.explain:
                    # An indented code block shows the lines as they are, inertly.
                    write("".join(f"    {line}\n" for line in explanation_lines(d)) + "\n")
                if self.replies and d.reply is not None:
                    write(f"Reply by {md(d.reply.generator)} ({d.reply.language}):\n\n")
                    for paragraph in d.reply.text.split("\n"):
                        write(f"> {md(paragraph)}\n" if paragraph.strip() else ">\n")
                    write("\n")


def _md_cell(d: Decision) -> str:
    notes = decision_notes(d)
    return md(f"{d.decision} ({', '.join(notes)})" if notes else d.decision)


class HtmlReporter(Reporter):
    """One self-contained page: the decisions coloured, the agreement heatmap, details on click."""

    name = "html"

    def decisions(self, report: Report) -> None:
        from invpolicy.reporters.html import write_report

        # Streamed: each row is written as it is decided.
        write_report(report, self.stream, replies=self.replies, explain_lines=explanation_lines)
