"""What several commands share: the options, the formats, the registry, the policies to load."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import click

from invpolicy.errors import InvpolicyError, Problem

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from invpolicy.engine.compiled import CompiledPolicy
    from invpolicy.loading.settings import Settings
    from invpolicy.plugins.registry import Registry
    from invpolicy.reporters.base import Reporter


#: The same as ``invpolicy.loading.readers.INPUT_FORMATS`` (a test keeps them equal), written
#: here so that listing the commands does not import the readers.
INPUT_FORMATS = ("yaml", "json", "jsonl", "csv")


def format_option(
    kind: str, default: str = "table", help: str = "Output format."
) -> Callable[[Any], Any]:
    """The ``--format`` option of a command that writes ``kind``, read as ``output_format``.

    The choices are the formats of :mod:`invpolicy.reporters` that write
    ``kind`` (one of its ``KINDS``): the registry every command shares.
    """
    from invpolicy.reporters import format_names

    return click.option(
        "--format",
        "output_format",
        type=click.Choice(format_names(kind)),
        default=default,
        show_default=True,
        help=help,
    )


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say what to read: the invitations' format, and what to merge in."""
    for option in reversed(
        [
            click.option(
                "--input-format",
                type=click.Choice(list(INPUT_FORMATS)),
                help="Format of INVITATIONS. Default: from its extension (.yaml, .yml, .json, "
                ".jsonl, .ndjson, .csv); LinkedIn's Invitations.csv is recognised by its header, "
                "Facebook's friend requests by their content, and an export's ZIP file or "
                "folder by the files in it.",
            ),
            click.option(
                "--connections",
                type=click.Path(dir_okay=False),
                help="LinkedIn's Connections.csv: inviters already connected are not pending.",
            ),
            click.option(
                "--messages",
                type=click.Path(dir_okay=False),
                help="LinkedIn's messages.csv: gives exchanges (days you both wrote before "
                "the invitation) and follow_up (the inviter's answer to your message). "
                "Default: the one in the export, when INVITATIONS is the export.",
            ),
            click.option(
                "--facts",
                "facts_path",
                type=click.Path(dir_okay=False),
                help="A YAML file of facts you added, keyed by invitation id, merged in. "
                "Default: the one beside INVITATIONS (NAME.facts.yaml, or linkedin.facts.yaml "
                "beside an export), when it exists.",
            ),
            click.option(
                "--strict",
                is_flag=True,
                help="Refuse invitation fields invpolicy and its plugins do not know "
                "(by default a warning: exports add columns of their own).",
            ),
            click.option(
                "--no-facts",
                is_flag=True,
                help="Leave out the facts file beside INVITATIONS (your saved answers).",
            ),
        ]
    ):
        command = option(command)
    return command


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say what to write, and where."""
    for option in reversed(
        [
            format_option("decisions"),
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
            click.option(
                "--plugin-timeout",
                "plugin_timeout",
                type=click.FloatRange(min=0),
                default=10.0,
                show_default=True,
                metavar="SECONDS",
                help="Stop a plugin's check or reply that runs longer than this on one "
                "invitation: that decision is an error and the plugin is switched off for the "
                "rest of the run (0: no limit).",
            ),
        ]
    ):
        command = option(command)
    return command


def load_registry() -> Registry:
    """The registry of everything installed: the one place every command gets it.

    Tests replace it (``monkeypatch.setattr(invpolicy.cli.options, "load_registry", ...)``)
    to run a command with the plugins they register.
    """
    from invpolicy.plugins.registry import Registry

    return Registry.default()


def complete_policy(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of a policy: the installed names that start with ``incomplete``.

    When none does (``./mine``, ``policies/``), the shell completes a path.
    """
    from click.shell_completion import CompletionItem

    from invpolicy.loading.catalog import active_policies

    try:
        names = [entry.name for entry in active_policies(load_registry())]
    except Exception:  # a broken plugin: no traceback in the middle of a command line
        names = []
    found = [CompletionItem(name) for name in names if name.startswith(incomplete)]
    return found or [CompletionItem(incomplete, type="file")]


def reporter(output_format: str, **options: bool) -> Reporter:
    """The reporter of ``--format output_format``, writing to stdout."""
    from invpolicy.reporters import reporter_class

    return reporter_class(output_format)(report_stream(output_format), **options)


def report_stream(output_format: str) -> TextIO:
    """Where a report goes on stdout: on a terminal, with its control characters shown.

    Any format (csv, markdown, json...) may carry a stranger's text: on a
    terminal, an escape sequence in it would clear the screen or set the
    window's title. The table draws its own (inert) text and colours; a report
    written to a file or a pipe is left exact.
    """
    stream = sys.stdout
    if output_format == "table" or not _is_terminal(stream):
        return stream
    return cast(TextIO, _InertStream(stream))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _InertStream:
    """A terminal's stream that writes control characters and bidi overrides as escapes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from invpolicy.text import inert

        self._stream.write(inert(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def settings() -> Settings:
    """The settings file and environment, read once per command (see
    :mod:`invpolicy.loading.settings`); a broken file stops the command."""
    from invpolicy.loading.settings import load_settings

    context = click.get_current_context(silent=True)
    if context is None:
        return load_settings()
    meta = context.find_root().meta
    if "invpolicy.settings" not in meta:
        meta["invpolicy.settings"] = load_settings()
    found: Settings = meta["invpolicy.settings"]
    return found


def load_policies(refs: Sequence[str | Path], registry: Registry) -> list[CompiledPolicy]:
    """The policies, compiled with the settings' reply defaults (your signature...)."""
    from invpolicy import load_policy

    defaults = settings().reply_defaults()
    policies: list[CompiledPolicy] = []
    problems: list[Problem] = []
    for ref in refs:
        try:
            policies.append(load_policy(ref, registry, reply_defaults=defaults, cache=True))
        except InvpolicyError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvpolicyError(problems)
    return policies
