"""``invpolicy compare``: several policies side by side."""

from __future__ import annotations

from pathlib import Path

import click

from invpolicy.cli import options
from invpolicy.cli.options import complete_policy, input_options, output_options
from invpolicy.cli.pager import paged
from invpolicy.cli.running import Inputs, facts_to_read, run_report


@click.command(
    short_help="Show side by side what each policy decides for each invitation.",
    epilog="""\b
Examples:
  invpolicy compare examples/invitations.yaml
  invpolicy compare examples/invitations.yaml -p ask-first -p strong-ties-only
  invpolicy compare examples/linkedin/Basic_LinkedInDataExport_03-01-2026.zip \\
      --only-disagreements --what-if
""",
)
@paged
@click.argument("invitations", metavar="INVITATIONS")
@click.option(
    "--policy",
    "-p",
    "policies",
    multiple=True,
    shell_complete=complete_policy,
    help="A policy's name or path; repeat it. Default: [me] policies in your settings "
    "(INVPOLICY_POLICIES), else every installed policy.",
)
@input_options
@output_options
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
    messages: str | None,
    facts_path: str | None,
    strict: bool,
    no_facts: bool,
    output_format: str,
    output: str | None,
    explain: bool,
    what_if: bool,
    plugin_timeout: float,
    replies: bool,
    only_disagreements: bool,
) -> None:
    """Show side by side what each policy decides for each invitation in INVITATIONS.

    INVITATIONS is a YAML, JSON, JSON Lines or CSV file, or a network's data
    export as it comes: LinkedIn's ZIP file (or its folder, or Invitations.csv
    alone), or Facebook's (or its received_friend_requests.json).
    """
    from invpolicy.loading.catalog import active_policies

    registry = options.load_registry()
    facts = facts_to_read(invitations, facts_path, no_facts)
    refs: list[str | Path] = list(policies) or list(options.settings().policies)
    if not refs:
        refs = [entry.name for entry in active_policies(registry)]
        if not refs:
            raise click.UsageError("no policy is installed: name one with --policy")
    run_report(
        registry,
        Inputs(
            invitations,
            input_format,
            connections,
            facts,
            messages,
            registry=registry,
            strict=strict,
        ),
        refs,
        output_format,
        output,
        explain=explain,
        what_if=what_if,
        plugin_timeout=plugin_timeout,
        replies=replies,
        only_disagreements=only_disagreements,
    )
