"""The architecture holds: layers import downwards only, no import circles, small modules.

The import graph is read from the installed package's source with ``ast``:
every import counts, those inside functions and under ``TYPE_CHECKING``
included, so that a lazy import cannot hide a circle or a dependency on a
layer above. docs/architecture.md draws the same layers.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import invpolicy

PACKAGE = Path(invpolicy.__file__).resolve().parent
REPO = Path(__file__).resolve().parents[1]

#: The layers from the bottom up, each with the module prefixes it holds. A
#: module may import its own layer (without a circle) and the layers below.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "foundation",
        (
            "invpolicy.errors",
            "invpolicy.text",
            "invpolicy.resources",
            "invpolicy.version",
            "invpolicy.frozen",
        ),
    ),
    ("io", ("invpolicy.io",)),
    ("schema", ("invpolicy.schema",)),
    ("model", ("invpolicy.model",)),
    ("plugins", ("invpolicy.plugins",)),
    ("builtin", ("invpolicy.builtin",)),
    ("loading", ("invpolicy.loading",)),
    ("engine", ("invpolicy.engine",)),
    ("authoring", ("invpolicy.authoring",)),
    ("reporters", ("invpolicy.reporters",)),
    ("api", ("invpolicy",)),
    ("testing", ("invpolicy.testing",)),
    ("cli", ("invpolicy.cli",)),
)

#: At most this many modules directly under src/invpolicy/.
MAX_TOP_MODULES = 12
#: No module longer than this many lines.
MAX_LINES = 450


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


#: A module named in a string, to be imported by ``importlib``: ``invpolicy.cli.fmt:fmt``.
_NAMED = re.compile(r"(invpolicy(?:\.\w+)+)(?::\w+)?")

#: Modules that may name a module of a layer above, to import it by name: the plugin
#: manager registers the built-in plugins as it registers any other.
BY_NAME = {"invpolicy.plugins.manager": "invpolicy.builtin."}


def _imported(module: str, node: ast.AST) -> list[str]:
    """The invpolicy modules that one import statement of ``module`` loads.

    A string that is a module's whole name (``"invpolicy.cli.fmt:fmt"``) counts
    too: the code imports it with ``importlib``.
    """
    known = modules()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        named = _NAMED.fullmatch(node.value)
        return [named[1]] if named and named[1] in known else []
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("invpolicy")]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        package = module if modules()[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}".rstrip(".")
    if not base.startswith("invpolicy"):
        return []
    # ``from invpolicy.io import files`` loads the module invpolicy.io.files.
    found = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
    return found or [base]


@cache
def graph() -> dict[str, frozenset[str]]:
    edges = {}
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets = {t for node in ast.walk(tree) for t in _imported(module, node)}
        edges[module] = frozenset(targets - {module})
    return edges


def layer_of(module: str) -> int:
    best = max(
        (
            (len(prefix), index)
            for index, (_, prefixes) in enumerate(LAYERS)
            for prefix in prefixes
            if module == prefix or (prefix != "invpolicy" and module.startswith(prefix + "."))
        ),
        default=None,
    )
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best[1]


def test_the_graph_is_read_from_the_package():
    assert "invpolicy.engine.compiled" in graph()
    assert "invpolicy.model.policy" in graph()["invpolicy.loading.build"]
    # A lazy import, inside a function, counts.
    assert "invpolicy.loading.parse" in graph()["invpolicy"]


def test_every_module_belongs_to_a_layer():
    for module in modules():
        layer_of(module)


def test_imports_point_down_the_layers():
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in graph().items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(module) and not target.startswith(BY_NAME.get(module, "-"))
    ]
    assert upward == []


def test_imports_by_name_are_in_the_graph():
    # The commands, the formats and the lazy public names are imported by name.
    assert "invpolicy.cli.decide" in graph()["invpolicy.cli.group"]
    assert "invpolicy.cli.group" in graph()["invpolicy.cli"]
    assert "invpolicy.reporters.tables" in graph()["invpolicy.reporters"]
    assert "invpolicy.engine.runner" in graph()["invpolicy"]
    assert "invpolicy.builtin.criteria" in graph()["invpolicy.plugins.manager"]


def test_there_is_no_import_circle():
    # Tarjan's strongly connected components, over every import.
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    assert circles == []


def test_the_builtin_plugins_are_imported_by_nothing_but_the_plugin_manager():
    from invpolicy.plugins.manager import DEFAULT_PLUGINS

    importers = {
        module
        for module, targets in graph().items()
        if not module.startswith("invpolicy.builtin")
        for target in targets
        if target.startswith("invpolicy.builtin")
    }
    assert importers == {"invpolicy.plugins.manager"}  # by name, in DEFAULT_PLUGINS
    assert set(DEFAULT_PLUGINS) == {m for m in modules() if m.startswith("invpolicy.builtin.")} - {
        "invpolicy.builtin.followup",
        "invpolicy.builtin.letter",
        "invpolicy.builtin.messages",
    }


def _reaches(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(graph().get(module, ()))
    return seen


@pytest.mark.parametrize("module", sorted(m for m in modules() if m.startswith("invpolicy.engine")))
def test_the_engine_never_reaches_the_yaml_reader_or_a_file(module):
    reached = _reaches(module)
    assert "invpolicy.io.safeload" not in reached
    assert not {m for m in reached if m.startswith("invpolicy.loading")}


def _loaded_after(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh process has loaded once ``code`` has run."""
    check = f"import sys\n{code}\nprint([m for m in {modules!r} if m in sys.modules])\n"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return list(ast.literal_eval(out.stdout.strip().splitlines()[-1]))


