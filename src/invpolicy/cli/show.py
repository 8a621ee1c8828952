"""``invpolicy show``: a policy as written, or flattened with what it extends."""

from __future__ import annotations

import click

from invpolicy.cli.options import complete_policy, format_option, reporter
from invpolicy.cli.pager import paged


@click.command(
    short_help="Print a policy as written, or flattened with what it extends.",
    epilog="""\b
Examples:
  invpolicy show ask-first
  invpolicy show policies/strong-ties-only.yaml --resolved
  invpolicy show quality-over-quantity --resolved --format json
""",
)
@paged
@click.argument("policy", shell_complete=complete_policy)
@click.option(
    "--resolved",
    is_flag=True,
    help="Print the policy flattened: what it extends merged in, every rule listed.",
)
@format_option("policy", default="yaml", help="Output format of --resolved.")
def show(policy: str, resolved: bool, output_format: str) -> None:
    """Print POLICY (an installed policy's name or a path).

    With --resolved, the policy is validated and printed as one policy file
    that extends nothing: the rules it inherits, changed as it says, and its
    reply parameters merged in. Examples are left out. The YAML is laid out
    as invpolicy fmt lays out policy files.
    """
    from invpolicy.cli.options import load_registry
    from invpolicy.io.files import read_text
    from invpolicy.io.safeload import parse_document
    from invpolicy.loading.catalog import resolve_policy
    from invpolicy.loading.parse import read_policy

    registry = load_registry()
    path = resolve_policy(policy, registry)
    if not resolved:
        text = read_text(path)
        parse_document(text, str(path))  # a policy file, not any file
        click.echo(text, nl=False)
        return
    from invpolicy.model.written import policy_data

    flat = read_policy(path, registry)
    reporter(output_format).policy(flat, policy_data(flat))
