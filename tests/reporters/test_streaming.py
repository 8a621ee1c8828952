"""The table and the HTML page of a large report: written row by row, no row kept."""

from __future__ import annotations

import gc
import io
import re
import weakref
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from invpolicy import load_policy
from invpolicy.engine.explain import explanation_lines
from invpolicy.engine.runner import Report, Row, compare_stream
from invpolicy.model.invitation import Invitation
from invpolicy.reporters.html import write_report
from invpolicy.reporters.lines import Spool, wrap
from invpolicy.reporters.tables import TableReporter

NAMES = ["strong-ties-only", "ask-first", "common-ground"]
COUNT = 1500


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A known width and no colour unless a test asks for it."""
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def invitation(i: int) -> Invitation:
    facts = {"met_in_person": i % 3 == 0, "exchanges": i % 4, "mutual_connections": i % 5}
    return Invitation(f"inv-{i:05d}", f"Inviter Number{i}", facts)


def report(registry, invitations, *, names=NAMES, **options) -> Report:
    return compare_stream(invitations, [load_policy(n, registry) for n in names], **options)


class Forgotten:
    """Wraps a report's rows and counts, now and then, the rows made before the last
    three (the writer's current row, and Jinja's loop keeps the one before) that are
    still in memory: none should be."""

    def __init__(self, rows) -> None:
        self.rows = rows
        self.made = 0
        self.kept: list[int] = []

    def __iter__(self) -> Iterator[Row]:
        refs: list[weakref.ref[Row]] = []
        for row in self.rows:
            refs.append(weakref.ref(row))
            self.made += 1
            if self.made % 250 == 0:
                gc.collect()
                self.kept.append(sum(ref() is not None for ref in refs[:-3]))
            yield row


def rows_of_table(text: str) -> list[str]:
    """The invitation ids in the table's rows, in order."""
    return re.findall(r"^│ (inv-\d+) ", text, flags=re.MULTILINE)


