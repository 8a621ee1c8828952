"""Problems found in user input, reported as ``path:line:col: message``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from invpolicy.text import one_line


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


@dataclass(frozen=True)
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
