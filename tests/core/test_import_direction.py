"""Dependencies point one way (DESIGN.md §7): connectors → core ← reports, the CLI on top wiring them.

Every module of ``auditor/``, ``connectors/`` and ``reports/`` is parsed with :mod:`ast` (nothing is
imported). Every ``import`` counts, wherever it is written: at the top, under ``TYPE_CHECKING``, or
lazily inside a function. A lazy import still makes one module depend on the other (it only delays
the cost), so it is held to the same direction rules and counts as an edge for cycles too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("auditor", "connectors", "reports")


def module_name(path: Path) -> str:
    """``auditor/stores/base.py`` → ``auditor.stores.base``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the three packages, by dotted name."""
    return {module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def imported_names(path: Path, name: str) -> Iterator[tuple[str, int]]:
    """Every name ``path`` imports, with the line (relative imports resolved). ``from x import y`` yields
    ``x.y``: the module ``x.y`` when it is one, else the module ``x`` (a submodule does not depend on its
    package's ``__init__`` just by being imported from it)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def import_graph() -> tuple[nx.DiGraph, list[tuple[str, str, int]]]:
    """The module import graph (edges to our own modules only) and every import as ``(module, target, line)``."""
    known = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    imports: list[tuple[str, str, int]] = []
    for name, path in known.items():
        for target, line in imported_names(path, name):
            if target.split(".")[0] not in PACKAGES:
                continue
            imports.append((name, target, line))
            while target and target not in known:  # ``from pkg import name``: the module ``pkg`` if not a module
                target = target.rpartition(".")[0]
            if target and target != name:
                graph.add_edge(name, target)
    return graph, imports


def allowed(module: str, target: str) -> bool:
    """The direction rules: the core imports neither connectors nor reports, except the CLI that wires them."""
    source, goal = module.split(".")[0], target.split(".")[0]
    if source == "auditor" and goal in ("connectors", "reports"):
        return module == "auditor.cli" or module.startswith("auditor.cli.")
    if source == "connectors" and goal == "reports":
        return False
    if source == "reports" and goal == "connectors":
        return False
    if source in ("connectors", "reports") and goal == "auditor":
        return not (target == "auditor.cli" or target.startswith("auditor.cli."))
    return True


@pytest.fixture(scope="module")
def project_imports() -> tuple[nx.DiGraph, tuple[tuple[str, str, int], ...]]:
    """:func:`import_graph` of the project, parsed once for the module's tests (frozen: read only)."""
    graph, imports = import_graph()
    return nx.freeze(graph), tuple(imports)


def test_the_core_imports_neither_connectors_nor_reports_except_the_cli(project_imports):
    _, imports = project_imports
    wrong = sorted(f"{module}:{line} imports {target}" for module, target, line in imports
                   if not allowed(module, target))
    assert wrong == []


def test_the_rules_catch_each_wrong_direction():
    assert not allowed("auditor.pipeline", "connectors.registry")
    assert not allowed("auditor.stores.base", "reports.registry")
    assert not allowed("connectors.okta", "reports.i18n")
    assert not allowed("reports.html", "connectors.base")
    assert not allowed("connectors.http.progress", "auditor.cli.progress")
    assert allowed("auditor.cli.scan", "connectors.registry")
    assert allowed("connectors.okta", "auditor.model")
    assert allowed("reports.html", "auditor.result")


def test_there_is_no_import_cycle_between_modules(project_imports):
    graph, _ = project_imports
    cycles = sorted(sorted(component) for component in nx.strongly_connected_components(graph) if len(component) > 1)
    assert cycles == []


def test_the_cycle_check_finds_a_cycle_and_lazy_imports(tmp_path):
    module = tmp_path / "pkg" / "a.py"
    module.parent.mkdir()
    module.write_text("def f():\n    from auditor import model\n", encoding="utf-8")
    assert list(imported_names(module, "pkg.a")) == [("auditor.model", 2)]
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    assert [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1] == [["a", "b", "c"]]