def test_the_table_writes_every_row_in_order_and_keeps_none(registry):
    stream = io.StringIO()
    made = report(registry, (invitation(i) for i in range(COUNT)))
    forgotten = Forgotten(made.rows)
    made.rows = forgotten
    TableReporter(stream, replies=False).decisions(made)
    text = stream.getvalue()
    assert rows_of_table(text) == [f"inv-{i:05d}" for i in range(COUNT)]
    assert forgotten.made == COUNT and forgotten.kept == [0] * (COUNT // 250)
    # After the rows: the summary, counted over every row, and the facts lacked.
    assert f"The policies agree on {made.summary.agreed} of {COUNT} invitations." in text
    assert text.index("How often each pair agrees") > text.index(f"inv-{COUNT - 1:05d}")
    assert "Facts the decisions lacked" in text


def test_a_row_is_in_the_table_before_the_next_invitation_is_read(registry):
    stream = io.StringIO()

    def invitations():
        for i in range(5):
            yield invitation(i)
            # By now the row of invitation i is written: nothing waits for the end.
            assert f"inv-{i:05d}" in stream.getvalue()

    TableReporter(stream, replies=False).decisions(report(registry, invitations()))


@pytest.mark.parametrize("explain", [False, True])
def test_explanations_and_replies_follow_the_summary_for_every_row(registry, explain):
    stream = io.StringIO()
    made = report(registry, (invitation(i) for i in range(40)), names=["strong-ties-only"])
    TableReporter(stream, replies=True, explain=explain).decisions(made)
    text = stream.getvalue()
    summary = text.index("strong-ties-only: ")
    replies = [m.start() for m in re.finditer(r"^inv-\d+ \(.*\), strong-ties-only: ", text, re.M)]
    # One reply per decision that drafts one (all but an ignore), and one explanation each.
    assert len(replies) >= 40 * (2 if explain else 1) - 40
    assert min(replies) > summary
    assert ("rule met-in-person:" in text) == explain


def test_colour_only_on_a_terminal(registry, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def table(stream, **options):
        made = report(registry, (invitation(i) for i in range(3)))
        TableReporter(stream, replies=False, **options).decisions(made)
        return stream.getvalue()

    green = "\x1b[32m"  # accept
    assert green in table(Terminal())
    assert "\x1b[" not in table(io.StringIO())
    assert "\x1b[" not in table(Terminal(), color=False)
    assert green in table(io.StringIO(), color=True)
    monkeypatch.setenv("NO_COLOR", "1")
    shown = table(Terminal())
    assert green not in shown and "\x1b[1m" in shown  # bold headers stay


def test_long_ids_and_names_wrap_inside_their_column_and_lose_nothing(registry):
    long_id = "https://www.linkedin.com/in/someone-with-a-very-long-profile-address-1a2b3c4d"
    name = "Maria-Dolores de la Fuente y Fernández-Castañeda"
    stream = io.StringIO()
    made = report(registry, [Invitation(long_id, name, {})], names=NAMES[:2])
    TableReporter(stream, replies=False).decisions(made)
    lines = stream.getvalue().splitlines()
    table = [line for line in lines if line.startswith("│")]
    assert all(len(line) == len(table[0]) <= 100 for line in table)
    first = [line.split("│")[1].strip() for line in table]
    assert "".join(first).replace(" ", "") == (long_id + name).replace(" ", "")
    assert max(len(cell) for cell in first) < len(long_id)


def test_wrap_breaks_at_spaces_and_cuts_only_what_cannot_fit():
    assert wrap("met_in_person, exchanges, posts", 15) == ["met_in_person,", "exchanges,", "posts"]
    assert wrap("stock-text-stranger", 12) == ["stock-text-", "stranger"]
    assert wrap("abcdefghijkl", 5) == ["abcde", "fghij", "kl"]
    assert wrap("日本語の名前", 4) == ["日本", "語の", "名前"]
    assert wrap("one\n\ntwo", 10) == ["one", "", "two"]


def test_a_spool_moves_to_a_temporary_file_and_gives_back_what_it_kept():
    spool = Spool(limit=100)
    parts = [f"line {i}\n" for i in range(1000)]
    for part in parts:
        spool.write(part)
    assert spool._file is not None  # on disk, not in memory
    out = io.StringIO()
    spool.copy_to(out)
    assert out.getvalue() == "".join(parts)
    spool.close()
    assert not spool


# --- the HTML page --------------------------------------------------------------------

#: Elements that have no end tag.
VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr", "area", "base"}


class Nesting(HTMLParser):
    """Checks that every element is closed, in the order it was opened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for key, value in attrs if key == "id" and value]
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else ''}>")
        else:
            self.open.pop()


def test_the_page_writes_every_row_in_order_keeps_none_and_is_well_formed(registry):
    stream = io.StringIO()
    made = report(registry, (invitation(i) for i in range(COUNT)), what_if=True)
    forgotten = Forgotten(made.rows)
    made.rows = forgotten
    write_report(made, stream, replies=True, explain_lines=explanation_lines)
    page = stream.getvalue()
    ids = re.findall(r'<th scope="row" class="who"><span class="inv-id">(inv-\d+)</span>', page)
    assert ids == [f"inv-{i:05d}" for i in range(COUNT)]
    assert forgotten.kept == [0] * (COUNT // 250)
    # Each cell's explanation travels with its row; the summary and counts come after.
    assert page.count('<template id="why-detail-') == COUNT * len(NAMES)
    assert f"<strong>{COUNT}</strong> invitations decided" in page
    assert page.index("invitations decided") > page.index(f"inv-{COUNT - 1:05d}")
    assert page.index('id="changes"') > page.index("</table>")
    nesting = Nesting()
    nesting.feed(page)
    nesting.close()
    assert nesting.problems == [] and nesting.open == []
    assert len(nesting.ids) == len(set(nesting.ids))


def test_a_row_is_in_the_page_before_the_last_invitation_is_read(registry):
    stream = io.StringIO()
    count = 60

    def invitations():
        for i in range(count):
            yield invitation(i)
        # The page is written in pieces of a few hundred: the first rows are out.
        assert "inv-00000" in stream.getvalue()
        assert "invitations decided" not in stream.getvalue()

    made = report(registry, invitations())
    write_report(made, stream, replies=False, explain_lines=explanation_lines)
    assert f"inv-{count - 1:05d}" in stream.getvalue()


@pytest.mark.parametrize("fmt", ["table", "html"])
def test_what_the_input_skipped_is_said_once_every_row_is_read(registry, fmt):
    # The reader counts what it leaves out (sent invitations...) as it goes: the
    # count is complete only once the last row is read, and the report says it then.
    skipped: dict[str, int] = {}

    def invitations():
        yield invitation(0)
        skipped["outgoing"] = 2

    made = report(registry, invitations())
    made.skipped = skipped
    stream = io.StringIO()
    if fmt == "table":
        TableReporter(stream, replies=False).decisions(made)
        assert "Not decided: 2 outgoing." in stream.getvalue()
    else:
        write_report(made, stream, replies=False, explain_lines=explanation_lines)
        assert "<li>not decided: 2 outgoing</li>" in stream.getvalue()


@pytest.mark.parametrize("columns", [40, 59, 60, 61, 72, 80, 100, 160])
@pytest.mark.parametrize("names", [["quality-over-quantity"], ["strong-ties-only"], NAMES])
def test_no_line_is_wider_than_the_terminal(registry, monkeypatch, columns, names):
    monkeypatch.setenv("COLUMNS", str(columns))
    stream = io.StringIO()
    made = report(registry, (invitation(i) for i in range(20)), names=names, what_if=True)
    TableReporter(stream, replies=True, explain=True).decisions(made)
    lines = stream.getvalue().splitlines()
    assert max(len(line) for line in lines) <= columns
    assert sum("inv-00019" in line for line in lines) >= 1
