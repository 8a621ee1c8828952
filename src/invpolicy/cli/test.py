"""``invpolicy test``: run the worked examples of policies, and measure rule coverage."""

from __future__ import annotations

import click

from invpolicy.cli.options import complete_policy, format_option, reporter
from invpolicy.cli.pager import paged


@click.command(
    short_help="Check that policies decide as their examples say.",
    epilog="""\b
Examples:
  invpolicy test
  invpolicy test policies/ --min-coverage 100
  invpolicy test strong-ties-only --verbose
""",
)
@paged
@click.argument(
    "targets", nargs=-1, metavar="[POLICY|DIR|TESTFILE]...", shell_complete=complete_policy
)
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="Fail when the examples of a policy exercise fewer of its rules than this.",
)
@format_option("tests", default="text")
@click.option("--quiet", "-q", is_flag=True, help="Show only the failures and the last line.")
@click.option("--verbose", "-v", is_flag=True, help="Also list the examples that pass.")
def test(
    targets: tuple[str, ...],
    min_coverage: float | None,
    output_format: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check that policies decide as their examples say.

    Each target is a policy (a path or an installed name: its examples, and
    NAME.test.yaml beside it), a test file (NAME.test.yaml: its examples,
    against the policy it names), or a folder (every policy and test file
    directly in it). Without a target, every installed policy is tested.

    A failing example is shown at its place in its file, with the rules
    tried. Each policy's summary gives the rules no example exercised. Exits
    1 if an example fails, a file does not validate, or a policy's coverage
    is below --min-coverage.
    """
    from invpolicy.authoring.policytest import run_tests
    from invpolicy.cli.options import load_registry

    if quiet and verbose:
        raise click.UsageError("--quiet does not go with --verbose")
    report = run_tests(list(targets), load_registry())
    if not report.policies and not report.problems:
        raise click.UsageError("no policy is installed: name a policy, a folder or a test file")
    reporter(output_format).tests(report, min_coverage, quiet=quiet, verbose=verbose)
    if not report.ok(min_coverage):
        click.get_current_context().exit(1)
