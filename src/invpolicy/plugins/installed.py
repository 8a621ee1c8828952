"""The installed plugins: the ``invpolicy`` entry points, found without reading every
distribution's metadata on each run, and a fingerprint of what they are.

Finding the entry points means opening the metadata of every installed
distribution. The list found is kept in the cache folder
(:mod:`invpolicy.io.cachedir`), keyed by what would change it: the folders on
``sys.path``, the time each was last changed, and the name and time of each
distribution's metadata folder in them (installing, upgrading or removing a
distribution changes these). A hand edit of an installed ``entry_points.txt``
changes none of them: run with ``--no-cache`` (or ``INVPOLICY_NO_CACHE=1``)
after one.

:func:`fingerprint` says what the installed plugins are, for the cache of
compiled policies: each one's distribution and version and, for a
distribution installed in editable mode, the content of its files, which
change without any version changing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from invpolicy.frozen import frozen
from invpolicy.io import cachedir

ENTRY_POINT_GROUP = "invpolicy"
#: The files of the cache folder that keep the entry points found: one for each
#: interpreter and ``sys.path`` (``plugins-<digest>.json``), so that the console
#: script and ``python -m invpolicy`` do not take turns replacing one file.
SCAN_ENTRY = "plugins"
#: At most this many files of an editable plugin enter its fingerprint.
MAX_EDITABLE_FILES = 5000
_METADATA_SUFFIXES = (".dist-info", ".egg-info")


@frozen
class FoundPlugin:
    """An ``invpolicy`` entry point, and the distribution that declares it.

    ``editable`` is the folder of its code when the distribution is installed
    in editable mode (its files are then part of the :func:`fingerprint`).
    """

    name: str
    value: str
    distribution: str
    version: str
    editable: str | None = None
    #: When its distribution's metadata folder was last written (ns): installing the
    #: same version again changes it.
    stamp: int = 0

    @property
    def module(self) -> str:
        """The module the entry point names (``pkg.mod`` of ``pkg.mod:attr``)."""
        return self.value.partition(":")[0].strip()

    def plugin(self) -> object:
        """The object the entry point names, imported (what ``EntryPoint.load`` gives)."""
        import importlib

        module, _, attributes = self.value.partition(":")
        found: object = importlib.import_module(module.strip())
        for attribute in attributes.strip().split(".") if attributes.strip() else ():
            found = getattr(found, attribute)
        return found


def _path_state() -> list[Any]:
    """What would change the entry points found: sys.path, and the metadata folders on it.

    Each folder's distributions are named by their metadata folders, with the
    time each was last changed; the folder's own time is left out, since a
    folder such as the current one changes all the time for other reasons.
    """
    state: list[Any] = []
    for entry in sys.path:
        found: list[Any] = []
        try:
            with os.scandir(entry or os.getcwd()) as items:
                for item in items:
                    if item.name.endswith(_METADATA_SUFFIXES) or item.name == "EGG-INFO":
                        found.append([item.name, item.stat().st_mtime_ns])
        except NotADirectoryError:  # a zip file or an egg: its own time
            found.append(["", _mtime(entry)])
        except OSError:  # no such folder
            pass
        state.append([entry, sorted(found)])
    return state


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _editable_folder(dist: Any, module: str) -> str | None:
    """The folder of ``module``'s code when ``dist`` is installed in editable mode."""
    try:
        direct = dist.read_text("direct_url.json")
        editable = bool(json.loads(direct)["dir_info"]["editable"]) if direct else False
    except (ValueError, KeyError, TypeError):
        editable = False
    if not editable:
        return None
    from importlib.util import find_spec

    try:
        spec = find_spec(module.split(".")[0])
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return str(next(iter(spec.submodule_search_locations)))
    return spec.origin


def _scan() -> list[FoundPlugin]:
    from importlib.metadata import entry_points

    found = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        name = dist.name if dist is not None else "?"
        version = dist.version if dist is not None else "?"
        module = ep.value.partition(":")[0].strip()
        editable = _editable_folder(dist, module) if dist is not None else None
        stamp = _stamp(dist)
        found.append(FoundPlugin(ep.name, ep.value, name, version, editable, stamp))
    return found


@frozen
class Installed:
    """What the installed distributions say: the plugins, and whether invpolicy is editable."""

    plugins: list[FoundPlugin]
    #: invpolicy's own code folder, when it is installed in editable mode.
    own_editable: str | None = None


