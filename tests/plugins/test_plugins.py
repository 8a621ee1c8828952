"""Plugin discovery, switching plugins off, and plugins that break the contract."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

import invpolicy.builtin.criteria
from invpolicy import Criterion, ReplyGenerator, hookimpl
from invpolicy.errors import PluginError
from invpolicy.loading.catalog import installed_policies
from invpolicy.plugins import hookspecs
from invpolicy.plugins.contract import is_valid_name
from invpolicy.plugins.manager import DEFAULT_PLUGINS, disabled_plugins, make_plugin_manager
from invpolicy.plugins.registry import Registry

TESTS = Path(__file__).resolve().parents[1]
DOCS = TESTS.parent / "docs"


@pytest.fixture
def installed(testplugin_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test plugin, installed with its entry point, for this test."""
    monkeypatch.syspath_prepend(str(TESTS / "plugins"))
    monkeypatch.syspath_prepend(str(testplugin_site))
    importlib.invalidate_caches()


@pytest.mark.usefixtures("installed")
def test_a_plugin_is_found_through_its_entry_point():
    registry = Registry(make_plugin_manager(disabled=()))
    assert "fact" in registry.criteria
    assert registry.generators["hallo"].languages == ("de",)
    origin = registry.origins[("criterion", "fact")]
    assert (origin.distribution, origin.version, origin.plugin) == (
        "invpolicy-testplugin",
        "1.2",
        "testplugin",
    )
    assert str(origin) == "invpolicy-testplugin 1.2 (plugin testplugin)"
    assert "testplugin" in registry.plugin_names()


@pytest.mark.usefixtures("installed")
def test_plugins_can_be_switched_off_by_name(monkeypatch):
    monkeypatch.setenv("INVPOLICY_DISABLE_PLUGINS", "testplugin, invpolicy.builtin.replies")
    assert disabled_plugins() == {"testplugin", "invpolicy.builtin.replies"}
    registry = Registry.default()
    assert "fact" not in registry.criteria
    # No built-in generator, nor the test plugin's; other installed plugins
    # (tox installs invpolicy-sectors) may add their own.
    assert "hallo" not in registry.generators
    assert not any(registry.origins[("reply generator", g)].builtin for g in registry.generators)
    assert "met_in_person" in registry.criteria


def test_a_plugin_that_fails_to_import_is_named(testplugin_site, monkeypatch):
    (next(testplugin_site.glob("*.dist-info")) / "entry_points.txt").write_text(
        "[invpolicy]\nbroken = no_such_module_here\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(testplugin_site))
    importlib.invalidate_caches()
    registry = Registry(make_plugin_manager(disabled=(), report=lambda message: None))
    assert registry.broken["broken"].error.startswith("ModuleNotFoundError: ")
    assert "met_in_person" in registry.criteria


def test_builtins_are_registered_like_any_plugin(registry):
    assert registry.plugin_names()[: len(DEFAULT_PLUGINS)] == list(DEFAULT_PLUGINS)
    for name in ("met_in_person", "three_part_decline"):
        kind = "criterion" if name in registry.criteria else "reply generator"
        origin = registry.origins[(kind, name)]
        assert origin.builtin
        assert origin.distribution == "invpolicy"


def test_plugin_objects_are_registered_last_under_their_module_or_class_name(testplugin):
    class Extra:
        @hookimpl
        def invpolicy_criteria(self):
            return []

    pm = make_plugin_manager(
        entry_points=False,
        disabled=(),
        plugins=[testplugin, Extra(), Extra(), invpolicy.builtin.criteria],
    )
    # The built-in passed again is not registered twice.
    assert [name for name, _ in pm.list_name_plugin()] == [
        *DEFAULT_PLUGINS,
        "invpolicy_testplugin",
        "Extra",
        "Extra#2",
    ]


def test_the_builtins_can_be_left_out_and_plugin_objects_switched_off(testplugin):
    class Extra:
        @hookimpl
        def invpolicy_criteria(self):
            return []

    pm = make_plugin_manager(
        entry_points=False, disabled=("Extra",), builtins=False, plugins=[testplugin, Extra()]
    )
    assert [name for name, plugin in pm.list_name_plugin() if plugin is not None] == [
        "invpolicy_testplugin"
    ]


def test_a_plugin_object_with_a_misspelled_hook_is_refused():
    class Typo:
        @hookimpl
        def invpolicy_critera(self):
            return []

    with pytest.raises(PluginError, match=r"unknown hook 'invpolicy_critera' in plugin"):
        make_plugin_manager(entry_points=False, disabled=(), plugins=[Typo()])


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("met_in_person", True),
        ("x2", True),
        ("scored", True),
        ("score", False),
        ("not", False),
        ("Met", False),
        ("2x", False),
        ("_x", False),
        ("in-person", False),
        ("", False),
        ("x\n", False),
        (7, False),
    ],
)
def test_a_criterion_or_generator_name_is_lower_case_and_no_operator(name, valid):
    assert is_valid_name(name) is valid


