"""Problems found in user input, reported as ``path:line:col: message``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from invpolicy.frozen import frozen
from invpolicy.text import counted, one_line


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at a 1-based line and column.

    ``detail`` keeps what a parser said in its own words when ``message`` says
    it in plain ones; it is shown with ``--verbose`` only, and two problems
    that differ only by it are the same problem.
    """

    path: str
    line: int
    col: int
    message: str
    detail: str = field(default="", compare=False)

    def __str__(self) -> str:
        # Paths and messages quote what files hold: shown inert, on one line.
        return one_line(f"{self.path}:{self.line}:{self.col}: {self.message}")

    def to_json(self) -> dict[str, str | int]:
        """The problem as the JSON formats write it."""
        return {"path": self.path, "line": self.line, "col": self.col, "message": self.message}


@frozen
class Location:
    """Where something was written: a file, and a 1-based line and column."""

    path: str = ""
    line: int = 1
    col: int = 1

    def problem(self, message: str) -> Problem:
        """A :class:`Problem` at this place."""
        return Problem(self.path, self.line, self.col, message)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


#: How many problem lines a command prints before it stops, unless told otherwise.
MAX_PROBLEMS = 20
#: How many more line numbers a problem said once for many rows names.
MAX_LINES_NAMED = 5


@frozen
class ProblemDisplay:
    """How a list of problems is printed (the command line's ``--max-problems``, ``--verbose``).

    ``max_problems`` lines at most, then one line saying how many more there
    are; 0 prints them all. ``verbose`` adds a parser's own words to a problem
    that has them (:attr:`Problem.detail`).
    """

    max_problems: int = MAX_PROBLEMS
    verbose: bool = False


#: As problems are printed unless told otherwise.
DEFAULT_DISPLAY = ProblemDisplay()
#: The current way of printing problems: the command line sets it for the command it runs.
PROBLEM_DISPLAY: ContextVar[ProblemDisplay] = ContextVar(
    "invpolicy_problem_display", default=DEFAULT_DISPLAY
)


def problem_lines(problems: Iterable[Problem], display: ProblemDisplay | None = None) -> list[str]:
    """The lines that print ``problems``: each thing said once, and at most so many lines.

    A problem repeated on other lines of the same file (same path, column and
    message) is one line, the first, that names the other lines (five at most)::

        in.csv:2:3: mutual_connections: expected integer, got "three" (and on 999 more
        rows: lines 3, 4, 5, 6, 7, ...)

    After ``display.max_problems`` lines (the current :data:`PROBLEM_DISPLAY`
    by default), one line says how many more there are.
    """
    display = display or PROBLEM_DISPLAY.get()
    groups: dict[tuple[str, int, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.path, problem.col, problem.message), []).append(problem)
    lines = []
    for first, *others in groups.values():
        line = str(first)
        if display.verbose and first.detail:
            line += one_line(f" (parser: {first.detail})")
        more = list(dict.fromkeys(p.line for p in others if p.line != first.line))
        if more:
            named = ", ".join(str(n) for n in more[:MAX_LINES_NAMED])
            if len(more) > MAX_LINES_NAMED:
                named += ", ..."
            rows = counted(len(more), "more row")
            line += f" (and on {rows}: {'line' if len(more) == 1 else 'lines'} {named})"
        lines.append(line)
    cap = display.max_problems
    if cap and len(lines) > cap:
        rest = counted(len(lines) - cap, "more problem")
        lines[cap:] = [f"... and {rest} (--max-problems 0 shows all)"]
    return lines


class InvpolicyError(Exception):
    """Raised by the library for bad input; carries every problem found.

    The CLI prints one line per problem and exits 1; a Python caller can read
    :attr:`problems`.
    """

    def __init__(self, problems: Sequence[Problem] | Problem) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class PluginError(Exception):
    """A plugin broke the contract (raised, returned the wrong type, clashed)."""


class ScaffoldError(Exception):
    """``invpolicy new`` cannot write its files: a bad name, a file already there, no author.

    The CLI prints the message as one ``Error:`` line and exits 1.
    """


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
