"""Start a policy: what ``invpolicy new policy`` writes, and what ``new plugin`` shares.

The files come from Jinja2 templates shipped in ``templates/scaffold``. What
the user types reaches them only as values: names that match strict patterns,
and an author quoted for YAML or TOML. Nothing the user gives is read as a
template or run. A plugin's files are written by :mod:`invpolicy.pluginscaffold`
with the author, the error and the templates of this module.
"""

from __future__ import annotations

import getpass
import io
import json
import os
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invpolicy.errors import InvpolicyError

if TYPE_CHECKING:
    import jinja2

    from invpolicy.plugins import Registry
    from invpolicy.source import Document

TEMPLATES = Path(__file__).resolve().parent / "templates" / "scaffold"

#: How long ``git config user.name`` may take, in seconds.
GIT_TIMEOUT = 10


class ScaffoldError(Exception):
    """The files cannot be written: a bad name, a file already there, no author."""


# --- names and author ---------------------------------------------------------


def policy_name_pattern() -> str:
    """The pattern that policy names must match, read from the policy schema."""
    from invpolicy.resources import load_schema

    pattern: str = load_schema("policy")["properties"]["name"]["pattern"]
    return pattern


def check_policy_name(name: str) -> str:
    """``name`` if it is a valid policy name; :class:`ScaffoldError` if not."""
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


