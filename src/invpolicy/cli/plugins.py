"""``invpolicy plugins``: the installed criteria and reply generators."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.options import LISTING_FORMATS, format_option, lister


@click.command()
@format_option(list(LISTING_FORMATS))
def plugins(output_format: str) -> None:
    """List the installed criteria and reply generators and where they come from."""
    lister(output_format).plugins(options.load_registry())
