"""The cache of compiled policies: what is kept, what it is keyed by, and how it heals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import invpolicy
from invpolicy.errors import InvpolicyError
from invpolicy.io import cachedir
from invpolicy.loading import policycache
from invpolicy.loading.catalog import resolve_policy
from invpolicy.loading.parse import read_policy
from invpolicy.loading.policycache import POLICIES, cached_policy
from invpolicy.model.stored import policy_from_stored, policy_to_stored
from invpolicy.plugins.installed import FoundPlugin
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry

from ..conftest import SCHOOLS

PARENT = """\
format: 1
name: base
title: Base
summary: A base policy.
author: Tests
sources:
  - article: an-article
rules:
  - id: met
    when:
      met_in_person:
    decision: accept
  - id: rest
    decision: decline
    reply:
      generator: three_part_decline
"""

CHILD = """\
format: 1
name: mine
title: Mine
summary: Mine, from base.
author: Tests
extends: ./base.yaml
replace:
  - id: rest
    decision: ask
    reply:
      generator: propose_meeting
"""


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The policy files read from disk (not from the cache), in order."""
    read: list[str] = []

    def counting(path: str | Path, registry: Registry) -> Any:
        read.append(Path(path).name)
        return read_policy(path, registry)

    monkeypatch.setattr(policycache, "_read", counting)
    return read


@pytest.fixture
def installed() -> Registry:
    """The built-ins and one installed plugin, as an entry point would register it."""
    return _registry(version="1.2")


def _registry(
    *, version: str = "1.2", editable: str | None = None, blocked: frozenset[str] = frozenset()
) -> Registry:
    pm = make_plugin_manager(entry_points=False, disabled=())
    module = ModuleType("invpolicy_nothing")
    pm.register(module, name="nothing")
    pm.found["nothing"] = FoundPlugin(  # type: ignore[attr-defined]
        "nothing", "invpolicy_nothing", "invpolicy-nothing", version, editable
    )
    pm.blocked = blocked  # type: ignore[attr-defined]
    return Registry(pm)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "policies"
    folder.mkdir()
    base = folder / "base.yaml"
    base.write_text(PARENT, encoding="utf-8")
    mine = folder / "mine.yaml"
    mine.write_text(CHILD, encoding="utf-8")
    return base, mine


def _entries(cache_folder: Path) -> list[Path]:
    return sorted((cache_folder / POLICIES).glob("*.json"))


@pytest.mark.parametrize("name", SCHOOLS)
def test_a_stored_policy_reads_back_whole(name: str, registry: Registry) -> None:
    policy = read_policy(resolve_policy(name, registry), registry)
    data = json.loads(json.dumps(policy_to_stored(policy)))
    back = policy_from_stored(data)
    assert back == policy
    # What equality leaves out: where each part is written.
    assert [r.at for r in back.rules] == [r.at for r in policy.rules]
    assert [s.at for s in back.scoring] == [s.at for s in policy.scoring]
    assert [e.at for e in back.examples] == [e.at for e in policy.examples]
    assert [e.invitation.origins for e in back.examples] == [
        e.invitation.origins for e in policy.examples
    ]


def test_the_second_read_comes_from_the_cache(
    cache_folder: Path, reads: list[str], installed: Registry, files: tuple[Path, Path]
) -> None:
    _, mine = files
    first = cached_policy(mine, installed)
    assert reads == ["mine.yaml"]
    assert len(_entries(cache_folder)) == 1
    again = cached_policy(mine, installed)
    assert reads == ["mine.yaml"]
    assert again == first
    assert [r.at for r in again[0].rules] == [r.at for r in first[0].rules]
    assert again[0].parents == first[0].parents


def test_a_cached_policy_decides_as_one_read_from_its_file(
    cache_folder: Path, installed: Registry, files: tuple[Path, Path]
) -> None:
    _, mine = files
    fresh = invpolicy.load_policy(mine, installed, reply_defaults={"signature": "Sam"})
    for _ in range(2):
        cached = invpolicy.load_policy(
            mine, installed, reply_defaults={"signature": "Sam"}, cache=True
        )
    for facts in ({"met_in_person": True}, {"met_in_person": False}):
        invitation = invpolicy.Invitation.from_dict({"id": "a", "name": "Ana", **facts})
        assert cached.decide(invitation) == fresh.decide(invitation)
    reply = cached.decide(invitation).reply
    assert reply is not None
    assert "Sam" in reply.text


