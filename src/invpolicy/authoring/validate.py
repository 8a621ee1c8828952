"""Check policy files as ``invpolicy validate`` does: read, validate and compile each one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.errors import InvpolicyError, PluginError, Problem
from invpolicy.frozen import frozen
from invpolicy.loading.catalog import resolve_policy
from invpolicy.loading.policycache import cached_policy
from invpolicy.model.policy import Policy
from invpolicy.plugins.registry import Registry


@frozen
class Validation:
    """One policy checked: ``policy`` when it is valid, else its ``problems``.

    ``path`` is the file that ``ref`` names, None when there is no such file.
    """

    ref: str
    path: str | None
    policy: Policy | None
    problems: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        """Whether the file validated and compiled."""
        return self.policy is not None

    def to_json(self) -> dict[str, Any]:
        """The result as ``validate --format json`` writes it."""
        policy = self.policy
        return {
            "policy": self.ref,
            "valid": self.valid,
            "path": self.path,
            "name": policy.name if policy is not None else None,
            "rules": len(policy.rules) if policy is not None else None,
            "problems": [problem.to_json() for problem in self.problems],
        }


def validate(
    refs: Sequence[str | Path], registry: Registry, *, cache: bool = False
) -> list[Validation]:
    """Check each policy (an installed name or a path), every problem of every file at once.

    A policy is valid when it reads, validates (schema, then the plugins'
    names and parameters, then what it extends) and compiles. A plugin that
    fails while compiling is a problem of the policy's file. With ``cache``, a
    policy found valid before with the same files and plugins is taken from the
    cache of compiled policies (:mod:`invpolicy.loading.policycache`).
    """
    results = []
    for ref in refs:
        path: Path | None = None
        try:
            path = resolve_policy(ref, registry)
            policy, params = cached_policy(path, registry, cache=cache)
            CompiledPolicy(policy, registry, reply_params=params)
        except InvpolicyError as exc:
            results.append(Validation(str(ref), _shown(path), None, tuple(exc.problems)))
            continue
        except PluginError as exc:
            problem = Problem(str(ref), 1, 1, f"plugin error: {exc}")
            results.append(Validation(str(ref), _shown(path), None, (problem,)))
            continue
        results.append(Validation(str(ref), policy.path, policy))
    return results


def _shown(path: Path | None) -> str | None:
    return None if path is None else str(path)
