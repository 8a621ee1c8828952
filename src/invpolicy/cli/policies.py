"""``invpolicy policies``: the installed policies, what each says, where it comes from."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.options import format_option, reporter
from invpolicy.cli.pager import paged


@click.command(
    "policies",
    short_help="List the installed policies: what each says, where it comes from.",
    epilog="""\b
Examples:
  invpolicy policies
  invpolicy policies --long
  invpolicy policies --format json
""",
)
@paged
@format_option("policies")
@click.option(
    "--long", "-l", "long_", is_flag=True, help="Show each policy's summary in the table."
)
def list_policies(output_format: str, long_: bool) -> None:
    """List the installed policies: what each says, and where it comes from."""
    from invpolicy.loading.catalog import installed_policies

    registry = options.load_registry()
    reporter(output_format, long=long_).policies(installed_policies(registry), registry)
