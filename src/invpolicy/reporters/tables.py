"""``--format table``: tables for people, drawn by rich.

Text from invitations and policies is shown as plain text (never as rich
markup), and colour is used only on a terminal (see
:mod:`invpolicy.reporters.console`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from invpolicy.engine.explain import decision_notes, explanation_lines, score_label
from invpolicy.reporters.base import (
    DECISION_STYLES,
    Reporter,
    decision_counts,
    input_notes,
    report_title,
)
from invpolicy.text import inert

if TYPE_CHECKING:
    from rich.console import Console

    from invpolicy.engine.decision import Decision
    from invpolicy.engine.runner import Report
    from invpolicy.loading.catalog import PolicyEntry
    from invpolicy.plugins.registry import Registry


class TableReporter(Reporter):
    """Tables for people, drawn by rich."""

    name = "table"

    def _console(self) -> Console:
        from invpolicy.reporters.console import table_console

        return table_console(self.stream, self.color)

    def decisions(self, report: Report) -> None:
        console = self._console()
        report = replace(report, rows=tuple(report.rows))
        if len(report.policy_names) == 1:
            console.print(self._single_table(report))
        else:
            console.print(self._compare_table(report, console.width))
        self._summary(console, report)
        if report.what_if or len(report.policies) > 1:
            self._changes(console, report)
        if self.explain:
            self._explanations(console, report)
        if self.replies:
            self._replies(console, report)

    def _single_table(self, report: Report) -> Any:
        from rich.table import Table

        (name,) = report.policy_names
        scored = any(row.decisions[name].score is not None for row in report.rows)
        table = Table(title=_text(report_title(report)), title_justify="left")
        table.add_column("invitation", overflow="fold")
        table.add_column("decision")
        if scored:
            table.add_column("score", justify="right")
        table.add_column("rule", overflow="fold")
        table.add_column("missing facts", overflow="fold")
        # One policy has room for columns: the notes of decision_notes go in their own.
        for row in report.rows:
            d = row.decisions[name]
            rule = _text(d.rule)
            if d.on_follow_up:
                rule.append("\non their answer", style="dim")
            cells = [_who(row), _decision(d.decision)]
            if scored:
                cells.append(_text(score_label(d.score) if d.score else ""))
            table.add_row(*cells, rule, _text(", ".join(d.missing)))
        return table

    def _compare_table(self, report: Report, width: int) -> Any:
        """Policies side by side, in the first layout that fits ``width``.

        Full policy names when they fit; else short keys with a legend; on a
        very narrow terminal, one block per invitation.
        """
        from rich import box
        from rich.console import Group
        from rich.table import Table

        names = report.policy_names
        cells = {
            name: [_cell(row.decisions[name], short=False) for row in report.rows] for name in names
        }
        who_width = max([len("invitation"), *(_width(_who(row)) for row in report.rows)])
        wanted = who_width + 4 + 3 * len(names) + 5 + 3
        wanted += sum(max([len(n), *(_width(c) for c in cells[n])]) for n in names)
        compact = wanted > width
        keys = _keys(names) if compact else names
        short = cells
        if compact:
            short = {n: [_cell(row.decisions[n], short=True) for row in report.rows] for n in names}
        narrow = (
            compact
            and _MIN_WHO
            + sum(
                1 + max([len(k), *(_width(c) for c in short[n])])
                for k, n in zip(keys, names, strict=True)
            )
            > width
        )
        if narrow:
            table: Any = self._compare_blocks(report, keys, short)
        else:
            table = Table(
                title=_text(report_title(report)),
                title_justify="left",
                box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
                show_edge=not compact,
                padding=(0, 1, 0, 0) if compact else (0, 1),
            )
            table.add_column("invitation", overflow="fold", min_width=_MIN_WHO if compact else None)
            for key in keys:
                table.add_column(key, no_wrap=compact)
            if not compact:
                table.add_column("agree")
            for i, row in enumerate(report.rows):
                who = _who(row)
                if compact and row.agree:
                    who.append("\nall agree", style="dim")
                decided = [(short if compact else cells)[n][i] for n in names]
                if not compact:
                    decided.append(_text("yes" if row.agree else "no"))
                table.add_row(who, *decided)
        notes = []
        if compact:
            legend = "  ".join(f"{key} {name}" for key, name in zip(keys, names, strict=True))
            notes.append(_text(f"Policies: {legend}; limited = accept_limited.", style="dim"))
        decisions = [d for row in report.rows for d in row.decisions.values()]
        if any(d.score for d in decisions):
            notes.append(
                _text(
                    "3 pts: the policy's score; 0-11: the range it could still reach once "
                    "the missing facts are known.",
                    style="dim",
                )
            )
        if any(d.on_follow_up for d in decisions):
            notes.append(
                _text(
                    "answer: decided on the inviter's answer to your message (follow_up).",
                    style="dim",
                )
            )
        return Group(table, *notes) if notes else table

    def _compare_blocks(self, report: Report, keys: list[str], cells: dict[str, list[Any]]) -> Any:
        """One block per invitation, its decisions in as many columns as fit."""
        from rich.columns import Columns
        from rich.console import Group
        from rich.padding import Padding

        parts: list[Any] = [_text(report_title(report))]
        for i, row in enumerate(report.rows):
            head = _who(row)
            if row.agree:
                head.append("\nall agree", style="dim")
            parts.append(_text())
            parts.append(head)
            items = []
            for key, name in zip(keys, report.policy_names, strict=True):
                item = _text(f"{key} ", style="bold")
                # The cell's two lines on one: "QOQ ask (3-7)".
                decision, *detail = cells[name][i].split("\n")
                item.append_text(decision)
                for part in detail:
                    item.append(f" ({part.plain})", style="dim")
                items.append(item)
            parts.append(Padding(Columns(items, padding=(0, 2)), (0, 0, 0, 2)))
        parts.append(_text())
        return Group(*parts)

    def _summary(self, console: Console, report: Report) -> None:

        summary = report.summary
        for line in input_notes(report):
            console.print(_text(line, style="dim"))
        if not summary.invitations:
            console.print(_text("No invitations to decide."))
            return
        for name in report.policy_names:
            line = ", ".join(f"{n} {d}" for d, n in decision_counts(summary.decisions[name]))
            console.print(_text(f"{name}: {line}"))
        if len(report.policies) < 2:
            return
        console.print(
            _text(f"The policies agree on {summary.agreed} of {summary.invitations} invitations.")
        )
        console.print(self._matrix(report))

    def _matrix(self, report: Report) -> Any:
        """How often each pair of policies decides alike, in percent."""
        from rich import box
        from rich.table import Table

        names = report.policy_names
        keys = _keys(names)
        table = Table(
            title="How often each pair agrees (%)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            padding=(0, 1, 0, 0),
        )
        table.add_column("")
        for key in keys:
            table.add_column(key, justify="right")
        for key, a in zip(keys, names, strict=True):
            cells = []
            for b in names:
                share = report.summary.agreement(a, b)
                cells.append(_text("" if share is None or a == b else f"{share * 100:.0f}"))
            table.add_row(_text(f"{key} {a}"), *cells)
        return table

    def _changes(self, console: Console, report: Report) -> None:
        from rich.padding import Padding

        rows = [row for row in report.rows if row.changes or row.lacks_facts]
        if not rows:
            return
        title = (
            "What would change the decisions" if report.what_if else "Facts the decisions lacked"
        )
        console.print()
        console.print(_text(title, style="bold"))
        for row in rows:
            console.print(_text(f"{row.invitation.id} ({row.invitation.name})"))
            lines = []
            lacked = row.lacked
            if lacked:
                lines.append(_text(f"decided without: {', '.join(lacked)}", style="dim"))
            lines += [_text(change.describe()) for change in row.changes]
            if report.what_if and not row.changes:
                lines.append(_text("no single fact would change a decision", style="dim"))
            for line in lines:
                console.print(Padding(line, (0, 0, 0, 2)))

    def _replies(self, console: Console, report: Report) -> None:
        from rich.padding import Padding

        for row in report.rows:
            for name, d in row.decisions.items():
                if d.reply is None:
                    continue
                console.print()
                head = _text(f"{row.invitation.id} ({row.invitation.name}), {name}: ")
                head.append_text(_decision(d.decision))
                head.append(f", reply by {d.reply.generator} ({d.reply.language})")
                console.print(head)
                console.print(Padding(_text(d.reply.text), (0, 0, 0, 4), expand=False))

    def _explanations(self, console: Console, report: Report) -> None:

        for row in report.rows:
            for name, d in row.decisions.items():
                console.print()
                console.print(
                    _text(
                        f"{row.invitation.id} ({row.invitation.name}), {name}: "
                        f"{d.decision} by rule {d.rule}"
                    )
                )
                for line in explanation_lines(d):
                    console.print(_text("  " + line))

    def policies(self, entries: list[PolicyEntry], registry: Registry) -> None:
        from rich.padding import Padding
        from rich.table import Table

        from invpolicy.loading.about import about as policy_about

        console = self._console()
        table = Table(title="Installed policies", title_justify="left")
        table.add_column("name", overflow="fold")
        table.add_column("title", overflow="fold")
        table.add_column("from", overflow="fold")
        for e in entries:
            origin = str(e.origin)
            if e.shadowed_by is not None:
                origin += f"; not used: the name is taken by {e.shadowed_by.plugin}"
            about = policy_about(e, registry)
            title = _text(about.title)
            if about.author:
                title.append(f"\n{inert(about.author)}", style="dim")
            if about.problem:
                sep = "\n" if title.plain else ""
                title.append(f"{sep}does not validate: {inert(about.problem)}", style="red")
            if not self.long:
                table.add_row(_text(e.name), title, _text(origin))
                continue
            # One block per policy: the summary needs the whole width.
            head = _text(e.name, style="bold")
            head.append(f"  from {inert(origin)}", style="dim")
            console.print(head)
            console.print(Padding(title, (0, 0, 0, 2)))
            if about.summary:
                console.print(Padding(_text(about.summary), (0, 0, 1, 2)))
        if not self.long:
            console.print(table)
        for folder in sorted({str(e.path.parent) for e in entries}):
            console.print(_text(f"Files in {folder}", style="dim"))
        if not self.long:
            console.print(_text("Each policy's summary: invpolicy policies --long", style="dim"))

    def plugins(self, registry: Registry) -> None:
        from rich.table import Table

        table = Table(title="Installed criteria and reply generators", title_justify="left")
        for column in ("kind", "name", "reads / writes", "from"):
            table.add_column(column)
        for c in registry.criteria.values():
            origin = str(registry.origins[("criterion", c.name)])
            table.add_row(
                _text("criterion"), _text(c.name), _text(", ".join(c.facts)), _text(origin)
            )
        for g in registry.generators.values():
            origin = str(registry.origins[("reply generator", g.name)])
            writes = f"{', '.join(g.languages)}; for {', '.join(g.decisions)}"
            table.add_row(_text("reply"), _text(g.name), _text(writes), _text(origin))
        console = self._console()
        console.print(table)
        if registry.broken:
            broken = Table(title="Plugins that failed to load", title_justify="left")
            for column in ("plugin", "from", "error"):
                broken.add_column(column)
            for b in registry.broken.values():
                where = f"{b.distribution} {b.version} ({b.value})"
                broken.add_row(_text(b.name), _text(where), _text(b.error, style="red"))
            console.print(broken)


def _text(value: str = "", style: str = "") -> Any:
    """A rich ``Text`` of untrusted ``value``: never markup, no control characters."""
    from rich.text import Text

    return Text(inert(value), style=style)


def _who(row: Any) -> Any:

    who = _text(row.invitation.id)
    who.append("\n" + inert(row.invitation.name), style="dim")
    return who


def _width(text: Any) -> int:
    """The width of the widest line of a rich ``Text``."""
    return max(len(line) for line in text.plain.split("\n"))


#: The narrowest the invitation column of the compare table gets.
_MIN_WHO = 12

#: Decision labels that fit a narrow column.
_SHORT = {"accept_limited": "limited"}


def _cell(d: Decision, *, short: bool) -> Any:
    """The decision, with its notes (score, "answer") on a second line."""
    label = _SHORT.get(d.decision, d.decision) if short else d.decision
    text = _text(label, style=DECISION_STYLES.get(d.decision, ""))
    notes = decision_notes(d)
    if notes:
        text.append("\n" + ", ".join(notes), style="dim")
    return text


def _keys(names: list[str]) -> list[str]:
    """Short column keys: the initials of each name's parts, or numbers if they clash."""
    keys = ["".join(part[:1] for part in re.split(r"[-_]", name)).upper() for name in names]
    if len(set(keys)) < len(keys):
        return [str(i) for i in range(1, len(names) + 1)]
    return keys


def _decision(decision: str) -> Any:

    return _text(decision, style=DECISION_STYLES.get(decision, ""))
