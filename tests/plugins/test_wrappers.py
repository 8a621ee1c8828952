"""Hook wrappers are refused, and invpolicy reaches pluggy through its public API only.

The registry attributes every criterion, reply generator and policy path to
the one plugin that returned it, so it calls each implementation on its own;
a wrapper (``wrapper=True`` or ``hookwrapper=True``) has nothing of its own to
return and would rewrite the other plugins' lists. It is refused when the
plugin is registered, with one line that names the plugin and the hook.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner

from invpolicy import Criterion, hookimpl
from invpolicy.cli import cli
from invpolicy.cli import options as cli_module
from invpolicy.errors import PluginError
from invpolicy.plugins import hookspecs
from invpolicy.plugins.hookspecs import HOOKS
from invpolicy.plugins.manager import DISABLE_ENV, make_plugin_manager
from invpolicy.plugins.registry import Registry
from invpolicy.testing import check_plugin, registry_with

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "invpolicy"

#: The refusal, word for word, as docs/plugins.md shows it.
REFUSAL = (
    "plugin {plugin}: {hook} is a hook wrapper ({option}=True), which invpolicy refuses: "
    "each criterion, reply generator and policy path is attributed to the one plugin that "
    "returns it, and a wrapper would wrap the other plugins' results; "
    "return the list directly instead"
)

OPTIONS = ("wrapper", "hookwrapper")


def _wraps(self: object) -> Generator[None, Any, Any]:
    # A generator, as pluggy requires of both kinds of wrapper: it would get
    # the other plugins' lists at the yield.
    return (yield)


def wrapping(hook: str = "invpolicy_criteria", option: str = "wrapper") -> object:
    """An instance of a plugin class, ``Wrapping``, whose ``hook`` is a wrapper."""
    cls = type("Wrapping", (), {hook: hookimpl(**{option: True})(_wraps)})
    return cls()


class Ordinary:
    """A plugin that returns its list, as every plugin should."""

    @hookimpl(tryfirst=True)
    def invpolicy_criteria(self) -> list[Criterion]:
        return [Criterion("ordinary", "Always true.", (), lambda params: lambda facts: True)]


# --- at registration ---------------------------------------------------------------------


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("hook", HOOKS)
def test_a_hook_wrapper_is_refused_with_the_plugin_and_the_hook_named(
    hook: str, option: str
) -> None:
    with pytest.raises(PluginError) as raised:
        make_plugin_manager(entry_points=False, disabled=(), plugins=[wrapping(hook, option)])
    assert str(raised.value) == REFUSAL.format(plugin="Wrapping", hook=hook, option=option)
    assert "\n" not in str(raised.value)


def test_a_wrapper_among_ordinary_hooks_is_refused() -> None:
    class Mixed(Ordinary):
        @hookimpl(hookwrapper=True)
        def invpolicy_reply_generators(self) -> Generator[None, Any, None]:
            yield

    with pytest.raises(PluginError) as raised:
        registry_with(Mixed())
    assert str(raised.value) == REFUSAL.format(
        plugin="Mixed", hook="invpolicy_reply_generators", option="hookwrapper"
    )


def test_a_plugin_registered_later_by_hand_is_refused_and_unregistered() -> None:
    pm = make_plugin_manager(entry_points=False, disabled=())
    plugin = wrapping()
    with pytest.raises(PluginError, match=r"^plugin late: invpolicy_criteria is a hook wrapper"):
        pm.register(plugin, name="late")
    assert not pm.is_registered(plugin)
    # The built-ins are still there, and still collected.
    assert "met_in_person" in Registry(pm).criteria


def test_the_registry_refuses_a_wrapper_registered_behind_its_back() -> None:
    # Before, the registry called the wrapper and complained of its generator:
    # "invpolicy_criteria must return a list, not generator".
    # A manager that is not invpolicy's own, filled by hand.
    pm = pluggy.PluginManager("invpolicy")
    pm.add_hookspecs(hookspecs)
    pm.register(wrapping(), name="late")
    with pytest.raises(PluginError) as raised:
        Registry(pm)
    assert str(raised.value) == REFUSAL.format(
        plugin="late", hook="invpolicy_criteria", option="wrapper"
    )


def test_a_misspelled_wrapper_is_named_as_misspelled() -> None:
    # Not an invpolicy hook: check_pending's message says what is wrong.
    with pytest.raises(PluginError, match=r"unknown hook 'invpolicy_critera' in plugin"):
        registry_with(wrapping("invpolicy_critera"))


def test_an_ordinary_plugin_still_works() -> None:
    registry = registry_with(Ordinary(), builtins=False)
    assert list(registry.criteria) == ["ordinary"]
    assert registry.origins[("criterion", "ordinary")].plugin == "Ordinary"
    check_plugin(Ordinary())


def test_the_docs_show_the_refusal_word_for_word() -> None:
    docs = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = docs.split("\n## No hook wrappers\n", 1)[1].split("\n## ", 1)[0]
    shape = REFUSAL.format(plugin="<name>", hook="<hook>", option="<wrapper or hookwrapper>")
    assert f"\n{shape}\n" in section
    row = REFUSAL.format(plugin="broken", hook="invpolicy_criteria", option="wrapper")
    assert f"| implements a hook as a wrapper | `{row}` |" in docs


# --- through invpolicy.testing and the CLI -------------------------------------------------


@pytest.mark.parametrize("option", OPTIONS)
def test_check_plugin_fails_naming_the_plugin(option: str) -> None:
    with pytest.raises(AssertionError) as raised:
        check_plugin(wrapping("invpolicy_policy_paths", option))
    message = str(raised.value)
    assert message.startswith("plugin Wrapping: ")
    assert message.endswith(
        REFUSAL.format(plugin="Wrapping", hook="invpolicy_policy_paths", option=option)
    )


def _one_plugin_error(result: Any) -> str:
    """The single line the CLI printed for a plugin error (exit 1, no traceback)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: plugin error: ")
    return lines[0].removeprefix("Error: plugin error: ")


