"""The table of ``decide`` and ``compare``, written a row at a time.

Every width is fixed before the first row, from what the compiled policies
say: their names, the decisions their rules can give (and ``error``), their
rule ids and the range of their scores. Nothing is read from the rows to
lay them out, so a row is written as soon as it is decided and then
forgotten. What does not fit its column wraps inside it, at spaces, and a
word wider than the column (a long id) is cut, so that nothing is lost.

The invitation column takes what the other columns leave of the terminal's
width, up to :data:`MAX_WHO`. ``compare`` shows full policy names when that
leaves the invitation :data:`WIDE_WHO` cells, short keys with a legend when
it leaves :data:`MIN_WHO`, and otherwise one block per invitation; ``decide``
shows its block per invitation when its missing facts would get too little
room.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from invpolicy.engine.explain import decision_notes, score_label
from invpolicy.reporters.base import DECISION_STYLES, report_title
from invpolicy.reporters.grid import Grid
from invpolicy.reporters.lines import cells, wrap
from invpolicy.reporters.screen import Piece, Screen
from invpolicy.text import inert

if TYPE_CHECKING:
    from invpolicy.engine.compiled import CompiledPolicy
    from invpolicy.engine.decision import Decision
    from invpolicy.engine.runner import Report, Row

#: The invitation column never gets narrower (else: blocks), nor wider.
MIN_WHO = 12
MAX_WHO = 40
#: ``compare`` uses full policy names when they leave the invitation this much.
WIDE_WHO = 20
#: The widest the rule and the missing-facts columns of ``decide`` get.
MAX_RULE = 24
MAX_MISSING = 60

#: Decision labels that fit a narrow column.
SHORT = {"accept_limited": "limited"}
#: A cell's lines kept for reuse, by column, decision and notes: few differ.
_CACHE_SIZE = 4096


def keys(names: Sequence[str]) -> list[str]:
    """Short column keys: the initials of each name's parts, or numbers if they clash."""
    found = ["".join(part[:1] for part in re.split(r"[-_]", name)).upper() for name in names]
    if len(set(found)) < len(found):
        return [str(i) for i in range(1, len(names) + 1)]
    return found


def decisions_of(policy: CompiledPolicy) -> set[str]:
    """Every decision the policy can give: those of its rules, and ``error``."""
    return {rule.decision for rule in policy.policy.rules} | {"error"}


def score_width(policy: CompiledPolicy) -> int:
    """The width of the widest score label the policy's signals can add up to."""
    weights = [signal.weight for signal in policy.policy.scoring]
    low = sum(w for w in weights if w < 0)
    high = sum(w for w in weights if w > 0)
    return max(len(f"{low:g}-{high:g}"), len(f"{low:g} pts"), len(f"{high:g} pts"))


def decision_table(report: Report, screen: Screen) -> DecisionTable:
    """The layout that fits the screen's width."""
    width = screen.width
    if len(report.policies) == 1:
        single = SingleTable.fitting(report, screen, width)
        return single if single is not None else Blocks(report, screen)
    wide = CompareTable.fitting(report, screen, width, compact=False)
    if wide is None:
        wide = CompareTable.fitting(report, screen, width, compact=True)
    return wide if wide is not None else Blocks(report, screen)


class DecisionTable(ABC):
    """What every layout does: a title and header, each row as it comes, an end."""

    def __init__(self, report: Report, screen: Screen) -> None:
        self.report = report
        self.screen = screen
        self.out = screen.file
        self.paint = screen.paint
        self.scored = False
        self.answered = False

    def start(self) -> None:  # noqa: B027 (a hook a layout may fill; none needed by default)
        """What comes before the rows."""

    @abstractmethod
    def row(self, row: Row) -> None:
        """Write one row."""

    def end(self) -> None:  # noqa: B027 (a hook a layout may fill; none needed by default)
        """What comes after the rows."""

    def _seen(self, d: Decision) -> None:
        self.scored = self.scored or d.score is not None
        self.answered = self.answered or d.on_follow_up

    def _who(self, row: Row, width: int) -> list[Piece]:
        pieces = [(line, "") for line in wrap(inert(row.invitation.id), width)]
        return pieces + [(line, "dim") for line in wrap(inert(row.invitation.name), width)]

    def _title(self, style: str) -> None:
        self.screen.print(inert(report_title(self.report)), style)


def _decision_pieces(d: Decision, width: int, label: str) -> list[Piece]:
    """The decision in its colour, then its notes (score, "answer") dim, within ``width``."""
    pieces = [(line, DECISION_STYLES.get(d.decision, "")) for line in wrap(label, width)]
    notes = decision_notes(d)
    if notes:
        pieces += [(line, "dim") for line in wrap(", ".join(notes), width)]
    return pieces