def test_installed_policies_come_from_the_policy_paths_hook(tmp_path, registry):
    class Shipper:
        @hookimpl
        def invpolicy_policy_paths(self):
            return [tmp_path]

    (tmp_path / "accept-all.yaml").write_text("not used", encoding="utf-8")
    (tmp_path / "mine.yaml").write_text("used", encoding="utf-8")
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(Shipper(), name="shipper")
    entries = {(e.name, e.origin.plugin): e for e in installed_policies(Registry(pm))}
    assert entries[("mine", "shipper")].shadowed_by is None
    shadowed = entries[("accept-all", "shipper")].shadowed_by
    assert shadowed is not None and shadowed.plugin == "invpolicy.builtin.policies"


def _registry_with(plugin: object) -> Registry:
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(plugin, name="bad")
    return Registry(pm)


def _criterion(name: str) -> Criterion:
    return Criterion(name, "d", (), lambda params: lambda facts: None)


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        ("oops", r"plugin bad: invpolicy_criteria must return a list, not str"),
        ([42], r"plugin bad: invpolicy_criteria returned int, expected Criterion"),
        (
            [_criterion("met_in_person")],
            r"criterion 'met_in_person' is provided twice: "
            r"by invpolicy.builtin.criteria and by bad",
        ),
        ([_criterion("Bad-Name")], r"'Bad-Name' is not a valid criterion name"),
        ([_criterion("any")], r"'any' is not a valid criterion name"),
        ([_criterion(7)], r"'7' is not a valid criterion name"),  # type: ignore[arg-type]
    ],
)
def test_a_plugin_returning_the_wrong_thing_is_named(returned, message):
    class Bad:
        @hookimpl
        def invpolicy_criteria(self):
            return returned

    with pytest.raises(PluginError, match=message):
        _registry_with(Bad())


def test_a_plugin_that_raises_while_listing_is_named():
    class Bad:
        @hookimpl
        def invpolicy_reply_generators(self):
            raise ImportError("missing dependency")

    with pytest.raises(PluginError, match=r"plugin bad failed in invpolicy_reply_generators"):
        _registry_with(Bad())


def test_a_generator_without_language_is_refused():
    class Bad:
        @hookimpl
        def invpolicy_reply_generators(self):
            return [ReplyGenerator("mute", "d", (), lambda params: lambda facts, lang: "")]

    with pytest.raises(PluginError, match=r"reply generator 'mute' has no language"):
        _registry_with(Bad())


@pytest.mark.parametrize("decisions", [(), ("approve",)])
def test_a_generator_must_say_which_decisions_it_writes_for(decisions):
    class Bad:
        @hookimpl
        def invpolicy_reply_generators(self):
            render = lambda params: lambda facts, lang: "Hi"  # noqa: E731
            return [ReplyGenerator("mute", "d", ("en",), render, decisions=decisions)]

    with pytest.raises(PluginError, match=r"reply generator 'mute' must write for some of accept"):
        _registry_with(Bad())


def test_an_invalid_parameter_schema_is_blamed_on_its_plugin():
    class Bad:
        @hookimpl
        def invpolicy_criteria(self):
            return [Criterion("odd", "d", (), lambda p: lambda f: None, {"type": "no-such-type"})]

    registry = _registry_with(Bad())
    with pytest.raises(PluginError, match=r"plugin bad: the parameter schema of criterion 'odd'"):
        registry.params_validator("criterion", "odd")


def test_a_misspelled_hook_fails_loudly(testplugin_site, monkeypatch):
    (testplugin_site / "typo_plugin.py").write_text(
        "from invpolicy import hookimpl\n\n@hookimpl\ndef invpolicy_critera():\n    return []\n",
        encoding="utf-8",
    )
    (next(testplugin_site.glob("*.dist-info")) / "entry_points.txt").write_text(
        "[invpolicy]\ntypo = typo_plugin\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(testplugin_site))
    importlib.invalidate_caches()
    pm = make_plugin_manager(disabled=(), report=lambda message: None)
    assert pm.broken["typo"].error == (
        "unknown hook 'invpolicy_critera' in plugin typo (did you mean 'invpolicy_criteria'?)"
    )


HOOKS = [
    name
    for name, _ in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("invpolicy_")
]


def test_the_hook_list_is_what_we_think():
    assert sorted(HOOKS) == [
        "invpolicy_criteria",
        "invpolicy_policy_paths",
        "invpolicy_reply_generators",
    ]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_and_a_documented_section(hook):
    # A test implements the hook, in tests/plugins or in a throwaway plugin.
    tests = "".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py"))
    assert f"def {hook}(" in tests
    docs = (DOCS / "plugins.md").read_text(encoding="utf-8")
    assert f"\n## {hook}\n" in docs
