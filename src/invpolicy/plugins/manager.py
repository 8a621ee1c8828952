"""Find plugins and give the rest of invpolicy a typed view of what they provide.

Built-in criteria, reply generators and policies are plugin modules listed in
:data:`DEFAULT_PLUGINS`; third-party ones come from the ``invpolicy`` entry-point
group. Both are registered the same way, and either can be switched off by
name with the ``INVPOLICY_DISABLE_PLUGINS`` environment variable. A plugin
whose implementation of an invpolicy hook is a hook wrapper is refused as it
is registered, whichever way (:func:`refuse_wrappers`).
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


def wrapper_refusal(plugin: str, hook: str, option: str) -> str:
    """The one-line message that refuses ``plugin``'s wrapper of ``hook``.

    ``option`` is the marker option that made it a wrapper: ``wrapper`` or
    ``hookwrapper``.
    """
    return (
        f"plugin {plugin}: {hook} is a hook wrapper ({option}=True), which invpolicy "
        "refuses: each criterion, reply generator and policy path is attributed to the "
        "one plugin that returns it, and a wrapper would wrap the other plugins' results; "
        "return the list directly instead"
    )


def wrapper_option(impl: pluggy.HookImpl) -> str | None:
    """``"wrapper"`` or ``"hookwrapper"`` if ``impl`` is a hook wrapper, else ``None``."""
    if impl.wrapper:
        return "wrapper"
    if impl.hookwrapper:
        return "hookwrapper"
    return None


def refuse_wrappers(pm: pluggy.PluginManager, plugin: object) -> None:
    """Unregister ``plugin`` and raise :class:`PluginError` if it wraps an invpolicy hook.

    The registry calls each implementation on its own, to know which plugin
    provides what; a wrapper has no list of its own to give, and exists to
    rewrite the other plugins' lists, which would blur that attribution. Only
    pluggy's public API is used: the hook callers of the plugin, their
    implementations, and each implementation's documented attributes.
    """
    for caller in pm.get_hookcallers(plugin) or ():
        if caller.name not in hookspecs.HOOKS:
            continue  # a misspelled hook: check_pending names it
        for impl in caller.get_hookimpls():
            option = wrapper_option(impl)
            if impl.plugin is plugin and option is not None:
                message = wrapper_refusal(impl.plugin_name, caller.name, option)
                # No manager is left holding the wrapper, whoever catches the error.
                pm.unregister(plugin)
                raise PluginError(message)


class _Manager(pluggy.PluginManager):
    """pluggy's plugin manager, which refuses hook wrappers and speaks in one line.

    Every registration goes through :meth:`register`: the built-ins, the entry
    points (which pluggy registers with it), the plugins given by name, and a
    plugin registered later by hand.
    """

    def register(self, plugin: object, name: str | None = None) -> str | None:
        try:
            registered = super().register(plugin, name)
        except pluggy.PluginValidationError as exc:
            # pluggy refuses a malformed hook (a wrapper that is no generator)
            # in several lines: one, naming the plugin, is what users get.
            shown = name or plugin_name(plugin)
            raise PluginError(f"plugin {shown}: {' '.join(str(exc).split())}") from exc
        if registered is not None:
            refuse_wrappers(self, plugin)
        return registered


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

    Raises :class:`PluginError` for a plugin that cannot be loaded, implements
    a hook that does not exist, or implements one as a hook wrapper.
    """
    blocked = disabled_plugins() if disabled is None else frozenset(disabled)
    pm = _Manager("invpolicy")
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
            except PluginError:
                raise  # refused as registered: it loaded, and the message says why
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
