"""``invpolicy fmt``: give policy and test files their canonical layout."""

from __future__ import annotations

import click

#: How many lines of diff ``--check`` shows for each file.
DIFF_LINES = 20


@click.command(
    short_help="Lay out policy and test files the canonical way, in place.",
    epilog="""\b
Examples:
  invpolicy fmt --check policies/
  invpolicy fmt --check --verbose examples/ policies/
  invpolicy new policy my-school && invpolicy fmt my-school.yaml
""",
)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing: list the files fmt would change, with the start of the diff, "
    "and exit 1 if there is any.",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Also list the files of a folder that fmt leaves alone, and why.",
)
def fmt(paths: tuple[str, ...], check: bool, verbose: bool) -> None:
    """Lay out policy and test files (*.test.yaml) the canonical way, in place.

    Keys in the canonical order, two-space indentation, plain strings where
    YAML allows and double quotes elsewhere; every comment is kept. A PATH
    that is a directory stands for the policy and test files among the *.yaml
    and *.yml files under it, recursively (hidden ones left out); other YAML
    files there are left alone. A file named on the command line is formatted
    whatever it holds. A file that cannot be read, or is read-only, is
    reported as path:line:col: message and left as it was.
    """
    from invpolicy.authoring.fmt.formatter import (
        NotPolicyFile,
        preview_file,
        write_formatted,
        yaml_files,
    )
    from invpolicy.errors import InvpolicyError

    files, problems = yaml_files(paths)
    missing = len(problems)
    changed = broken = alone = 0
    for found in files:
        path = found.path
        try:
            formatted = preview_file(path, only_policies=found.in_folder)
            if formatted.changed and not check:
                write_formatted(formatted)
        except NotPolicyFile as exc:
            alone += 1
            if verbose:
                click.echo(f"left alone {path}: {exc.reason}")
            continue
        except InvpolicyError as exc:
            problems.extend(exc.problems)
            broken += 1
            continue
        if formatted.changed:
            changed += 1
            if check:
                click.echo(f"would reformat {path}")
                click.echo(formatted.diff(DIFF_LINES), nl=False)
            else:
                click.echo(f"reformatted {path}")
    unchanged = len(files) - changed - broken - alone
    summary = _summary(changed, unchanged, missing + broken, alone, check=check, verbose=verbose)
    click.echo(summary, err=True)
    if problems:
        raise InvpolicyError(problems)
    if check and changed:
        click.get_current_context().exit(1)


def _summary(
    changed: int, unchanged: int, failed: int, alone: int, *, check: bool, verbose: bool
) -> str:
    from invpolicy.text import counted

    def files(n: int) -> str:
        return counted(n, "file")

    verb = "would be reformatted" if check else "reformatted"
    parts = [f"{files(changed)} {verb}", f"{files(unchanged)} left unchanged"]
    if failed:
        parts.append(f"{files(failed)} with errors")
    if alone:
        why = "not policy or test files" + ("" if verbose else "; -v lists them")
        parts.append(f"{files(alone)} left alone ({why})")
    return ", ".join(parts) + "."
