"""What ``decide`` and ``compare`` share: read the invitations, decide, write the report."""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from invpolicy.cli.options import load_policies, report_stream, settings
from invpolicy.errors import InvpolicyError, Problem
from invpolicy.text import counted, one_line

if TYPE_CHECKING:
    from rich.console import Console

    from invpolicy.loading.readers import InvitationSource
    from invpolicy.plugins.registry import Registry

T = TypeVar("T")


class Inputs:
    """What ``decide`` and ``compare`` read."""

    def __init__(
        self,
        path: str,
        input_format: str | None,
        connections: str | None,
        facts: str | None,
        messages: str | None = None,
        *,
        known: Collection[str] = (),
        strict: bool = False,
    ) -> None:
        self.path = path
        self.input_format = input_format
        self.connections = connections
        self.facts = facts
        self.messages = messages
        #: The extra fields that installed plugins read, and whether others are errors.
        self.known = known
        self.strict = strict

    def open(self) -> InvitationSource:
        """The invitations, checked from end to end before anything is decided.

        For an export (a ZIP file or a folder), one line on stderr says which
        of its files were read, and whose export it is.
        """
        from invpolicy.loading.readers import open_invitations

        source = open_invitations(
            self.path,
            self.input_format,
            connections=self.connections,
            facts=self.facts,
            messages=self.messages,
            known_fields=self.known,
            strict=self.strict,
            owner=settings().name,
        )
        source.check()
        for warning in source.warnings:
            click.echo(str(warning), err=True)
        if source.export is not None:
            click.echo(read_line(source, self.path), err=True)
        return source


def read_line(source: InvitationSource, given: str) -> str:
    """What was read from an export, and whose it is, in one line."""
    from invpolicy.io.archive import ArchiveFile

    assert source.export is not None
    archive = source.export.archive
    inside = [f.name for f in source.inputs if isinstance(f, ArchiveFile) and f.archive is archive]
    if source.threads_read:
        inside[-1] += f" and {counted(source.threads_read, 'message thread')}"
    line = f"Read {', '.join(inside)} from {given}"
    outside = [str(f) for f in source.inputs[1:] if not isinstance(f, ArchiveFile)]
    if outside:
        line += f", with {', '.join(outside)}"
    if source.owner is not None:
        line += f" (the export of {source.owner.name})"
    return line


def plugin_fields(registry: Registry) -> set[str]:
    """The invitation fields that the installed criteria read, plugins' included."""
    return {fact for criterion in registry.criteria.values() for fact in criterion.facts}


def facts_to_read(invitations: str, facts: str | None, no_facts: bool) -> str | None:
    """The facts file to merge in: the one named, else the one beside the invitations.

    The answers ``--interactive`` saved are in the facts file beside the
    invitations (``NAME.facts.yaml``): it is read when it exists, and said so
    on stderr, unless ``--no-facts``.
    """
    if facts is not None:
        if no_facts:
            raise click.UsageError("--facts does not go with --no-facts")
        return facts
    if no_facts:
        return None
    from invpolicy.io.files import regular_file
    from invpolicy.loading.facts import facts_path_for

    beside = facts_path_for(invitations)
    if not beside.exists():
        return None
    if not regular_file(beside):
        # Found, not named: a FIFO, a device or a link into /proc is not read.
        click.echo(f"Not reading {beside}: not a regular file (name one with --facts)", err=True)
        return None
    click.echo(f"Reading the facts saved in {beside} (--no-facts leaves them out)", err=True)
    return str(beside)


def run_report(
    registry: Registry,
    inputs: Inputs,
    refs: Sequence[str | Path],
    output_format: str,
    output: str | None,
    *,
    explain: bool,
    what_if: bool,
    replies: bool,
    only_disagreements: bool = False,
    plugin_timeout: float | None = None,
) -> None:
    from invpolicy.engine.runner import compare_stream

    policies = load_policies(refs, registry)
    # The policies' files, those they extend included.
    paths = [path for p in policies for path in (p.policy.path, *p.policy.parents)]
    source = inputs.open()
    read = [f if isinstance(f, Path) else getattr(f, "disk_path", None) for f in source.inputs]
    if output is not None and same_file(output, inputs.path, inputs.facts, *read, *paths):
        raise click.UsageError(f"--output {output} would overwrite an input file")
    streams = output is None and output_format in ("json", "jsonl", "csv")
    report = compare_stream(
        progress(source, quiet=streams and sys.stdout.isatty()),
        policies,
        explain=explain,
        what_if=what_if,
        only_disagreements=only_disagreements,
        **({} if plugin_timeout is None else {"plugin_timeout": plugin_timeout}),
    )
    report.skipped = dict(source.skipped)
    from invpolicy.reporters import reporter_class

    reporter = reporter_class(output_format)
    if output is None:
        reporter(report_stream(output_format), explain=explain, replies=replies).decisions(report)
    else:
        from invpolicy.io.atomic import atomic_open

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
            click.echo(one_line(f"plugin error: {error}"), err=True)
        count = len(errors)
        raise click.ClickException(
            f"{counted(count, 'decision')} could not be made (see above); "
            "the report marks them 'error'"
        )


def same_file(output: str, *inputs: str | Path | None) -> bool:
    target = Path(output).resolve()
    return any(path is not None and Path(path).resolve() == target for path in inputs)


def progress(items: Iterable[T], *, quiet: bool, console: Console | None = None) -> Iterator[T]:
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