# Each part of the key, changed, makes the entry stale: the file is read again.
CHANGES: dict[str, Callable[[tuple[Path, Path]], tuple[Registry, dict[str, Any]]]] = {}


def _change(name: str) -> Callable[[Any], Any]:
    def record(function: Any) -> Any:
        CHANGES[name] = function
        return function

    return record


@_change("the file's content")
def _file(files: tuple[Path, Path]) -> tuple[Registry, dict[str, Any]]:
    _, mine = files
    mine.write_text(CHILD.replace("title: Mine", "title: Mine, again"), encoding="utf-8")
    return _registry(), {}


@_change("an extended file's content")
def _parent(files: tuple[Path, Path]) -> tuple[Registry, dict[str, Any]]:
    base, _ = files
    base.write_text(PARENT.replace("title: Base", "title: Base, again"), encoding="utf-8")
    return _registry(), {}


@_change("a plugin's version")
def _version(files: tuple[Path, Path]) -> tuple[Registry, dict[str, Any]]:
    return _registry(version="1.3"), {}


@_change("an editable plugin's files")
def _editable(files: tuple[Path, Path]) -> tuple[Registry, dict[str, Any]]:
    code = files[0].parent.parent / "plugin"
    (code / "criteria.py").write_text("THRESHOLD = 4\n", encoding="utf-8")
    return _registry(editable=str(code)), {}


@_change("the plugins switched off")
def _blocked(files: tuple[Path, Path]) -> tuple[Registry, dict[str, Any]]:
    return _registry(blocked=frozenset({"someone-else"})), {}


@_change("the reply defaults")
def _defaults(files: tuple[Path, Path]) -> tuple[Registry, dict[str, Any]]:
    return _registry(), {"signature": "Sam"}


@_change("invpolicy's version")
def _invpolicy(files: tuple[Path, Path]) -> tuple[Registry, dict[str, Any]]:
    policycache.__version__ = "99.0"  # type: ignore[attr-defined]
    return _registry(), {}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_part_of_the_key_makes_the_entry_stale(
    change: str,
    cache_folder: Path,
    reads: list[str],
    files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, mine = files
    code = files[0].parent.parent / "plugin"
    code.mkdir()
    (code / "criteria.py").write_text("THRESHOLD = 3\n", encoding="utf-8")
    editable = change == "an editable plugin's files"
    before = _registry(editable=str(code) if editable else None)
    monkeypatch.setattr(policycache, "__version__", policycache.__version__)
    cached_policy(mine, before)
    cached_policy(mine, before)
    assert reads == ["mine.yaml"]
    registry, defaults = CHANGES[change](files)
    policy, params = cached_policy(mine, registry, defaults)
    assert reads == ["mine.yaml", "mine.yaml"], f"{change}: the stale entry was used"
    assert len(_entries(cache_folder)) == (1 if change == "an extended file's content" else 2)
    # And the new entry serves the next read.
    assert cached_policy(mine, registry, defaults) == (policy, params)
    assert reads == ["mine.yaml", "mine.yaml"]
    assert policy.rules[-1].decision == "ask"
    if change == "the reply defaults":
        assert params[-1] == {"signature": "Sam"}


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"[]", b'{"entry": 1}', b'{"entry": 1, "parents": [], "policy": 3}'],
)
def test_a_damaged_entry_is_rebuilt_silently(
    damage: bytes,
    cache_folder: Path,
    reads: list[str],
    installed: Registry,
    files: tuple[Path, Path],
) -> None:
    _, mine = files
    first = cached_policy(mine, installed)
    (entry,) = _entries(cache_folder)
    entry.write_bytes(damage)
    assert cached_policy(mine, installed) == first
    assert reads == ["mine.yaml", "mine.yaml"]
    assert json.loads(entry.read_text(encoding="utf-8"))["policy"]["name"] == "mine"
    assert cached_policy(mine, installed) == first
    assert reads == ["mine.yaml", "mine.yaml"]


