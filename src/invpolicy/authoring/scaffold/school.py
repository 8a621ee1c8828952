"""Start a policy from a school: a copy (``new policy --from``) or an extension (``--extends``).

A copy keeps the school's text and comments key by key, with a comment that
explains each key; an extension lists the school's rules and sketches what it
can change. Both are filled into the templates of
:mod:`invpolicy.authoring.scaffold.templating`. A school's file is read once,
its text and document together (:func:`_read`); what is written anew is in
fmt's layout (:func:`~invpolicy.authoring.scaffold.templating.canonical_yaml`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invpolicy.authoring.scaffold.templating import canonical_yaml, render_template, yaml_scalar
from invpolicy.frozen import frozen

if TYPE_CHECKING:
    from invpolicy.io.document import Document
    from invpolicy.model.policy import Policy
    from invpolicy.plugins.registry import Registry


@frozen
class _Block:
    """A top-level key of a policy: its YAML text, with the comments just above it."""

    key: str
    text: str


_SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:")


def copy_of(
    school: str | Path, name: str, filename: str, author: str, registry: Registry, folder: Path
) -> str:
    """A copy of ``school`` named ``name``, by ``author``, with the school's comments.

    A school that extends another is flattened (:func:`_flat_blocks`), so that
    the copy stands alone. ``folder`` is where it will be written.
    """
    from invpolicy.loading.catalog import resolve_policy
    from invpolicy.loading.parse import parse_policy

    path = resolve_policy(school, registry)
    text, doc = _read(path)
    # The school must validate: its problems point at its own file.
    policy = parse_policy(doc, registry, stem=path.stem)
    preamble, blocks = _blocks(doc, text)
    if "extends" in doc.data:
        blocks = _flat_blocks(doc, blocks, policy, registry)
    keys = [block.key for block in blocks]
    changed: list[_Block] = []
    for block in blocks:
        if block.key == "name":
            changed.append(_Block("name", f"name: {yaml_scalar(name)}"))
        elif block.key == "author":
            changed.append(_Block("author", f"author: {yaml_scalar(author)}"))
        else:
            changed.append(block)
        if block.key == "name" and "author" not in keys:
            changed.append(_Block("author", f"author: {yaml_scalar(author)}"))
    shown = str(school)
    return render_template(
        "policy/from.yaml.j2",
        name=name,
        filename=filename,
        school=shown if shown == path.stem else f"{path.stem} ({shown})",
        flattened=doc.data.get("extends"),
        preamble=preamble,
        blocks=changed,
        has_examples="examples" in doc.data,
    )


def _flat_blocks(
    doc: Document, blocks: list[_Block], policy: Policy, registry: Registry
) -> list[_Block]:
    """The blocks of a school that extends another, flattened so that a copy stands alone.

    The policy as ``invpolicy show --resolved`` prints it, with the school's
    own examples. A key keeps its text and comments from the nearest file of
    the chain that holds the same value (an inherited summary, a title the
    school sets); the others, changed by the chain, are written out.
    """
    from invpolicy.loading.inherit import parent_path
    from invpolicy.model.written import policy_data

    flat = policy_data(policy)
    if "examples" in doc.data:
        flat["examples"] = doc.data["examples"]
    chain = [(doc.data, {block.key: block for block in blocks})]
    while "extends" in doc.data:
        text, doc = _read(parent_path(doc.data["extends"], doc, registry))
        chain.append((doc.data, {block.key: block for block in _blocks(doc, text)[1]}))
    written = []
    for key, value in flat.items():
        kept = (own[key] for data, own in chain if key in own and data[key] == value)
        written.append(next(kept, None) or _Block(key, _dump({key: value})))
    return written


def extension_of(
    school: str | Path, name: str, filename: str, author: str, registry: Registry, folder: Path
) -> str:
    """A short policy ``name`` that extends ``school``: its rules listed in a comment,
    the changes sketched, every reply signed, and the school's examples."""
    from invpolicy.loading.catalog import find_policy, resolve_policy
    from invpolicy.loading.parse import parse_policy

    path = resolve_policy(school, registry)
    text, doc = _read(path)
    parent = parse_policy(doc, registry, stem=path.stem)
    shown = str(school)
    ref = shown if find_policy(shown, registry) == path else _relative(path, folder)
    # Sign every reply, when the generator takes a signature.
    used = dict.fromkeys(rule.reply.generator for rule in parent.rules if rule.reply)
    signed = [
        generator
        for generator in used
        if "signature" in registry.generators[generator].params_schema.get("properties", {})
    ]
    examples = ""
    if "examples" in doc.data:
        examples = next(b.text for b in _blocks(doc, text)[1] if b.key == "examples")
    return render_template(
        "policy/extends.yaml.j2",
        name=name,
        filename=filename,
        school=shown if shown == path.stem else f"{path.stem} ({shown})",
        parent=parent,
        width=max(len(rule.id) for rule in parent.rules),
        ref=ref,
        author=author,
        signed=signed,
        examples=examples,
    )


def _read(path: Path) -> tuple[str, Document]:
    """The text of the policy file ``path``, with ``\\n`` line ends, and its document.

    Both come from one read, so that the positions of the document are those
    of the text. YAML reads ``\\r\\n`` and ``\\r`` as line breaks too: the
    lines, and the problems found in them, are the file's.
    """
    from invpolicy.io.files import read_text
    from invpolicy.io.safeload import parse_document

    text = read_text(path).replace("\r\n", "\n").replace("\r", "\n")
    return text, parse_document(text, str(path))


def _relative(path: Path, folder: Path) -> str:
    """``path`` as written in a policy in ``folder``: relative to it when possible."""
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive, on Windows
        return path.resolve().as_posix()


def _blocks(doc: Document, text: str) -> tuple[str, list[_Block]]:
    """The comments before the first key, and the text of each top-level key.

    Each key keeps its own text, comments included, as long as the file is a
    block mapping with every top-level key at the start of its own line;
    otherwise (a flow mapping, JSON) the values are written out again.
    """
    data: dict[str, Any] = doc.data
    lines = text.split("\n")
    starts: list[int] = []
    for key in data:
        line, col = doc.key_positions.get((key,), (0, 0))
        if col != 1 or (starts and line <= starts[-1]) or line < 1:
            return "", [_Block(key, _dump({key: value})) for key, value in data.items()]
        starts.append(line - 1)
    # Comments at the margin just above a key belong to it.
    begins = []
    for i, start in enumerate(starts):
        floor = starts[i - 1] + 1 if i else 0
        begin = start
        while begin > floor and lines[begin - 1].startswith("#"):
            begin -= 1
        begins.append(begin)
    ends = [*begins[1:], len(lines)]
    # The school's schema line points at its own schema: the new file has its own.
    kept = [line if _SCHEMA_LINE.match(line) is None else None for line in lines]
    blocks = [
        _Block(key, "\n".join(line for line in kept[begin:end] if line is not None).rstrip())
        for key, begin, end in zip(data, begins, ends, strict=True)
    ]
    preamble = "\n".join(line for line in kept[: begins[0]] if line is not None)
    return preamble.strip(), blocks


def _dump(data: dict[str, Any]) -> str:
    """``data``, a top-level key and its value, as a block of the new file."""
    return canonical_yaml(data).rstrip()
