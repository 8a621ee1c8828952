"""Installed policies: the files that plugins (the built-ins among them) ship."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from invpolicy.errors import InvpolicyError, Problem, did_you_mean
from invpolicy.plugins import Origin, Registry

POLICY_SUFFIXES = (".yaml", ".yml")
#: A policy folder may hold test files (``NAME.test.yaml``) beside the policies:
#: ``invpolicy test`` runs them; they are never installed policies.
TEST_SUFFIXES = (".test.yaml", ".test.yml")


def is_test_file(path: Path) -> bool:
    """Whether ``path`` is named as a test file (``NAME.test.yaml`` or ``NAME.test.yml``)."""
    return path.name.endswith(TEST_SUFFIXES)


@dataclass(frozen=True)
class PolicyEntry:
    """An installed policy file; ``shadowed_by`` is set when an earlier one took its name."""

    name: str
    path: Path
    origin: Origin
    shadowed_by: Origin | None = None

    def about(self, registry: Registry) -> About:
        """The policy's title, summary and author, and its first problem if it does not validate."""
        from invpolicy.policy import parse_policy
        from invpolicy.source import load_document

        try:
            doc = load_document(self.path)
        except InvpolicyError as exc:
            return About(problem=str(exc.problems[0]))
        data = doc.data
        if not isinstance(data, dict):
            return About(problem=f"{self.path}:1:1: not a policy (a mapping is expected)")
        fields = {key: data.get(key) for key in ABOUT}
        text = {key: v if isinstance(v, str) else "" for key, v in fields.items()}
        try:
            parse_policy(doc, registry, stem=self.path.stem)
        except InvpolicyError as exc:
            more = len(exc.problems) - 1
            problem = str(exc.problems[0]) + (f" (and {more} more)" if more else "")
            return About(**text, problem=problem)
        return About(**text)


#: The fields of a policy that ``invpolicy policies`` shows.
ABOUT = ("title", "summary", "author")


@dataclass(frozen=True)
class About:
    """What a policy says about itself; ``problem`` when its file cannot be read."""

    title: str = ""
    summary: str = ""
    author: str = ""
    problem: str = ""


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
        files = (
            sorted(p for p in path.iterdir() if p.suffix in POLICY_SUFFIXES and not is_test_file(p))
            if path.is_dir()
            else [path]
        )
        for file in files:
            name = file.stem
            entries.append(PolicyEntry(name, file, origin, first.get(name)))
            first.setdefault(name, origin)
    return entries


def resolve_policy(ref: str | Path, registry: Registry) -> Path:
    """The file behind ``ref``: an installed policy's name, or a path to a file."""
    text = str(ref)
    looks_like_path = (
        isinstance(ref, Path) or "/" in text or "\\" in text or text.endswith(POLICY_SUFFIXES)
    )
    entries = [] if looks_like_path else installed_policies(registry)
    for entry in entries:
        if entry.name == text and entry.shadowed_by is None:
            return entry.path
    path = Path(text)
    if path.exists():
        return path
    names = sorted({entry.name for entry in entries})
    message = (
        "no such file"
        if looks_like_path
        else f"no installed policy named '{text}'{did_you_mean(text, names)}; "
        f"installed: {', '.join(names)}"
    )
    raise InvpolicyError(Problem(text, 1, 1, message))
