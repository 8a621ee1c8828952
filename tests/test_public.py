"""The public names: what users, plugin authors and the scaffolds may import, and nothing else."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import invpolicy

#: The top-level names that users had before the package was laid out in layers.
BEFORE = {
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
}

TEMPLATES = Path(invpolicy.__file__).resolve().parent / "authoring" / "scaffold" / "templates"
EXAMPLE_PLUGIN = Path(__file__).resolve().parents[1] / "plugins" / "invpolicy-sectors"


def test_every_name_users_had_is_still_there():
    assert set(invpolicy.__all__) >= BEFORE


@pytest.mark.parametrize("name", sorted(invpolicy.__all__))
def test_every_public_name_imports(name):
    # What ``from invpolicy import NAME`` does, in a fresh process so that no
    # earlier import has made the name available by chance.
    code = f"from invpolicy import {name}"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        invpolicy.nothing  # noqa: B018


def test_the_testing_kit_keeps_its_path_and_names():
    testing = importlib.import_module("invpolicy.testing")
    for name in ("check_plugin", "check_criterion", "check_reply_generator", "registry_with"):
        assert callable(getattr(testing, name))
    assert testing.sample_facts()


def _imported_modules(text: str) -> set[str]:
    # Templates are Jinja: read the import lines only, not the whole file as Python.
    return set(re.findall(r"^\s*(?:from|import) (invpolicy[\w.]*)", text, re.MULTILINE))


def test_what_new_plugin_writes_uses_documented_names_only():
    used = set()
    for template in TEMPLATES.rglob("*.j2"):
        used |= _imported_modules(template.read_text(encoding="utf-8"))
    assert used and used <= {"invpolicy", "invpolicy.testing"}


@pytest.mark.skipif(
    not EXAMPLE_PLUGIN.is_dir(), reason="the example plugin is not beside the tests"
)
def test_the_example_plugin_uses_documented_names_only():
    used = set()
    for path in EXAMPLE_PLUGIN.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("invpolicy"):
                used.add(node.module)
            elif isinstance(node, ast.Import):
                used |= {a.name for a in node.names if a.name.startswith("invpolicy")}
    used = {m for m in used if not m.startswith("invpolicy_sectors")}
    assert used <= {"invpolicy", "invpolicy.testing", "invpolicy.resources"}
