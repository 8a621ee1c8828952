"""``invpolicy policies``: the installed policies, what each says, where it comes from."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.options import LISTING_FORMATS, format_option, lister


@click.command("policies")
@format_option(list(LISTING_FORMATS))
@click.option(
    "--long", "-l", "long_", is_flag=True, help="Show each policy's summary in the table."
)
def list_policies(output_format: str, long_: bool) -> None:
    """List the installed policies: what each says, and where it comes from."""
    from invpolicy.loading.catalog import installed_policies

    registry = options.load_registry()
    lister(output_format, long=long_).policies(installed_policies(registry), registry)
