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
    from invpolicy.model.invitation import Invitation
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
        registry: Registry | None = None,
        strict: bool = False,
    ) -> None:
        self.path = path
        self.input_format = input_format
        self.connections = connections
        self.facts = facts
        self.messages = messages
        #: The fields that the installed criteria read (plugins' included), and
        #: whether other fields are errors.
        self.known: Collection[str] = () if registry is None else plugin_fields(registry)
        self.strict = strict

    def open(self, *, check: bool = True) -> InvitationSource:
        """The invitations, checked from end to end before anything is decided.

        Then the warnings are said on stderr and, for an export (a ZIP file or
        a folder), one line says which of its files were read, and whose
        export it is (:meth:`said`). Without ``check``, nothing is read yet:
        the caller reads :meth:`InvitationSource.checked`, then calls :meth:`said`.
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
        if check:
            source.check()
            self.said(source)
        return source

    def said(self, source: InvitationSource) -> None:
        """The warnings of a full pass, and what was read from an export, on stderr."""
        for warning in source.warnings:
            click.echo(str(warning), err=True)
        if source.export is not None:
            click.echo(read_line(source, self.path), err=True)


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
    source = inputs.open(check=False)
    read = [f if isinstance(f, Path) else getattr(f, "disk_path", None) for f in source.inputs]
    if output is not None and same_file(output, inputs.path, inputs.facts, *read, *paths):
        raise click.UsageError(f"--output {output} would overwrite an input file")
    # Read once, checked as it is decided: a problem stops the report (see _Started).
    invitations = _Started(source.checked())
    report = compare_stream(
        # Every format streams: the bar would cut into a report written to the terminal.
        progress(invitations, quiet=output is None and sys.stdout.isatty(), source=source),
        policies,
        explain=explain,
        what_if=what_if,
        only_disagreements=only_disagreements,
        **({} if plugin_timeout is None else {"plugin_timeout": plugin_timeout}),
    )
    # The very dict the reading fills: complete when the rows are, before the summary.
    report.skipped = source.skipped
    from invpolicy.reporters import reporter_class

    reporter = reporter_class(output_format)
    if output is None:
        try:
            reporter(report_stream(output_format), explain=explain, replies=replies).decisions(
                report
            )
        except InvpolicyError:
            if invitations.count:
                click.echo(
                    f"The report above stops at the first problem in {inputs.path}, after "
                    f"{counted(invitations.count, 'invitation')}: it is incomplete",
                    err=True,
                )
            raise
    else:
        from invpolicy.io.atomic import atomic_open

        try:
            with atomic_open(output) as stream:
                reporter(stream, explain=explain, replies=replies, color=False).decisions(report)
        except OSError as exc:
            raise InvpolicyError(Problem(output, 1, 1, f"cannot write: {exc.strerror}")) from None
    inputs.said(source)
    if output is not None:
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


class _Started(Iterator["Invitation"]):
    """The checked invitations, the first read before any is asked for.

    A reporter writes its head as it asks for the first row: a problem at the
    start of the input is found before a byte of the report is written. Later,
    a problem stops the report where it is; ``count`` says how many came before.
    """

    def __init__(self, items: Iterator[Invitation]) -> None:
        self._items = items
        self.count = 0
        self._first = next(items, None)

    def __next__(self) -> Invitation:
        if self._first is not None:
            first, self._first = self._first, None
            self.count += 1
            return first
        item = next(self._items)
        self.count += 1
        return item


def same_file(output: str, *inputs: str | Path | None) -> bool:
    target = Path(output).resolve()
    return any(path is not None and Path(path).resolve() == target for path in inputs)


def progress(
    items: Iterable[T],
    *,
    quiet: bool,
    source: InvitationSource | None = None,
    console: Console | None = None,
) -> Iterator[T]:
    """``items``, with a progress bar on stderr when stderr is a terminal.

    With ``source``, the bar shows how much of the invitations file is read, out
    of its size, and a percentage, from the first byte read to the last row
    written, with how many invitations are decided. ``quiet`` keeps it off when
    the report itself goes to the same terminal.
    """
    if quiet or (console is None and not sys.stderr.isatty()):
        # No bar to draw: rich is not even imported.
        yield from items
        return
    from rich.console import Console

    if console is None:
        # FORCE_COLOR makes rich take any stream for a terminal: ask the stream.
        console = Console(stderr=True, force_terminal=sys.stderr.isatty())
    if not console.is_terminal:
        yield from items
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[decided]} invitations decided"),
        TimeElapsedColumn(),
    )
    total = None if source is None else source.size
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("reading", total=total, decided=0)
        for decided, item in enumerate(items, 1):
            yield item
            read = decided if source is None else source.read_bytes
            bar.update(task, completed=read, decided=decided)
        if total is not None:
            bar.update(task, completed=total)
