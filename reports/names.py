"""Display names for ids that findings and resolution notes carry (flows, steps): reports show names."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.graph import LandscapeGraph


def flow_name(graph: LandscapeGraph, flow_id: str | None) -> str:
    """The flow's name, else its id as written (a flow the graph does not hold), '' for None."""
    if not flow_id:
        return ""
    flow = graph.flow(flow_id)
    return flow.name if flow else flow_id


def step_names(graph: LandscapeGraph, flow_id: str | None, step_ids: Iterable[str]) -> list[str]:
    """The names of ``step_ids`` in the flow, each falling back to its id."""
    flow = graph.flow(flow_id) if flow_id else None
    names = {s.id: s.name for s in flow.steps} if flow else {}
    return [names.get(step_id, step_id) for step_id in step_ids]


def step_name(graph: LandscapeGraph, flow_id: str | None, step_id: str) -> str:
    """The name of one step of the flow, else its id."""
    return step_names(graph, flow_id, [step_id])[0]
