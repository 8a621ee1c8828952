"""``invpolicy new``: start a policy or a plugin from a commented template.

A refusal (a bad name, a file already there, a file that cannot be written) is
a :class:`~invpolicy.errors.ScaffoldError`, which the ``invpolicy`` group prints
as one ``Error:`` line, exit 1, like the other library errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from invpolicy.plugins.registry import Registry


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


def _registry_for_policy() -> tuple[Registry, str]:
    """The one registry ``new policy`` works with, and what its editor schema holds.

    Everything installed, so that a school can be a plugin's policy and the
    editor knows the plugins' criteria. If the plugins cannot be loaded, the
    built-ins, with a warning: a broken plugin must not stop a new policy.
    """
    from invpolicy.authoring.scaffold.policy import builtin_registry
    from invpolicy.cli.options import load_registry
    from invpolicy.errors import PluginError

    try:
        return load_registry(), "criteria and replies of your plugins"
    except PluginError as exc:
        click.echo(
            f"Warning: plugin error: {exc}; going on with the built-in criteria and replies",
            err=True,
        )
        return builtin_registry(), "the built-in criteria and replies only"


@click.group(
    short_help="Start a policy or a plugin from a template that explains itself.",
    epilog="""\b
Examples:
  invpolicy new policy my-school
  invpolicy new policy my-school --extends ask-first
  invpolicy new plugin my-city
""",
)
def new() -> None:
    """Start a policy or a plugin from a template that explains itself."""


@new.command(
    short_help="Write a policy whose comments explain the format.",
    epilog="""\b
Examples:
  invpolicy new policy my-school
  invpolicy new policy my-school --from strong-ties-only
  invpolicy new policy my-school --extends ask-first --directory policies/
""",
)
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
    from invpolicy.authoring.scaffold.policy import new_policy, write_editor_schema

    if school is not None and parent is not None:
        raise click.UsageError("--from and --extends do not go together: choose one")
    registry, holds = _registry_for_policy()
    path = new_policy(
        name,
        directory,
        author=author,
        school=school if parent is None else parent,
        extend=parent is not None,
        registry=registry,
    )
    click.echo(f"Wrote {path}")
    schema = write_editor_schema(path.parent, registry)
    if schema is not None:
        click.echo(f"Wrote {schema} (for your editor: {holds})")
    click.echo("Check it, and run its examples, with:")
    click.echo(f"  invpolicy validate {path}")
    click.echo(f"  invpolicy test {path}")


@new.command(
    short_help="Write a plugin package, ready to test and publish.",
    epilog="""\b
Examples:
  invpolicy new plugin my-city
  invpolicy new plugin invpolicy-my-city --author "Sam Leroy" --directory ..
""",
)
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
    from invpolicy.authoring.scaffold.plugin import new_plugin
    from invpolicy.cli.options import load_registry

    written = new_plugin(name, directory, author=author, registry=load_registry())
    target, names = written.directory, written.names
    click.echo(f"Wrote {target}: the plugin {names.entry_point}, module {names.module}")
    for path in written.files:
        click.echo(f"  {path.relative_to(target).as_posix()}")
    click.echo("Try it in a virtual environment:")
    click.echo(f"  cd {target}")
    click.echo('  python -m pip install -e ".[test]"')
    click.echo("  python -m pytest")
    click.echo("  invpolicy plugins")
