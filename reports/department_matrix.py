"""The department × department integration matrix: how many integrations run from one department's
tools to another's, and which share of them is manual.

A tool belongs to its departments and to its owner (as in ``departments.svg``); a tool used by
several departments counts in each of them. Integrations touching a tool without any department are
not placed in the matrix and are counted in :attr:`DepartmentMatrix.unplaced`, so nothing is dropped
silently. A bidirectional integration counts in both directions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.model import Tool
from auditor.result import ScanResult
from reports.facts import silo_departments

HEAT_LEVELS = 5
"""Cells are coloured in this many steps of their count against the largest off-diagonal count."""
MARKDOWN_LIMIT = 20
"""At most this many departments (the most connected) in the Markdown table."""


@dataclass(frozen=True)
class MatrixCell:
    """Integrations from the row's department to the column's; ``heat`` 0 (none) … :data:`HEAT_LEVELS`."""

    count: int
    manual: int
    heat: int

    @property
    def manual_share(self) -> float:
        """Manual integrations as a share of the cell's (0 when empty)."""
        return self.manual / self.count if self.count else 0.0


@dataclass(frozen=True)
class DepartmentMatrix:
    """Rows and columns are ``departments`` (sorted by name); ``cells[(a, b)]`` is a → b."""

    departments: list[str]
    cells: dict[tuple[str, str], MatrixCell]
    silos: frozenset[str]
    unplaced: int = 0
    totals_out: dict[str, int] = field(default_factory=dict)
    totals_in: dict[str, int] = field(default_factory=dict)

    def cell(self, source: str, target: str) -> MatrixCell:
        """The cell source → target (an empty one when no integration runs there)."""
        return self.cells.get((source, target), _EMPTY)

    def strongest(self, limit: int) -> list[str]:
        """The ``limit`` departments with the most integrations in and out, in name order."""
        ranked = sorted(self.departments, key=lambda d: (-(self.totals_out.get(d, 0) + self.totals_in.get(d, 0)), d))
        return sorted(ranked[:limit])


_EMPTY = MatrixCell(0, 0, 0)


def home_departments(tool: Tool) -> list[str]:
    """A tool's departments, then its owner (once each)."""
    return list(dict.fromkeys([*tool.departments, *([tool.owner] if tool.owner else [])]))


def department_matrix(result: ScanResult) -> DepartmentMatrix:
    """Count the integrations between departments (see the module docstring for what counts where)."""
    tools = result.graph.tools
    homes = {tool_id: home_departments(tool) for tool_id, tool in tools.items()}
    counts: Counter[tuple[str, str]] = Counter()
    manual: Counter[tuple[str, str]] = Counter()
    unplaced = 0
    for integration in result.graph.integrations:
        sources, targets = homes.get(integration.source), homes.get(integration.target)
        if not sources or not targets:
            unplaced += 1
            continue
        if len(sources) == 1 == len(targets) and not integration.bidirectional:
            pairs: Iterable[tuple[str, str]] = ((sources[0], targets[0]),)  # the usual case, without a set
        else:
            pairs = {(a, b) for a in sources for b in targets}
            if integration.bidirectional:
                pairs |= {(b, a) for a, b in pairs}
        is_manual = integration.kind == "manual"
        for pair in pairs:
            counts[pair] += 1
            if is_manual:
                manual[pair] += 1
    names = sorted({d for found in homes.values() for d in found})
    top = max((c for (a, b), c in counts.items() if a != b), default=0) or max(counts.values(), default=0)
    cells = {pair: MatrixCell(count, manual[pair], _heat(count, top)) for pair, count in counts.items()}
    totals_out: Counter[str] = Counter()
    totals_in: Counter[str] = Counter()
    for (a, b), count in counts.items():
        if a != b:
            totals_out[a] += count
            totals_in[b] += count
    return DepartmentMatrix(names, cells, frozenset(silo_departments(result)), unplaced, dict(totals_out),
                            dict(totals_in))


def _heat(count: int, top: int) -> int:
    """1 … HEAT_LEVELS for a non-empty cell (relative to ``top``, capped), 0 for an empty one."""
    if not count:
        return 0
    return max(1, min(HEAT_LEVELS, -(-count * HEAT_LEVELS // max(top, 1))))
