"""The registry: a typed view of the criteria, reply generators and policy files plugins provide."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

from invpolicy.errors import PluginError
from invpolicy.frozen import frozen
from invpolicy.plugins.contract import (
    DECISIONS,
    NAME_RULE,
    Criterion,
    ReplyGenerator,
    is_valid_name,
)
from invpolicy.plugins.installed import FoundPlugin
from invpolicy.plugins.manager import (
    DEFAULT_PLUGINS,
    BrokenPlugin,
    make_plugin_manager,
    wrapper_option,
    wrapper_refusal,
)

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from invpolicy.model.policy import ReplySpec

T = TypeVar("T")


@frozen
class Origin:
    """Where something installed comes from: a plugin, and the distribution that ships it."""

    plugin: str
    distribution: str
    version: str
    builtin: bool

    def __str__(self) -> str:
        where = "built-in" if self.builtin else f"plugin {self.plugin}"
        return f"{self.distribution} {self.version} ({where})"


class Registry:
    """The criteria, reply generators and policy files that the plugins provide."""

    def __init__(self, pm: pluggy.PluginManager | None = None) -> None:
        self.pm = pm if pm is not None else make_plugin_manager()
        #: The installed plugins that failed to load, by entry-point name.
        self.broken: dict[str, BrokenPlugin] = dict(getattr(self.pm, "broken", {}))
        from invpolicy.version import __version__

        self._origins: dict[str, Origin] = {}
        for name in DEFAULT_PLUGINS:
            self._origins[name] = Origin(name, "invpolicy", __version__, True)
        for plugin, dist in self.pm.list_plugin_distinfo():  # a manager that used pluggy's loader
            name = self.pm.get_name(plugin) or repr(plugin)
            self._origins[name] = Origin(name, dist.project_name, dist.version, False)
        found: dict[str, FoundPlugin] = getattr(self.pm, "found", {})
        for name, plugin in found.items():
            self._origins[name] = Origin(name, plugin.distribution, plugin.version, False)

        self.criteria: dict[str, Criterion] = {}
        self.generators: dict[str, ReplyGenerator] = {}
        self.origins: dict[tuple[str, str], Origin] = {}
        for criterion, origin in self._collect("invpolicy_criteria", Criterion):
            self._add("criterion", criterion.name, criterion, origin, self.criteria)
        for generator, origin in self._collect("invpolicy_reply_generators", ReplyGenerator):
            if not generator.languages:
                raise PluginError(
                    f"plugin {origin.plugin}: reply generator '{generator.name}' has no language"
                )
            unknown = [d for d in generator.decisions if d not in DECISIONS]
            if unknown or not generator.decisions:
                got = ", ".join(generator.decisions) or "none"
                raise PluginError(
                    f"plugin {origin.plugin}: reply generator '{generator.name}' must write for "
                    f"some of {', '.join(DECISIONS)}; got {got}"
                )
            self._add("reply generator", generator.name, generator, origin, self.generators)
        self.policy_paths: list[tuple[Path, Origin]] = [
            (Path(path), origin) for path, origin in self._collect("invpolicy_policy_paths", Path)
        ]
        self._validators: dict[tuple[str, str], Validator] = {}

    @classmethod
    def default(cls) -> Registry:
        """The registry of everything installed (minus disabled plugins)."""
        return cls()

    def origin_of_plugin(self, plugin_name: str) -> Origin:
        """The :class:`Origin` of a registered plugin."""
        return self._origins.get(plugin_name, Origin(plugin_name, plugin_name, "?", False))

    def broken_hint(self) -> str:
        """What to add to "unknown criterion 'x'": the plugins that failed to load, if any."""
        if not self.broken:
            return ""
        return ": it may come from " + "; or from ".join(str(b) for b in self.broken.values())

    def plugin_names(self) -> list[str]:
        """Names of the registered plugins, in registration order."""
        return [name for name, _ in self.pm.list_name_plugin() if name is not None]

    def _collect(self, hook_name: str, kind: type[T]) -> list[tuple[T, Origin]]:
        """What each plugin returns from ``hook_name``, with that plugin's :class:`Origin`.

        Each implementation is called on its own rather than through the hook,
        which would merge the lists and lose who returned what. Only pluggy's
        public API is used (``get_hookimpls`` and the documented attributes of
        :class:`pluggy.HookImpl`).
        """
        results: list[tuple[T, Origin]] = []
        caller: pluggy.HookCaller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            # invpolicy's own manager refuses wrappers as they are registered;
            # this catches a plain pluggy manager, before the wrapper's
            # generator is taken for a wrong return value.
            option = wrapper_option(impl)
            if option is not None:
                raise PluginError(wrapper_refusal(impl.plugin_name, hook_name, option))
            origin = self.origin_of_plugin(impl.plugin_name)
            function: Callable[[], Any] = impl.function
            try:
                provided = function()
            except Exception as exc:
                raise PluginError(
                    f"plugin {impl.plugin_name} failed in {hook_name}: {type(exc).__name__}: {exc}"
                ) from exc
            if not isinstance(provided, list | tuple):
                raise PluginError(
                    f"plugin {impl.plugin_name}: {hook_name} must return a list, "
                    f"not {type(provided).__name__}"
                )
            for item in provided:
                if kind is Path and isinstance(item, str):
                    item = Path(item)
                if not isinstance(item, kind):
                    raise PluginError(
                        f"plugin {impl.plugin_name}: {hook_name} returned "
                        f"{type(item).__name__}, expected {kind.__name__}"
                    )
                results.append((item, origin))
        return results

    def _add(self, kind: str, name: str, item: T, origin: Origin, into: dict[str, T]) -> None:
        if not is_valid_name(name):
            raise PluginError(
                f"plugin {origin.plugin}: '{name}' is not a valid {kind} name ({NAME_RULE})"
            )
        if name in into:
            first = self.origins[(kind, name)]
            raise PluginError(
                f"{kind} '{name}' is provided twice: by {first.plugin} and by {origin.plugin}"
            )
        into[name] = item
        self.origins[(kind, name)] = origin

    def params_validator(self, kind: str, name: str) -> Validator:
        """A JSON Schema validator for the parameters of a criterion or generator."""
        key = (kind, name)
        if key not in self._validators:
            from jsonschema.exceptions import SchemaError

            item = self.criteria[name] if kind == "criterion" else self.generators[name]
            try:
                self._validators[key] = schema_validator(item.params_schema)
            except SchemaError as exc:
                plugin = self.origins[key].plugin
                raise PluginError(
                    f"plugin {plugin}: the parameter schema of {kind} '{name}' "
                    f"is not a valid JSON Schema: {exc.message}"
                ) from exc
        return self._validators[key]


def reply_params(
    registry: Registry, reply: ReplySpec | None, defaults: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The parameters a rule's reply generator compiles with; None for a rule with no reply.

    ``defaults`` (the settings' ``[reply]``: a signature...) fill in what the
    rule's ``reply`` does not set, each one only if the generator's parameter
    schema accepts it.
    """
    if reply is None:
        return None
    chosen: dict[str, Any] = {}
    if defaults:
        validator = registry.params_validator("reply generator", reply.generator)
        chosen = {
            key: value
            for key, value in defaults.items()
            if key not in reply.params and validator.is_valid({key: value})
        }
    return {**chosen, **reply.params}


def schema_validator(schema: Mapping[str, Any] | bool) -> Validator:
    """A validator for a parameter schema (JSON Schema draft 2020-12).

    Raises :class:`jsonschema.exceptions.SchemaError` when ``schema`` is not one.
    """
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
