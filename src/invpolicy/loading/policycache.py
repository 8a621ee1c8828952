"""The cache of compiled policies: a policy read, validated and flattened once.

Reading a policy file means parsing its YAML with positions, validating it
against the schema and against the plugins, and following what it extends.
The result, a valid :class:`~invpolicy.model.policy.Policy` with the
parameters each rule's reply generator gets, is kept as plain JSON in the
cache folder (:mod:`invpolicy.io.cachedir`, under ``policies/``), keyed by
everything that can change it:

- the file's path and content, and the content of every policy it extends;
- invpolicy's version (and its files, when it is installed in editable mode);
- the installed plugins: each one's distribution and version, and the files
  of those installed in editable mode;
- the plugins switched off;
- the reply defaults from your settings.

An entry that cannot be read, has another shape, or whose extended files
have changed is read again from the files and written anew, silently. A
policy with problems is never kept: its problems are found each time. A
registry holding a plugin that no installed distribution provides (one
registered from Python) cannot be keyed, and its policies are not cached.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError
from invpolicy.io import cachedir
from invpolicy.io.files import MAX_FILE_BYTES
from invpolicy.model.policy import Policy
from invpolicy.model.stored import policy_from_stored, policy_to_stored
from invpolicy.plugins.installed import files_digest, installed
from invpolicy.plugins.manager import DEFAULT_PLUGINS
from invpolicy.plugins.registry import Registry, reply_params
from invpolicy.version import __version__

#: Changes when what an entry holds changes shape: older entries are then not read.
ENTRY_FORMAT = 2
#: The folder of the cache that holds the policies.
POLICIES = "policies"

Params = list[dict[str, Any] | None]


def policy_reply_params(
    policy: Policy, registry: Registry, defaults: Mapping[str, Any] | None
) -> Params:
    """The parameters each rule's reply generator gets, in order (None: no reply)."""
    return [reply_params(registry, rule.reply, defaults) for rule in policy.rules]


def _content(path: str | Path) -> str | None:
    """The SHA-256 of a regular file's bytes; None when it is not one (a pipe, which can
    be read only once), cannot be read, or is too large."""
    if not isinstance(path, str | Path):
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(raw) > MAX_FILE_BYTES:
        return None
    return hashlib.sha256(raw).hexdigest()


_OWN: list[str | None] = []


def _own_files() -> str | None:
    """A digest of invpolicy's own files when it is installed in editable mode, found once."""
    if not _OWN:
        folder = installed().own_editable
        _OWN.append(None if folder is None else files_digest(folder))
    return _OWN[0]


def plugins_key(registry: Registry) -> list[Any] | None:
    """What the registry's plugins are, for the key; None if one cannot be named.

    Built-ins are named by invpolicy's version; an installed plugin by its
    entry point, distribution and version, and its files when editable. A
    plugin registered from Python has no such name.
    """
    found = getattr(registry.pm, "found", None)
    if found is None:
        return None
    key: list[Any] = []
    for name in registry.plugin_names():
        if name in DEFAULT_PLUGINS:
            key.append([name])
            continue
        plugin = found.get(name)
        if plugin is None:
            return None
        editable = files_digest(plugin.editable) if plugin.editable else None
        # The stamp (its metadata folder's time) changes when the same version is
        # installed again, as ``pip install .`` of a plugin under development does.
        key.append(
            [name, plugin.value, plugin.distribution, plugin.version, plugin.stamp, editable]
        )
    return key


