"""``invpolicy validate``: check policy files."""

from __future__ import annotations

import click

from invpolicy.cli import options
from invpolicy.cli.options import complete_policy, format_option, reporter
from invpolicy.cli.pager import paged


@click.command(
    short_help="Check policy files: one path:line:col line per problem.",
    epilog="""\b
Examples:
  invpolicy validate policies/*.yaml
  invpolicy validate ask-first strong-ties-only
  invpolicy validate policies/ask-first.yaml --format json
""",
)
@paged
@click.argument("policies", nargs=-1, required=True, shell_complete=complete_policy)
@format_option("validation", default="text")
def validate(policies: tuple[str, ...], output_format: str) -> None:
    """Check policy files (paths or installed names).

    Prints one line per valid policy, and one line per problem on stderr, as
    path:line:col: message; exits 1 if there is any problem. With --format
    json, one JSON document on stdout says, for each policy, whether it is
    valid and lists its problems (the exit code is the same).
    """
    from invpolicy.authoring.validate import validate as check_policies

    results = check_policies(policies, options.load_registry(), cache=True)
    reporter(output_format).validation(results)
    if any(result.problems for result in results):
        click.get_current_context().exit(1)
