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
    "Facts",
    "Invitation",
    "InvpolicyError",
    "Mentions",
    "OneOf",
    "PluginError",
    "Policy",
    "Problem",
    "Registry",
    "Render",
    "Reply",
    "ReplyGenerator",
    "Report",
    "__version__",
    "compare",
    "compare_stream",
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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'invpolicy' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