def environment_key(
    registry: Registry, reply_defaults: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """Every part of the key but the policy's own files; None when it cannot be keyed."""
    plugins = plugins_key(registry)
    if plugins is None:
        return None
    return {
        "entry": ENTRY_FORMAT,
        "invpolicy": [__version__, _own_files()],
        "plugins": plugins,
        "disabled": sorted(getattr(registry.pm, "blocked", ())),
        "reply": dict(reply_defaults or {}),
    }


def _check(entry: Mapping[str, Any]) -> str:
    """A digest of what an entry holds: an entry damaged or edited since is not used."""
    return cachedir.digest([entry.get(key) for key in ("policy", "params", "parents", "links")])


def _links_hold(links: Any, registry: Registry) -> bool:
    """Whether each ``extends`` of the chain still names the file it named.

    A name is looked for among the installed policies and beside the file: a
    file added there since could now be the one it names.
    """
    from invpolicy.io.document import Document
    from invpolicy.loading.inherit import parent_path

    for file, ref, resolved in links:
        if not all(isinstance(part, str) for part in (file, ref, resolved)):
            return False
        try:
            found = parent_path(ref, Document(file, None), registry)
        except InvpolicyError:
            return False
        if str(found) != resolved:
            return False
    return True


def _hit(entry: Any, path: str, registry: Registry) -> tuple[Policy, Params] | None:
    """The policy an entry holds, if it is whole and what it extends is unchanged."""
    if not isinstance(entry, dict) or entry.get("entry") != ENTRY_FORMAT:
        return None
    if entry.get("check") != _check(entry):
        return None
    try:
        for parent, content in entry["parents"]:
            if _content(parent) != content or content is None:
                return None
        if not _links_hold(entry["links"], registry):
            return None
        policy = policy_from_stored(entry["policy"])
        params: Params = list(entry["params"])
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    if policy.path != path or len(params) != len(policy.rules):
        return None
    return policy, params


def _links(policy: Policy) -> list[list[str]] | None:
    """Each ``extends`` of the chain: the file, what it names, the file found then."""
    from invpolicy.io.safeload import load_document

    files = [policy.path, *policy.parents]
    links = []
    for file, parent in itertools.pairwise(files):
        try:
            data = load_document(file, quick=True).data
        except InvpolicyError:
            return None
        ref = data.get("extends") if isinstance(data, dict) else None
        if not isinstance(ref, str):
            return None
        links.append([file, ref, parent])
    return links


def cached_policy(
    path: str | Path,
    registry: Registry,
    reply_defaults: Mapping[str, Any] | None = None,
    *,
    cache: bool = True,
) -> tuple[Policy, Params]:
    """The policy of the file ``path``, and each rule's reply parameters.

    Taken from the cache when it holds them; else read (raising
    :class:`~invpolicy.errors.InvpolicyError` with every problem, as
    :func:`~invpolicy.loading.parse.read_policy` does) and kept. Without
    ``cache``, or with the cache off (:func:`invpolicy.io.cachedir.cache_off`),
    the file is read and nothing is kept.
    """
    folder = cachedir.cache_folder() if cache else None
    environment = environment_key(registry, reply_defaults) if folder is not None else None
    content = _content(path) if environment is not None else None
    if folder is None or environment is None or content is None:
        policy = _read(path, registry)
        return policy, policy_reply_params(policy, registry, reply_defaults)
    shown = str(path)
    name = cachedir.digest([environment, shown, content])
    entries = folder / POLICIES
    found = _hit(cachedir.read_entry(entries, name), shown, registry)
    if found is not None:
        return found
    policy = _read(path, registry)
    params = policy_reply_params(policy, registry, reply_defaults)
    parents = [[parent, _content(parent)] for parent in policy.parents]
    links = _links(policy)
    # Kept only if nothing changed while it was read: the file is what was hashed.
    if links is not None and _content(path) == content and all(c for _, c in parents):
        entry: dict[str, Any] = {
            "entry": ENTRY_FORMAT,
            "policy": policy_to_stored(policy),
            "params": params,
            "parents": parents,
            "links": links,
        }
        entry["check"] = _check(entry)
        cachedir.write_entry(entries, name, entry)
    return policy, params


def _read(path: str | Path, registry: Registry) -> Policy:
    """The policy read from its file: the parser and the schema are imported only then."""
    from invpolicy.loading.parse import read_policy

    return read_policy(path, registry)
