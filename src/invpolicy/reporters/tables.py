"""``--format table``: tables for people.

Text from invitations and policies is shown as plain text (never as markup),
and styles only on a terminal (see :mod:`invpolicy.reporters.screen`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invpolicy.reporters.base import Reporter, decision_counts, input_notes
from invpolicy.text import inert

if TYPE_CHECKING:
    from invpolicy.authoring.diff.differ import Diff
    from invpolicy.engine.runner import Report
    from invpolicy.loading.catalog import PolicyEntry
    from invpolicy.plugins.registry import Registry
    from invpolicy.reporters.fitted import Cell
    from invpolicy.reporters.screen import Screen


class TableReporter(Reporter):
    """Tables for people."""

    name = "table"

    def _screen(self) -> Screen:
        from invpolicy.reporters.screen import open_screen

        return open_screen(self.stream, self.color)

    def diff(self, diff: Diff) -> None:
        """The regions where two policies disagree, one row each."""
        from invpolicy.reporters.diffreport import write_table

        write_table(diff, self._screen())

    def decisions(self, report: Report) -> None:
        """The table, written row by row as the rows are decided, then the summary.

        No row is kept: the widths are fixed before the first row
        (:mod:`invpolicy.reporters.decisiontable`), and the sections that list
        rows again after the summary are written aside while the rows go by
        (:mod:`invpolicy.reporters.aftertable`).
        """
        from invpolicy.reporters.aftertable import AfterTable
        from invpolicy.reporters.decisiontable import decision_table

        screen = self._screen()
        table = decision_table(report, screen)
        with AfterTable(report, screen, explain=self.explain, replies=self.replies) as after:
            table.start()
            for row in report.rows:
                table.row(row)
                after.add(row)
            table.end()
            self._summary(screen, report)
            after.write()

    def _summary(self, screen: Screen, report: Report) -> None:
        summary = report.summary
        for line in input_notes(report):
            screen.print(inert(line), "dim")
        if not summary.invitations:
            screen.print("No invitations to decide.")
            return
        for name in report.policy_names:
            line = ", ".join(f"{n} {d}" for d, n in decision_counts(summary.decisions[name]))
            screen.print(inert(f"{name}: {line}"))
        if len(report.policies) < 2:
            return
        screen.print(
            f"The policies agree on {summary.agreed} of {summary.invitations} invitations."
        )
        self._matrix(screen, report)

    def _matrix(self, screen: Screen, report: Report) -> None:
        """How often each pair of policies decides alike, in percent."""
        from invpolicy.reporters.decisiontable import keys as policy_keys
        from invpolicy.reporters.fitted import draw_table
        from invpolicy.reporters.frames import SIMPLE_HEAD
        from invpolicy.reporters.lines import cells

        names = report.policy_names
        keys = policy_keys(names)
        rows: list[list[Cell]] = []
        for key, a in zip(keys, names, strict=True):
            row: list[Cell] = [[(inert(f"{key} {a}"), "")]]
            for b in names:
                share = report.summary.agreement(a, b)
                row.append([("" if share is None or a == b else f"{share * 100:.0f}", "")])
            rows.append(row)
        draw_table(
            screen,
            ["", *(inert(key) for key in keys)],
            rows,
            title="How often each pair agrees (%)",
            frame=SIMPLE_HEAD,
            padding=(0, 1),
            right=range(1, len(keys) + 1),
            keep=range(1, len(keys) + 1),
            least={0: max(cells(key) for key in keys)},  # the keys the header shows
        )

    def policies(self, entries: list[PolicyEntry], registry: Registry) -> None:
        from invpolicy.loading.about import about as policy_about
        from invpolicy.reporters.fitted import draw_table

        screen = self._screen()
        rows: list[list[Cell]] = []
        for e in entries:
            origin = str(e.origin)
            if e.shadowed_by is not None:
                origin += f"; not used: the name is taken by {e.shadowed_by.plugin}"
            about = policy_about(e, registry)
            title = [(inert(about.title), "")]
            if about.author:
                title.append((inert(about.author), "dim"))
            if about.problem:
                if not about.title and not about.author:
                    title = []
                title.append((f"does not validate: {inert(about.problem)}", "red"))
            if not self.long:
                rows.append([[(inert(e.name), "")], title, [(inert(origin), "")]])
                continue
            # One block per policy: the summary needs the whole width.
            screen.print_pieces([(inert(e.name), "bold"), (f"  from {inert(origin)}", "dim")])
            _indented(screen, title, 2)
            if about.summary:
                _indented(screen, [(inert(about.summary), "")], 2)
                screen.print()
        if not self.long:
            headers = ["name", "title", "from"]
            draw_table(screen, headers, rows, title="Installed policies")
        for folder in sorted({str(e.path.parent) for e in entries}):
            screen.print(inert(f"Files in {folder}"), "dim")
        if not self.long:
            screen.print("Each policy's summary: invpolicy policies --long", "dim")

    def plugins(self, registry: Registry) -> None:
        from invpolicy.reporters.fitted import draw_table

        rows: list[list[Cell]] = []
        for c in registry.criteria.values():
            origin = str(registry.origins[("criterion", c.name)])
            rows.append(
                [_cell("criterion"), _cell(c.name), _cell(", ".join(c.facts)), _cell(origin)]
            )
        for g in registry.generators.values():
            origin = str(registry.origins[("reply generator", g.name)])
            writes = f"{', '.join(g.languages)}; for {', '.join(g.decisions)}"
            rows.append([_cell("reply"), _cell(g.name), _cell(writes), _cell(origin)])
        screen = self._screen()
        title = "Installed criteria and reply generators"
        draw_table(screen, ["kind", "name", "reads / writes", "from"], rows, title=title)
        if registry.broken:
            broken: list[list[Cell]] = []
            for b in registry.broken.values():
                where = f"{b.distribution} {b.version} ({b.value})"
                broken.append([_cell(b.name), _cell(where), _cell(b.error, "red")])
            title = "Plugins that failed to load"
            draw_table(screen, ["plugin", "from", "error"], broken, title=title)


def _cell(value: str, style: str = "") -> Cell:
    """A cell of one text, made inert (untrusted: no control characters)."""
    return [(inert(value), style)]


def _indented(screen: Screen, pieces: Cell, indent: int) -> None:
    """Each piece wrapped to the width less ``indent``, and indented."""
    from invpolicy.reporters.lines import wrap

    margin = " " * indent
    for text, style in pieces:
        for line in wrap(text, max(screen.width - indent, 1)):
            screen.file.write(margin + screen.paint(line, style) + "\n")
