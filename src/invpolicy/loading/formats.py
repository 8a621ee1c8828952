"""Tell how to read an invitations file: from its extension, its header or its content.

``.csv`` files are LinkedIn's ``Invitations.csv`` when their header says so,
``.json`` files Facebook's received friend requests when they start as those
do, or bear their name. Only the head of a file is read here.
"""

from __future__ import annotations

import re
from pathlib import Path

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.files import open_file
from invpolicy.loading.export import FACEBOOK_FILES
from invpolicy.loading.linkedin import looks_like_linkedin

INPUT_FORMATS = ("yaml", "json", "jsonl", "csv")

_EXTENSIONS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}


def input_kind(path: Path, shown_as: str, input_format: str | None) -> str:
    """How to read ``path``: one of :data:`INPUT_FORMATS`, ``linkedin`` or ``facebook``.

    Without ``input_format``, the extension says which.
    """
    choices = ", ".join(INPUT_FORMATS)
    if input_format is None:
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            _refuse_html(path, shown_as)
        if suffix not in _EXTENSIONS:
            raise InvpolicyError(
                Problem(
                    shown_as,
                    1,
                    1,
                    f"cannot tell the format from the extension '{suffix}': "
                    f"use --input-format with one of {choices}",
                )
            )
        input_format = _EXTENSIONS[suffix]
    elif input_format not in INPUT_FORMATS:
        raise InvpolicyError(
            Problem(shown_as, 1, 1, f"unknown input format '{input_format}': use one of {choices}")
        )
    if input_format == "csv" and looks_like_linkedin(path, shown_as):
        return "linkedin"
    if input_format == "json" and (
        path.name.lower() in FACEBOOK_FILES or _looks_like_facebook(path, shown_as)
    ):
        return "facebook"
    return input_format


_HEAD_BYTES = 4096
_FACEBOOK_START = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"received_requests(?:_v2)?"\s*:')


def _head(path: Path, shown_as: str) -> bytes:
    try:
        with open_file(path, shown_as) as stream:
            return stream.read(_HEAD_BYTES)
    except (InvpolicyError, OSError):
        return b""  # the reading proper says what is wrong


def _looks_like_facebook(path: Path, shown_as: str) -> bool:
    """Whether a JSON file starts as Facebook's received friend requests do."""
    return _FACEBOOK_START.match(_head(path, shown_as)) is not None


def _refuse_html(path: Path, shown_as: str) -> None:
    """Facebook's HTML export gets a hint to ask for JSON; other HTML, the usual error."""
    from invpolicy.loading.facebook import HTML_HINT, looks_like_facebook_html

    if looks_like_facebook_html(_head(path, shown_as)):
        raise InvpolicyError(Problem(shown_as, 1, 1, HTML_HINT))
