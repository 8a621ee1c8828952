"""Find plugins and give the rest of invpolicy a typed view of what they provide.

Built-in criteria, reply generators and policies are plugin modules listed in
:data:`DEFAULT_PLUGINS`; third-party ones come from the ``invpolicy`` entry-point
group. Both are registered the same way, and either can be switched off by
name with the ``INVPOLICY_DISABLE_PLUGINS`` environment variable. A plugin
whose implementation of an invpolicy hook is a hook wrapper is refused as it
is registered, whichever way (:func:`refuse_wrappers`).
"""

from __future__ import annotations

import difflib
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType

import pluggy

from invpolicy.errors import PluginError
from invpolicy.frozen import frozen
from invpolicy.plugins import hookspecs
from invpolicy.plugins.installed import FoundPlugin, installed_plugins
from invpolicy.text import one_line

DEFAULT_PLUGINS: tuple[str, ...] = (
    "invpolicy.builtin.criteria",
    "invpolicy.builtin.replies",
    "invpolicy.builtin.policies",
)
DISABLE_ENV = "INVPOLICY_DISABLE_PLUGINS"


def disabled_plugins(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """Plugin names listed, comma-separated, in ``INVPOLICY_DISABLE_PLUGINS``."""
    value = (os.environ if environ is None else environ).get(DISABLE_ENV, "")
    return frozenset(part.strip() for part in value.split(",") if part.strip())


@frozen
class BrokenPlugin:
    """An installed plugin that failed to load, and was left out."""

    name: str
    value: str
    distribution: str
    version: str
    error: str

    def __str__(self) -> str:
        return f"plugin '{self.name}', which failed to load: {self.error}"


def _canonical(name: str) -> str:
    """A distribution name as PyPI compares them: ``Invpolicy_Sectors`` is ``invpolicy-sectors``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _names_of(found: FoundPlugin) -> set[str]:
    """The names that switch an entry point off: its own, its module's, its distribution's."""
    return {found.name, found.module, _canonical(found.distribution)}


def _matches(found: FoundPlugin, blocked: frozenset[str]) -> bool:
    return bool(_names_of(found) & ({*blocked} | {_canonical(name) for name in blocked}))


def warn(message: str) -> None:
    """Say ``message`` on stderr, on one inert line, as a warning."""
    print(one_line(f"Warning: {message}"), file=sys.stderr)


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


def refuse_unknown_hooks(pm: pluggy.PluginManager, plugin: object) -> None:
    """Unregister ``plugin`` and raise :class:`PluginError` if it implements no invpolicy hook
    of that name, with the nearest hook name (``invpolicy_criterias``: ``invpolicy_criteria``).
    """
    for caller in pm.get_hookcallers(plugin) or ():
        if caller.has_spec():
            continue
        if all(impl.optionalhook for impl in caller.get_hookimpls() if impl.plugin is plugin):
            continue
        close = difflib.get_close_matches(caller.name, hookspecs.HOOKS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        shown = pm.get_name(plugin) or plugin_name(plugin)
        pm.unregister(plugin)
        raise PluginError(f"unknown hook '{caller.name}' in plugin {shown}{hint}")


class _Manager(pluggy.PluginManager):
    """pluggy's plugin manager, which refuses hook wrappers and speaks in one line.

    Every registration goes through :meth:`register`: the built-ins, the entry
    points (which pluggy registers with it), the plugins given by name, and a
    plugin registered later by hand. :attr:`broken` holds the installed
    plugins that failed to load, by entry-point name.
    """

    def __init__(self, project_name: str) -> None:
        super().__init__(project_name)
        self.broken: dict[str, BrokenPlugin] = {}
        #: The installed plugins registered, by entry-point name.
        self.found: dict[str, FoundPlugin] = {}
        #: The names switched off (``INVPOLICY_DISABLE_PLUGINS``).
        self.blocked: frozenset[str] = frozenset()

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
            refuse_unknown_hooks(self, plugin)
        return registered


def _load_entry_point(pm: _Manager, found: FoundPlugin, report: Callable[[str], None]) -> None:
    """Register the plugin of ``found``; if it fails, remember it as broken and say so once."""
    if pm.has_plugin(found.name) or pm.is_blocked(found.name):
        return
    try:
        plugin = found.plugin()
        pm.register(plugin, name=found.name)
        pm.found[found.name] = found
        return
    except PluginError as exc:
        error = str(exc)  # loaded, then refused: the message says why
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    if pm.has_plugin(found.name):  # pluggy may have refused it half-way through its hooks
        pm.unregister(name=found.name)
    pm.broken[found.name] = BrokenPlugin(
        found.name, found.value, found.distribution, found.version, one_line(error)
    )
    report(
        f"plugin {found.name} ({found.value}, from {found.distribution} {found.version}) "
        f"failed to load and is left out: {error}; to switch it off, set {DISABLE_ENV}={found.name}"
    )


def make_plugin_manager(
    *,
    entry_points: bool = True,
    disabled: Iterable[str] | None = None,
    builtins: bool = True,
    plugins: Iterable[object] = (),
    report: Callable[[str], None] = warn,
) -> pluggy.PluginManager:
    """A plugin manager with the built-ins, (by default) installed plugins, and ``plugins``.

    ``plugins`` are plugin objects (modules, or instances of classes with
    hook implementations) registered last, under :func:`plugin_name`
    (``Name#2`` for a second one of that name); one already registered is
    skipped. ``disabled`` defaults to ``INVPOLICY_DISABLE_PLUGINS``, whose
    names may be an entry point's, its module's or its distribution's; one that
    matches nothing is reported.

    An installed plugin that cannot be loaded, implements a hook that does not
    exist or implements one as a hook wrapper is left out, kept in the
    manager's ``broken``, and ``report``-ed (on stderr, by default) with how to
    switch it off: a broken plugin stops nothing that does not need it. For a
    plugin of ``plugins``, those raise :class:`PluginError`.
    """
    blocked = disabled_plugins() if disabled is None else frozenset(disabled)
    pm = _Manager("invpolicy")
    pm.blocked = blocked
    pm.add_hookspecs(hookspecs)
    for name in blocked:
        pm.set_blocked(name)
    if builtins:
        for module_name in DEFAULT_PLUGINS:
            if module_name not in blocked:
                pm.register(importlib.import_module(module_name), name=module_name)
    unmatched = set(blocked) - set(DEFAULT_PLUGINS)
    if entry_points:
        # One entry point at a time, so that a broken one is named and left out.
        for found in installed_plugins():
            switching_off = {n for n in blocked if _matches(found, frozenset({n}))}
            unmatched -= switching_off
            if not switching_off:
                _load_entry_point(pm, found, report)
    unmatched -= {plugin_name(plugin) for plugin in plugins}
    if entry_points and disabled is None:
        for name in sorted(unmatched):
            report(f"{DISABLE_ENV}: no plugin, module or distribution is named '{name}'")
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
