"""The hooks a plugin implements. Every hook is optional.

Each hook returns a list, attributed to the plugin that returned it; an
implementation marked ``wrapper=True`` or ``hookwrapper=True`` is refused at
registration (:func:`invpolicy.plugins.manager.refuse_wrappers`).
"""

from __future__ import annotations

from pathlib import Path

import pluggy

from invpolicy.plugins.contract import Criterion, ReplyGenerator

# Private: plugins implement these hooks, they never declare new ones.
_hookspec = pluggy.HookspecMarker("invpolicy")
hookimpl = pluggy.HookimplMarker("invpolicy")


@_hookspec
def invpolicy_criteria() -> list[Criterion]:
    """Return the criteria this plugin provides."""
    raise AssertionError("hookspec")  # pragma: no cover


@_hookspec
def invpolicy_reply_generators() -> list[ReplyGenerator]:
    """Return the reply generators this plugin provides."""
    raise AssertionError("hookspec")  # pragma: no cover


@_hookspec
def invpolicy_policy_paths() -> list[Path]:
    """Return policy files (or folders of ``*.yaml`` policies) this plugin ships."""
    raise AssertionError("hookspec")  # pragma: no cover


#: The names of the hooks above, read from the module so that a new hook is never left out.
HOOKS: tuple[str, ...] = tuple(
    name
    for name, value in list(globals().items())
    if name.startswith("invpolicy_") and callable(value)
)
