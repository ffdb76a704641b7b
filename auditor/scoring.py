"""Digital-foundation scores per flow and per layer, and the ranked "start here" list.

Every score is ``half_up(100 × (w_c·connectivity + w_v·coverage + w_e·efficiency))`` with weights
0.5 / 0.3 / 0.2 by default (``analyses.score_weights`` in the config), each part between 0 and 1:

* per flow — connectivity: mean over its hand-offs of 1 (connected), 0.5 (manual only) or 0 (missing,
  or a side without tools); coverage: mean over its steps of the share of required layers its tools
  provide (0 for a step without tools, 1 if it requires nothing); efficiency: 1 − duplicate spend /
  spend of the flow's tools, duplicate spend being the cost of tools a ``duplicate`` finding proposes
  to retire (everything but its ``keep``).
* per layer — connectivity: share of the layer's tools in use (by a department or a step) with a
  non-manual integration to another tool (for ``ai_analytics`` also reached from the data layer);
  coverage: share of steps requiring the layer whose tools provide it; efficiency as above over the
  layer's tools.

"Start here" ranks the flows by the points their own repair would win (fixing their broken
hand-offs and coverage gaps: ``100 × (w_c·(1−connectivity) + w_v·(1−coverage))``), then by the
customer-facing problems among them, then by how many other flows share the tools involved.
See docs/analyses.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.analyses.connectivity import Handoff, connectivity, participants, step_tools
from auditor.analyses.silo import reached_from
from auditor.gcpause import gc_paused
from auditor.graph import LandscapeGraph
from auditor.model import LAYERS, Finding, Flow, Step, severity_rank

WEIGHTS: Mapping[str, float] = {"connectivity": 0.5, "coverage": 0.3, "efficiency": 0.2}
HANDOFF_VALUE = {"connected": 1.0, "manual": 0.5, "missing": 0.0, "undefined": 0.0}
FLOW_FIXES = ("missing_integration", "manual_handoff", "coverage_gap")


def weights_from(config: Mapping[str, Any]) -> dict[str, float]:
    """Weights from ``analyses.score_weights`` (missing parts keep their default), normalised to sum 1."""
    given = dict(WEIGHTS)
    given.update({k: float(v) for k, v in dict(config.get("score_weights") or {}).items() if k in WEIGHTS})
    total = sum(given.values()) or 1.0
    return {k: v / total for k, v in given.items()}


def half_up(value: float) -> int:
    """Round half up (42.5 → 43), as people do by hand; tiny float noise is ignored."""
    return math.floor(round(value, 9) + 0.5)


def _score(parts: Mapping[str, float], weights: Mapping[str, float]) -> int:
    return half_up(100 * sum(weights[k] * parts[k] for k in WEIGHTS))


def _step_coverage(graph: LandscapeGraph, step: Step) -> float:
    tools = step_tools(step)
    if not tools:
        return 0.0
    required = [layer for layer in LAYERS if layer in step.requires]
    if not required:
        return 1.0
    provided = {layer for t in tools if t in graph.tools for layer in graph.tools[t].layers}
    return sum(1 for layer in required if layer in provided) / len(required)


def _retired(findings: Iterable[Finding]) -> set[str]:
    """Every tool a duplicate finding proposes to retire (all members but its ``keep``)."""
    return {tool for f in findings if f.type == "duplicate" for tool in f.tools if tool != f.evidence.get("keep")}


def _efficiency(graph: LandscapeGraph, tools: Iterable[str], retired: set[str]) -> float:
    costs = {t: graph.tools[t].annual_cost or 0.0 for t in tools if t in graph.tools}
    total = sum(costs.values())
    if not total:
        return 1.0
    return 1.0 - sum(c for t, c in costs.items() if t in retired) / total


def _round(value: float) -> float:
    return round(value, 3)


def _flow_scores(graph: LandscapeGraph, flow: Flow, handoffs: list[Handoff], retired: set[str],
                 weights: Mapping[str, float]) -> dict[str, Any]:
    states: list[str] = [h.state for h in handoffs]
    tools = {t for step in flow.steps for t in step_tools(step)}
    parts = {
        "connectivity": sum(HANDOFF_VALUE[s] for s in states) / len(states) if states else 1.0,
        "coverage": sum(_step_coverage(graph, s) for s in flow.steps) / len(flow.steps) if flow.steps else 0.0,
        "efficiency": _efficiency(graph, tools, retired),
    }
    return {
        "name": flow.name,
        "score": _score(parts, weights) if flow.steps else None,
        "parts": {k: _round(v) for k, v in parts.items()},
        "handoffs": {state: states.count(state) for state in HANDOFF_VALUE},
        "steps": len(flow.steps),
    }


def _layer_scores(graph: LandscapeGraph, retired: set[str], weights: Mapping[str, float]) -> dict[str, Any]:
    integrated: set[str] = set()
    for integration in graph.integrations:
        members = participants(integration)
        if integration.kind != "manual" and len(members) > 1:
            integrated |= members
    used = {t for d in graph.departments for t in d.tools}
    used |= {t for f in graph.flows for s in f.steps for t in step_tools(s)}
    data_reached = reached_from(connectivity(graph).strict.digraph,
                                [t.id for t in graph.tools.values() if "data" in t.layers])
    steps = [s for f in graph.flows for s in f.steps]
    layers: dict[str, Any] = {}
    for layer in LAYERS:
        tools = [t.id for t in graph.tools.values() if layer in t.layers]
        in_use = [t for t in tools if t in used]
        linked = [t for t in in_use if t in integrated and (layer != "ai_analytics" or t in data_reached)]
        requiring = [s for s in steps if layer in s.requires]
        covered = [s for s in requiring
                   if any(layer in graph.tools[t].layers for t in step_tools(s) if t in graph.tools)]
        parts = {
            "connectivity": len(linked) / len(in_use) if in_use else 1.0,
            "coverage": len(covered) / len(requiring) if requiring else 1.0,
            "efficiency": _efficiency(graph, tools, retired),
        }
        layers[layer] = {"score": _score(parts, weights), "parts": {k: _round(v) for k, v in parts.items()},
                         "tools": len(tools), "tools_in_use": len(in_use), "steps_requiring": len(requiring)}
    return layers


def _start_here(graph: LandscapeGraph, flows: Mapping[str, Any], findings: list[Finding],
                weights: Mapping[str, float]) -> list[dict[str, Any]]:
    flows_of_tool: dict[str, set[str]] = defaultdict(set)
    for flow in graph.flows:
        for step in flow.steps:
            for tool in step_tools(step):
                flows_of_tool[tool].add(flow.id)
    fixes_of_flow: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.flow is not None and finding.type in FLOW_FIXES:
            fixes_of_flow[finding.flow].append(finding)
    entries = []
    for flow in graph.flows:
        fixes = sorted(fixes_of_flow.get(flow.id, []), key=lambda f: (-severity_rank(f.severity), f.type, f.id))
        if not flow.steps or not fixes:
            continue
        parts = flows[flow.id]["parts"]
        gain = half_up(100 * (weights["connectivity"] * (1 - parts["connectivity"])
                              + weights["coverage"] * (1 - parts["coverage"])))
        also = sorted({other for f in fixes for t in f.tools for other in flows_of_tool.get(t, ())} - {flow.id})
        customer_steps = {s.id for s in flow.steps if s.customer_facing}
        customer = sum(1 for f in fixes if f.steps[-1:] and f.steps[-1] in customer_steps)
        entries.append({
            "flow": flow.id,
            "name": flow.name,
            "score": flows[flow.id]["score"],
            "gain": gain,
            "broken_handoffs": sum(1 for f in fixes if f.type != "coverage_gap"),
            "coverage_gaps": sum(1 for f in fixes if f.type == "coverage_gap"),
            "customer_facing_issues": customer,
            "also_helps": also,
            "first_fixes": [f.id for f in fixes[:3]],
        })
    entries.sort(key=lambda e: (-e["gain"], -e["customer_facing_issues"], -len(e["also_helps"]), e["flow"]))
    names = {flow.id: flow.name for flow in graph.flows}  # people read flows by name; also_helps keeps the ids
    for rank, entry in enumerate(entries, 1):
        entry["rank"] = rank
        served = ", ".join(names[f] for f in entry["also_helps"])
        entry["why"] = (f"Repairing '{entry['name']}' raises its score from {entry['score']} by {entry['gain']} "
                        f"points ({entry['broken_handoffs']} broken hand-offs, {entry['coverage_gaps']} coverage "
                        f"gaps, {entry['customer_facing_issues']} where customers feel it)"
                        + (f"; the tools involved also serve {served}." if served else "."))
    return entries


def compute_scores(graph: LandscapeGraph, findings: list[Finding],
                   config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Scores per flow and per layer, the overall score and the ranked ``start_here`` list."""
    with gc_paused():
        return _compute(graph, findings, weights_from(config or {}))


def _compute(graph: LandscapeGraph, findings: list[Finding], weights: Mapping[str, float]) -> dict[str, Any]:
    retired = _retired(findings)
    by_flow: dict[str, list[Handoff]] = {f.id: [] for f in graph.flows}
    for handoff in connectivity(graph).handoffs:
        by_flow[handoff.flow.id].append(handoff)
    flows = {f.id: _flow_scores(graph, f, by_flow[f.id], retired, weights) for f in graph.flows}
    scored = [v["score"] for v in flows.values() if v["score"] is not None]
    return {
        "formula": "round_half_up(100 * (w_connectivity*connectivity + w_coverage*coverage + w_efficiency*efficiency))",
        "weights": {k: _round(v) for k, v in weights.items()},
        "overall": half_up(sum(scored) / len(scored)) if scored else None,
        "flows": flows,
        "layers": _layer_scores(graph, retired, weights),
        "start_here": _start_here(graph, flows, findings, weights),
    }
