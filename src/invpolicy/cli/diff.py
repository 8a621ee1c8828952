"""``invpolicy diff``: where two policies decide differently, over every invitation."""

from __future__ import annotations

import click

from invpolicy.cli.options import complete_policy, format_option, reporter
from invpolicy.cli.pager import paged


class DiffError(click.ClickException):
    """Any other error of ``invpolicy diff``: one line, exit status 2."""

    exit_code = 2


@click.command(
    short_help="Show where two policies decide differently, over every possible invitation.",
    epilog="""\b
Examples:
  invpolicy diff strong-ties-only in-person-only
  invpolicy diff policies/strong-ties-only.yaml strong-ties-only
  invpolicy diff ask-first common-ground --format json
""",
)
@paged
@click.argument("a", metavar="A", shell_complete=complete_policy)
@click.argument("b", metavar="B", shell_complete=complete_policy)
@format_option("diff")
def diff(a: str, b: str, output_format: str) -> None:
    """Show where policies A and B (installed names or paths) decide differently.

    Not on the invitations you have: on every invitation there could be. The
    facts either policy reads are cut where a criterion of either changes its
    answer; each region where the decisions differ is shown with both
    decisions and rules, a condition in the policies' own terms, and an
    invitation that lands in it. A policy that extends another is diffed
    with the rules it inherits.

    The exit status is diff(1)'s: 0 when the policies decide alike for
    every invitation, 1 when they differ, 2 on an error (a policy with
    problems, or policies too large to search). This is the one command
    whose errors exit with 2, not 1.
    """
    from invpolicy.authoring.diff.differ import diff_policies
    from invpolicy.cli.options import load_registry
    from invpolicy.cli.problems import DiffProblems
    from invpolicy.errors import InvpolicyError, PluginError, Problem
    from invpolicy.loading.catalog import resolve_policy
    from invpolicy.loading.policycache import cached_policy
    from invpolicy.model.policy import Policy

    try:
        registry = load_registry()
        policies: list[Policy] = []
        problems: list[Problem] = []
        for ref in (a, b):
            try:
                policies.append(cached_policy(resolve_policy(ref, registry), registry)[0])
            except InvpolicyError as exc:
                problems.extend(exc.problems)
        if problems:
            raise InvpolicyError(problems)
        result = diff_policies(policies[0], policies[1], registry)
    except InvpolicyError as exc:
        raise DiffProblems(exc.problems) from None
    except PluginError as exc:
        from invpolicy.text import one_line

        raise DiffError(one_line(f"plugin error: {exc}")) from None
    except AssertionError as exc:  # a witness that lands elsewhere: a fault of the search
        raise DiffError(one_line(f"internal error, please report it: {exc}")) from None
    reporter(output_format).diff(result)
    if not result.equivalent:
        click.get_current_context().exit(1)
