"""The hooks a plugin implements. Every hook is optional."""

from __future__ import annotations

from pathlib import Path

import pluggy

from invpolicy.plugins.contract import Criterion, ReplyGenerator

hookspec = pluggy.HookspecMarker("invpolicy")
hookimpl = pluggy.HookimplMarker("invpolicy")


@hookspec
def invpolicy_criteria() -> list[Criterion]:
    """Return the criteria this plugin provides."""
    raise AssertionError("hookspec")  # pragma: no cover


@hookspec
def invpolicy_reply_generators() -> list[ReplyGenerator]:
    """Return the reply generators this plugin provides."""
    raise AssertionError("hookspec")  # pragma: no cover


@hookspec
def invpolicy_policy_paths() -> list[Path]:
    """Return policy files (or folders of ``*.yaml`` policies) this plugin ships."""
    raise AssertionError("hookspec")  # pragma: no cover
