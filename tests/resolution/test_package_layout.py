"""All of resolution lives in auditor/resolution/ and its modules import one another without a cycle."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import auditor.resolution

PACKAGE = Path(auditor.resolution.__file__).parent


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        graph[path.stem] = {m.rsplit(".", 1)[1] for m in found if m.startswith("auditor.resolution.")}
    return graph


def test_resolution_modules_import_each_other_without_a_cycle() -> None:
    graph = _imports()
    assert "engine" in graph and "merge" in graph
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the failure message names the cycle
        raise AssertionError(f"import cycle: {exc.args[1]}") from exc


def test_the_old_resolve_module_is_gone() -> None:
    assert not (PACKAGE.parent / "resolve.py").exists()
