"""invpolicy: decide what to do with connection invitations, by policies written as data.

The package root stays light (the CLI imports it at start-up); the engine's
functions are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invpolicy.contract import Check, Criterion, Facts, Render, ReplyGenerator
from invpolicy.errors import InvpolicyError, PluginError, Problem

if TYPE_CHECKING:
    from invpolicy.engine import CompiledPolicy, Decision, Reply
    from invpolicy.hookspecs import hookimpl
    from invpolicy.invitations import Invitation, load_invitations
    from invpolicy.plugins import Registry
    from invpolicy.policy import Policy, load_policy
    from invpolicy.runner import Report, compare

__version__ = "0.1.0"

__all__ = [
    "Check",
    "CompiledPolicy",
    "Criterion",
    "Decision",
    "Facts",
    "Invitation",
    "InvpolicyError",
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
    "hookimpl",
    "load_invitations",
    "load_policy",
]

_LAZY = {
    # Plugins import hookimpl when they load; --version need not import pluggy.
    "hookimpl": "invpolicy.hookspecs",
    "CompiledPolicy": "invpolicy.engine",
    "Decision": "invpolicy.engine",
    "Reply": "invpolicy.engine",
    "Invitation": "invpolicy.invitations",
    "load_invitations": "invpolicy.invitations",
    "Registry": "invpolicy.plugins",
    "Policy": "invpolicy.policy",
    "load_policy": "invpolicy.policy",
    "Report": "invpolicy.runner",
    "compare": "invpolicy.runner",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'invpolicy' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
