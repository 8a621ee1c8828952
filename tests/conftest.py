from __future__ import annotations

import importlib
import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.loading.parse import read_policy
from invpolicy.model.invitation import Invitation
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
EXAMPLES = REPO / "examples"
#: The fictional LinkedIn export, unzipped; its ZIP is beside it.
LINKEDIN_EXPORT = EXAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-01-2026"
SEEDS = REPO.parent / "shared" / "seeds"
DATA = TESTS / "data"

#: The bundled schools of thought, in the order invpolicy lists them.
SCHOOLS = [
    "accept-all",
    "ask-first",
    "benefit-of-the-doubt",
    "common-ground",
    "in-person-only",
    "quality-over-quantity",
    "strong-ties-only",
]

#: Lines the tests want shown at the end of the run (the classifier's accuracy).
SUMMARY = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SUMMARY] = []
    # The cache of compiled policies (and of the plugins found) is never the
    # user's own: each test process gets a folder of its own, which the tests
    # of the cache replace with theirs. Commands run in subprocesses inherit it.
    import tempfile

    os.environ["INVPOLICY_CACHE_DIR"] = tempfile.mkdtemp(prefix="invpolicy-test-cache-")
    os.environ.pop("INVPOLICY_NO_CACHE", None)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under pytest-xdist, a worker hands its summary lines to the main process."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["invpolicy_summary"] = session.config.stash.get(SUMMARY, [])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Under pytest-xdist, the main process gathers the summary lines of each worker."""
    lines = getattr(node, "workeroutput", {}).get("invpolicy_summary", [])
    node.config.stash[SUMMARY].extend(lines)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = config.stash.get(SUMMARY, [])
    if lines:
        terminalreporter.write_sep("-", "measured by the tests")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def summary(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Show a line in the summary at the end of the test run."""
    return request.config.stash[SUMMARY].append


@pytest.fixture(autouse=True)
def _no_personal_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests never read the developer's own settings: an empty file stands in for them."""
    empty = tmp_path_factory.getbasetemp() / "empty-settings.toml"
    if not empty.exists():
        empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("INVPOLICY_CONFIG", str(empty))
    for variable in list(os.environ):
        if variable in ("INVPOLICY_NAME", "INVPOLICY_POLICY", "INVPOLICY_POLICIES") or (
            variable.startswith("INVPOLICY_REPLY_")
        ):
            monkeypatch.delenv(variable)


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The built-in plugins only, whatever INVPOLICY_DISABLE_PLUGINS says."""
    return Registry(make_plugin_manager(entry_points=False, disabled=()))


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, on (the cache of compiled policies, the plugins found)."""
    from invpolicy.io import cachedir

    folder = tmp_path / "cache"
    monkeypatch.setenv(cachedir.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(cachedir.NO_CACHE_ENV, raising=False)
    return folder


@pytest.fixture
def testplugin(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The module in tests/plugins, importable."""
    monkeypatch.syspath_prepend(str(TESTS / "plugins"))
    return importlib.import_module("invpolicy_testplugin")


@pytest.fixture
def testplugin_site(tmp_path: Path) -> Path:
    """A folder that, on sys.path, makes tests/plugins/invpolicy_testplugin an
    installed distribution (invpolicy-testplugin 1.2) with an ``invpolicy`` entry point."""
    site = tmp_path / "site"
    dist = site / "invpolicy_testplugin-1.2.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: invpolicy-testplugin\nVersion: 1.2\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[invpolicy]\ntestplugin = invpolicy_testplugin\n", encoding="utf-8"
    )
    return site


@pytest.fixture
def registry_with_testplugin(testplugin: ModuleType) -> Registry:
    pm = make_plugin_manager(entry_points=False, disabled=())
    pm.register(testplugin, name="testplugin")
    return Registry(pm)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path (text is dedented) and return its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    return write


POLICY_HEADER = """\
format: 1
name: {name}
title: A test policy
summary: Used by the tests.
author: The tests
sources: [{{article: tests}}]
"""


@pytest.fixture
def make_policy(
    write: Callable[[str, str | bytes], Path], registry: Registry
) -> Callable[..., CompiledPolicy]:
    """Compile a policy from its rules (YAML text), with a valid header."""

    def make(
        rules: str, *, name: str = "test", reg: Registry | None = None, extra: str = ""
    ) -> CompiledPolicy:
        text = (
            POLICY_HEADER.format(name=name)
            + extra
            + "rules:\n"
            + textwrap.indent(textwrap.dedent(rules), "  ")
        )
        path = write(f"{name}.yaml", text)
        used = reg or registry
        return CompiledPolicy(read_policy(path, used), used)

    return make


@pytest.fixture
def make_invitation() -> Callable[..., Invitation]:
    """An invitation with an id and a name, and the given facts."""

    def make(**facts: Any) -> Invitation:
        facts.setdefault("id", "inv")
        facts.setdefault("name", "Alex Martin")
        return Invitation.from_dict(facts)

    return make


@pytest.fixture
def counting() -> Callable[[bool | None, tuple[str, ...]], tuple[Registry, list[str]]]:
    """A registry whose criterion 'counted' answers ``value`` and records each call."""
    from invpolicy import Criterion, hookimpl

    def make(value: bool | None, facts: tuple[str, ...] = ()) -> tuple[Registry, list[str]]:
        calls: list[str] = []

        def compile_(params: Any) -> Any:
            def check(facts: Any) -> bool | None:
                calls.append(facts["id"])
                return value

            return check

        class Counting:
            @hookimpl
            def invpolicy_criteria(self) -> list[Criterion]:
                return [Criterion("counted", "Records its calls.", facts, compile_)]

        pm = make_plugin_manager(entry_points=False, disabled=())
        pm.register(Counting(), name="counting")
        return Registry(pm), calls

    return make
