"""Start a plugin: what ``invpolicy new plugin`` writes.

A plugin package ready to test and publish: a criterion, a reply generator, a
policy and their tests, from the Jinja2 templates in ``templates/plugin``.
Its names all derive from one short name (:class:`PluginNames`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from invpolicy.authoring.scaffold.naming import (
    cannot_write,
    check_author,
    check_directory,
    check_free,
    check_name_length,
    default_author,
)
from invpolicy.authoring.scaffold.templating import render_template
from invpolicy.errors import ScaffoldError
from invpolicy.frozen import frozen

if TYPE_CHECKING:
    from invpolicy.plugins.registry import Registry

#: A plugin's short name: ``city``, ``my-city`` (``my_city`` is read as ``my-city``).
PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")


@frozen
class PluginNames:
    """The names of a plugin, all derived from its short name.

    For ``my-city``: the distribution ``invpolicy-my-city`` (also the
    directory written), the module ``invpolicy_my_city``, the entry-point name
    ``my_city`` (the plugin's name in ``invpolicy plugins`` and
    ``INVPOLICY_DISABLE_PLUGINS``), and the policy ``my-city``.
    """

    short: str

    @classmethod
    def parse(cls, name: str) -> PluginNames:
        """The names for ``name``: ``city``, or ``invpolicy-city``, ``invpolicy_city``."""
        short = name
        for prefix in ("invpolicy-", "invpolicy_"):
            if short.startswith(prefix):
                short = short[len(prefix) :]
        check_name_length(short, "plugin")
        if PLUGIN_NAME.fullmatch(short) is None or short == "invpolicy":
            raise ScaffoldError(
                f"invalid plugin name {name!r}: use lower-case letters, digits and '-', "
                "starting with a letter (such as 'city' or 'invpolicy-city')"
            )
        return cls(short.replace("_", "-"))

    @property
    def distribution(self) -> str:
        """The distribution on PyPI, and the directory written: ``invpolicy-my-city``."""
        return f"invpolicy-{self.short}"

    @property
    def module(self) -> str:
        """The Python module: ``invpolicy_my_city``."""
        return f"invpolicy_{self.entry_point}"

    @property
    def entry_point(self) -> str:
        """The entry-point name, which is the plugin's name: ``my_city``."""
        return self.short.replace("-", "_")

    @property
    def policy(self) -> str:
        """The name of the policy the plugin ships: ``my-city``."""
        return self.short


@frozen
class WrittenPlugin:
    """What :func:`new_plugin` wrote: the plugin's names, its directory, and its files."""

    names: PluginNames
    directory: Path
    files: tuple[Path, ...]


def plugin_files(names: PluginNames, *, author: str) -> dict[str, str]:
    """The files of a new plugin, by path relative to its directory."""
    from invpolicy.version import __version__

    values = {
        "distribution": names.distribution,
        "module": names.module,
        "entry_point": names.entry_point,
        "policy": names.policy,
        "author": check_author(author),
        "invpolicy_version": __version__,
    }
    package = f"src/{names.module}"
    return {
        "pyproject.toml": render_template("plugin/pyproject.toml.j2", **values),
        "README.md": render_template("plugin/README.md.j2", **values),
        ".gitignore": render_template("plugin/gitignore.j2", **values),
        f"{package}/__init__.py": render_template("plugin/__init__.py.j2", **values),
        f"{package}/py.typed": "",
        f"{package}/policies/{names.policy}.yaml": render_template(
            "plugin/policy.yaml.j2", **values
        ),
        f"tests/test_{names.entry_point}.py": render_template("plugin/test_plugin.py.j2", **values),
    }


def check_policy_free(names: PluginNames, registry: Registry) -> None:
    """Refuse a plugin whose policy would take the name of an installed policy.

    The first policy of a name is used, so the plugin's would never be, and
    its own tests would fail.
    """
    from invpolicy.loading.catalog import installed_policies

    for entry in installed_policies(registry):
        if entry.name == names.policy:
            raise ScaffoldError(
                f"invalid plugin name {names.short!r}: its policy would be named "
                f"{names.policy!r}, the name of a policy installed by {entry.origin}; "
                "choose another name"
            )


def new_plugin(
    name: str,
    directory: str | Path = ".",
    *,
    author: str | None = None,
    registry: Registry | None = None,
) -> WrittenPlugin:
    """Write the plugin ``name`` in a new directory under ``directory``.

    ``name`` is a short name (``city``) or the distribution's (``invpolicy-city``);
    see :class:`PluginNames`. Refuses a directory already there, and a name
    whose policy is already installed (:func:`check_policy_free`, against
    ``registry``, by default everything installed). The files are written in
    a temporary directory renamed into place at the end, so that a failure
    leaves nothing behind; a failure to write is a :class:`ScaffoldError`.
    Returns the plugin's names, its directory and its files.
    """
    from invpolicy.plugins.registry import Registry

    names = PluginNames.parse(name)
    parent = Path(directory)
    check_directory(parent)
    target = parent / names.distribution
    check_free(target)
    check_policy_free(names, registry if registry is not None else Registry.default())
    author = check_author(author) if author is not None else default_author(parent)
    files = plugin_files(names, author=author)
    try:
        staging = Path(
            tempfile.mkdtemp(dir=parent, prefix=f".{names.distribution}.", suffix=".tmp")
        )
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        # mkdtemp makes a private directory; give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        check_free(target)
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise cannot_write(target, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WrittenPlugin(names, target, tuple(target / relative for relative in files))
