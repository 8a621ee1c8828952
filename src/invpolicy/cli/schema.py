"""``invpolicy schema``: the JSON Schema of policy or invitation files, for editors."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.pager import paged


@click.command(
    short_help="Print the JSON Schema of policy or invitation files, for editors.",
    epilog="""\b
Examples:
  invpolicy schema > policy.schema.json
  invpolicy schema invitation > invitation.schema.json
  invpolicy schema --no-plugins
""",
)
@paged
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
        from invpolicy.authoring.editorschema import policy_schema

        data = policy_schema(options.load_registry())
    else:
        data = load_schema(which)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
