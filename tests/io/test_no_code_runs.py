"""Nothing in a policy or an invitation can run code: the package never evaluates text.

This reads the installed package's own source: no eval, exec or compile of
text, no pickle or marshal, no YAML loader other than the safe composer, and
every Jinja template is one of ours, fed text only as data.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import invpolicy

PACKAGE = Path(invpolicy.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "dill", "yaml", "code", "codeop"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_the_installed_package_is_read() -> None:
    assert len(MODULES) > 40
    assert PACKAGE / "io" / "safeload.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_evaluates_text_or_loads_objects(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path}:{node.lineno}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name.split(".")[0] not in FORBIDDEN_MODULES, f"{path}:{node.lineno}"
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            assert node.module.split(".")[0] not in FORBIDDEN_MODULES, f"{path}:{node.lineno}"


def test_yaml_is_only_composed_into_nodes_or_round_tripped_by_the_formatter() -> None:
    # YAML(typ="rt").compose builds nodes and never constructs an object from a
    # tag; the round-trip loader makes tagged values inert wrappers, and fmt
    # uses it only on a file the safe reader has accepted first.
    uses = {}
    for path in MODULES:
        for node in ast.walk(_tree(path)):
            called = node.func if isinstance(node, ast.Call) else None
            # YAML(...) or ruamel.yaml.YAML(...)
            if getattr(called, "id", None) == "YAML" or getattr(called, "attr", None) == "YAML":
                assert isinstance(node, ast.Call)
                kinds = [kw.value for kw in node.keywords if kw.arg == "typ"]
                uses[path.name] = [ast.literal_eval(kind) for kind in kinds]
    assert uses and all(kinds == ["rt"] for kinds in uses.values()), uses
    load_calls = [
        f"{path.name}:{node.lineno}"
        for path in MODULES
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("load", "load_all", "construct_document")
    ]
    assert [call.split(":")[0] for call in load_calls] == ["formatter.py"]