def test_the_cli_prints_one_line_for_a_plugin_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_module, "load_registry", lambda: registry_with(wrapping()))
    result = CliRunner().invoke(cli, ["plugins"])
    assert _one_plugin_error(result) == REFUSAL.format(
        plugin="Wrapping", hook="invpolicy_criteria", option="wrapper"
    )


@pytest.fixture
def installed_wrapper(testplugin_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed distribution whose entry point, ``wrapping``, wraps invpolicy_criteria."""
    (testplugin_site / "invpolicy_wrapping_plugin.py").write_text(
        "from invpolicy import hookimpl\n\n\n"
        "@hookimpl(wrapper=True)\n"
        "def invpolicy_criteria():\n"
        "    criteria = yield\n"
        "    return criteria\n",
        encoding="utf-8",
    )
    (next(testplugin_site.glob("*.dist-info")) / "entry_points.txt").write_text(
        "[invpolicy]\nwrapping = invpolicy_wrapping_plugin\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(testplugin_site))
    monkeypatch.delenv(DISABLE_ENV, raising=False)
    importlib.invalidate_caches()


@pytest.mark.usefixtures("installed_wrapper")
def test_an_entry_point_wrapper_is_refused_not_reported_as_unloadable() -> None:
    said: list[str] = []
    pm = make_plugin_manager(report=said.append)
    assert not pm.has_plugin("wrapping")
    assert pm.broken["wrapping"].error == REFUSAL.format(  # type: ignore[attr-defined]
        plugin="wrapping", hook="invpolicy_criteria", option="wrapper"
    )


@pytest.mark.usefixtures("installed_wrapper")
def test_the_cli_prints_one_line_for_an_entry_point_plugin() -> None:
    # load_registry is left alone: the command finds the plugin as a user's would.
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output  # a broken plugin stops nothing
    (line,) = [line for line in result.stderr.splitlines() if "wrapping" in line]
    refusal = REFUSAL.format(plugin="wrapping", hook="invpolicy_criteria", option="wrapper")
    assert line.startswith("Warning: plugin wrapping (")
    assert f"is left out: {refusal}; to switch it off" in line


@pytest.mark.usefixtures("installed_wrapper")
def test_switching_the_wrapper_off_lets_the_cli_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_ENV, "wrapping")
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output
    assert "met_in_person" in result.stdout


# --- pluggy's public API only --------------------------------------------------------------

#: Names that the source gives pluggy objects (the manager, a hook caller, an
#: implementation, the relay of hooks, the module itself).
PLUGGY_NAMES = frozenset({"pm", "caller", "hook", "impl", "hookimpl", "spec", "pluggy"})


def _is_private(attr: str) -> bool:
    return attr.startswith("_") and not (attr.startswith("__") and attr.endswith("__"))


def _names_private(call: ast.Call) -> bool:
    """Whether ``call`` is ``getattr``, ``setattr`` or ``hasattr`` of a private name."""
    return (
        isinstance(call.func, ast.Name)
        and call.func.id in {"getattr", "setattr", "hasattr"}
        and len(call.args) >= 2
        and isinstance(call.args[1], ast.Constant)
        and isinstance(call.args[1].value, str)
        and _is_private(call.args[1].value)
    )


def private_accesses(source: str, *, plugins_layer: bool) -> list[str]:
    """Private names of pluggy's that ``source`` reaches, as ``line: text``.

    In the plugins layer, which holds every pluggy object, any private
    attribute not of ``self`` or ``cls`` counts; elsewhere, one of a name in
    :data:`PLUGGY_NAMES` or of an attribute ``.pm`` or ``.hook``. Imports from
    pluggy's private modules count everywhere, and so does ``getattr`` with a
    private name.
    """
    found: list[str] = []

    def suspect(base: ast.expr) -> bool:
        if isinstance(base, ast.Name):
            if plugins_layer:
                return base.id not in {"self", "cls"}
            return base.id in PLUGGY_NAMES
        if isinstance(base, ast.Attribute):
            return plugins_layer or base.attr in {"pm", "hook"}
        return plugins_layer

    for node in ast.walk(ast.parse(source)):
        text = ""
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pluggy._"):
            text = f"from {node.module} import ..."
        elif isinstance(node, ast.Import):
            text = ", ".join(a.name for a in node.names if a.name.startswith("pluggy._"))
        elif isinstance(node, ast.Attribute):
            if _is_private(node.attr) and suspect(node.value):
                text = ast.unparse(node)
        elif isinstance(node, ast.Call) and _names_private(node) and suspect(node.args[0]):
            text = ast.unparse(node)
        if text:
            found.append(f"{getattr(node, 'lineno', '?')}: {text}")
    return found


SOURCES = sorted(SRC.rglob("*.py"))


def test_there_are_sources_to_scan() -> None:
    assert SRC / "plugins" / "registry.py" in SOURCES
    assert len(SOURCES) > 20


@pytest.mark.parametrize(
    ("source", "plugins_layer"),
    [
        ("pm._name2plugin", False),
        ("registry.pm.hook._x", False),
        ("impl._opts", False),
        ("getattr(caller, '_hookimpls')", False),
        ("from pluggy._hooks import HookImpl", False),
        ("import pluggy._manager", False),
        ("hook_caller._hookimpls", True),
        ("self.pm._plugin_distinfo", True),
    ],
)
def test_the_scan_finds_private_access(source: str, plugins_layer: bool) -> None:
    assert private_accesses(source, plugins_layer=plugins_layer)


@pytest.mark.parametrize(
    "source", ["self._origins", "cls._x", "plugin.__name__", "impl.plugin_name", "pm.hook"]
)
def test_the_scan_lets_public_access_through(source: str) -> None:
    assert private_accesses(source, plugins_layer=True) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_reaches_into_pluggy_private_attributes(path: Path) -> None:
    found = private_accesses(
        path.read_text(encoding="utf-8"), plugins_layer=path.parent.name == "plugins"
    )
    assert found == [], f"{path.relative_to(SRC)} uses pluggy's private API: {found}"


class _WrapperThatIsNoGenerator:
    @hookimpl(wrapper=True)
    def invpolicy_criteria(self) -> list[Criterion]:
        return []


def test_a_wrapper_pluggy_cannot_register_is_one_line_naming_the_plugin():
    with pytest.raises(PluginError) as info:
        registry_with(_WrapperThatIsNoGenerator())
    message = str(info.value)
    assert message.startswith("plugin _WrapperThatIsNoGenerator: ") and "\n" not in message
    assert "not a generator function" in message
    with pytest.raises(AssertionError) as failed:
        check_plugin(_WrapperThatIsNoGenerator())
    # Named once, not "plugin X: plugin X: ...".
    assert str(failed.value).count("plugin _WrapperThatIsNoGenerator:") == 1


def test_the_hooks_checked_for_wrappers_are_every_hook_pluggy_knows():
    pm = make_plugin_manager(entry_points=False, builtins=False)
    specs = {name for name in vars(pm.hook) if name.startswith("invpolicy_")}
    assert set(HOOKS) == specs and len(HOOKS) == 3
