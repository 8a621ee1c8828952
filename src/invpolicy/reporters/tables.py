"""``--format table``: tables for people, drawn by rich.

Text from invitations and policies is shown as plain text (never as rich
markup), and colour is used only on a terminal (see
:mod:`invpolicy.reporters.console`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invpolicy.reporters.base import Reporter, decision_counts, input_notes
from invpolicy.text import inert

if TYPE_CHECKING:
    from rich.console import Console

    from invpolicy.authoring.diff.differ import Diff
    from invpolicy.engine.runner import Report
    from invpolicy.loading.catalog import PolicyEntry
    from invpolicy.plugins.registry import Registry


class TableReporter(Reporter):
    """Tables for people, drawn by rich."""

    name = "table"

    def _console(self) -> Console:
        from invpolicy.reporters.console import table_console

        return table_console(self.stream, self.color)

    def diff(self, diff: Diff) -> None:
        """The regions where two policies disagree, one row each."""
        from invpolicy.reporters.diffreport import write_table

        write_table(diff, self.stream, self.color)

    def decisions(self, report: Report) -> None:
        """The table, written row by row as the rows are decided, then the summary.

        No row is kept: the widths are fixed before the first row
        (:mod:`invpolicy.reporters.decisiontable`), and the sections that list
        rows again after the summary are written aside while the rows go by
        (:mod:`invpolicy.reporters.aftertable`).
        """
        from invpolicy.reporters.aftertable import AfterTable
        from invpolicy.reporters.decisiontable import decision_table

        console = self._console()
        table = decision_table(report, console)
        with AfterTable(report, console, explain=self.explain, replies=self.replies) as after:
            table.start()
            for row in report.rows:
                table.row(row)
                after.add(row)
            table.end()
            self._summary(console, report)
            after.write()

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

        from invpolicy.reporters.decisiontable import keys as policy_keys

        names = report.policy_names
        keys = policy_keys(names)
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
