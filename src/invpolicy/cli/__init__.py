"""The ``invpolicy`` command: the click group, and one module per command below it.

This is the top layer: it may import every other one, and nothing imports it.
A command is a thin layer over functions a Python user could call directly; it
turns their errors into clean messages and exit codes, never tracebacks.

Start-up imports click and the package root (with its error classes and the
plugin contract) only: each command's module is imported when it runs (or when
``--help`` lists it), and imports what it needs inside the command.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import IO, Any

import click

from invpolicy.errors import InvpolicyError, PluginError, Problem, ScaffoldError
from invpolicy.version import __version__


class ProblemsError(click.ClickException):
    """Bad input: one ``path:line:col: message`` line per problem, exit 1."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)

    def show(self, file: IO[Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(str(problem), err=True, file=file)


#: Every command, as ``module:attribute``, imported only when it runs.
COMMANDS = {
    "compare": "invpolicy.cli.compare:compare",
    "decide": "invpolicy.cli.decide:decide",
    "fmt": "invpolicy.cli.fmt:fmt",
    "lint": "invpolicy.cli.lint:lint",
    "new": "invpolicy.cli.new:new",
    "plugins": "invpolicy.cli.plugins:plugins",
    "policies": "invpolicy.cli.policies:list_policies",
    "schema": "invpolicy.cli.schema:schema",
    "show": "invpolicy.cli.show:show",
    "test": "invpolicy.cli.test:test",
    "validate": "invpolicy.cli.validate:validate",
}


class _Group(click.Group):
    """Turns library errors into clean messages and exit codes, never tracebacks."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvpolicyError as exc:
            raise ProblemsError(exc.problems) from None
        except PluginError as exc:
            raise click.ClickException(f"plugin error: {exc}") from None
        except ScaffoldError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="invpolicy")
def cli() -> None:
    """Decide what to do with connection invitations from people you do not know.

    Each school of thought is a policy file; invpolicy decides with it, says
    why, drafts the reply, and compares schools side by side.
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="invpolicy")
