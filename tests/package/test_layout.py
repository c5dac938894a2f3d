"""The package's shape: layers bottom to top, no import circles, small modules (DESIGN.md).

:data:`LAYERS` is the layout as data; README's "Architecture" section draws the same list.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from repository import ROOT

import tconvmat
from tconvmat._aliases import MOVED

PACKAGE = ROOT / "tconvmat"
TESTS = ROOT / "tests"
MAX_LINES = 400

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("tconvmat.core",)),
    ("text", ("tconvmat.text",)),
    ("routes", ("tconvmat.routes",)),
    ("linalg", ("tconvmat.linalg",)),
    ("symbolic", ("tconvmat.symbolic",)),
    ("api", ("tconvmat.api", "tconvmat.functional", "tconvmat.problem")),
    ("analysis", ("tconvmat.analysis",)),
    ("conventions", ("tconvmat.conventions",)),
    ("plots", ("tconvmat.plots",)),
    ("teaching", ("tconvmat.teaching",)),
    ("inspection", ("tconvmat.inspection",)),
    ("package", ("tconvmat", "tconvmat._aliases")),
    ("cli", ("tconvmat.cli", "tconvmat.__main__")),
]
"""Layers, bottom to top: a module may import its own layer and the layers below, never above.

Each entry is a package (it and everything under it) or a module; ``"tconvmat"`` is the
package's ``__init__`` alone.
"""


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The package module that ``name`` (a module or a name inside one) belongs to."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> set[str]:
    """Modules of the package that ``module`` imports anywhere, lazy imports included.

    Imports under ``if TYPE_CHECKING:`` are left out: they never run. ``from
    tconvmat import x`` counts as an import of ``tconvmat.x`` when ``x`` is a
    module, not of the package's ``__init__``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if path.name == "__init__.py" else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = base + (f".{node.module}" if node.module else "")
            else:
                source = node.module or ""
            submodules = [
                f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in MODULES
            ]
            targets = submodules if len(submodules) == len(node.names) else [source, *submodules]
        else:
            continue
        found |= {owner for t in targets if (owner := _owner(t)) and owner != module}
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def _in(module: str, entry: str) -> bool:
    return module == entry or (entry != "tconvmat" and module.startswith(entry + "."))


def _layers_of(module: str) -> list[int]:
    return [i for i, (_, entries) in enumerate(LAYERS) for e in entries if _in(module, e)]


def _layer(module: str) -> int:
    (found,) = _layers_of(module)
    return found


def test_the_graph_sees_lazy_imports():
    # a circle through a function-level import must count: the api's lazy symbolic import
    assert "tconvmat.symbolic" in GRAPH["tconvmat.api"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_no_import_circle_inside_the_package():
    assert _cycles(GRAPH) == []


def test_every_module_belongs_to_exactly_one_layer():
    assert {m: _layers_of(m) for m in MODULES if len(_layers_of(m)) != 1} == {}
    for _, entries in LAYERS:  # no entry names a module that is not there
        assert all(any(_in(m, e) for m in MODULES) for e in entries), entries


def test_no_module_imports_a_higher_layer():
    upward = {
        (m, t): (LAYERS[_layer(m)][0], LAYERS[_layer(t)][0])
        for m, targets in GRAPH.items()
        for t in targets
        if _layer(t) > _layer(m)
    }
    assert upward == {}


def test_the_layer_check_sees_an_upward_import():
    # a lazy import in core of a teaching module would be caught
    assert _layer("tconvmat.teaching.explanation.words") > _layer("tconvmat.core.axis")
    assert _layer("tconvmat") < _layer("tconvmat.cli.main")


def test_readme_draws_the_same_layers():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    drawn = re.findall(r"^  (\w+)(?:/|\.py)", section, flags=re.M)
    # each layer by its first entry, in the same order: core/, text/, …, api.py, …, cli/
    firsts = [entries[0].rpartition(".")[2] or "__init__" for _, entries in LAYERS]
    firsts = ["__init__" if f == "tconvmat" else f for f in firsts]
    assert drawn == firsts


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_import_path_is_its_new_module(old):
    new = importlib.import_module(MOVED[old])
    assert importlib.import_module(old) is new
    assert getattr(tconvmat, old.rpartition(".")[2]) is new
    assert sys.modules[old] is new and new.__spec__.name == MOVED[old]


def test_an_old_path_reaches_the_modules_under_it():
    old = importlib.import_module("tconvmat.rules.onnx")  # a subpackage's module, by its old path
    assert old is importlib.import_module("tconvmat.core.rules.onnx")
    assert importlib.import_module("tconvmat.explanation.words") is importlib.import_module(
        "tconvmat.teaching.explanation.words"
    )
    assert callable(tconvmat.exercises)


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("tconvmat.core.axis", set()),
        (
            "tconvmat.core.geometry",
            {"tconvmat.core.validation", "tconvmat.core.axis", "tconvmat.core.rules"},
        ),
        ("tconvmat.core.structure", {"tconvmat.core.geometry"}),
        ("tconvmat.core.kernels", {"tconvmat.core.arrays", "tconvmat.core.geometry"}),
    ],
)
def test_data_at_the_bottom(module, allowed):
    assert GRAPH[module] <= allowed


def test_the_framework_rules_sit_on_the_axis_arithmetic_alone():
    rules = {
        m for m in MODULES if m == "tconvmat.core.rules" or m.startswith("tconvmat.core.rules.")
    }
    assert len(rules) > 1
    for module in rules:
        assert GRAPH[module] <= rules | {"tconvmat.core.axis"}, module


def test_nothing_below_the_api_imports_it():
    importers = {m for m, targets in GRAPH.items() if "tconvmat.api" in targets}
    assert importers
    assert {m for m in importers if _layer(m) < _layer("tconvmat.api")} == set()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_the_size_limit(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"


def test_import_tconvmat_loads_neither_sympy_nor_matplotlib():
    code = "import sys, tconvmat; print(sorted(m for m in ('sympy', 'matplotlib', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_test_file_sits_in_the_folder_of_a_layer():
    folders = {name for name, _ in LAYERS} | {"helpers"}  # helpers: what the tests share
    found = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    assert found <= folders, found - folders
    misplaced = [
        p.relative_to(TESTS).as_posix()
        for p in sorted(TESTS.rglob("test_*.py"))
        if p.parent.parent != TESTS or p.parent.name not in folders - {"helpers"}
    ]
    assert misplaced == []