def test_a_policy_with_problems_is_never_kept(
    cache_folder: Path, reads: list[str], installed: Registry, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    text = PARENT.replace("name: base", "name: bad").replace("accept", "acept")
    bad.write_text(text, encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InvpolicyError) as caught:
            cached_policy(bad, installed)
        assert "acept" in str(caught.value)
    assert reads == ["bad.yaml", "bad.yaml"]
    assert _entries(cache_folder) == []


def test_the_cache_off_reads_the_file_and_keeps_nothing(
    cache_folder: Path,
    reads: list[str],
    installed: Registry,
    files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, mine = files
    with cachedir.no_cache():
        cached_policy(mine, installed)
    cached_policy(mine, installed, cache=False)
    monkeypatch.setenv(cachedir.NO_CACHE_ENV, "1")
    cached_policy(mine, installed)
    assert reads == ["mine.yaml"] * 3
    assert not cache_folder.exists()
    monkeypatch.setenv(cachedir.NO_CACHE_ENV, "0")
    cached_policy(mine, installed)
    assert len(_entries(cache_folder)) == 1


def test_a_plugin_registered_from_python_turns_the_cache_off(
    cache_folder: Path,
    reads: list[str],
    registry_with_testplugin: Registry,
    files: tuple[Path, Path],
) -> None:
    _, mine = files
    for _ in range(2):
        cached_policy(mine, registry_with_testplugin)
    assert reads == ["mine.yaml", "mine.yaml"]
    assert _entries(cache_folder) == []


def test_a_folder_that_cannot_be_written_only_costs_the_cache(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    installed: Registry,
    files: tuple[Path, Path],
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cachedir.CACHE_DIR_ENV, str(blocker / "cache"))
    _, mine = files
    policy, _ = cached_policy(mine, installed)
    assert policy.name == "mine"


def test_clearing_the_cache_deletes_its_entries(
    cache_folder: Path, installed: Registry, files: tuple[Path, Path]
) -> None:
    _, mine = files
    cached_policy(mine, installed)
    assert cachedir.clear() == 1
    assert _entries(cache_folder) == []


def test_a_file_added_beside_that_extends_now_names_is_seen(
    cache_folder: Path, reads: list[str], installed: Registry, tmp_path: Path
) -> None:
    folder = tmp_path / "named"
    folder.mkdir()
    (folder / "base.yml").write_text(PARENT, encoding="utf-8")
    mine = folder / "mine.yaml"
    mine.write_text(CHILD.replace("extends: ./base.yaml", "extends: base"), encoding="utf-8")
    first, _ = cached_policy(mine, installed)
    assert first.parents == (str(folder / "base.yml"),)
    assert cached_policy(mine, installed)[0] == first
    assert reads == ["mine.yaml"]
    # base.yaml is looked for before base.yml: the entry names the wrong file now.
    (folder / "base.yaml").write_text(
        PARENT.replace("title: Base", "title: Other"), encoding="utf-8"
    )
    again, _ = cached_policy(mine, installed)
    assert reads == ["mine.yaml", "mine.yaml"]
    assert again.parents == (str(folder / "base.yaml"),)


def test_an_entry_edited_by_hand_is_not_used(
    cache_folder: Path, reads: list[str], installed: Registry, files: tuple[Path, Path]
) -> None:
    _, mine = files
    first = cached_policy(mine, installed)
    (entry,) = _entries(cache_folder)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["policy"]["rules"][0]["decision"] = "maybe"
    data["parents"] = [[0, "x"]]
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert cached_policy(mine, installed) == first
    assert reads == ["mine.yaml", "mine.yaml"]


def test_a_policy_read_from_a_pipe_is_read_once_and_not_kept(
    cache_folder: Path, installed: Registry, tmp_path: Path
) -> None:
    import os
    import threading

    fifo = tmp_path / "policy.fifo"
    os.mkfifo(fifo)
    text = PARENT.replace("name: base", "name: policy")

    def feed() -> None:
        with fifo.open("w", encoding="utf-8") as stream:
            stream.write(text)

    writer = threading.Thread(target=feed)
    writer.start()
    policy, _ = cached_policy(fifo, installed)
    writer.join()
    assert policy.name == "policy"
    assert _entries(cache_folder) == []


def test_clearing_deletes_only_the_cache_s_own_files(
    cache_folder: Path, installed: Registry, files: tuple[Path, Path]
) -> None:
    _, mine = files
    cached_policy(mine, installed)
    cache_folder.mkdir(exist_ok=True)
    (cache_folder / "package.json").write_text("{}", encoding="utf-8")
    (cache_folder / "sub").mkdir()
    (cache_folder / "sub" / "tsconfig.json").write_text("{}", encoding="utf-8")
    cachedir.clear()
    assert (cache_folder / "package.json").exists()
    assert (cache_folder / "sub" / "tsconfig.json").exists()
    assert _entries(cache_folder) == []
