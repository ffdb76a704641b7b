"""Measurement readiness per individual journey and per whole journey, and where to start closing loops.

The ``measurement`` section of report.json (written only when the landscape declares journeys or KPIs):

* ``kpis``: each KPI's status (``measurable`` / ``unconfirmed`` / ``unmeasurable``) and its words;
* ``individual_journeys``: per flow named by a journey, its loop (the tools each stage reached, the
  break), its KPIs, ``readiness`` and the ``actions`` that would close its loop;
* ``journeys``: per whole journey, ``readiness``;
* ``start_here``: the individual journeys with a broken loop, cheapest to close first.

Readiness is ``round_half_up(100 × (0.5 × loop + 0.5 × kpis))``: ``loop`` is the share of the three
stages (measure, learn, act) that work before the first break (1 when the loop runs); ``kpis`` the mean
credit of the KPIs anchored there (1 measurable, 0.5 unconfirmed, 0 unmeasurable; 0 with no KPI: nothing
is measured). A whole journey's ``loop`` is the mean of its individual journeys' and its ``kpis`` the mean
over every KPI of the journey (its relationship KPIs and those of its individual journeys).

The actions are the connections that close the loop, one per broken stage, chosen from the existing tools
(a touchpoint tool → a data tool that leads on, a data tool → an analytics tool that leads on, an analytics
tool → an acting tool, preferably an automating touchpoint tool); ``closes`` says whether the loop runs
once they are added (the loop's definition evaluated with the new edges, as ``auditor whatif --connect``
would add them; building a whole what-if landscape per journey cost minutes at 10,000 tools).
``start_here`` ranks those that close first, by the number of actions (fewest first), then by the
touchpoint KPIs that cannot be measured (most first: the customer feels them), then by readiness
(highest first: closest to running), then flow id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.analyses.connectivity import connectivity
from auditor.analyses.silo import reached_from
from auditor.graph import LandscapeGraph
from auditor.journeys.loop import LOOP_BREAKS, KpiCheck, Loop, individual_journeys, kpi_checks, loop_of, walk
from auditor.model import Flow
from auditor.scoring import half_up

CREDIT: Mapping[str, float] = {"measurable": 1.0, "unconfirmed": 0.5, "unmeasurable": 0.0}
FORMULA = "round_half_up(100 * (0.5*loop + 0.5*kpis))"


def _loop_part(loop: Loop) -> float:
    return 1.0 if loop.broken is None else LOOP_BREAKS.index(loop.broken) / 3


def _kpi_part(checks: list[KpiCheck]) -> float:
    return sum(CREDIT[c.status] for c in checks) / len(checks) if checks else 0.0


def _layer(graph: LandscapeGraph, layer: str) -> list[str]:
    return [t.id for t in graph.tools.values() if layer in t.layers]


def closing_actions(graph: LandscapeGraph, flow: Flow, loop: Loop) -> list[tuple[str, str, str]]:
    """``(stage, from tool, to tool)`` connections, one per broken stage, that should close the loop."""
    if loop.broken is None or not loop.touchpoint_tools:
        return []
    digraph = connectivity(graph).strict.digraph
    touch = loop.touchpoint_tools
    automation = set(_layer(graph, "automation"))
    acting = set(touch) | {t for s in flow.steps for t in s.all_tools if t in automation}
    analytics = set(_layer(graph, "ai_analytics"))
    actors = walk(digraph, acting, backward=True)
    learners, closers = walk(digraph, analytics, backward=True), walk(digraph, analytics & actors, backward=True)
    found: list[tuple[str, str, str]] = []
    data = list(loop.data_tools)
    if not data:
        candidates = sorted(_layer(graph, "data"), key=lambda t: (t not in closers, t not in learners, t))
        if not candidates:
            return []
        data = [candidates[0]]
        found.append(("measure", touch[0], candidates[0]))
    reached = sorted(analytics & reached_from(digraph, data))
    if not reached:
        candidates = sorted(analytics, key=lambda t: (t not in actors, t))
        if not candidates:
            return found
        reached = [candidates[0]]
        found.append(("learn", data[0], candidates[0]))
    if not actors & set(reached):
        target = sorted(acting, key=lambda t: (t not in automation, t not in touch, t))[0]
        found.append(("act", reached[0], target))
    return found


def measurement_section(graph: LandscapeGraph) -> dict[str, Any] | None:
    """The ``measurement`` section of report.json, or None when the landscape has no journeys or KPIs."""
    if not graph.journeys and not graph.kpis:
        return None
    checks = kpi_checks(graph)
    by_flow: dict[str, list[KpiCheck]] = {}
    for check in checks.values():
        if check.kpi.flow:
            by_flow.setdefault(check.kpi.flow, []).append(check)
    individual: dict[str, Any] = {}
    loops: dict[str, float] = {}
    for flow, journeys in individual_journeys(graph):
        individual[flow.id] = _individual(graph, flow, journeys, by_flow.get(flow.id, []))
        loops[flow.id] = individual[flow.id]["parts"]["loop"]
    whole = {}
    for journey in graph.journeys:
        own = [c for c in checks.values() if c.kpi.journey == journey.id or c.kpi.flow in journey.flows]
        parts = {"loop": sum(loops[f] for f in journey.flows if f in loops) / len(journey.flows),
                 "kpis": _kpi_part(own)}
        whole[journey.id] = {"name": journey.name, "owner": journey.owner, "flows": list(journey.flows),
                             "readiness": half_up(100 * (parts["loop"] + parts["kpis"]) / 2),
                             "parts": {k: round(v, 3) for k, v in parts.items()}}
    return {"formula": FORMULA,
            "kpis": {k: {"status": c.status, "tools": list(c.tools),
                         "data": [{"word": w.word, "state": w.state, "producers": list(w.producers),
                                   "path": list(w.path), "stops_at": list(w.stops_at)} for w in c.words]}
                     for k, c in checks.items()},
            "individual_journeys": individual, "journeys": whole, "start_here": _start_here(individual)}


def _individual(graph: LandscapeGraph, flow: Flow, journeys: tuple[str, ...],
                checks: list[KpiCheck]) -> dict[str, Any]:
    loop = loop_of(graph, flow)
    parts = {"loop": _loop_part(loop), "kpis": _kpi_part(checks)}
    actions = closing_actions(graph, flow, loop)
    closes = loop_of(graph, flow, [(a, b) for _, a, b in actions]).broken is None
    return {"name": flow.name, "journeys": list(journeys), "break": loop.broken,
            "loop": {"touchpoint_tools": list(loop.touchpoint_tools), "data_tools": list(loop.data_tools),
                     "analytics_tools": list(loop.analytics_tools), "action_tools": list(loop.action_tools)},
            "kpis": [c.kpi.id for c in checks],
            "unmeasurable_touchpoint_kpis": sum(1 for c in checks
                                                if c.kpi.level == "touchpoint" and c.status == "unmeasurable"),
            "readiness": half_up(100 * (parts["loop"] + parts["kpis"]) / 2),
            "parts": {k: round(v, 3) for k, v in parts.items()},
            "actions": [{"stage": s, "connect": [a, b]} for s, a, b in actions], "closes": closes}


def _start_here(individual: Mapping[str, Any]) -> list[dict[str, Any]]:
    entries = [{"flow": flow_id, "name": item["name"], "break": item["break"], "readiness": item["readiness"],
                "cost": len(item["actions"]), "actions": item["actions"], "closes": item["closes"],
                "unmeasurable_touchpoint_kpis": item["unmeasurable_touchpoint_kpis"]}
               for flow_id, item in individual.items() if item["break"] is not None]
    entries.sort(key=lambda e: (not e["closes"], e["cost"], -e["unmeasurable_touchpoint_kpis"], -e["readiness"],
                                e["flow"]))
    for rank, entry in enumerate(entries, 1):
        entry["rank"] = rank
    return entries
