"""Save facts the user gave: into a YAML invitations file, or into a facts file.

Both keep everything else in the file: comments, key order, quoting and the
layout of lists are kept by ruamel.yaml's round-trip mode, and the file is
replaced atomically, with its byte-order mark and line endings. The files were
checked by the safe loader before (``decide --interactive`` reads them first),
so the round-trip loader here only ever sees plain data.

Each save holds the file's lock (:mod:`invpolicy.io.lock`) while it reads the
file again, merges the answers and writes it, so that two processes saving to
the same file at once lose nothing.
"""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.atomic import atomic_write
from invpolicy.io.limits import characters
from invpolicy.io.lock import locked


def _load(text: str) -> tuple[Any, Any]:
    """A round-trip YAML for writing ``text`` back alike, and ``text``'s data (None if empty)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    # Keep the file's own list indentation: "key:\n  - item" or "key:\n- item".
    data, indent, offset = None, None, None
    if text.strip():
        data, indent, offset = load_yaml_guess_indent(text, yaml=yaml)
    # Neither is guessed from a file without block lists or nested maps (only
    # comments, flow style).
    indent = 2 if indent is None else indent
    offset = offset or 0
    yaml.indent(mapping=2, sequence=max(indent, offset + 2), offset=offset)
    return yaml, data


class _File:
    """A YAML file's text, with its byte-order mark and line endings, to write it back alike."""

    def __init__(self, path: Path) -> None:
        self.path = path
        raw = path.read_bytes() if path.exists() else b""
        self.bom = raw.startswith(codecs.BOM_UTF8)
        text = raw.decode("utf-8-sig")
        self.crlf = "\r\n" in text
        self.text = text.replace("\r\n", "\n")

    def write(self, yaml: Any, data: Any) -> None:
        out = io.StringIO()
        yaml.dump(data, out)
        text = out.getvalue()
        if self.crlf:
            text = text.replace("\n", "\r\n")
        atomic_write(self.path, ("\ufeff" if self.bom else "") + text)


def outside_link(path: str | Path) -> Path | None:
    """Where ``path`` leads, if it is a symbolic link that leads out of its folder; else None."""
    path = Path(path)
    if not path.is_symlink():
        return None
    real = Path(os.path.realpath(path))
    return real if real.parent != Path(os.path.realpath(path.parent)) else None


def _set(mapping: Any, key: str, value: Any) -> None:
    """Set ``key``; a new key goes last, after the comments that belong to the last value.

    ruamel.yaml hangs the blank lines and comments that come before the next
    item on the last key of a mapping. A key added after it takes them over, so
    that they stay before the next item instead of landing above the new key.
    """
    if key in mapping or not mapping:
        mapping[key] = value
        return
    last = list(mapping)[-1]
    mapping[key] = value
    entry = mapping.ca.items.get(last)
    token = entry[2] if entry and len(entry) > 2 else None
    if token is None:
        return
    from ruamel.yaml.tokens import CommentToken

    head, _, tail = token.value.partition("\n")
    if not tail:
        return
    if head:
        token.value = head + "\n"
    else:
        entry[2] = None
    mapping.ca.items[key] = [None, None, CommentToken("\n" + tail, token.start_mark), None]


def save_into_invitations(path: str | Path, answers: dict[str, dict[str, Any]]) -> None:
    """Set each answered fact on its invitation in a YAML invitations file, in place."""
    with locked(path):
        _save_into_invitations(Path(path), answers)


def _save_into_invitations(path: Path, answers: dict[str, dict[str, Any]]) -> None:
    file = _File(path)
    yaml, data = _load(file.text)
    items = data.get("invitations") if hasattr(data, "get") else data
    if not isinstance(items, list):
        raise InvpolicyError(Problem(str(path), 1, 1, "expected a list of invitations"))
    for item in items:
        ident = item.get("id") if hasattr(item, "get") else None
        # Read as invpolicy reads it: an escaped surrogate pair is its character.
        given = answers.get(characters(ident)) if isinstance(ident, str) else None
        for fact, value in (given or {}).items():
            _set(item, fact, value)
    file.write(yaml, data)


def save_facts_file(path: str | Path, answers: dict[str, dict[str, Any]], *, about: str) -> None:
    """Merge ``answers`` into a facts file (created if need be), keyed by invitation id."""
    with locked(path):
        _save_facts_file(Path(path), answers, about=about)


def _save_facts_file(path: Path, answers: dict[str, dict[str, Any]], *, about: str) -> None:
    from ruamel.yaml.comments import CommentedMap

    file = _File(path)
    yaml, data = _load(file.text)
    if data is None:
        data = CommentedMap()
        data.yaml_set_start_comment(
            f"Facts about the invitations in {Path(about).name}, keyed by invitation id.\n"
            "decide and compare read them whenever this file is beside the invitations "
            "(--no-facts leaves them out); edit them freely."
        )
    if not isinstance(data, dict):
        raise InvpolicyError(Problem(str(path), 1, 1, "expected a mapping of invitation ids"))
    # The keys as invpolicy reads them (an escaped surrogate pair is its character).
    keys = {characters(key): key for key in data if isinstance(key, str)}
    for ident, given in answers.items():
        key = keys.get(ident, ident)
        entry = data.get(key)
        if not isinstance(entry, dict):
            entry = data[key] = CommentedMap()
        for fact, value in given.items():
            _set(entry, fact, value)
    file.write(yaml, data)
