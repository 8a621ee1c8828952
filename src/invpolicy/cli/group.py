"""The click group: its options, the commands it finds, and the errors it turns into messages.

Start-up imports click and this module only: each command's module is
imported when it runs (or when ``--help`` lists it), and imports what it needs
inside the command; the error classes are imported when a command runs.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from invpolicy.cli.problems import ProblemsError
from invpolicy.cli.stdout import reader_gone
from invpolicy.version import __version__


def _set_display(**change: Any) -> None:
    from dataclasses import replace

    from invpolicy.errors import PROBLEM_DISPLAY

    PROBLEM_DISPLAY.set(replace(PROBLEM_DISPLAY.get(), **change))


def _max_problems(ctx: click.Context, param: click.Parameter, value: int) -> int:
    _set_display(max_problems=value)
    return value


def _verbose(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        _set_display(verbose=True)
    return value


def _also_verbose(param: click.Parameter) -> None:
    """Make a command's own ``--verbose`` add the parser's words to problems too."""
    before = param.callback

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        return _verbose(ctx, param, before(ctx, param, value) if before else value)

    param.callback = callback
    if isinstance(param, click.Option):
        param.help = (
            f"{param.help or ''} Also gives a parser's own words for a file it cannot read."
        )


def _add_problem_options(command: click.Command) -> None:
    """Give ``command`` ``--max-problems`` and ``--verbose``, which every command takes.

    A command with a ``--verbose`` of its own (saying more of what it does)
    keeps it: the same flag then also adds the parser's words to problems.
    """
    if any(param.name == "max_problems" for param in command.params):
        return  # done the first time the command was looked up
    from invpolicy.errors import MAX_PROBLEMS
    from invpolicy.io.cachedir import NO_CACHE_ENV

    command.params.append(
        click.Option(
            ["--max-problems"],
            type=click.IntRange(min=0),
            default=MAX_PROBLEMS,
            show_default=True,
            metavar="N",
            envvar="INVPOLICY_MAX_PROBLEMS",
            show_envvar=True,
            is_eager=True,
            expose_value=False,
            callback=_max_problems,
            help="Print at most N problems with the input, then how many more (0: all).",
        )
    )
    if command.name in CACHED_COMMANDS:
        command.params.append(
            click.Option(
                ["--no-cache"],
                is_flag=True,
                is_eager=True,
                expose_value=False,
                callback=_no_cache,
                help="Read every policy from its file: neither use nor fill the cache "
                f"of compiled policies (also: {NO_CACHE_ENV}=1).",
            )
        )
    own = [p for p in command.params if "--verbose" in getattr(p, "opts", ())]
    if own:
        _also_verbose(own[0])
        return
    command.params.append(
        click.Option(
            ["--verbose"],
            is_flag=True,
            is_eager=True,
            expose_value=False,
            callback=_verbose,
            help="With a file that cannot be read, also give the parser's own words.",
        )
    )


def _no_cache(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    from invpolicy.io.cachedir import CACHE_OFF

    if value:
        CACHE_OFF.set(True)
    return value


#: The commands that read policies through the cache of compiled policies.
CACHED_COMMANDS = frozenset({"compare", "decide", "diff", "policies", "validate"})

#: Every command, as ``module:attribute``, imported only when it runs.
COMMANDS = {
    "cache": "invpolicy.cli.cache:cache",
    "compare": "invpolicy.cli.compare:compare",
    "config": "invpolicy.cli.config:config",
    "decide": "invpolicy.cli.decide:decide",
    "diff": "invpolicy.cli.diff:diff",
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
        _add_problem_options(command)
        return command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:  # invpolicy --help | head -3
            reader_gone()
            raise click.exceptions.Exit(0) from None

    def invoke(self, ctx: click.Context) -> Any:
        from invpolicy.errors import PROBLEM_DISPLAY, InvpolicyError, PluginError, ScaffoldError
        from invpolicy.io.cachedir import CACHE_OFF
        from invpolicy.text import one_line

        # The command's --max-problems and --verbose set the display for this run only.
        token = PROBLEM_DISPLAY.set(PROBLEM_DISPLAY.get())
        cache_token = CACHE_OFF.set(CACHE_OFF.get())
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader of stdout has gone (| head): it wanted no more, which is no error.
            reader_gone()
            raise click.exceptions.Exit(0) from None
        except InvpolicyError as exc:
            raise ProblemsError(exc.problems) from None
        except PluginError as exc:
            raise click.ClickException(one_line(f"plugin error: {exc}")) from None
        except ScaffoldError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            CACHE_OFF.reset(cache_token)
            PROBLEM_DISPLAY.reset(token)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="invpolicy")
def cli() -> None:
    """Decide what to do with connection invitations from people you do not know.

    Each school of thought is a policy file; invpolicy decides with it, says
    why, drafts the reply, and compares schools side by side.
    """
