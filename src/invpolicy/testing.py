"""Check, from a plugin's own tests, that it honours invpolicy's plugin contract.

A plugin author calls these from pytest::

    import invpolicy_sectors
    from invpolicy.testing import check_plugin

    def test_the_plugin_honours_the_contract():
        check_plugin(invpolicy_sectors)

Each function raises :class:`AssertionError` with a message that names the
criterion, reply generator, plugin or policy at fault and says what is wrong,
so pytest shows the reason without a traceback into invpolicy. Nothing here is
needed at run time: the CLI never imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from invpolicy.authoring.plugincheck import (
    check_criterion,
    check_reply_generator,
    failure,
    sample_facts,
)
from invpolicy.errors import PluginError, Problem
from invpolicy.plugins.hookspecs import HOOKS
from invpolicy.plugins.manager import make_plugin_manager, plugin_name
from invpolicy.plugins.registry import Registry

__all__ = [
    "check_criterion",
    "check_plugin",
    "check_reply_generator",
    "registry_with",
    "sample_facts",
]


def registry_with(*plugins: object, builtins: bool = True) -> Registry:
    """A :class:`~invpolicy.plugins.registry.Registry` of the built-ins and ``plugins``, for tests.

    Installed entry points are not loaded and ``INVPOLICY_DISABLE_PLUGINS`` is
    ignored, so the result is the same on every machine. A module is
    registered under its name, another object under its class's name. Raises
    :class:`~invpolicy.errors.PluginError`, as invpolicy does, when a plugin
    breaks the contract at registration (a misspelled hook, a name taken twice).
    """
    pm = make_plugin_manager(entry_points=False, disabled=(), builtins=builtins, plugins=plugins)
    return Registry(pm)


def check_plugin(plugin: object, facts: Sequence[Mapping[str, Any]] = ()) -> None:
    """Check everything ``plugin`` provides; raise :class:`AssertionError` at the first fault.

    ``plugin`` is what its entry point names (usually a module). It is
    registered beside the built-ins as invpolicy would; then every criterion
    goes through :func:`check_criterion` and every reply generator through
    :func:`check_reply_generator` (with ``facts``, and the parameter sets of
    their schemas' ``examples``), and every policy path must exist and hold
    policies that validate, compile, are not hidden by a built-in policy of
    the same name, and decide as their ``examples`` say.
    """
    label = plugin_name(plugin)
    if plugin is None or isinstance(plugin, str | Path):
        raise failure(f"check_plugin needs the plugin object (a module), not {plugin!r}")
    try:
        registry = registry_with(plugin)
    except PluginError as exc:
        # Most registry messages name the plugin already: name it once.
        message = str(exc)
        if not message.startswith(f"plugin {label}"):
            message = f"plugin {label}: {message}"
        raise failure(message) from None
    name = registry.pm.get_name(plugin)
    implemented = [
        hook
        for hook in HOOKS
        if any(impl.plugin is plugin for impl in getattr(registry.pm.hook, hook).get_hookimpls())
    ]
    if not implemented:
        raise failure(
            f"plugin {label} implements no invpolicy hook (one of {', '.join(HOOKS)}, "
            "each marked with @invpolicy.hookimpl)"
        )
    for (kind, item_name), origin in registry.origins.items():
        if origin.plugin != name:
            continue
        if kind == "criterion":
            check_criterion(registry.criteria[item_name], facts)
        else:
            check_reply_generator(registry.generators[item_name], facts)
    paths = [path for path, origin in registry.policy_paths if origin.plugin == name]
    if paths:
        _check_policies(paths, registry, name, label)


#: How :func:`invpolicy.authoring.policytest.run_tests` words a plugin's failure to read
#: or compile a policy, as a problem of the policy's file.
_PLUGIN_ERROR = "plugin error: "


def _lines(problems: Iterable[Problem]) -> str:
    return "\n".join(f"  {problem}" for problem in problems)


def _check_policies(paths: list[Path], registry: Registry, name: str | None, label: str) -> None:
    from invpolicy.authoring.policytest import run_tests
    from invpolicy.loading.catalog import installed_policies
    from invpolicy.reporters.text import failure_lines

    entries = [entry for entry in installed_policies(registry) if entry.origin.plugin == name]
    for path in paths:
        if not path.exists():
            raise failure(
                f"plugin {label}: the policy path {path} does not exist "
                "(is the file included in the distribution?)"
            )
        if path.is_dir() and not any(entry.path.parent == path for entry in entries):
            raise failure(f"plugin {label}: the policy folder {path} has no *.yaml or *.yml policy")
    for entry in entries:
        if entry.shadowed_by is not None:
            raise failure(
                f"plugin {label}: policy '{entry.name}' ({entry.path}) is never used: the name "
                f"is taken by {entry.shadowed_by}; rename the file"
            )
    policies = {str(entry.path) for entry in entries}
    for path in paths:
        # Each policy is read and compiled once, to run its examples and those
        # of the test files (NAME.test.yaml) shipped beside it.
        report = run_tests([path], registry)
        by_file: dict[str, list[Problem]] = {}
        for problem in report.problems:
            by_file.setdefault(problem.path, []).append(problem)
        for file, problems in by_file.items():
            if file not in policies:
                continue
            first = problems[0].message
            if first.startswith(_PLUGIN_ERROR):
                raise failure(
                    f"plugin {label}: policy {file} does not compile: "
                    + first.removeprefix(_PLUGIN_ERROR)
                )
            raise failure(f"plugin {label}: policy {file} does not validate:\n{_lines(problems)}")
        if report.problems:
            raise failure(
                f"plugin {label}: the examples of {path} cannot run:\n{_lines(report.problems)}"
            )
        failures = report.failures()
        if failures:
            lines = [line for policy, result in failures for line in failure_lines(policy, result)]
            raise failure(
                f"plugin {label}: {len(failures)} example(s) of {path} fail:\n"
                + "\n".join(f"  {line}" for line in lines)
            )
