"""Start a policy: what ``invpolicy new policy`` writes, and what ``new plugin`` shares.

The files come from Jinja2 templates shipped in ``templates/scaffold``. What
the user types reaches them only as values: names that match strict patterns,
and an author quoted for YAML or TOML. Nothing the user gives is read as a
template or run. A plugin's files are written by :mod:`invpolicy.pluginscaffold`
with the author, the error and the templates of this module; a policy made
from a school (``--from``, ``--extends``) by :mod:`invpolicy.schoolscaffold`.

Every policy written is in fmt's layout (:func:`canonical_yaml`, and
:func:`policy_text`), so that ``invpolicy fmt --check`` accepts it as written.
"""

from __future__ import annotations

import getpass
import io
import json
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

# ScaffoldError lived here before errors.py: ``from invpolicy.scaffold import`` still works.
from invpolicy.errors import InvpolicyError, ScaffoldError

if TYPE_CHECKING:
    import jinja2

    from invpolicy.plugins import Registry

TEMPLATES = Path(__file__).resolve().parent / "templates" / "scaffold"

#: How long ``git config user.name`` may take, in seconds.
GIT_TIMEOUT = 10
#: The longest policy or plugin name ``new`` accepts: it goes into file names,
#: which most systems cut at 255 bytes.
MAX_NAME = 64
#: The file beside a new policy that its first line points an editor at.
EDITOR_SCHEMA = "policy.schema.json"


# --- names and author ---------------------------------------------------------


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


# --- templates ------------------------------------------------------------------


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when YAML 1.2 and 1.1 read it back as the same string."""
    from invpolicy.fmtstyle import plain_is_safe
    from invpolicy.source import parse_document

    plain = value == value.strip() and "\n" not in value and "#" not in value
    plain = plain and plain_is_safe(value)
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


def canonical_yaml(data: dict[str, Any], shown: str = "<text>") -> str:
    """``data`` written as YAML in fmt's layout: what ``invpolicy fmt`` leaves as it is.

    fmt's own writer (:func:`invpolicy.fmtstyle.layout_yaml`) writes it, and
    :func:`invpolicy.fmt.format_text` puts the keys in fmt's order and leaves
    the criteria without parameters empty. ``invpolicy show --resolved`` and a
    flattened copy (``new policy --from``) write with it.
    """
    from invpolicy.fmt import format_text
    from invpolicy.fmtstyle import layout_yaml

    stream = io.StringIO()
    layout_yaml().dump(data, stream)
    return format_text(stream.getvalue(), shown)


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
    and the same comments (flattened, if the school extends another policy:
    every rule written out, no ``extends``); or, with ``extend``, a short policy that
    ``extends`` it, with the school's examples. ``directory`` is where the
    file will be written: paths to other policies are made relative to it.
    ``registry`` finds installed policies and checks the result (default:
    the built-ins for a starting policy, everything installed for a school).
    The text is in fmt's layout, so that ``invpolicy fmt --check`` accepts it.
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
        # The starting policy uses built-ins only: a broken plugin must not stop it.
        registry = registry if registry is not None else builtin_registry()
    else:
        from invpolicy.schoolscaffold import copy_of, extension_of

        registry = registry if registry is not None else _installed()
        make = extension_of if extend else copy_of
        text = make(school, name, filename, author, registry, Path(directory))
    path = Path(directory) / filename
    text = _laid_out(text, path)
    _check_policy(text, path, registry)
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
    :func:`default_author`. The file is written whole or not at all; a
    failure to write it is a :class:`ScaffoldError`. The schema an editor
    reads is written apart, by :func:`write_editor_schema`.
    """
    from invpolicy.atomic import atomic_write

    check_policy_name(name)
    folder = Path(directory)
    check_directory(folder)
    target = folder / f"{name}.yaml"
    check_free(target, target.with_suffix(".yml"))
    author = check_author(author) if author is not None else default_author(folder)
    text = policy_text(
        name, author=author, school=school, extend=extend, registry=registry, directory=folder
    )
    # Checked again just before writing: the policy may have been slow to check.
    check_free(target)
    try:
        atomic_write(target, text)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    return target


def write_editor_schema(directory: str | Path, registry: Registry) -> Path | None:
    """Write ``policy.schema.json`` in ``directory``, unless one is there; return its path.

    The first line of a new policy points an editor's YAML language server
    at this file: the policy schema with the criteria and reply generators of
    ``registry`` (:func:`invpolicy.editorschema.policy_schema`). Returns
    ``None`` when the file was already there: it is never replaced. A failure
    to write it is a :class:`ScaffoldError`.
    """
    from invpolicy.atomic import atomic_write
    from invpolicy.editorschema import policy_schema

    target = Path(directory) / EDITOR_SCHEMA
    try:
        if target.exists() or target.is_symlink():
            return None
        atomic_write(target, json.dumps(policy_schema(registry), indent=2) + "\n")
    except OSError as exc:
        raise cannot_write(target, exc) from None
    return target


def builtin_registry() -> Registry:
    """The built-in criteria, reply generators and policies, without any installed plugin."""
    from invpolicy.plugins import Registry, make_plugin_manager

    return Registry(make_plugin_manager(entry_points=False, disabled=()))


def _installed() -> Registry:
    from invpolicy.plugins import Registry

    return Registry.default()


def _laid_out(text: str, path: Path) -> str:
    """``text``, to be written at ``path``, in fmt's layout.

    A copy keeps a school's text, which may be laid out otherwise. If fmt
    cannot lay it out (a comment it cannot keep in place), the copy is written
    as it is: it is a valid policy, and ``invpolicy fmt`` says why it leaves it.
    """
    from invpolicy.fmt import format_text

    try:
        return format_text(text, str(path))
    except InvpolicyError:
        return text


def _check_policy(text: str, path: Path, registry: Registry) -> None:
    """Raise :class:`InvpolicyError` if ``text``, to be written at ``path``, does not validate."""
    from invpolicy.policy import parse_policy
    from invpolicy.source import parse_document

    parse_policy(parse_document(text, str(path)), registry, stem=path.stem)
