"""``invpolicy lint``: what validation cannot see, one finding per line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from invpolicy.cli.options import complete_policy, format_option, reporter
from invpolicy.cli.pager import paged

if TYPE_CHECKING:
    from invpolicy.authoring.lint import Finding


@click.command(
    short_help="Find what validation cannot see in policies.",
    epilog="""\b
Examples:
  invpolicy lint
  invpolicy lint policies/ask-first.yaml --strict
  invpolicy lint strong-ties-only --format json
""",
)
@paged
@click.argument("policies", nargs=-1, shell_complete=complete_policy)
@click.option("--strict", is_flag=True, help="Count warnings as errors: exit 1 on any finding.")
@format_option("findings", default="text")
def lint(policies: tuple[str, ...], strict: bool, output_format: str) -> None:
    """Find what validation cannot see in POLICIES (paths or installed names).

    Default: every installed policy. Reports rules that can never fire,
    declines and questions without a reply, criteria reading facts that
    invitations do not have, languages a reply falls back from, and signals
    that change no decision, one line each as
    path:line:col: warning|error: message [code]. A policy that does not
    validate gives its problems as errors.

    Exits 1 if there is an error (with --strict, any finding), else 0.
    """
    from dataclasses import replace

    from invpolicy.authoring.lint import lint_file, summary
    from invpolicy.cli.options import load_registry

    registry = load_registry()
    refs = list(dict.fromkeys(policies))
    if not refs:
        from invpolicy.loading.catalog import active_policies

        refs = [entry.name for entry in active_policies(registry)]
        if not refs:
            raise click.UsageError("no policy is installed: name one")
    found: dict[Finding, None] = {}
    for ref in refs:
        # A policy and one that extends it share rules: each finding once.
        found.update(dict.fromkeys(lint_file(ref, registry)))
    findings = sorted(found, key=lambda finding: finding.sort_key)
    if strict:
        findings = [replace(finding, severity="error") for finding in findings]
    reporter(output_format).findings(findings, len(refs))
    click.echo(summary(len(refs), findings), err=True)
    if any(finding.severity == "error" for finding in findings):
        click.get_current_context().exit(1)