class CompareTable(DecisionTable):
    """Policies side by side: full names in a box, or short keys in an open table."""

    def __init__(self, report: Report, screen: Screen, widths: list[int], *, compact: bool) -> None:
        super().__init__(report, screen)
        self.compact = compact
        names = report.policy_names
        self.keys = keys(names) if compact else names
        self.grid = Grid.open(screen, widths) if compact else Grid.boxed(screen, widths)
        self._cells: dict[tuple[int, str, tuple[str, ...]], list[str]] = {}

    @classmethod
    def fitting(
        cls, report: Report, screen: Screen, width: int, *, compact: bool
    ) -> CompareTable | None:
        """The layout with its widths, or None when the invitation column would be too narrow."""
        names = report.policy_names
        heads = keys(names) if compact else names
        widths = []
        for head, policy in zip(heads, report.policies, strict=True):
            labels = [SHORT.get(d, d) if compact else d for d in decisions_of(policy)]
            if not compact:
                # Room for the notes too: "0-11, answer" (with short keys, they wrap).
                labels.append("x" * (score_width(policy) + 2) if policy.policy.scoring else "")
                labels[-1] += "answer"
            widths.append(max(cells(head), *(len(label) for label in labels)))
        if compact:
            room = width - sum(w + 2 for w in widths) - 1
        else:
            widths.append(len("agree"))
            room = width - sum(w + 3 for w in widths) - 4
        if room < (MIN_WHO if compact else WIDE_WHO):
            return None
        return cls(report, screen, [min(room, MAX_WHO), *widths], compact=compact)

    def start(self) -> None:
        self._title("table.title")
        heads = ["invitation", *self.keys, *([] if self.compact else ["agree"])]
        self.grid.header([inert(head) for head in heads])

    def row(self, row: Row) -> None:
        grid = self.grid
        who = self._who(row, grid.widths[0])
        if self.compact and row.agree:
            who.append(("all agree", "dim"))
        cells_ = [grid.cell(0, who)]
        for column, name in enumerate(self.report.policy_names, 1):
            d = row.decisions[name]
            self._seen(d)
            cells_.append(self._cell(column, d))
        if not self.compact:
            cells_.append(grid.cell(len(cells_), [("yes" if row.agree else "no", "")]))
        grid.row(cells_)

    def _cell(self, column: int, d: Decision) -> list[str]:
        key = (column, d.decision, decision_notes(d))
        found = self._cells.get(key)
        if found is None:
            if len(self._cells) > _CACHE_SIZE:
                self._cells.clear()
            label = SHORT.get(d.decision, d.decision) if self.compact else d.decision
            pieces = _decision_pieces(d, self.grid.widths[column], inert(label))
            found = self._cells[key] = self.grid.cell(column, pieces)
        return found

    def end(self) -> None:
        self.grid.end()
        notes = []
        if self.compact:
            legend = "  ".join(
                f"{key} {name}"
                for key, name in zip(self.keys, self.report.policy_names, strict=True)
            )
            notes.append(f"Policies: {legend}; limited = accept_limited.")
        notes += _notes(self.scored, self.answered)
        for note in notes:
            self.screen.print(inert(note), "dim")


def _notes(scored: bool, answered: bool) -> list[str]:
    notes = []
    if scored:
        notes.append(
            "3 pts: the policy's score; 0-11: the range it could still reach once "
            "the missing facts are known."
        )
    if answered:
        notes.append("answer: decided on the inviter's answer to your message (follow_up).")
    return notes


