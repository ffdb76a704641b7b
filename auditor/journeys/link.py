"""Linking journeys and KPIs: references to flows, steps, tools and other KPIs checked, with located errors.

A journey names the flows that are its individual journeys. A KPI is anchored by its level:
``touchpoint`` needs ``flow`` and ``step`` (a customer-facing step: a touchpoint), ``journey`` needs
``flow``, ``relationship`` needs ``journey``; an anchor another level would use is an error. ``computed_in``
must name a known tool, ``contributes_to`` a known KPI, and contributions may not form a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from auditor.errors import Problem
from auditor.model import Flow, Journey, JourneyRecord, Kpi, KpiRecord, SourceRef
from auditor.resolution.merge import Resolution

#: level → (the anchor fields it needs, the anchor fields it may not have)
ANCHORS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "touchpoint": (("flow", "step"), ("journey",)),
    "journey": (("flow",), ("step", "journey")),
    "relationship": (("journey",), ("flow", "step")),
}


def _problem(where: SourceRef, message: str) -> Problem:
    return Problem(where.file or f"source '{where.source}'", where.line, message)


def _unique(records: Iterable[tuple[str, SourceRef]], kind: str, problems: list[Problem]) -> set[str]:
    seen: dict[str, SourceRef] = {}
    for key, where in records:
        if key in seen:
            problems.append(_problem(where, f"duplicate {kind} id '{key}' (first defined at {seen[key].where()})"))
        else:
            seen[key] = where
    return set(seen)


def link_journeys(journeys: Iterable[JourneyRecord], kpis: Iterable[KpiRecord], flows: Iterable[Flow],
                  resolution: Resolution) -> tuple[list[Journey], list[Kpi], list[Problem]]:
    """Check every reference of the journeys and KPIs; KPIs come back with ``computed_in`` as a tool id."""
    journey_records, kpi_records = list(journeys), list(kpis)
    problems: list[Problem] = []
    flow_steps = {f.id: {s.id: s.customer_facing for s in f.steps} for f in flows}
    journey_ids = _unique(((r.journey.id, r.provenance) for r in journey_records), "journey", problems)
    kpi_ids = _unique(((r.kpi.id, r.provenance) for r in kpi_records), "KPI", problems)
    for record in journey_records:
        for flow_id in record.journey.flows:
            if flow_id not in flow_steps:
                problems.append(_problem(record.provenance, f"journey '{record.journey.id}' names unknown flow "
                                                            f"'{flow_id}'"))
    linked: list[Kpi] = []
    for kpi_record in kpi_records:
        kpi, where = kpi_record.kpi, kpi_record.provenance
        problems.extend(_problem(where, f"KPI '{kpi.id}': {message}")
                        for message in _anchor_problems(kpi, flow_steps, journey_ids))
        tool_id = resolution.lookup(kpi.computed_in) if kpi.computed_in else None
        if kpi.computed_in and tool_id is None:
            problems.append(_problem(where, f"KPI '{kpi.id}': computed_in '{kpi.computed_in}' is an unknown tool "
                                            "(declare it under 'tools:' or in another source)"))
        if kpi.contributes_to is not None and kpi.contributes_to not in kpi_ids:
            problems.append(_problem(where, f"KPI '{kpi.id}': contributes_to names unknown KPI "
                                            f"'{kpi.contributes_to}'"))
        linked.append(replace(kpi, computed_in=tool_id or kpi.computed_in))
    problems.extend(_cycle_problems(kpi_records))
    return [r.journey for r in journey_records], linked, problems


def _anchor_problems(kpi: Kpi, flow_steps: Mapping[str, Mapping[str, bool]], journeys: set[str]) -> list[str]:
    """What is wrong with a KPI's level and anchor (fields present or missing, unknown flow/step/journey)."""
    needed, forbidden = ANCHORS[kpi.level]
    messages = [f"a {kpi.level} KPI needs '{name}'" for name in needed if getattr(kpi, name) is None]
    messages += [f"a {kpi.level} KPI takes no '{name}' ('{name}' anchors a {_level_of(name)} KPI)"
                 for name in forbidden if getattr(kpi, name) is not None]
    if messages:
        return messages
    if kpi.journey is not None and kpi.journey not in journeys:
        messages.append(f"unknown journey '{kpi.journey}'")
    if kpi.flow is not None and kpi.flow not in flow_steps:
        messages.append(f"unknown flow '{kpi.flow}'")
    elif kpi.flow is not None and kpi.step is not None:
        steps = flow_steps[kpi.flow]
        if kpi.step not in steps:
            messages.append(f"flow '{kpi.flow}' has no step '{kpi.step}'")
        elif not steps[kpi.step]:
            messages.append(f"step '{kpi.step}' of flow '{kpi.flow}' is not a touchpoint (set customer_facing: true "
                            "on it, or make this a journey KPI)")
    return messages


def _level_of(anchor: str) -> str:
    return {"step": "touchpoint", "flow": "journey or touchpoint", "journey": "relationship"}[anchor]


def _cycle_problems(records: list[KpiRecord]) -> list[Problem]:
    """One error per contribution cycle (a KPI contributing to itself, directly or through others)."""
    parent = {r.kpi.id: r.kpi.contributes_to for r in records}
    where = {r.kpi.id: r.provenance for r in records}
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in sorted(parent):
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in chain and node not in reported:
            chain.append(node)
            node = parent[node]
        if node is not None and node in chain:
            cycle = chain[chain.index(node):]
            reported.update(cycle)
            problems.append(_problem(where[cycle[0]], "KPI contributions form a cycle: "
                                                      + " → ".join([*cycle, cycle[0]])))
        reported.update(chain)
    return problems
