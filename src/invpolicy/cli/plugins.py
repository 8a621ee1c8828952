"""``invpolicy plugins``: the installed criteria and reply generators."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.options import format_option, reporter
from invpolicy.cli.pager import paged


@click.command(
    short_help="List the installed criteria and reply generators.",
    epilog="""\b
Examples:
  invpolicy plugins
  invpolicy plugins --format json
  INVPOLICY_DISABLE_PLUGINS=sectors invpolicy plugins
""",
)
@paged
@format_option("plugins")
def plugins(output_format: str) -> None:
    """List the installed criteria and reply generators and where they come from."""
    reporter(output_format).plugins(options.load_registry())