class SingleTable(DecisionTable):
    """One policy: the decision, its score, the rule that fired and the facts it lacked."""

    def __init__(self, report: Report, screen: Screen, widths: list[int], scored: bool) -> None:
        super().__init__(report, screen)
        self.has_score = scored
        right = [2] if scored else []
        self.grid = Grid.boxed(screen, widths, right=right)

    @classmethod
    def fitting(cls, report: Report, screen: Screen, width: int) -> SingleTable | None:
        """The layout with its widths, or None when the invitation or its facts lack room."""
        (policy,) = report.policies
        rules = [cells(inert(rule.id)) for rule in policy.policy.rules]
        fixed = [max(len("decision"), *(len(d) for d in decisions_of(policy)))]
        scored = bool(policy.policy.scoring)
        if scored:
            fixed.append(max(len("score"), score_width(policy)))
        fixed.append(min(max(len("rule"), *rules), MAX_RULE))
        room = width - sum(w + 3 for w in fixed) - 2 * 3 - 1
        # Room for the longest fact the policy reads (and its comma), so that none is cut.
        facts = [cells(fact) + 1 for read, _ in policy.checks for fact in read]
        who = min(max(room - max([room // 2, *facts]), MIN_WHO), MAX_WHO)
        missing = min(room - who, MAX_MISSING)
        if missing < max(MIN_WHO, len("missing facts")):
            return None
        return cls(report, screen, [who, *fixed, missing], scored)

    def start(self) -> None:
        self._title("table.title")
        heads = ["invitation", "decision", *(["score"] if self.has_score else []), "rule"]
        self.grid.header([*heads, "missing facts"])

    def row(self, row: Row) -> None:
        grid = self.grid
        widths = grid.widths
        (d,) = row.decisions.values()
        cells_ = [grid.cell(0, self._who(row, widths[0]))]
        cells_.append(grid.cell(1, _decision_pieces(d, widths[1], inert(d.decision))[:1]))
        column = 2
        if self.has_score:
            label = score_label(d.score) if d.score is not None else ""
            cells_.append(grid.cell(2, [(line, "") for line in wrap(label, widths[2])]))
            column = 3
        rule = [(line, "") for line in wrap(inert(d.rule), widths[column])]
        if d.on_follow_up:
            rule += [(line, "dim") for line in wrap("on their answer", widths[column])]
        cells_.append(grid.cell(column, rule))
        missing = wrap(inert(", ".join(d.missing)), widths[column + 1])
        cells_.append(grid.cell(column + 1, [(line, "") for line in missing]))
        grid.row(cells_)

    def end(self) -> None:
        self.grid.end()


class Blocks(DecisionTable):
    """One block per invitation, for a terminal too narrow for columns."""

    def __init__(self, report: Report, screen: Screen) -> None:
        super().__init__(report, screen)
        self.width = max(screen.width, MIN_WHO)
        names = report.policy_names
        self.keys = keys(names)

    def start(self) -> None:
        self._title("")

    def row(self, row: Row) -> None:
        paint = self.paint
        lines = [""]
        lines += [paint(text, style) for text, style in self._who(row, self.width)]
        single = len(self.report.policies) == 1
        if row.agree and not single:
            lines.append(paint("all agree", "dim"))
        items = []
        for key, d in zip(self.keys, row.decisions.values(), strict=True):
            self._seen(d)
            items.append(self._item(key, d, single))
        if single:
            (d,) = row.decisions.values()
            rule = inert(d.rule) + (" (on their answer)" if d.on_follow_up else "")
            items += [[("rule ", "dim"), (rule, "")]]
            if d.missing:
                items.append([("missing ", "dim"), (inert(", ".join(d.missing)), "")])
            lines += [line for item in items for line in _item_lines(paint, item, self.width - 2)]
        else:
            lines += _columns(paint, items, self.width - 2)
        self.out.write("\n".join(lines) + "\n")

    def _item(self, key: str, d: Decision, single: bool) -> list[Piece]:
        # The cell's two lines on one: "QOQ ask (3-7)".
        pieces = [] if single else [(inert(key) + " ", "bold")]
        label = SHORT.get(d.decision, d.decision)
        pieces.append((inert(label), DECISION_STYLES.get(d.decision, "")))
        notes = decision_notes(d)
        if notes:
            pieces.append((f" ({', '.join(notes)})", "dim"))
        return pieces

    def end(self) -> None:
        self.out.write("\n")
        if len(self.report.policies) > 1:
            for note in _notes(self.scored, self.answered):
                self.screen.print(note, "dim")


def _item_lines(paint: Callable[[str, str], str], item: Sequence[Piece], width: int) -> list[str]:
    """An item indented by two, on one line when it fits, else wrapped without its styles."""
    text = "".join(part for part, _ in item)
    if cells(text) <= width:
        return ["  " + "".join(paint(part, style) for part, style in item)]
    return ["  " + line for line in wrap(text, width)]


def _columns(paint: Callable[[str, str], str], items: list[list[Piece]], width: int) -> list[str]:
    """Items in as many columns as fit ``width``, row by row, two spaces apart, indented by two."""
    sizes = [sum(cells(part) for part, _ in item) for item in items]
    count = len(items)
    while count > 1:
        columns = [max(sizes[c::count]) for c in range(count)]
        if sum(columns) + 2 * (count - 1) <= width:
            break
        count -= 1
    if count == 1:
        return [line for item in items for line in _item_lines(paint, item, width)]
    lines = []
    for start in range(0, len(items), count):
        parts = []
        for c, (item, size) in enumerate(
            zip(items[start : start + count], sizes[start : start + count], strict=True)
        ):
            gap = " " * (columns[c] - size + 2)
            parts.append("".join(paint(part, style) for part, style in item) + gap)
        lines.append("  " + "".join(parts).rstrip(" "))
    return lines
