"""invpolicy: decide what to do with connection invitations, by policies written as data.

This module is the public face of the library: the names below are the ones
to import. It stays light (the CLI imports it at start-up); each name is
imported from its layer on first use. The layers themselves are described in
``docs/architecture.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invpolicy.version import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from invpolicy.authoring.diff.differ import Diff
    from invpolicy.authoring.diff.regions import Region
    from invpolicy.engine.compiled import CompiledPolicy
    from invpolicy.engine.decision import Decision, Reply
    from invpolicy.engine.runner import Report, compare, compare_stream
    from invpolicy.errors import InvpolicyError, PluginError, Problem
    from invpolicy.loading.invitations import load_invitations
    from invpolicy.loading.parse import read_policy
    from invpolicy.loading.readers import open_invitations
    from invpolicy.model.invitation import Invitation
    from invpolicy.model.policy import Policy
    from invpolicy.plugins.contract import (
        Check,
        Counts,
        Criterion,
        Facts,
        Mentions,
        OneOf,
        Render,
        ReplyGenerator,
    )
    from invpolicy.plugins.hookspecs import hookimpl
    from invpolicy.plugins.registry import Registry

__all__ = [
    "Check",
    "CompiledPolicy",
    "Counts",
    "Criterion",
    "Decision",
    "Diff",
    "Facts",
    "Invitation",
    "InvpolicyError",
    "Mentions",
    "OneOf",
    "PluginError",
    "Policy",
    "Problem",
    "Region",
    "Registry",
    "Render",
    "Reply",
    "ReplyGenerator",
    "Report",
    "__version__",
    "compare",
    "compare_stream",
    "diff_policies",
    "hookimpl",
    "load_invitations",
    "load_policy",
    "open_invitations",
    "read_policy",
]

_LAZY = {
    # Nothing is imported until it is used: the command line imports this package
    # first, and --version needs none of it.
    "InvpolicyError": "invpolicy.errors",
    "PluginError": "invpolicy.errors",
    "Problem": "invpolicy.errors",
    "Check": "invpolicy.plugins.contract",
    "Counts": "invpolicy.plugins.contract",
    "Criterion": "invpolicy.plugins.contract",
    "Facts": "invpolicy.plugins.contract",
    "Mentions": "invpolicy.plugins.contract",
    "OneOf": "invpolicy.plugins.contract",
    "Render": "invpolicy.plugins.contract",
    "ReplyGenerator": "invpolicy.plugins.contract",
    # Plugins import hookimpl when they load; --version need not import pluggy.
    "hookimpl": "invpolicy.plugins.hookspecs",
    "CompiledPolicy": "invpolicy.engine.compiled",
    "Diff": "invpolicy.authoring.diff.differ",
    "Region": "invpolicy.authoring.diff.regions",
    "Decision": "invpolicy.engine.decision",
    "Reply": "invpolicy.engine.decision",
    "Invitation": "invpolicy.model.invitation",
    "load_invitations": "invpolicy.loading.invitations",
    "open_invitations": "invpolicy.loading.readers",
    "read_policy": "invpolicy.loading.parse",
    "Registry": "invpolicy.plugins.registry",
    "Policy": "invpolicy.model.policy",
    "Report": "invpolicy.engine.runner",
    "compare": "invpolicy.engine.runner",
    "compare_stream": "invpolicy.engine.runner",
}


def load_policy(
    ref: str | Path,
    registry: Registry | None = None,
    *,
    reply_defaults: Mapping[str, Any] | None = None,
    cache: bool = False,
) -> CompiledPolicy:
    """A compiled policy, ready to decide, from an installed policy's name or a file path.

    ``registry`` defaults to everything installed (:meth:`Registry.default`).
    ``reply_defaults`` are reply parameters (``signature``, ``channel``...) for
    the rules whose reply does not set them, such as the settings file's
    ``[reply]`` (:func:`invpolicy.loading.settings.load_settings`). With
    ``cache``, the policy is taken from the cache of compiled policies when it
    holds it, and kept there otherwise (:mod:`invpolicy.loading.policycache`),
    as the command line does; ``INVPOLICY_NO_CACHE=1`` still turns it off.
    Raises :class:`InvpolicyError` with every problem of the file.
    """
    from invpolicy.engine.compiled import CompiledPolicy
    from invpolicy.loading.catalog import resolve_policy
    from invpolicy.loading.policycache import cached_policy
    from invpolicy.plugins.registry import Registry

    registry = registry if registry is not None else Registry.default()
    policy, params = cached_policy(
        resolve_policy(ref, registry), registry, reply_defaults, cache=cache
    )
    return CompiledPolicy(policy, registry, reply_params=params)


def diff_policies(
    a: str | Path | Policy | CompiledPolicy,
    b: str | Path | Policy | CompiledPolicy,
    registry: Registry | None = None,
) -> Diff:
    """Where policies ``a`` and ``b`` decide differently, over every possible invitation.

    Each may be an installed policy's name, a path, or a policy already read.
    The result's ``regions`` (empty when ``equivalent``) each give both
    decisions and rules, the condition in the policies' terms (``when``), and
    a ``witness`` invitation that lands there; ``to_json()`` is what
    ``invpolicy diff --format json`` writes. Raises :class:`InvpolicyError`
    when a policy has problems, or cuts the invitations too finely to search.
    """
    from invpolicy.authoring.diff.differ import diff_policies as diff
    from invpolicy.engine.compiled import CompiledPolicy
    from invpolicy.loading.catalog import resolve_policy
    from invpolicy.loading.parse import read_policy
    from invpolicy.model.policy import Policy
    from invpolicy.plugins.registry import Registry

    registry = registry if registry is not None else Registry.default()

    def policy(ref: str | Path | Policy | CompiledPolicy) -> Policy:
        if isinstance(ref, CompiledPolicy):
            return ref.policy
        if isinstance(ref, Policy):
            return ref
        return read_policy(resolve_policy(ref, registry), registry)

    return diff(policy(a), policy(b), registry)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'invpolicy' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
