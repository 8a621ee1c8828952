"""How a command says that its input has problems: one line each, and an exit status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from invpolicy.errors import Problem, ProblemDisplay


class ProblemsError(click.ClickException):
    """Bad input: one ``path:line:col: message`` line per problem, exit 1.

    Printed as :func:`~invpolicy.errors.problem_lines` says: a problem repeated
    on many rows once, and at most ``--max-problems`` lines.
    """

    def __init__(self, problems: Sequence[Problem], display: ProblemDisplay | None = None) -> None:
        from invpolicy.errors import PROBLEM_DISPLAY, problem_lines

        #: How to print them, as the command was told when the problems were found.
        self.display = display or PROBLEM_DISPLAY.get()
        self.problems = tuple(problems)
        super().__init__("\n".join(problem_lines(self.problems, self.display)))

    def show(self, file: IO[Any] | None = None) -> None:
        from invpolicy.errors import problem_lines

        for line in problem_lines(self.problems, self.display):
            click.echo(line, err=True, file=file)


class DiffProblems(ProblemsError):
    """``invpolicy diff``'s problems: exit status 2, as diff(1) (1 says the policies differ)."""

    exit_code = 2
