"""The names and the author that ``invpolicy new`` writes into files, checked first."""

from __future__ import annotations

import getpass
import re
import subprocess
import unicodedata
from pathlib import Path

from invpolicy.errors import ScaffoldError

#: How long ``git config user.name`` may take, in seconds.
GIT_TIMEOUT = 10
#: The longest policy or plugin name ``new`` accepts: it goes into file names,
#: which most systems cut at 255 bytes.
MAX_NAME = 64


def policy_name_pattern() -> str:
    """The pattern that policy names must match, read from the policy schema."""
    from invpolicy.resources import load_schema

    pattern: str = load_schema("policy")["properties"]["name"]["pattern"]
    return pattern


def check_name_length(name: str, what: str) -> None:
    """Refuse a ``what`` name (policy, plugin) longer than :data:`MAX_NAME` characters."""
    if len(name) > MAX_NAME:
        shown = repr(name) if len(name) <= 40 else f"{name[:30]!r}..."
        raise ScaffoldError(
            f"invalid {what} name {shown}: {len(name)} characters, at most {MAX_NAME}"
        )


def cannot_write(path: Path, exc: OSError) -> ScaffoldError:
    """The error for a file or folder under ``path`` that could not be written."""
    return ScaffoldError(f"cannot write {path}: {exc.strerror or exc}")


def check_directory(folder: Path) -> None:
    """Refuse a ``folder`` to write in that does not exist, or cannot even be looked at."""
    try:
        found = folder.is_dir()
    except OSError as exc:  # a name too long, a loop of links
        raise ScaffoldError(f"{folder}: {exc.strerror or exc}") from None
    if not found:
        raise ScaffoldError(f"{folder}: no such directory")


def check_free(*paths: Path) -> None:
    """Refuse to write where a file (or a link, even a broken one) is already there."""
    for path in paths:
        try:
            taken = path.exists() or path.is_symlink()
        except OSError as exc:
            raise cannot_write(path, exc) from None
        if taken:
            raise ScaffoldError(f"{path} already exists: choose another name or move it")


def check_policy_name(name: str) -> str:
    """``name`` if it is a valid policy name; :class:`ScaffoldError` if not."""
    check_name_length(name, "policy")
    if re.fullmatch(policy_name_pattern(), name) is None:
        raise ScaffoldError(
            f"invalid policy name {name!r}: use lower-case letters, digits and '-', "
            "starting with a letter or a digit (such as 'meet-first')"
        )
    return name


def default_author(directory: str | Path = ".") -> str:
    """``git config user.name`` as read in ``directory``, else the login name."""
    try:
        result = subprocess.run(
            ["git", "config", "user.name"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            return check_author(result.stdout)
    except (OSError, subprocess.SubprocessError, ScaffoldError):
        pass  # no git, no name set, or a name we cannot write: try the login
    try:
        return check_author(getpass.getuser())
    except Exception:
        raise ScaffoldError("cannot tell who the author is: give --author") from None


def check_author(author: str) -> str:
    """``author`` without surrounding spaces, if it is one line of printable text."""
    text = author.strip()
    if not text:
        raise ScaffoldError("the author is empty: give --author a name")
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise ScaffoldError(
            f"the author {text!r} holds a line break or a control character: "
            "give --author one line of text"
        )
    return text
