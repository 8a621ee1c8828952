"""The ``invpolicy`` command: a thin layer over the library.

Only click, the package root and the list of output formats are imported at
start-up; each command imports what it needs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from invpolicy import __version__
from invpolicy.errors import InvpolicyError, PluginError, Problem, ScaffoldError
from invpolicy.text import counted

if TYPE_CHECKING:
    from rich.console import Console

    from invpolicy.engine import CompiledPolicy
    from invpolicy.plugins import Registry
    from invpolicy.readers import InvitationSource
    from invpolicy.reporters import ListingReporter


class ProblemsError(click.ClickException):
    """Bad input: one ``path:line:col: message`` line per problem, exit 1."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)

    def show(self, file: IO[Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(str(problem), err=True, file=file)


#: The values of ``--format`` for reports, and for listings: the names of the
#: reporters (``invpolicy.reporters``), written here so that starting the CLI
#: does not import every output format.
REPORT_FORMATS = ("table", "json", "csv", "markdown", "html")
LISTING_FORMATS = ("table", "json")

#: Commands that live in their own module, imported only when they run (or
#: when ``--help`` lists them), to keep start-up light.
LAZY_COMMANDS = {
    "fmt": "invpolicy.commands.fmt:fmt",
    "lint": "invpolicy.commands.lint:lint",
    "new": "invpolicy.commands.new:new",
    "show": "invpolicy.commands.show:show",
    "test": "invpolicy.commands.test:test",
}


class _Group(click.Group):
    """Turns library errors into clean messages and exit codes, never tracebacks."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            import importlib

            module_name, attribute = LAZY_COMMANDS[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module_name), attribute)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvpolicyError as exc:
            raise ProblemsError(exc.problems) from None
        except PluginError as exc:
            raise click.ClickException(f"plugin error: {exc}") from None
        except ScaffoldError as exc:
            raise click.ClickException(str(exc)) from None


T = TypeVar("T")

#: The same as ``readers.INPUT_FORMATS``, written here to keep start-up light.
INPUT_FORMATS = ("yaml", "json", "jsonl", "csv")


def format_option(
    choices: Sequence[str], default: str = "table", help: str = "Output format."
) -> Callable[[Any], Any]:
    """The ``--format`` option of a command, read as ``output_format``: one of ``choices``."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=help,
    )


def _input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say what to read: the invitations' format, and what to merge in."""
    for option in reversed(
        [
            click.option(
                "--input-format",
                type=click.Choice(list(INPUT_FORMATS)),
                help="Format of INVITATIONS. Default: from its extension (.yaml, .yml, .json, "
                ".jsonl, .ndjson, .csv); LinkedIn's Invitations.csv is recognised by its header.",
            ),
            click.option(
                "--connections",
                type=click.Path(dir_okay=False),
                help="LinkedIn's Connections.csv: inviters already connected are not pending.",
            ),
            click.option(
                "--facts",
                "facts_path",
                type=click.Path(dir_okay=False),
                help="A YAML file of facts you added, keyed by invitation id, merged in.",
            ),
        ]
    ):
        command = option(command)
    return command


def _output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say what to write, and where."""
    for option in reversed(
        [
            format_option(list(REPORT_FORMATS)),
            click.option(
                "--output",
                "-o",
                type=click.Path(dir_okay=False, writable=True),
                help="Write the report to this file (replaced only once it is complete).",
            ),
            click.option(
                "--explain",
                is_flag=True,
                help="Show every rule tried, what each criterion saw, and the rule that fired.",
            ),
            click.option(
                "--what-if",
                "what_if",
                is_flag=True,
                help="Name the facts whose value would change a decision, for the invitations "
                "that lacked facts or on which the policies disagree.",
            ),
        ]
    ):
        command = option(command)
    return command


def load_registry() -> Registry:
    """The registry of everything installed: the one place every command gets it.

    Tests replace it (``monkeypatch.setattr(invpolicy.cli, "load_registry", ...)``)
    to run a command with the plugins they register.
    """
    from invpolicy.plugins import Registry

    return Registry.default()


def _lister(output_format: str, **options: bool) -> ListingReporter:
    from invpolicy.reporters import LISTING_BY_NAME

    return LISTING_BY_NAME[output_format](sys.stdout, **options)


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


class _Inputs:
    """What ``decide`` and ``compare`` read."""

    def __init__(
        self, path: str, input_format: str | None, connections: str | None, facts: str | None
    ) -> None:
        self.path = path
        self.input_format = input_format
        self.connections = connections
        self.facts = facts

    def open(self) -> InvitationSource:
        """The invitations, checked from end to end before anything is decided."""
        from invpolicy.readers import open_invitations

        source = open_invitations(
            self.path, self.input_format, connections=self.connections, facts=self.facts
        )
        source.check()
        return source


def _run(
    registry: Registry,
    inputs: _Inputs,
    refs: Sequence[str | Path],
    output_format: str,
    output: str | None,
    *,
    explain: bool,
    what_if: bool,
    replies: bool,
    only_disagreements: bool = False,
) -> None:
    from invpolicy.runner import compare_stream

    policies = _load_policies(refs, registry)
    # The policies' files, those they extend included.
    paths = [path for p in policies for path in (p.policy.path, *p.policy.parents)]
    if output is not None and _same_file(
        output, inputs.path, inputs.facts, inputs.connections, *paths
    ):
        raise click.UsageError(f"--output {output} would overwrite an input file")
    source = inputs.open()
    streams = output is None and output_format in ("json", "csv")
    report = compare_stream(
        _progress(source, quiet=streams and sys.stdout.isatty()),
        policies,
        explain=explain,
        what_if=what_if,
        only_disagreements=only_disagreements,
    )
    report.skipped = dict(source.skipped)
    from invpolicy.reporters import REPORTER_BY_NAME

    reporter = REPORTER_BY_NAME[output_format]
    if output is None:
        reporter(sys.stdout, explain=explain, replies=replies).decisions(report)
    else:
        from invpolicy.atomic import atomic_open

        try:
            with atomic_open(output) as stream:
                reporter(stream, explain=explain, replies=replies, color=False).decisions(report)
        except OSError as exc:
            raise InvpolicyError(Problem(output, 1, 1, f"cannot write: {exc.strerror}")) from None
        click.echo(f"Wrote {output}", err=True)
    errors = report.summary.errors
    if errors:
        # The report is complete; the exit code still says that some decisions failed.
        for error in errors:
            click.echo(f"plugin error: {error}", err=True)
        count = len(errors)
        raise click.ClickException(
            f"{counted(count, 'decision')} could not be made (see above); "
            "the report marks them 'error'"
        )


def _same_file(output: str, *inputs: str | Path | None) -> bool:
    target = Path(output).resolve()
    return any(path is not None and Path(path).resolve() == target for path in inputs)


def _progress(items: Iterable[T], *, quiet: bool, console: Console | None = None) -> Iterator[T]:
    """``items``, with a progress line on stderr when stderr is a terminal.

    ``quiet`` keeps it off when the report itself streams to the same terminal.
    """
    from rich.console import Console

    if console is None:
        # FORCE_COLOR makes rich take any stream for a terminal: ask the stream.
        console = Console(stderr=True, force_terminal=sys.stderr.isatty())
    if quiet or not console.is_terminal:
        yield from items
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.completed} invitations decided"))
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("deciding", total=None)
        for item in items:
            yield item
            progress.advance(task)


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

    registry = load_registry()
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


@cli.command()
@click.argument("invitations", metavar="INVITATIONS")
@click.option(
    "--policy",
    "-p",
    "policy",
    required=True,
    help="An installed policy's name, or a path to a policy file.",
)
@_input_options
@_output_options
@click.option(
    "--interactive",
    "-i",
    is_flag=True,
    help="Ask for the facts the policy still needs, then save your answers.",
)
def decide(
    invitations: str,
    policy: str,
    input_format: str | None,
    connections: str | None,
    facts_path: str | None,
    output_format: str,
    output: str | None,
    explain: bool,
    what_if: bool,
    interactive: bool,
) -> None:
    """Decide each invitation in INVITATIONS with one policy, and draft the replies.

    INVITATIONS is a YAML, JSON, JSON Lines or CSV file, or LinkedIn's
    Invitations.csv as it comes in the data export.
    """
    registry = load_registry()
    inputs = _Inputs(invitations, input_format, connections, facts_path)
    if interactive:
        from invpolicy.interactive import answers_target, run_interactive

        ignored = [
            name
            for name, given in (
                ("--output", output is not None),
                ("--format", output_format != "table"),
                ("--explain", explain),
                ("--what-if", what_if),
            )
            if given
        ]
        if ignored:
            raise click.UsageError(f"--interactive does not go with {', '.join(ignored)}")

        compiled = _load_policies([policy], registry)[0]
        target, in_place = answers_target(invitations, input_format, facts_path)
        # Answers saved before are merged in, so that they are not asked again.
        merged = str(target) if not in_place and target.exists() else None
        source = _Inputs(invitations, input_format, connections, merged).open()
        run_interactive(source, compiled, target, in_place=in_place)
        if not in_place and facts_path is None and target.exists():
            click.echo(f"Later runs read them with: --facts {target}")
        return
    _run(
        registry,
        inputs,
        [policy],
        output_format,
        output,
        explain=explain,
        what_if=what_if,
        replies=True,
    )


@cli.command()
@click.argument("invitations", metavar="INVITATIONS")
@click.option(
    "--policy",
    "-p",
    "policies",
    multiple=True,
    help="A policy's name or path; repeat it. Default: every installed policy.",
)
@_input_options
@_output_options
@click.option("--replies", is_flag=True, help="Also give the drafted replies.")
@click.option(
    "--only-disagreements",
    is_flag=True,
    help="List only the invitations on which the policies disagree (the summary counts all).",
)
def compare(
    invitations: str,
    policies: tuple[str, ...],
    input_format: str | None,
    connections: str | None,
    facts_path: str | None,
    output_format: str,
    output: str | None,
    explain: bool,
    what_if: bool,
    replies: bool,
    only_disagreements: bool,
) -> None:
    """Show side by side what each policy decides for each invitation in INVITATIONS.

    INVITATIONS is a YAML, JSON, JSON Lines or CSV file, or LinkedIn's
    Invitations.csv as it comes in the data export.
    """
    from invpolicy.catalog import active_policies

    registry = load_registry()
    refs: list[str | Path] = list(policies)
    if not refs:
        refs = [entry.name for entry in active_policies(registry)]
        if not refs:
            raise click.UsageError("no policy is installed: name one with --policy")
    _run(
        registry,
        _Inputs(invitations, input_format, connections, facts_path),
        refs,
        output_format,
        output,
        explain=explain,
        what_if=what_if,
        replies=replies,
        only_disagreements=only_disagreements,
    )


@cli.command("policies")
@format_option(list(LISTING_FORMATS))
@click.option(
    "--long", "-l", "long_", is_flag=True, help="Show each policy's summary in the table."
)
def list_policies(output_format: str, long_: bool) -> None:
    """List the installed policies: what each says, and where it comes from."""
    from invpolicy.catalog import installed_policies

    registry = load_registry()
    _lister(output_format, long=long_).policies(installed_policies(registry), registry)


@cli.command()
@format_option(list(LISTING_FORMATS))
def plugins(output_format: str) -> None:
    """List the installed criteria and reply generators and where they come from."""
    _lister(output_format).plugins(load_registry())


@cli.command()
@click.argument("which", type=click.Choice(["policy", "invitation"]), default="policy")
@click.option(
    "--plugins/--no-plugins",
    default=True,
    show_default=True,
    help="Include the names and parameter schemas of the installed criteria and reply "
    "generators (policy schema only).",
)
def schema(which: str, plugins: bool) -> None:
    """Print the JSON Schema of policy files (or of invitation files).

    Save it and point your editor's YAML language server at it, with a first
    line such as: # yaml-language-server: $schema=policy.schema.json
    """
    import json

    from invpolicy.resources import load_schema

    if which == "policy" and plugins:
        from invpolicy.editorschema import policy_schema

        data = policy_schema(load_registry())
    else:
        data = load_schema(which)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="invpolicy")
