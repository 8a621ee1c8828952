"""``invpolicy fmt``: give policy and test files their canonical layout."""

from __future__ import annotations

import click

#: How many lines of diff ``--check`` shows for each file.
DIFF_LINES = 20


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing: list the files fmt would change, with the start of the diff, "
    "and exit 1 if there is any.",
)
def fmt(paths: tuple[str, ...], check: bool) -> None:
    """Lay out policy and test files (*.test.yaml) the canonical way, in place.

    Keys in the canonical order, two-space indentation, plain strings where
    YAML allows and double quotes elsewhere; every comment is kept. A PATH
    that is a directory stands for every *.yaml and *.yml file under it,
    recursively (hidden ones left out). A file that cannot be read is reported
    as path:line:col: message and left as it was.
    """
    from invpolicy.errors import InvpolicyError
    from invpolicy.fmt import preview_file, write_formatted, yaml_files

    files, problems = yaml_files(paths)
    missing = len(problems)
    changed = broken = 0
    for path in files:
        try:
            formatted = preview_file(path)
            if formatted.changed and not check:
                write_formatted(formatted)
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
    unchanged = len(files) - changed - broken
    click.echo(_summary(changed, unchanged, missing + broken, check=check), err=True)
    if problems:
        raise InvpolicyError(problems)
    if check and changed:
        raise click.exceptions.Exit(1)


def _summary(changed: int, unchanged: int, failed: int, *, check: bool) -> str:
    def files(count: int) -> str:
        return f"{count} file{'' if count == 1 else 's'}"

    verb = "would be reformatted" if check else "reformatted"
    parts = [f"{files(changed)} {verb}", f"{files(unchanged)} left unchanged"]
    if failed:
        parts.append(f"{files(failed)} with errors")
    return ", ".join(parts) + "."
