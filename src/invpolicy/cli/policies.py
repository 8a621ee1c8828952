"""``invpolicy policies``: the installed policies, what each says, where it comes from."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.options import format_option, reporter


@click.command("policies")
@format_option("policies")
@click.option(
    "--long", "-l", "long_", is_flag=True, help="Show each policy's summary in the table."
)
def list_policies(output_format: str, long_: bool) -> None:
    """List the installed policies: what each says, and where it comes from."""
    from invpolicy.loading.catalog import installed_policies

    registry = options.load_registry()
    reporter(output_format, long=long_).policies(installed_policies(registry), registry)
