"""Output formats shared by every command: ``--format table`` or ``--format json``.

Text from invitations and policies is shown as plain text (never as rich
markup), and colour is used only on a terminal.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from typing import IO, TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from rich.console import Console

    from invpolicy.catalog import PolicyEntry
    from invpolicy.plugins import Registry
    from invpolicy.runner import Report

DECISION_STYLES = {
    "accept": "green",
    "accept_limited": "cyan",
    "ask": "yellow",
    "decline": "red",
    "ignore": "dim",
    "defer": "magenta",
}


class Reporter(ABC):
    """Base of the output formats; ``name`` is the value of ``--format``."""

    name: ClassVar[str]

    def __init__(self, stream: IO[str], *, replies: bool = True, explain: bool = False) -> None:
        self.stream = stream
        self.replies = replies
        self.explain = explain

    @abstractmethod
    def decisions(self, report: Report) -> None:
        """Write what each policy decided for each invitation."""

    @abstractmethod
    def policies(self, entries: list[PolicyEntry]) -> None:
        """Write the installed policies."""

    @abstractmethod
    def plugins(self, registry: Registry) -> None:
        """Write the installed criteria and reply generators."""


class JsonReporter(Reporter):
    """Machine-readable output."""

    name = "json"

    def _dump(self, data: Any) -> None:
        json.dump(data, self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")

    def decisions(self, report: Report) -> None:
        self._dump(report.to_json())

    def policies(self, entries: list[PolicyEntry]) -> None:
        self._dump(
            [
                {
                    "name": e.name,
                    "path": str(e.path),
                    "plugin": e.origin.plugin,
                    "distribution": e.origin.distribution,
                    "version": e.origin.version,
                    "shadowed_by": e.shadowed_by.plugin if e.shadowed_by else None,
                }
                for e in entries
            ]
        )

    def plugins(self, registry: Registry) -> None:
        def origin(kind: str, name: str) -> dict[str, str]:
            o = registry.origins[(kind, name)]
            return {"plugin": o.plugin, "distribution": o.distribution, "version": o.version}

        self._dump(
            {
                "criteria": [
                    {
                        "name": c.name,
                        "description": c.description,
                        "facts": list(c.facts),
                        "params_schema": c.params_schema,
                        **origin("criterion", c.name),
                    }
                    for c in registry.criteria.values()
                ],
                "reply_generators": [
                    {
                        "name": g.name,
                        "description": g.description,
                        "languages": list(g.languages),
                        "params_schema": g.params_schema,
                        **origin("reply generator", g.name),
                    }
                    for g in registry.generators.values()
                ],
            }
        )


class TableReporter(Reporter):
    """Tables for people, drawn by rich."""

    name = "table"

    def _console(self) -> Console:
        from rich.console import Console

        return Console(file=self.stream, highlight=False)

    def decisions(self, report: Report) -> None:
        from rich.table import Table
        from rich.text import Text

        console = self._console()
        names = report.policy_names
        single = len(names) == 1
        table = Table(title=_title(report), title_justify="left")
        table.add_column("invitation", no_wrap=True)
        if single:
            table.add_column("decision")
            table.add_column("rule")
            table.add_column("missing facts")
        else:
            for name in names:
                table.add_column(name, overflow="fold", min_width=len(name))
            table.add_column("agree", min_width=5)
        for row in report.rows:
            who = Text(row.invitation.id)
            who.append("\n" + row.invitation.name, style="dim")
            cells: list[Text] = [who]
            if single:
                d = row.decisions[names[0]]
                cells += [_decision(d.decision), Text(d.rule), Text(", ".join(d.missing))]
            else:
                cells += [_decision(row.decisions[n].decision) for n in names]
                cells.append(Text("yes" if row.agree else "no"))
            table.add_row(*cells)
        console.print(table)
        self._summary(console, report)
        if self.explain:
            self._explanations(console, report)
        if self.replies:
            self._replies(console, report)

    def _summary(self, console: Console, report: Report) -> None:
        from rich.text import Text

        if not report.rows:
            console.print(Text("No invitations in the file."))
            return
        for name in report.policy_names:
            counts = Counter(row.decisions[name].decision for row in report.rows)
            line = ", ".join(f"{n} {d}" for d, n in sorted(counts.items()))
            console.print(Text(f"{name}: {line}"))
        if len(report.policies) > 1:
            agreed = sum(row.agree for row in report.rows)
            console.print(
                Text(f"The policies agree on {agreed} of {len(report.rows)} invitations.")
            )

    def _replies(self, console: Console, report: Report) -> None:
        from rich.padding import Padding
        from rich.text import Text

        for row in report.rows:
            for name, d in row.decisions.items():
                if d.reply is None:
                    continue
                console.print()
                head = Text(f"{row.invitation.id} ({row.invitation.name}), {name}: ")
                head.append_text(_decision(d.decision))
                head.append(f", reply by {d.reply.generator} ({d.reply.language})")
                console.print(head)
                console.print(Padding(Text(d.reply.text), (0, 0, 0, 4), expand=False))

    def _explanations(self, console: Console, report: Report) -> None:
        from rich.text import Text

        for row in report.rows:
            for name, d in row.decisions.items():
                console.print()
                console.print(
                    Text(
                        f"{row.invitation.id} ({row.invitation.name}), {name}: "
                        f"{d.decision} by rule {d.rule}"
                    )
                )
                for step in d.trace or ():
                    if step.condition is None:
                        console.print(Text(f"  rule {step.rule}: no condition, fires"))
                        continue
                    verdict = "fires" if step.fired else "does not fire"
                    console.print(Text(f"  rule {step.rule}: {_tri(step.value)}, {verdict}"))
                    for line in _condition_lines(step.condition, 2):
                        console.print(Text(line))

    def policies(self, entries: list[PolicyEntry]) -> None:
        from rich.table import Table
        from rich.text import Text

        table = Table(title="Installed policies", title_justify="left")
        table.add_column("name")
        table.add_column("file", overflow="fold")
        table.add_column("from")
        for e in entries:
            origin = str(e.origin)
            if e.shadowed_by is not None:
                origin += f"; not used: the name is taken by {e.shadowed_by.plugin}"
            table.add_row(Text(e.name), Text(str(e.path)), Text(origin))
        self._console().print(table)

    def plugins(self, registry: Registry) -> None:
        from rich.table import Table
        from rich.text import Text

        table = Table(title="Installed criteria and reply generators", title_justify="left")
        for column in ("kind", "name", "reads / writes", "from"):
            table.add_column(column)
        for c in registry.criteria.values():
            origin = str(registry.origins[("criterion", c.name)])
            table.add_row(Text("criterion"), Text(c.name), Text(", ".join(c.facts)), Text(origin))
        for g in registry.generators.values():
            origin = str(registry.origins[("reply generator", g.name)])
            table.add_row(Text("reply"), Text(g.name), Text(", ".join(g.languages)), Text(origin))
        self._console().print(table)


def _title(report: Report) -> str:
    if len(report.policies) == 1:
        policy = report.policies[0].policy
        return f"{policy.name}: {policy.title}"
    return f"{len(report.policies)} policies compared"


def _decision(decision: str) -> Any:
    from rich.text import Text

    return Text(decision, style=DECISION_STYLES.get(decision, ""))


def _tri(value: bool | None) -> str:
    return {True: "true", False: "false", None: "unknown"}[value]


def _condition_lines(node: dict[str, Any], depth: int) -> list[str]:
    pad = "  " * depth
    for op in ("all", "any"):
        if op in node:
            lines = [f"{pad}{op}: {_tri(node['value'])}"]
            for part in node[op]:
                lines += _condition_lines(part, depth + 1)
            return lines
    if "not" in node:
        return [f"{pad}not: {_tri(node['value'])}", *_condition_lines(node["not"], depth + 1)]
    params = f" {json.dumps(node['params'], ensure_ascii=False)}" if node["params"] else ""
    saw = ", ".join(
        f"{fact}={json.dumps(value, ensure_ascii=False)}" for fact, value in node["saw"].items()
    )
    seen = f"; saw {saw}" if saw else ""
    missing = f"; missing {', '.join(node['missing'])}" if node["missing"] else ""
    return [f"{pad}{node['criterion']}{params}: {_tri(node['value'])}{seen}{missing}"]


REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    reporter.name: reporter for reporter in (TableReporter, JsonReporter)
}
