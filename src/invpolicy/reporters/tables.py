"""Output formats shared by every command: ``--format table`` or ``--format json``.

Text from invitations and policies is shown as plain text (never as rich
markup), and colour is used only on a terminal.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections import Counter
from typing import IO, TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from rich.console import Console

    from invpolicy.catalog import PolicyEntry
    from invpolicy.engine import Decision, Score
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

    def __init__(
        self,
        stream: IO[str],
        *,
        replies: bool = True,
        explain: bool = False,
        long: bool = False,
    ) -> None:
        self.stream = stream
        self.replies = replies
        self.explain = explain
        self.long = long

    @abstractmethod
    def decisions(self, report: Report) -> None:
        """Write what each policy decided for each invitation."""

    @abstractmethod
    def policies(self, entries: list[PolicyEntry], registry: Registry) -> None:
        """Write the installed policies (each one validated against ``registry``)."""

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

    def policies(self, entries: list[PolicyEntry], registry: Registry) -> None:
        abouts = [e.about(registry) for e in entries]
        self._dump(
            [
                {
                    "name": e.name,
                    "title": about.title,
                    "summary": about.summary,
                    "author": about.author,
                    "problem": about.problem or None,
                    "path": str(e.path),
                    "plugin": e.origin.plugin,
                    "distribution": e.origin.distribution,
                    "version": e.origin.version,
                    "shadowed_by": e.shadowed_by.plugin if e.shadowed_by else None,
                }
                for e, about in zip(entries, abouts, strict=True)
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
                        "decisions": list(g.decisions),
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
        console = self._console()
        if len(report.policy_names) == 1:
            console.print(self._single_table(report))
        else:
            console.print(self._compare_table(report, console.width))
        self._summary(console, report)
        if self.explain:
            self._explanations(console, report)
        if self.replies:
            self._replies(console, report)

    def _single_table(self, report: Report) -> Any:
        from rich.table import Table
        from rich.text import Text

        (name,) = report.policy_names
        scored = any(row.decisions[name].score is not None for row in report.rows)
        table = Table(title=_title(report), title_justify="left")
        table.add_column("invitation", overflow="fold")
        table.add_column("decision")
        if scored:
            table.add_column("score", justify="right")
        table.add_column("rule", overflow="fold")
        table.add_column("missing facts", overflow="fold")
        for row in report.rows:
            d = row.decisions[name]
            rule = Text(d.rule)
            if d.on_follow_up:
                rule.append("\non their answer", style="dim")
            cells = [_who(row), _decision(d.decision)]
            if scored:
                cells.append(Text(_score_label(d.score) if d.score else ""))
            table.add_row(*cells, rule, Text(", ".join(d.missing)))
        return table

    def _compare_table(self, report: Report, width: int) -> Any:
        """Policies side by side, in the first layout that fits ``width``.

        Full policy names when they fit; else short keys with a legend; on a
        very narrow terminal, one block per invitation.
        """
        from rich import box
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

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
                title=_title(report),
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
                    decided.append(Text("yes" if row.agree else "no"))
                table.add_row(who, *decided)
        notes = []
        if compact:
            legend = "  ".join(f"{key} {name}" for key, name in zip(keys, names, strict=True))
            notes.append(Text(f"Policies: {legend}; limited = accept_limited.", style="dim"))
        decisions = [d for row in report.rows for d in row.decisions.values()]
        if any(d.score for d in decisions):
            notes.append(
                Text(
                    "3 pts: the policy's score; 0-11: the range it could still reach once "
                    "the missing facts are known.",
                    style="dim",
                )
            )
        if any(d.on_follow_up for d in decisions):
            notes.append(
                Text(
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
        from rich.text import Text

        parts: list[Any] = [Text(_title(report))]
        for i, row in enumerate(report.rows):
            head = _who(row)
            if row.agree:
                head.append("\nall agree", style="dim")
            parts.append(Text())
            parts.append(head)
            items = []
            for key, name in zip(keys, report.policy_names, strict=True):
                item = Text(f"{key} ", style="bold")
                # The cell's two lines on one: "QOQ ask (3-7)".
                decision, *detail = cells[name][i].split("\n")
                item.append_text(decision)
                for part in detail:
                    item.append(f" ({part.plain})", style="dim")
                items.append(item)
            parts.append(Padding(Columns(items, padding=(0, 2)), (0, 0, 0, 2)))
        parts.append(Text())
        return Group(*parts)

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
                if d.score is not None:
                    for line in _score_lines(d.score):
                        console.print(Text(line))

    def policies(self, entries: list[PolicyEntry], registry: Registry) -> None:
        from rich.padding import Padding
        from rich.table import Table
        from rich.text import Text

        console = self._console()
        table = Table(title="Installed policies", title_justify="left")
        table.add_column("name", overflow="fold")
        table.add_column("title", overflow="fold")
        table.add_column("from", overflow="fold")
        for e in entries:
            origin = str(e.origin)
            if e.shadowed_by is not None:
                origin += f"; not used: the name is taken by {e.shadowed_by.plugin}"
            about = e.about(registry)
            title = Text(about.title)
            if about.author:
                title.append(f"\n{about.author}", style="dim")
            if about.problem:
                sep = "\n" if title.plain else ""
                title.append(f"{sep}does not validate: {about.problem}", style="red")
            if not self.long:
                table.add_row(Text(e.name), title, Text(origin))
                continue
            # One block per policy: the summary needs the whole width.
            head = Text(e.name, style="bold")
            head.append(f"  from {origin}", style="dim")
            console.print(head)
            console.print(Padding(title, (0, 0, 0, 2)))
            if about.summary:
                console.print(Padding(Text(about.summary), (0, 0, 1, 2)))
        if not self.long:
            console.print(table)
        for folder in sorted({str(e.path.parent) for e in entries}):
            console.print(Text(f"Files in {folder}", style="dim"))
        if not self.long:
            console.print(Text("Each policy's summary: invpolicy policies --long", style="dim"))

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
            writes = f"{', '.join(g.languages)}; for {', '.join(g.decisions)}"
            table.add_row(Text("reply"), Text(g.name), Text(writes), Text(origin))
        self._console().print(table)


def _title(report: Report) -> str:
    if len(report.policies) == 1:
        policy = report.policies[0].policy
        return f"{policy.name}: {policy.title}"
    return f"{len(report.policies)} policies compared"


def _who(row: Any) -> Any:
    from rich.text import Text

    who = Text(row.invitation.id)
    who.append("\n" + row.invitation.name, style="dim")
    return who


def _width(text: Any) -> int:
    """The width of the widest line of a rich ``Text``."""
    return max(len(line) for line in text.plain.split("\n"))


#: The narrowest the invitation column of the compare table gets.
_MIN_WHO = 12


def _score_label(score: Score, *, unit: bool = True) -> str:
    """ "3 pts" for a settled score; "0-11" for one that unknown signals could still move."""
    if score.low != score.high:
        return f"{score.low:g}-{score.high:g}"
    return _points(score.total) if unit else f"{score.total:g}"


def _points(value: float) -> str:
    return f"{value:g} pts"


#: Decision labels that fit a narrow column.
_SHORT = {"accept_limited": "limited"}


def _cell(d: Decision, *, short: bool) -> Any:
    """The decision, with the score or "on reply" under it when there is one."""
    from rich.text import Text

    label = _SHORT.get(d.decision, d.decision) if short else d.decision
    text = Text(label, style=DECISION_STYLES.get(d.decision, ""))
    if d.on_follow_up:
        text.append("\nanswer", style="dim")
    elif d.score is not None:
        text.append("\n" + _score_label(d.score), style="dim")
    return text


def _keys(names: list[str]) -> list[str]:
    """Short column keys: the initials of each name's parts, or numbers if they clash."""
    keys = ["".join(part[:1] for part in re.split(r"[-_]", name)).upper() for name in names]
    if len(set(keys)) < len(keys):
        return [str(i) for i in range(1, len(names) + 1)]
    return keys


def _decision(decision: str) -> Any:
    from rich.text import Text

    return Text(decision, style=DECISION_STYLES.get(decision, ""))


def _tri(value: bool | None) -> str:
    return {True: "true", False: "false", None: "unknown"}[value]


def _score_lines(score: Score) -> list[str]:
    """Each signal's contribution to the score, under the rules tried."""
    lines = [f"  score {score.total:g}:"]
    for c in score.contributions:
        points = f"{c.points:+g}" if c.value else "0"
        missing = f"; missing {', '.join(c.missing)}" if c.missing else ""
        lines.append(f"    {c.signal} (weight {c.weight:g}): {_tri(c.value)}, {points}{missing}")
        if c.condition is not None:
            lines += _condition_lines(c.condition, 3)
    return lines


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
    if "score" in node:
        bounds = ", ".join(f"{k} {v:g}" for k, v in node["score"].items())
        reach = (
            f"; could reach {node['low']:g} to {node['high']:g}"
            if node["low"] != node["high"]
            else ""
        )
        missing = f"; missing {', '.join(node['missing'])}" if node["missing"] else ""
        return [
            f"{pad}score ({bounds}): {_tri(node['value'])}; score {node['total']:g}{reach}{missing}"
        ]
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
