"""``invpolicy new``: start a policy or a plugin from a commented template."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """A refusal (bad name, file already there, a file that cannot be written) is one
    ``Error:`` line and exit 1."""
    from invpolicy.scaffold import ScaffoldError

    try:
        yield
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise click.ClickException(f"{where}{exc.strerror or exc}") from None


def _common_options(who: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--directory`` and ``--author``; ``who`` says what the author is."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--author",
            help=f"{who}. Default: `git config user.name` (read in the directory), "
            "else your login name.",
        )(command)
        return click.option(
            "--directory",
            "-d",
            default=".",
            show_default=True,
            type=click.Path(file_okay=False),
            help="The directory to write in; it must exist.",
        )(command)

    return decorate


@click.group()
def new() -> None:
    """Start a policy or a plugin from a template that explains itself."""


@new.command(short_help="Write a policy whose comments explain the format.")
@click.argument("name")
@click.option(
    "--from",
    "school",
    metavar="SCHOOL",
    help="Start from this policy (an installed policy's name, or a path): a copy of it, "
    "renamed NAME.",
)
@click.option(
    "--extends",
    "parent",
    metavar="SCHOOL",
    help="Write a short policy that extends this one (and follows its changes), with "
    "commented examples of what it can change.",
)
@_common_options("Who holds the policy")
def policy(
    name: str, school: str | None, parent: str | None, directory: str, author: str | None
) -> None:
    """Write NAME.yaml: a working policy whose comments explain the format.

    NAME is lower-case letters, digits and '-'. Without --from or --extends,
    the policy accepts people you know, ignores recruiters without a note,
    asks or declines the others, and has an example for each rule. An
    existing file is never overwritten.
    """
    from invpolicy.scaffold import new_policy

    if school is not None and parent is not None:
        raise click.UsageError("--from and --extends do not go together: choose one")
    with _one_line_errors():
        path = new_policy(
            name,
            directory,
            author=author,
            school=school if parent is None else parent,
            extend=parent is not None,
        )
    click.echo(f"Wrote {path}")
    schema = path.with_name("policy.schema.json")
    if not schema.exists():
        # The file's first line points an editor's YAML language server here.
        import json

        from invpolicy.atomic import atomic_write
        from invpolicy.cli import _registry
        from invpolicy.editorschema import policy_schema

        with _one_line_errors():
            atomic_write(schema, json.dumps(policy_schema(_registry()), indent=2) + "\n")
        click.echo(f"Wrote {schema} (for your editor: criteria and replies of your plugins)")
    click.echo("Check it, and run its examples, with:")
    click.echo(f"  invpolicy validate {path}")
    click.echo(f"  invpolicy test {path}")


@new.command(short_help="Write a plugin package, ready to test and publish.")
@click.argument("name")
@_common_options("Who writes the plugin")
def plugin(name: str, directory: str, author: str | None) -> None:
    """Write a plugin package: a criterion, a reply generator, a policy, tests.

    NAME is the plugin's short name or its distribution's name. For my-city
    or invpolicy-my-city:

    \b
      directory    invpolicy-my-city (it must not exist)
      module       invpolicy_my_city
      entry point  my_city, in the group invpolicy
    """
    from invpolicy.pluginscaffold import PluginNames, new_plugin

    with _one_line_errors():
        names = PluginNames.parse(name)
        target, files = new_plugin(name, directory, author=author)
    click.echo(f"Wrote {target}: the plugin {names.entry_point}, module {names.module}")
    for path in files:
        click.echo(f"  {path.relative_to(target).as_posix()}")
    click.echo("Try it in a virtual environment:")
    click.echo(f"  cd {target}")
    click.echo('  python -m pip install -e ".[test]"')
    click.echo("  python -m pytest")
    click.echo("  invpolicy plugins")
