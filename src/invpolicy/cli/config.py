"""``invpolicy config``: which settings file is read, and what it and the environment set."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.pager import paged


@click.command(
    short_help="Show the settings file read, and where each setting comes from.",
    epilog="""\b
Examples:
  invpolicy config
  INVPOLICY_CONFIG=examples/invpolicy.toml invpolicy config
  INVPOLICY_POLICY=strong-ties-only invpolicy config
""",
)
@paged
def config() -> None:
    """Show which settings file is read, and each setting with where it comes from.

    The file is $INVPOLICY_CONFIG, else ./invpolicy.toml, else config.toml in
    your config folder; environment variables (INVPOLICY_NAME, INVPOLICY_POLICY,
    INVPOLICY_POLICIES, INVPOLICY_REPLY_<PARAM>) win over it.
    """
    for line in options.settings().lines():
        click.echo(line)
