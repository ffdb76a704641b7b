"""The journey view of a report: the three levels as a tree, the KPI tree beside it, and each loop.

Data only (language-neutral ids, names and states); the HTML partial ``html/_journeys.html.j2`` and the
Markdown partial ``_journeys.md.j2`` word it. Everything comes from the scan's graph and its
``measurement`` section, so a report re-rendered from a store shows the same view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.graph import LandscapeGraph
from auditor.model import Flow, Kpi
from auditor.result import ScanResult

#: The loop's stages in order, and the break that stops the loop before each of them.
STAGES: tuple[tuple[str, str, str | None], ...] = (
    ("touchpoint_tools", "touchpoints", None),
    ("data_tools", "data", "cannot_measure"),
    ("analytics_tools", "analytics", "cannot_learn"),
    ("action_tools", "action", "cannot_act"),
)


def _names(graph: LandscapeGraph, ids: Any) -> list[str]:
    return [graph.tools[t].name if t in graph.tools else str(t) for t in ids or ()]


def _kpi(graph: LandscapeGraph, kpi: Kpi, status: Mapping[str, Any], children: Mapping[str, list[Kpi]],
         seen: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A KPI with its status, where it is computed and the KPIs contributing to it (nested)."""
    own = status.get(kpi.id, {})
    return {"id": kpi.id, "name": kpi.name, "level": kpi.level, "status": own.get("status", "unknown"),
            "computed_in": _names(graph, [kpi.computed_in] if kpi.computed_in else [])[:1],
            "data": [(d.get("word"), d.get("state")) for d in own.get("data", [])],
            "children": [_kpi(graph, c, status, children, seen | {kpi.id})
                         for c in children.get(kpi.id, []) if c.id not in seen]}


def _loop(graph: LandscapeGraph, item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The four stages of a loop: the tools reached, and whether the arrow into the stage is broken."""
    loop, broken = item.get("loop", {}), item.get("break")
    stages, after_break = [], False
    for key, name, stops in STAGES:
        is_break = stops is not None and stops == broken
        after_break = after_break or is_break
        stages.append({"stage": name, "tools": [] if after_break else _names(graph, loop.get(key)),
                       "broken": is_break, "reached": not after_break})
    return stages


def _individual(graph: LandscapeGraph, flow: Flow, item: Mapping[str, Any], kpis: list[Kpi],
                status: Mapping[str, Any]) -> dict[str, Any]:
    touchpoints = [{"id": s.id, "name": s.name, "tools": _names(graph, s.all_tools),
                    "kpis": [{"id": k.id, "name": k.name, "status": status.get(k.id, {}).get("status", "unknown")}
                             for k in kpis if k.level == "touchpoint" and k.step == s.id]}
                   for s in flow.steps if s.customer_facing]
    return {"id": flow.id, "name": flow.name, "readiness": item.get("readiness"), "break": item.get("break"),
            "touchpoints": touchpoints, "loop": _loop(graph, item),
            "actions": [{"stage": a["stage"], "connect": _names(graph, a["connect"])} for a in item.get("actions", [])],
            "closes": item.get("closes")}


def journey_view(result: ScanResult) -> dict[str, Any] | None:
    """The journey view, or None when the scan has no journeys and no KPIs."""
    graph = result.graph
    measurement = result.extra.get("measurement")
    if not isinstance(measurement, Mapping) or not (graph.journeys or graph.kpis):
        return None
    status = measurement.get("kpis", {})
    individual = measurement.get("individual_journeys", {})
    known = {k.id for k in graph.kpis}
    children: dict[str, list[Kpi]] = {}
    for kpi in graph.kpis:
        if kpi.contributes_to in known:
            children.setdefault(str(kpi.contributes_to), []).append(kpi)
    flows = {f.id: f for f in graph.flows}
    journeys = []
    placed: set[str] = set()
    for journey in graph.journeys:
        members = [f for f in journey.flows if f in flows]
        own = [k for k in graph.kpis if k.journey == journey.id or k.flow in members]
        roots = [k for k in own if k.contributes_to not in known]
        placed |= {k.id for k in own}
        whole = measurement.get("journeys", {}).get(journey.id, {})
        journeys.append({"id": journey.id, "name": journey.name, "owner": journey.owner,
                         "readiness": whole.get("readiness"),
                         "individual": [_individual(graph, flows[f], individual.get(f, {}),
                                                    [k for k in own if k.flow == f], status) for f in members],
                         "kpi_tree": [_kpi(graph, k, status, children) for k in roots]})
    loose = [_kpi(graph, k, status, children) for k in graph.kpis
             if k.id not in placed and k.contributes_to not in known]
    start = [{"rank": e["rank"], "name": e["name"], "break": e["break"], "readiness": e["readiness"],
              "closes": e["closes"], "actions": [{"stage": a["stage"], "connect": _names(graph, a["connect"])}
                                                 for a in e["actions"]]}
             for e in measurement.get("start_here", [])]
    return {"journeys": journeys, "loose_kpis": loose, "start_here": start,
            "formula": measurement.get("formula", "")}
