"""Find plugins and give the rest of invpolicy a typed view of what they provide.

Built-in criteria, reply generators and policies are plugin modules listed in
:data:`DEFAULT_PLUGINS`; third-party ones come from the ``invpolicy`` entry-point
group. Both are registered the same way, and either can be switched off by
name with the ``INVPOLICY_DISABLE_PLUGINS`` environment variable.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping
from types import ModuleType

import pluggy

from invpolicy.errors import PluginError
from invpolicy.plugins import hookspecs

DEFAULT_PLUGINS: tuple[str, ...] = (
    "invpolicy.builtin.criteria",
    "invpolicy.builtin.replies",
    "invpolicy.builtin.policies",
)
ENTRY_POINT_GROUP = "invpolicy"
DISABLE_ENV = "INVPOLICY_DISABLE_PLUGINS"


def disabled_plugins(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """Plugin names listed, comma-separated, in ``INVPOLICY_DISABLE_PLUGINS``."""
    value = (os.environ if environ is None else environ).get(DISABLE_ENV, "")
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def plugin_name(plugin: object) -> str:
    """The name :func:`make_plugin_manager` gives a plugin object: its module's or class's."""
    if isinstance(plugin, ModuleType | type):
        return plugin.__name__
    return type(plugin).__name__


def make_plugin_manager(
    *,
    entry_points: bool = True,
    disabled: Iterable[str] | None = None,
    builtins: bool = True,
    plugins: Iterable[object] = (),
) -> pluggy.PluginManager:
    """A plugin manager with the built-ins, (by default) installed plugins, and ``plugins``.

    ``plugins`` are plugin objects (modules, or instances of classes with
    hook implementations) registered last, under :func:`plugin_name`
    (``Name#2`` for a second one of that name); one already registered is
    skipped. ``disabled`` defaults to ``INVPOLICY_DISABLE_PLUGINS``.
    """
    blocked = disabled_plugins() if disabled is None else frozenset(disabled)
    pm = pluggy.PluginManager("invpolicy")
    pm.add_hookspecs(hookspecs)
    for name in blocked:
        pm.set_blocked(name)
    if builtins:
        for module_name in DEFAULT_PLUGINS:
            if module_name not in blocked:
                pm.register(importlib.import_module(module_name), name=module_name)
    if entry_points:
        from importlib.metadata import entry_points as installed_entry_points

        # One entry point at a time, so that a broken one is named.
        for ep in installed_entry_points(group=ENTRY_POINT_GROUP):
            try:
                pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=ep.name)
            except Exception as exc:
                raise PluginError(
                    f"cannot load plugin {ep.name} ({ep.value}): {type(exc).__name__}: {exc}"
                ) from exc
    for plugin in plugins:
        name = plugin_name(plugin)
        if pm.is_registered(plugin) or name in blocked:
            continue
        taken = {registered for registered, _ in pm.list_name_plugin()}
        unique = name
        number = 1
        while unique in taken:
            number += 1
            unique = f"{name}#{number}"
        pm.register(plugin, name=unique)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc)) from exc
    return pm
