"""``invpolicy show``: a policy as written, or flattened with what it extends."""

from __future__ import annotations

import click

from invpolicy.cli import format_option


@click.command()
@click.argument("policy")
@click.option(
    "--resolved",
    is_flag=True,
    help="Print the policy flattened: what it extends merged in, every rule listed.",
)
@format_option(["yaml", "json"], default="yaml", help="Output format of --resolved.")
def show(policy: str, resolved: bool, output_format: str) -> None:
    """Print POLICY (an installed policy's name or a path).

    With --resolved, the policy is validated and printed as one policy file
    that extends nothing: the rules it inherits, changed as it says, and its
    reply parameters merged in. Examples are left out. The YAML is laid out
    as invpolicy fmt lays out policy files.
    """
    from invpolicy.catalog import resolve_policy
    from invpolicy.cli import load_registry
    from invpolicy.policy import read_policy
    from invpolicy.source import parse_document, read_text

    registry = load_registry()
    path = resolve_policy(policy, registry)
    if not resolved:
        text = read_text(path)
        parse_document(text, str(path))  # a policy file, not any file
        click.echo(text, nl=False)
        return
    from invpolicy.inherit import policy_data

    flat = read_policy(path, registry)
    data = policy_data(flat)
    if output_format == "json":
        import json

        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from invpolicy.scaffold import canonical_yaml

    chain = " extends ".join([flat.path, *flat.parents])
    header = f"# Flattened: {chain}\n" if flat.parents else ""
    click.echo(header + canonical_yaml(data, flat.path), nl=False)
