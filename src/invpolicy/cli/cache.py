"""``invpolicy cache``: where the cache of compiled policies lives, what it holds; clear it."""

from __future__ import annotations

import click


@click.command(
    short_help="Show where the cache of compiled policies lives, or clear it.",
    epilog="""\b
Examples:
  invpolicy cache
  invpolicy cache --clear
  INVPOLICY_CACHE_DIR=/tmp/invpolicy-cache invpolicy cache
""",
)
@click.option("--clear", is_flag=True, help="Delete every entry of the cache.")
def cache(clear: bool) -> None:
    """Show the cache folder, how many entries it holds and their size; or clear it.

    The cache keeps each policy once read and validated, and the plugins
    found, so that the next command starts at once. It is rebuilt as needed:
    clearing it is always safe. The folder is $INVPOLICY_CACHE_DIR, else your
    user cache folder; INVPOLICY_NO_CACHE=1 (or --no-cache) turns it off.
    """
    from invpolicy.io import cachedir

    folder = cachedir.default_folder()
    if clear:
        removed = cachedir.clear(folder)
        click.echo(f"{folder}: {removed} {'entry' if removed == 1 else 'entries'} deleted")
        return
    entries = cachedir.entries(folder)
    size = sum(path.stat().st_size for path in entries if path.exists())
    state = "off (INVPOLICY_NO_CACHE)" if cachedir.cache_off() else "on"
    click.echo(f"folder: {folder}")
    click.echo(f"state: {state}")
    click.echo(f"entries: {len(entries)} ({size / 1024:.1f} KiB)")