#: What a decision never needs: the command line's libraries.
CLI_LIBRARIES = ("click", "rich", "jinja2", "tabulate")

#: Deciding, explaining, comparing and asking what would change, for a policy in hand.
DECIDE = """
from invpolicy import Invitation, Registry, compare
from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.engine.whatif import what_would_change
from invpolicy.model.conditions import CriterionCheck
from invpolicy.model.policy import ReplySpec, Rule
registry = Registry.default()
rules = (
    Rule("met", CriterionCheck("met_in_person", {}), "accept"),
    Rule("other", None, "decline", ReplySpec("three_part_decline")),
)
policy = CompiledPolicy(Policy("p", "P", "", "", (), rules), registry)
invitation = Invitation.from_dict({"id": "a", "name": "A B", "language": "fr"})
decision = policy.decide(invitation, explain=True)
assert decision.reply is not None and what_would_change(policy, invitation, decision)
report = compare([invitation], [policy], explain=True, what_if=True)
assert report.rows[0].decisions["p"].decision == "decline"
""".replace("from invpolicy.model.policy import", "from invpolicy.model.policy import Policy,")


def test_deciding_a_policy_in_hand_loads_no_yaml_reader_and_no_cli_library():
    loaded = _loaded_after(DECIDE, ("ruamel.yaml", "invpolicy.io.safeload", *CLI_LIBRARIES))
    assert loaded == []


def test_reading_and_deciding_from_python_loads_no_cli_library():
    code = (
        "from invpolicy import compare, load_invitations, load_policy\n"
        "policies = [load_policy(name) for name in ('ask-first', 'quality-over-quantity')]\n"
        "compare(load_invitations('examples/invitations.yaml'), policies, explain=True,"
        " what_if=True)\n"
    )
    assert _loaded_after(code.replace("examples/", f"{REPO}/examples/"), CLI_LIBRARIES) == []


def test_each_layer_is_a_folder_that_says_what_it_does_and_may_import():
    # The foundation, the root and invpolicy.testing are single modules.
    folders = [p for name, ps in LAYERS if name not in ("foundation", "api", "testing") for p in ps]
    for prefix in folders:
        path = modules()[prefix]
        assert path.name == "__init__.py", f"{prefix} is not a package"
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring and "import" in docstring, f"{path}: say what the layer may import"


def test_few_modules_at_the_top_and_none_long():
    top = [path.name for path in PACKAGE.glob("*.py")]
    assert len(top) <= MAX_TOP_MODULES, top
    long = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
