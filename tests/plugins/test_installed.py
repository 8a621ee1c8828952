"""The installed plugins, found once and kept in the cache until what would change them does."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from invpolicy.io import cachedir
from invpolicy.plugins import installed
from invpolicy.plugins.installed import SCAN_ENTRY, FoundPlugin, files_digest, installed_plugins
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the distributions' metadata was read."""
    count: list[int] = []
    scan = installed._scan

    def counting() -> list[FoundPlugin]:
        count.append(1)
        return scan()

    monkeypatch.setattr(installed, "_scan", counting)
    monkeypatch.setattr(installed, "_FOUND", {})  # what this process found already
    return count


def test_the_plugins_found_are_kept_until_sys_path_changes(
    cache_folder: Path, scans: list[int], testplugin_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = installed_plugins()
    assert installed_plugins() == before
    assert len(scans) == 1
    (entry,) = cache_folder.glob(f"{SCAN_ENTRY}-*.json")
    kept = json.loads(entry.read_text(encoding="utf-8"))
    assert [item["name"] for item in kept["plugins"]] == [p.name for p in before]
    # A folder added to sys.path (a new distribution in it) is seen at once.
    monkeypatch.syspath_prepend(str(testplugin_site))
    importlib.invalidate_caches()
    after = installed_plugins()
    assert len(scans) == 2
    assert FoundPlugin("testplugin", "invpolicy_testplugin", "invpolicy-testplugin", "1.2") in after


def test_a_distribution_installed_or_upgraded_is_seen(
    cache_folder: Path, scans: list[int], testplugin_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(testplugin_site))
    importlib.invalidate_caches()
    assert [p.version for p in installed_plugins() if p.name == "testplugin"] == ["1.2"]
    # pip upgrades by removing the old metadata folder and writing the new one.
    old = testplugin_site / "invpolicy_testplugin-1.2.dist-info"
    new = testplugin_site / "invpolicy_testplugin-1.3.dist-info"
    old.rename(new)
    metadata = new / "METADATA"
    metadata.write_text(
        metadata.read_text(encoding="utf-8").replace("1.2", "1.3"), encoding="utf-8"
    )
    importlib.invalidate_caches()
    assert [p.version for p in installed_plugins() if p.name == "testplugin"] == ["1.3"]
    assert len(scans) == 2


DAMAGE = [
    "",
    "{",
    '{"key": 1}',
    '{"key": "x", "plugins": [1]}',
    # Valid JSON with the key kept, and a field of another type.
    "KEPT:name",
    "KEPT:own_editable",
    "KEPT:value",
]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_scan_is_done_again(damage: str, cache_folder: Path, scans: list[int]) -> None:
    found = installed_plugins()
    (entry,) = cache_folder.glob(f"{SCAN_ENTRY}-*.json")
    if damage.startswith("KEPT:"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        field = damage.removeprefix("KEPT:")
        if field == "own_editable":
            data["own_editable"] = 5
        else:
            data["plugins"] = [{**item, field: [item[field]]} for item in data["plugins"]] or [
                {"name": ["x"], "value": 1}
            ]
        damage = json.dumps(data)
    entry.write_text(damage, encoding="utf-8")
    installed._FOUND.clear()  # as a new process would
    assert installed_plugins() == found
    installed._FOUND.clear()
    assert installed_plugins() == found
    assert len(scans) == 2


def test_without_the_cache_the_metadata_is_read_each_time(
    cache_folder: Path, scans: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cachedir.NO_CACHE_ENV, "1")
    installed_plugins()
    installed_plugins()
    assert len(scans) == 2
    assert not cache_folder.exists()


def test_a_plugin_loaded_from_the_kept_scan_names_its_distribution(
    cache_folder: Path, testplugin_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(testplugin_site))
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    importlib.invalidate_caches()
    for _ in range(2):  # found, then taken from the cache
        registry = Registry(make_plugin_manager(disabled=()))
        origin = registry.origin_of_plugin("testplugin")
        assert (origin.distribution, origin.version, origin.builtin) == (
            "invpolicy-testplugin",
            "1.2",
            False,
        )
    # Switched off by its distribution's name, from the kept scan too.
    pm = make_plugin_manager(disabled=("invpolicy_testplugin",))
    assert not pm.has_plugin("testplugin")


def test_the_digest_of_a_folder_follows_its_files(tmp_path: Path) -> None:
    code = tmp_path / "pkg"
    (code / "__pycache__").mkdir(parents=True)
    (code / "a.py").write_text("A = 1\n", encoding="utf-8")
    first = files_digest(code)
    (code / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert files_digest(code) == first
    (code / "a.py").write_text("A = 2\n", encoding="utf-8")
    assert files_digest(code) != first
    (code / "b.yaml").write_text("x: 1\n", encoding="utf-8")
    assert files_digest(code) != first
