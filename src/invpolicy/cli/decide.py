"""``invpolicy decide``: one policy, its decisions, and the drafted replies."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.options import complete_policy, input_options, load_policies, output_options
from invpolicy.cli.pager import paged
from invpolicy.cli.running import Inputs, facts_to_read, run_report


@click.command(
    short_help="Decide each invitation with one policy, and draft the replies.",
    epilog="""\b
Examples:
  invpolicy decide examples/invitations.yaml -p ask-first
  invpolicy decide examples/invitations.yaml -p strong-ties-only --explain
  invpolicy decide examples/linkedin/Basic_LinkedInDataExport_03-01-2026.zip \\
      -p quality-over-quantity --format html --output decisions.html
""",
)
@paged
@click.argument("invitations", metavar="INVITATIONS")
@click.option(
    "--policy",
    "-p",
    "policy",
    shell_complete=complete_policy,
    help="An installed policy's name, or a path to a policy file. Default: [me] policy "
    "in your settings (INVPOLICY_POLICY).",
)
@input_options
@output_options
@click.option(
    "--interactive",
    "-i",
    is_flag=True,
    help="Ask for the facts the policy still needs, then save your answers.",
)
@click.option(
    "--ask-reply",
    is_flag=True,
    help="With --interactive, also ask the facts that would change the drafted reply "
    "(its language...), not only the decision.",
)
def decide(
    invitations: str,
    policy: str | None,
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
    interactive: bool,
    ask_reply: bool,
) -> None:
    """Decide each invitation in INVITATIONS with one policy, and draft the replies.

    INVITATIONS is a YAML, JSON, JSON Lines or CSV file, or a network's data
    export as it comes: LinkedIn's ZIP file (or its folder, or Invitations.csv
    alone), or Facebook's (or its received_friend_requests.json).
    """
    registry = options.load_registry()
    policy = policy or options.settings().policy
    if policy is None:
        raise click.UsageError(
            "no policy: name one with --policy, or set policy in [me] of your settings "
            "(invpolicy config shows them)"
        )
    if ask_reply and not interactive:
        raise click.UsageError("--ask-reply goes with --interactive")
    if interactive:
        from invpolicy.cli.interactive import answers_target, run_interactive

        ignored = [
            name
            for name, given in (
                ("--output", output is not None),
                ("--format", output_format != "table"),
                ("--explain", explain),
                ("--what-if", what_if),
                ("--no-facts", no_facts),
            )
            if given
        ]
        if ignored:
            raise click.UsageError(f"--interactive does not go with {', '.join(ignored)}")

        compiled = load_policies([policy], registry)[0]
        target, in_place = answers_target(invitations, input_format, facts_path)
        # Answers saved before are merged in, so that they are not asked again.
        merged = str(target) if not in_place and target.exists() else None
        source = Inputs(
            invitations,
            input_format,
            connections,
            merged,
            messages,
            registry=registry,
            strict=strict,
        ).open()
        run_interactive(source, compiled, target, in_place=in_place, for_reply=ask_reply)
        if not in_place and facts_path is None and target.exists():
            click.echo(
                f"Later runs of decide and compare read {target} (--no-facts leaves it out)."
            )
        return
    facts = facts_to_read(invitations, facts_path, no_facts)
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
        [policy],
        output_format,
        output,
        explain=explain,
        what_if=what_if,
        plugin_timeout=plugin_timeout,
        replies=True,
    )
