"""The screens reports are drawn on: plain text off a terminal, rich's styles on one."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from invpolicy import load_policy
from invpolicy.cli import cli
from invpolicy.engine.runner import compare_stream
from invpolicy.model.invitation import Invitation
from invpolicy.reporters.fitted import draw_table, fit
from invpolicy.reporters.lines import cells, wrap
from invpolicy.reporters.screen import Screen, open_screen, screen_width
from invpolicy.reporters.tables import TableReporter

ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def known_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)


def plain(text: str) -> str:
    """What a person reads: no escape codes, no spaces at the end of a line."""
    return "\n".join(line.rstrip(" ") for line in ESCAPES.sub("", text).split("\n"))


def invitations() -> list[Invitation]:
    return [
        Invitation("ana", "Ana Lima", {"met_in_person": True}),
        Invitation("bo", "Bō Nakamura 中村", {"exchanges": 3, "mutual_connections": 12}),
        Invitation("long-" + "x" * 60, "Zoë Ångström-Müller", {}),
    ]


@pytest.mark.parametrize("names", [["strong-ties-only"], ["strong-ties-only", "ask-first"]])
@pytest.mark.parametrize("explain", [False, True])
def test_a_terminal_and_a_pipe_show_the_same_text(registry, names, explain) -> None:
    def drawn(color: bool | None) -> str:
        stream = io.StringIO()
        made = compare_stream(invitations(), [load_policy(n, registry) for n in names])
        TableReporter(stream, explain=explain, replies=True, color=color).decisions(made)
        return stream.getvalue()

    coloured, piped = drawn(True), drawn(None)
    assert "\x1b[" in coloured and "\x1b[" not in piped
    assert plain(coloured) == piped
    assert all(cells(line) <= 90 for line in piped.splitlines())


def test_the_width_is_columns_else_80(monkeypatch) -> None:
    assert screen_width() == 90
    monkeypatch.setenv("COLUMNS", "abc")
    width = screen_width()
    assert width >= 1  # the terminal's, or 80 without one
    monkeypatch.setattr("os.get_terminal_size", _no_terminal)
    assert screen_width() == 80


def _no_terminal(descriptor: int = 0) -> object:
    raise OSError("not a terminal")


def test_a_stream_without_utf8_gets_ascii_frames() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    screen = open_screen(stream, None)
    draw_table(screen, ["name", "from"], [[[("ask-first", "")], [("built-in", "")]]])
    stream.flush()
    text = raw.getvalue().decode("latin-1")
    assert "+-" in text and "┏" not in text and "| ask-first | built-in |" in text


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "中村",
        "e\u0301",  # e and a combining acute accent
        "Zoë Ångström",
        "👩\u200d💻",  # two emoji joined into one
        "👍🏻",  # a skin tone
        "❤\ufe0f",  # a symbol drawn as an emoji
        "\u1100\u1161",  # a Hangul syllable in two letters
        "🇫🇷",
        "Zoë 😀😀 👩\u200d💻 Smith ❤\ufe0f 🇫🇷 done",
    ],
)
def test_a_text_takes_the_cells_a_terminal_gives_it(text: str) -> None:
    from rich.cells import cell_len

    assert cells(text) == cell_len(text)


def test_wide_characters_wrap_whole_and_add_no_empty_line() -> None:
    assert wrap("中村中村中村", 5) == ["中村", "中村", "中村"]
    assert wrap("漢", 1) == ["漢"]
    assert wrap("ab 漢字漢字", 4) == ["ab", "漢字", "漢字"]


def test_a_table_too_wide_narrows_its_widest_columns_first() -> None:
    assert fit([10, 40, 30], 60) == [10, 25, 25]
    assert fit([10, 20], 40) == [10, 20]  # fits: unchanged
    assert sum(fit([30, 30, 30], 45)) <= 45
    assert fit([5, 3, 3], 4) == [1, 1, 2]
    # Columns kept at their width (numbers) are not narrowed, even when nothing else fits.
    assert fit([20, 2, 2], 10, [1, 2, 2]) == [6, 2, 2]
    assert fit([20, 2, 2], 3, [1, 2, 2]) == [1, 2, 2]


@pytest.mark.parametrize("columns", [30, 42, 60])
def test_the_agreement_matrix_never_cuts_a_number(columns: int) -> None:
    def numbers(width: int) -> list[str]:
        repo = Path(__file__).resolve().parents[2]
        args = ["compare", str(repo / "examples" / "invitations.yaml")]
        shown = CliRunner().invoke(cli, args, env={"COLUMNS": str(width)}).stdout
        matrix = shown.split("How often each pair agrees (%)")[1].split("\n\n\n")[0]
        return [token for token in matrix.split() if token.isdigit()]

    wide = numbers(200)
    assert len(wide) >= 7 * 6  # every pair of the bundled policies, each way
    assert numbers(columns) == wide


def test_cells_too_long_for_a_narrow_table_wrap_and_lose_nothing() -> None:
    out = io.StringIO()
    screen = Screen(out, 30)
    words = "the benefit of the doubt, with limited access"
    draw_table(screen, ["name", "what it says"], [[[("benefit-of-the-doubt", "")], [(words, "")]]])
    lines = out.getvalue().splitlines()
    assert all(cells(line) <= 30 for line in lines)
    body = [line.split("│")[1:3] for line in lines if line.startswith("│")]
    assert "".join(name.strip() for name, _ in body) == "benefit-of-the-doubt"
    assert " ".join(said.strip() for _, said in body) == words


def test_a_tab_in_a_line_of_several_styles_loses_and_repeats_nothing() -> None:
    screen = Screen(io.StringIO(), 30)
    pieces = [("x (D\tBrooks), ask-first: ", ""), ("ask", "yellow"), (", reply by ask (en)", "")]
    text = screen.pieces_text(pieces)
    assert " ".join(text.split()) == "x (D Brooks), ask-first: ask, reply by ask (en)"
    assert all(cells(line) <= 30 for line in text.splitlines())


def test_a_line_of_several_styles_keeps_each_style_where_it_wraps() -> None:
    class Marks(Screen):
        def paint(self, text: str, style: str = "") -> str:
            return f"<{style}>{text}</>" if style else text

    screen = Marks(io.StringIO(), 20)
    text = screen.pieces_text([("ana, ask-first: ", ""), ("ask", "yellow"), (", reply by x", "")])
    assert text == "ana, ask-first: <yellow>ask</>,\nreply by x\n"


@pytest.mark.parametrize(
    "args",
    [
        ["policies"],
        ["policies", "--long"],
        ["plugins"],
        ["diff", "strong-ties-only", "ask-first"],
        ["compare", "examples/invitations.yaml", "-p", "ask-first", "-p", "common-ground"],
    ],
)
def test_every_table_reads_the_same_in_colour_and_in_plain_text(args) -> None:
    repo = Path(__file__).resolve().parents[2]
    args = [str(repo / a) if a.startswith("examples/") else a for a in args]
    runner = CliRunner()
    piped = runner.invoke(cli, args, env={"COLUMNS": "72"})
    coloured = runner.invoke(cli, args, env={"COLUMNS": "72", "FORCE_COLOR": "1"})
    assert piped.exit_code == coloured.exit_code
    assert "\x1b[" in coloured.stdout and "\x1b[" not in piped.stdout
    assert plain(coloured.stdout) == piped.stdout
    assert all(cells(line) <= 72 for line in piped.stdout.splitlines())
