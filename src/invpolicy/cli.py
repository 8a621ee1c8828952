"""The ``invpolicy`` command: a thin layer over the library.

Only click, the package root and the list of output formats are imported at
start-up; each command imports what it needs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from invpolicy import __version__
from invpolicy.errors import InvpolicyError, PluginError, Problem
from invpolicy.reporters import REPORTER_BY_NAME

if TYPE_CHECKING:
    from invpolicy.engine import CompiledPolicy
    from invpolicy.plugins import Registry
    from invpolicy.reporters import Reporter


class ProblemsError(click.ClickException):
    """Bad input: one ``path:line:col: message`` line per problem, exit 1."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)

    def show(self, file: IO[Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(str(problem), err=True, file=file)


class _Group(click.Group):
    """Turns library errors into clean messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvpolicyError as exc:
            raise ProblemsError(exc.problems) from None
        except PluginError as exc:
            raise click.ClickException(f"plugin error: {exc}") from None


format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(list(REPORTER_BY_NAME)),
    default="table",
    show_default=True,
    help="Output format.",
)
explain_option = click.option(
    "--explain",
    is_flag=True,
    help="Show every rule tried, what each criterion saw, and the rule that fired.",
)


def _registry() -> Registry:
    from invpolicy.plugins import Registry

    return Registry.default()


def _reporter(output_format: str, **options: bool) -> Reporter:
    return REPORTER_BY_NAME[output_format](sys.stdout, **options)


def _load_policies(refs: Sequence[str | Path], registry: Registry) -> list[CompiledPolicy]:
    from invpolicy.policy import load_policy

    policies: list[CompiledPolicy] = []
    problems: list[Problem] = []
    for ref in refs:
        try:
            policies.append(load_policy(ref, registry))
        except InvpolicyError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvpolicyError(problems)
    return policies


def _run(
    registry: Registry,
    invitations_path: str,
    refs: Sequence[str | Path],
    output_format: str,
    *,
    explain: bool,
    replies: bool,
) -> None:
    from invpolicy.invitations import load_invitations
    from invpolicy.runner import compare

    policies = _load_policies(refs, registry)
    invitations = load_invitations(invitations_path)
    report = compare(invitations, policies, explain=explain)
    _reporter(output_format, explain=explain, replies=replies).decisions(report)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="invpolicy")
def cli() -> None:
    """Decide what to do with connection invitations from people you do not know.

    Each school of thought is a policy file; invpolicy decides with it, says
    why, drafts the reply, and compares schools side by side.
    """


@cli.command()
@click.argument("policies", nargs=-1, required=True)
def validate(policies: tuple[str, ...]) -> None:
    """Check policy files (paths or installed names).

    Prints one line per problem, as path:line:col: message, and exits 1 if
    there is any.
    """
    from invpolicy.policy import load_policy

    registry = _registry()
    problems: list[Problem] = []
    for ref in policies:
        try:
            policy = load_policy(ref, registry).policy
        except InvpolicyError as exc:
            problems.extend(exc.problems)
            continue
        except PluginError as exc:
            problems.append(Problem(ref, 1, 1, f"plugin error: {exc}"))
            continue
        count = len(policy.rules)
        click.echo(f"{policy.path}: valid ({policy.name}, {count} rule{'s' if count != 1 else ''})")
    if problems:
        raise InvpolicyError(problems)


@cli.command()
@click.argument("invitations", metavar="INVITATIONS")
@click.option(
    "--policy",
    "-p",
    "policy",
    required=True,
    help="An installed policy's name, or a path to a policy file.",
)
@format_option
@explain_option
def decide(invitations: str, policy: str, output_format: str, explain: bool) -> None:
    """Decide each invitation in INVITATIONS (YAML or JSON) with one policy; draft the replies."""
    _run(_registry(), invitations, [policy], output_format, explain=explain, replies=True)


@cli.command()
@click.argument("invitations", metavar="INVITATIONS")
@click.option(
    "--policy",
    "-p",
    "policies",
    multiple=True,
    help="A policy's name or path; repeat it. Default: every installed policy.",
)
@click.option("--replies", is_flag=True, help="Also print the drafted replies.")
@format_option
@explain_option
def compare(
    invitations: str,
    policies: tuple[str, ...],
    replies: bool,
    output_format: str,
    explain: bool,
) -> None:
    """Show side by side what each policy decides for each invitation in INVITATIONS."""
    from invpolicy.catalog import installed_policies

    registry = _registry()
    refs: list[str | Path] = list(policies)
    if not refs:
        refs = [e.name for e in installed_policies(registry) if e.shadowed_by is None]
        if not refs:
            raise click.UsageError("no policy is installed: name one with --policy")
    _run(registry, invitations, refs, output_format, explain=explain, replies=replies)


@cli.command("policies")
@format_option
@click.option(
    "--long", "-l", "long_", is_flag=True, help="Show each policy's summary in the table."
)
def list_policies(output_format: str, long_: bool) -> None:
    """List the installed policies: what each says, and where it comes from."""
    from invpolicy.catalog import installed_policies

    registry = _registry()
    _reporter(output_format, long=long_).policies(installed_policies(registry), registry)


@cli.command()
@format_option
def plugins(output_format: str) -> None:
    """List the installed criteria and reply generators and where they come from."""
    _reporter(output_format).plugins(_registry())


@cli.command()
@click.argument("which", type=click.Choice(["policy", "invitation"]), default="policy")
def schema(which: str) -> None:
    """Print the JSON Schema of policy files (or of invitation files)."""
    import json

    from invpolicy.resources import load_schema

    click.echo(json.dumps(load_schema(which), ensure_ascii=False, indent=2))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="invpolicy")
