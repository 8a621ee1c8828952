"""Start a policy: what ``invpolicy new policy`` writes.

The file comes from the Jinja2 templates in ``templates/policy``
(:mod:`invpolicy.authoring.scaffold.templating`); a policy made from a school
(``--from``, ``--extends``) is written by :mod:`invpolicy.authoring.scaffold.school`.
Every policy written is in fmt's layout (:func:`policy_text`), so that
``invpolicy fmt --check`` accepts it as written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from invpolicy.authoring.scaffold.naming import (
    cannot_write,
    check_author,
    check_directory,
    check_free,
    check_policy_name,
    default_author,
)
from invpolicy.authoring.scaffold.templating import render_template
from invpolicy.errors import InvpolicyError, ScaffoldError

if TYPE_CHECKING:
    from invpolicy.plugins.registry import Registry

#: The file beside a new policy that its first line points an editor at.
EDITOR_SCHEMA = "policy.schema.json"


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
        from invpolicy.authoring.scaffold.school import copy_of, extension_of

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
    from invpolicy.io.atomic import atomic_write

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
    ``registry`` (:func:`invpolicy.authoring.editorschema.policy_schema`). Returns
    ``None`` when the file was already there: it is never replaced. A failure
    to write it is a :class:`ScaffoldError`.
    """
    from invpolicy.authoring.editorschema import policy_schema
    from invpolicy.io.atomic import atomic_write

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
    from invpolicy.plugins.manager import make_plugin_manager
    from invpolicy.plugins.registry import Registry

    return Registry(make_plugin_manager(entry_points=False, disabled=()))


def _installed() -> Registry:
    from invpolicy.plugins.registry import Registry

    return Registry.default()


def _laid_out(text: str, path: Path) -> str:
    """``text``, to be written at ``path``, in fmt's layout.

    A copy keeps a school's text, which may be laid out otherwise. If fmt
    cannot lay it out (a comment it cannot keep in place), the copy is written
    as it is: it is a valid policy, and ``invpolicy fmt`` says why it leaves it.
    """
    from invpolicy.authoring.fmt.formatter import format_text

    try:
        return format_text(text, str(path))
    except InvpolicyError:
        return text


def _check_policy(text: str, path: Path, registry: Registry) -> None:
    """Raise :class:`InvpolicyError` if ``text``, to be written at ``path``, does not validate."""
    from invpolicy.io.safeload import parse_document
    from invpolicy.loading.parse import parse_policy

    parse_policy(parse_document(text, str(path)), registry, stem=path.stem)