# --- templates ------------------------------------------------------------------


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it reads back as the same string."""
    from invpolicy.source import parse_document

    plain = value == value.strip() and "\n" not in value and "#" not in value
    if plain:
        try:
            plain = parse_document(f"v: {value}\n", "<scalar>").data == {"v": value}
        except InvpolicyError:
            plain = False
    # A JSON string is a YAML double-quoted scalar.
    return value if plain else json.dumps(value, ensure_ascii=False)


def toml_str(value: str) -> str:
    """``value`` as a TOML basic string (control characters were refused before)."""
    return json.dumps(value, ensure_ascii=False)


def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # YAML, TOML, Python and Markdown, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_scalar"] = yaml_scalar
    env.filters["toml_str"] = toml_str
    return env


def render_template(template: str, **values: Any) -> str:
    """The template ``template`` (a path under ``templates/scaffold``) filled with ``values``."""
    return _environment().get_template(template).render(**values)


# --- policies -------------------------------------------------------------------


def policy_text(
    name: str,
    *,
    author: str,
    school: str | Path | None = None,
    extend: bool = False,
    registry: Registry | None = None,
    directory: str | Path = ".",
) -> str:
    """The text of a new policy ``name``, checked to validate.

    Without ``school``: a starting policy whose comments explain the format,
    with an example for each rule. With ``school`` (an installed policy's
    name or a path): a copy of that policy, renamed ``name``, with ``author``
    and the same comments; or, with ``extend``, a short policy that
    ``extends`` it, with the school's examples. ``directory`` is where the
    file will be written: paths to other policies are made relative to it.
    ``registry`` finds installed policies and checks the result (default:
    everything installed).
    """
    check_policy_name(name)
    author = check_author(author)
    filename = f"{name}.yaml"
    if school is None:
        if extend:
            raise ScaffoldError("extend=True needs the policy to extend (school)")
        title = name.replace("-", " ").capitalize()
        text = render_template(
            "policy/new.yaml.j2", name=name, filename=filename, author=author, title=title
        )
        registry = registry if registry is not None else _builtins()
    else:
        registry = registry if registry is not None else _installed()
        make = _extension_of if extend else _copy_of
        text = make(school, name, filename, author, registry, Path(directory))
    _check_policy(text, Path(directory) / filename, registry)
    return text


def new_policy(
    name: str,
    directory: str | Path = ".",
    *,
    author: str | None = None,
    school: str | Path | None = None,
    extend: bool = False,
    registry: Registry | None = None,
) -> Path:
    """Write ``name.yaml`` in ``directory`` (see :func:`policy_text`); return its path.

    Refuses an invalid name, a missing directory, and a policy file of that
    name already there (``.yaml`` or ``.yml``). ``author`` defaults to
    :func:`default_author`. The file is written whole or not at all.
    """
    from invpolicy.atomic import atomic_write

    check_policy_name(name)
    folder = Path(directory)
    if not folder.is_dir():
        raise ScaffoldError(f"{folder}: no such directory")
    target = folder / f"{name}.yaml"
    for existing in (target, target.with_suffix(".yml")):
        if existing.exists() or existing.is_symlink():
            raise ScaffoldError(f"{existing} already exists: choose another name or move it")
    author = check_author(author) if author is not None else default_author(folder)
    text = policy_text(
        name, author=author, school=school, extend=extend, registry=registry, directory=folder
    )
    # Checked again just before writing: the policy may have been slow to check.
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{target} already exists: choose another name or move it")
    atomic_write(target, text)
    return target


def _builtins() -> Registry:
    from invpolicy.plugins import Registry, make_plugin_manager

    # The starting policy uses built-ins only: a broken plugin must not stop it.
    return Registry(make_plugin_manager(entry_points=False, disabled=()))


def _installed() -> Registry:
    from invpolicy.plugins import Registry

    return Registry.default()


def _check_policy(text: str, path: Path, registry: Registry) -> None:
    """Raise :class:`InvpolicyError` if ``text``, to be written at ``path``, does not validate."""
    from invpolicy.policy import parse_policy
    from invpolicy.source import parse_document

    parse_policy(parse_document(text, str(path)), registry, stem=path.stem)


@dataclass(frozen=True)
class _Block:
    """A top-level key of a policy: its YAML text, with the comments just above it."""

    key: str
    text: str


_SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:")


def _copy_of(
    school: str | Path, name: str, filename: str, author: str, registry: Registry, folder: Path
) -> str:
    from invpolicy.catalog import resolve_policy
    from invpolicy.policy import read_policy
    from invpolicy.source import load_document, read_text

    path = resolve_policy(school, registry)
    # The school must validate: its problems point at its own file.
    read_policy(path, registry)
    doc = load_document(path)
    text = read_text(path).replace("\r\n", "\n").replace("\r", "\n")
    preamble, blocks = _blocks(doc, text)
    changed: list[_Block] = []
    for block in blocks:
        if block.key == "name":
            changed.append(_Block("name", f"name: {yaml_scalar(name)}"))
        elif block.key == "author":
            changed.append(_Block("author", f"author: {yaml_scalar(author)}"))
        elif block.key == "extends":
            ref = _extends_from(doc, folder, registry)
            changed.append(_Block("extends", f"extends: {yaml_scalar(ref)}"))
        else:
            changed.append(block)
        if block.key == "name" and "author" not in doc.data:
            changed.append(_Block("author", f"author: {yaml_scalar(author)}"))
    shown = str(school)
    return render_template(
        "policy/from.yaml.j2",
        name=name,
        filename=filename,
        school=shown if shown == path.stem else f"{path.stem} ({shown})",
        preamble=preamble,
        blocks=changed,
        has_examples="examples" in doc.data,
    )


def _extension_of(
    school: str | Path, name: str, filename: str, author: str, registry: Registry, folder: Path
) -> str:
    from invpolicy.catalog import installed_policies, resolve_policy
    from invpolicy.policy import read_policy
    from invpolicy.source import load_document, read_text

    path = resolve_policy(school, registry)
    parent = read_policy(path, registry)
    shown = str(school)
    installed = any(
        e.name == shown and e.path == path and e.shadowed_by is None
        for e in installed_policies(registry)
    )
    ref = shown if installed else _relative(path, folder)
    # Sign every reply, when the generator takes a signature.
    used = dict.fromkeys(rule.reply.generator for rule in parent.rules if rule.reply)
    signed = [
        generator
        for generator in used
        if "signature" in registry.generators[generator].params_schema.get("properties", {})
    ]
    examples = ""
    doc = load_document(path)
    if "examples" in doc.data:
        text = read_text(path).replace("\r\n", "\n").replace("\r", "\n")
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
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 88
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue().rstrip()


def _extends_from(doc: Document, folder: Path, registry: Registry) -> str:
    """The school's ``extends``, to be read from ``folder``: a name, or a path from there."""
    from invpolicy.catalog import installed_policies
    from invpolicy.inherit import parent_path

    ref: str = doc.data["extends"]
    parent = parent_path(ref, doc, registry)
    if any(e.name == ref and e.path == parent for e in installed_policies(registry)):
        return ref
    return _relative(parent, folder)
