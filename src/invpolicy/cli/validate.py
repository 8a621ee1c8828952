"""``invpolicy validate``: check policy files."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.errors import InvpolicyError, PluginError, Problem
from invpolicy.text import counted


@click.command()
@click.argument("policies", nargs=-1, required=True)
def validate(policies: tuple[str, ...]) -> None:
    """Check policy files (paths or installed names).

    Prints one line per problem, as path:line:col: message, and exits 1 if
    there is any.
    """
    from invpolicy import load_policy

    registry = options.load_registry()
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
        click.echo(f"{policy.path}: valid ({policy.name}, {counted(count, 'rule')})")
    if problems:
        raise InvpolicyError(problems)
