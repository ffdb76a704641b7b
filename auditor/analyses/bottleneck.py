"""``bottleneck``: a tool whose removal would break two or more currently connected hand-offs.

Removing tool X means: X leaves every step it supports, and every integration it takes part in (as
an endpoint or as middleware) disappears whole. A connected hand-off A → B *breaks* when, afterwards,
T(A) and T(B) are still non-empty (otherwise the step has no tool, which ``coverage_gap`` reports) and
no integration path leads from T(A) to T(B) — i.e. it would become a missing integration.

For one hand-off only the tools *every* connection depends on can break it. So: take one witness
path; the tools it depends on (its own tools, and tools every integration behind a hop involves) are
the candidates; for each candidate X search a path that avoids X and its integrations. A path found
clears every candidate it does not depend on; no path means X breaks the hand-off. Searches are
bidirectional BFS pruned to tools that can reach T(B), and results are memoised per (T(A), T(B)).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import Connectivity, Handoff, connectivity, integration_edges
from auditor.analyses.handoff_common import names
from auditor.findingspec import FindingSpec, Message
from auditor.graph import LandscapeGraph
from auditor.model import Finding
from auditor.plan.advice import retire_notes, retiring_of

MANY_HANDOFFS = 5

SPEC = FindingSpec(
    "bottleneck", "Bottleneck",
    messages={"bottleneck": Message(
        "{tool} alone carries {count} hand-offs",
        "If {tool} fails or is retired, {count} hand-offs in {flows} stop working at once. Give the most important "
        "ones a second route (a direct integration or another middleware path), and run {tool} as critical "
        "infrastructure: a named owner, monitoring and an exit plan.{retire_notes}")},
    evidence=("tool", "retiring", "roles", "count", "flows", "rule", "handoffs"),
)


def removed_edges(conn: Connectivity, tool: str) -> frozenset[tuple[str, str]]:
    """Edges not touching ``tool`` that vanish with it: hops of its integrations no other integration makes.

    (Removing B from ``A → B via M`` also removes the hop ``A → M``.)
    """
    edges = set()
    for integration in conn.graph.integrations_by_tool.get(tool, ()):
        if integration.kind == "manual":
            continue
        for edge in integration_edges(integration):
            if tool not in edge and tool in conn.edge_info(edge)[1]:
                edges.add(edge)
    return frozenset(edges)


def path_dependencies(conn: Connectivity, path: list[str]) -> set[str]:
    """Tools whose removal cuts ``path``: its own tools, and any tool every integration behind a hop involves."""
    found = set(path)
    for edge in zip(path, path[1:], strict=False):
        found |= conn.edge_info(edge)[1]
    return found


def breaking_tools(conn: Connectivity, a: frozenset[str], b: frozenset[str],
                   removals: dict[str, frozenset[tuple[str, str]]] | None = None) -> set[str]:
    """Tools whose removal turns the connected hand-off T(A)=a → T(B)=b into a missing integration."""
    shared = a & b
    if len(shared) >= 2:
        return set()
    strict = conn.strict
    if shared:
        candidates = set(shared)
    else:
        witness = strict.path(a, b, mask=strict.mask(b))
        if not witness:
            return set()
        candidates = path_dependencies(conn, witness)
    removals = {} if removals is None else removals
    breaking: set[str] = set()
    for tool in sorted(candidates):
        if tool not in candidates:
            continue
        candidates.discard(tool)
        rest_a, rest_b = a - {tool}, b - {tool}
        if not rest_a or not rest_b or rest_a & rest_b:
            continue
        if tool not in removals:
            removals[tool] = removed_edges(conn, tool)
        other = strict.path(rest_a, rest_b, banned=tool, mask=strict.mask(rest_b), banned_edges=removals[tool])
        if other is None:
            breaking.add(tool)
        else:
            candidates &= path_dependencies(conn, other)
    return breaking


def bottlenecks(conn: Connectivity) -> dict[str, list[Handoff]]:
    """Tool id → the connected hand-offs its removal breaks (every tool, even with one hand-off)."""
    memo: dict[tuple[frozenset[str], frozenset[str]], set[str]] = {}
    removals: dict[str, frozenset[tuple[str, str]]] = {}
    broken: dict[str, list[Handoff]] = defaultdict(list)
    for handoff in conn.handoffs:
        if handoff.state != "connected":
            continue
        key = (handoff.source_tools, handoff.target_tools)
        if key not in memo:
            memo[key] = breaking_tools(conn, *key, removals)
        for tool in memo[key]:
            broken[tool].append(handoff)
    return broken


class BottleneckAnalysis(Analysis):
    """One finding per tool whose removal breaks at least two connected hand-offs."""

    id = "bottleneck"
    title = "Bottlenecks"
    rationale = "When one tool carries several hand-offs alone, its outage or retirement breaks them all at once."
    remediation = "Add a second route for the most important hand-offs and run the tool as critical infrastructure."
    severity_rules = (f"high when a broken hand-off leads into a customer-facing step (customer_facing) or "
                      f"{MANY_HANDOFFS}+ hand-offs break (many); medium otherwise (default)")
    specs = (SPEC,)

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        conn = connectivity(graph)
        for tool, handoffs in sorted(bottlenecks(conn).items()):
            if len(handoffs) >= 2:
                yield self._finding(conn, tool, handoffs, settings)

    def _finding(self, conn: Connectivity, tool: str, handoffs: list[Handoff], settings: AnalysisSettings) -> Finding:
        graph = conn.graph
        customer = [h for h in handoffs if h.target.customer_facing]
        if customer:
            rule, default = "customer_facing", "high"
        elif len(handoffs) >= MANY_HANDOFFS:
            rule, default = "many", "high"
        else:
            rule, default = "default", "medium"
        middleware = any(i.via == tool for i in graph.integrations_by_tool.get(tool, ()))
        in_steps = any(tool in h.source_tools or tool in h.target_tools for h in handoffs)
        roles = [r for r, on in (("middleware", middleware), ("step_tool", in_steps)) if on] or ["endpoint"]
        flows = sorted({h.flow.id for h in handoffs})
        departments = sorted({d for h in handoffs for d in (h.source.department, h.target.department) if d})
        return SPEC.finding(
            "bottleneck",
            {"tool": names(graph, [tool]), "count": len(handoffs), "flows": list(flows),
             "retire_notes": retire_notes(graph, [tool], settings.retiring)},
            id=finding_id(self.id, tool),
            severity=settings.severity_for(self.id, rule, default),
            tools=(tool,),
            departments=tuple(departments),
            evidence={
                "tool": tool,
                "retiring": retiring_of([tool], settings.retiring),
                "roles": roles,
                "count": len(handoffs),
                "flows": flows,
                "rule": rule,
                "handoffs": [{"flow": h.flow.id, "from_step": h.source.id, "to_step": h.target.id,
                              "from_tools": sorted(h.source_tools), "to_tools": sorted(h.target_tools),
                              "customer_facing": h.target.customer_facing} for h in handoffs],
            },
        )
