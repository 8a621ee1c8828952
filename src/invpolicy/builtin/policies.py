"""The bundled policies: one file per school of thought, in ``policies/``."""

from __future__ import annotations

from pathlib import Path

from invpolicy.plugins.hookspecs import hookimpl
from invpolicy.resources import data_dir


@hookimpl
def invpolicy_policy_paths() -> list[Path]:
    """The folder of bundled policies."""
    return [data_dir("policies")]