def _find() -> Installed:
    return Installed(_scan(), own_editable_folder())


_FOUND: dict[tuple[str, str], Installed] = {}


def installed(*, use_cache: bool = True) -> Installed:
    """The ``invpolicy`` entry points of the installed distributions, and invpolicy's own
    editable folder.

    Kept in the cache folder when there is one; found again when what would
    change them has changed, or when the kept list cannot be read. Found once
    per process.
    """
    folder = cachedir.cache_folder() if use_cache else None
    if folder is None:
        return _find()
    key = cachedir.digest([sys.version, sys.prefix, _path_state()])
    if (str(folder), key) in _FOUND:
        return _FOUND[str(folder), key]
    name = f"{SCAN_ENTRY}-{cachedir.digest([sys.executable, sys.path])[:16]}"
    kept = cachedir.read_entry(folder, name)
    if isinstance(kept, dict) and kept.get("key") == key:
        found_kept = _kept(kept)  # None when damaged: found again below
        if found_kept is not None:
            _FOUND[str(folder), key] = found_kept
            return found_kept
    found = _find()
    entry = {
        "key": key,
        "plugins": [asdict(item) for item in found.plugins],
        "own_editable": found.own_editable,
    }
    cachedir.write_entry(folder, name, entry)
    _FOUND[str(folder), key] = found
    return found


def _stamp(dist: Any) -> int:
    """When a distribution's metadata folder was last written (ns), 0 if unknown."""
    try:
        files = dist.files or []
    except Exception:  # a RECORD that cannot be read: no stamp
        return 0
    for file in files:
        if file.name in ("METADATA", "PKG-INFO") and file.parent.name.endswith(_METADATA_SUFFIXES):
            return _mtime(str(dist.locate_file(file).parent)) or 0
    return 0


def _kept(data: Any) -> Installed | None:
    """What a scan entry holds, if every field has its type; None for a damaged one."""
    if not isinstance(data, dict) or not isinstance(data.get("plugins"), list):
        return None
    own = data.get("own_editable")
    if own is not None and not isinstance(own, str):
        return None
    plugins = []
    for item in data["plugins"]:
        if not isinstance(item, dict):
            return None
        name, value = item.get("name"), item.get("value")
        distribution, version = item.get("distribution"), item.get("version")
        editable, stamp = item.get("editable"), item.get("stamp")
        texts = (name, value, distribution, version)
        if not all(isinstance(text, str) for text in texts) or not isinstance(stamp, int):
            return None
        if editable is not None and not isinstance(editable, str):
            return None
        plugins.append(
            FoundPlugin(str(name), str(value), str(distribution), str(version), editable, stamp)
        )
    return Installed(plugins, own)


def installed_plugins(*, use_cache: bool = True) -> list[FoundPlugin]:
    """The ``invpolicy`` entry points of the installed distributions, in their order
    (see :func:`installed`)."""
    return installed(use_cache=use_cache).plugins


#: A file changed less than this long ago (seconds) is read: its time alone could
#: miss a second change within the clock's step, with the same size.
RECENT = 2.0


def files_digest(folder: str | Path) -> str:
    """A digest that changes when a file under ``folder`` (or the file) changes.

    Each file enters by its path, size and time of last change, which a
    change of content changes; one changed in the last :data:`RECENT`
    seconds by its content too. Compiled files (``__pycache__``) are left
    out; at most :data:`MAX_EDITABLE_FILES` files are looked at.
    """
    import time

    root = Path(folder)
    digest = hashlib.sha256()
    now = time.time()

    def add(file: Path, name: str) -> None:
        try:
            stat = file.stat()
        except OSError:
            digest.update(f"{name}\0gone\n".encode("utf-8", "surrogateescape"))
            return
        digest.update(
            f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape")
        )
        if now - stat.st_mtime < RECENT:
            try:
                digest.update(hashlib.sha256(file.read_bytes()).digest())
            except OSError:
                digest.update(b"\0unreadable")

    if not root.is_dir():
        add(root, root.name)
        return digest.hexdigest()
    count = 0
    for path, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            count += 1
            if count > MAX_EDITABLE_FILES:
                return digest.hexdigest()
            file = Path(path, name)
            add(file, str(file.relative_to(root)))
    return digest.hexdigest()


def own_editable_folder() -> str | None:
    """invpolicy's own code folder, when invpolicy is installed in editable mode."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("invpolicy")
    except PackageNotFoundError:
        return None
    return _editable_folder(dist, "invpolicy")
