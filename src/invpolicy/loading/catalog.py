"""Installed policies: the files that plugins (the built-ins among them) ship."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from invpolicy.errors import InvpolicyError, Problem, did_you_mean
from invpolicy.frozen import frozen
from invpolicy.loading.testfile import is_test_file

if TYPE_CHECKING:
    from invpolicy.plugins.registry import Origin, Registry

POLICY_SUFFIXES = (".yaml", ".yml")


def is_yaml_file(path: Path) -> bool:
    """Whether ``path`` is named as a policy or test file (``.yaml``, ``.yml``; any case)."""
    return path.suffix.lower() in POLICY_SUFFIXES


def policy_files(folder: Path, *, tests: bool = False) -> list[Path]:
    """The policy files directly in ``folder``, sorted; with ``tests``, the test files too.

    A policy folder may hold test files (``NAME.test.yaml``) beside the
    policies: ``invpolicy test`` runs them; they are never installed policies.
    """
    return sorted(
        p
        for p in folder.iterdir()
        if is_yaml_file(p) and p.is_file() and (tests or not is_test_file(p))
    )


def looks_like_path(ref: str | Path) -> bool:
    """Whether a policy reference is a path (else it is an installed policy's name)."""
    text = str(ref)
    return (
        isinstance(ref, Path)
        or "/" in text
        or "\\" in text
        or text.lower().endswith(POLICY_SUFFIXES)
    )


@frozen
class PolicyEntry:
    """An installed policy file; ``shadowed_by`` is set when an earlier one took its name."""

    name: str
    path: Path
    origin: Origin
    shadowed_by: Origin | None = None


#: The catalogue of each registry, listed once however many policies are resolved.
_CATALOGUES: WeakKeyDictionary[Registry, list[PolicyEntry]] = WeakKeyDictionary()


def installed_policies(registry: Registry) -> list[PolicyEntry]:
    """Every policy file the plugins provide, built-ins first.

    A name provided twice is used from the first plugin that provides it; the
    later file is listed with ``shadowed_by`` so that ``invpolicy policies``
    can say why it is not used. The folders are listed once per registry.
    """
    if registry not in _CATALOGUES:
        _CATALOGUES[registry] = _scan(registry)
    return list(_CATALOGUES[registry])


def _scan(registry: Registry) -> list[PolicyEntry]:
    entries: list[PolicyEntry] = []
    first: dict[str, Origin] = {}
    for path, origin in registry.policy_paths:
        files = policy_files(path) if path.is_dir() else [path]
        for file in files:
            name = file.stem
            entries.append(PolicyEntry(name, file, origin, first.get(name)))
            first.setdefault(name, origin)
    return entries


def active_policies(registry: Registry) -> list[PolicyEntry]:
    """The installed policies in use: each name from the first plugin that provides it."""
    return [entry for entry in installed_policies(registry) if entry.shadowed_by is None]


def find_policy(
    ref: str, registry: Registry, *, beside: Path | None = None, beside_first: bool = False
) -> Path | None:
    """The file of a policy named ``ref``: installed, or ``REF.yaml`` in the folder ``beside``.

    ``beside_first`` looks in the folder before the installed policies. None
    when there is no such policy.
    """
    near = [beside / f"{ref}{suffix}" for suffix in POLICY_SUFFIXES] if beside else []
    installed = [entry.path for entry in active_policies(registry) if entry.name == ref]
    found = [*near, *installed] if beside_first else [*installed, *near]
    return next((path for path in found if path.is_file()), None)


def unknown_name(ref: str, registry: Registry, *, listing: bool = True) -> str:
    """Why ``ref`` names no installed policy, with the closest name (and the list)."""
    names = sorted({entry.name for entry in active_policies(registry)})
    message = f"no installed policy named '{ref}'{did_you_mean(ref, names)}"
    return f"{message}; installed: {', '.join(names)}" if listing else message


def resolve_policy(ref: str | Path, registry: Registry) -> Path:
    """The file behind ``ref``: an installed policy's name, or a path to a file."""
    text = str(ref)
    if not looks_like_path(ref):
        found = find_policy(text, registry)
        if found is not None:
            return found
    path = Path(text)
    if path.exists():
        return path
    message = "no such file" if looks_like_path(ref) else unknown_name(text, registry)
    raise InvpolicyError(Problem(text, 1, 1, message))
