"""LandscapeGraph: the canonical landscape in memory, with the indexes analyses need."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from auditor.model import Department, Flow, Integration, Journey, Kpi, Tool


@dataclass(frozen=True)
class LandscapeGraph:
    """Tools, integrations and flows of one organisation (read-only once built)."""

    tools: Mapping[str, Tool]
    integrations: tuple[Integration, ...] = ()
    flows: tuple[Flow, ...] = ()
    organization: str = ""
    journeys: tuple[Journey, ...] = ()
    kpis: tuple[Kpi, ...] = ()

    @staticmethod
    def build(tools: Iterable[Tool], integrations: Iterable[Integration], flows: Iterable[Flow],
              organization: str = "", journeys: Iterable[Journey] = (), kpis: Iterable[Kpi] = ()) -> LandscapeGraph:
        """Build a graph with tools sorted by id and integrations by key (deterministic order)."""
        return LandscapeGraph(
            tools={t.id: t for t in sorted(tools, key=lambda t: t.id)},
            integrations=tuple(sorted(integrations, key=lambda i: i.key)),
            flows=tuple(flows),
            organization=organization,
            journeys=tuple(journeys),
            kpis=tuple(kpis),
        )

    @cached_property
    def departments(self) -> tuple[Department, ...]:
        """Departments named by tools (users or owner) and by flow steps, with the tools they use."""
        used: dict[str, set[str]] = defaultdict(set)
        for tool in self.tools.values():
            for name in tool.departments:
                used[name].add(tool.id)
            if tool.owner:
                used[tool.owner].add(tool.id)
        for flow in self.flows:
            for step in flow.steps:
                if step.department:
                    used[step.department].update(step.tools)
        return tuple(Department(name, tuple(sorted(ids))) for name, ids in sorted(used.items()))

    def tools_of_department(self, name: str) -> tuple[str, ...]:
        """Ids of the tools a department uses."""
        for department in self.departments:
            if department.name == name:
                return department.tools
        return ()

    @cached_property
    def integrations_by_tool(self) -> Mapping[str, tuple[Integration, ...]]:
        """Every integration a tool takes part in (as endpoint or as middleware)."""
        found: dict[str, list[Integration]] = defaultdict(list)
        for integration in self.integrations:
            for tool_id in {integration.source, integration.target, integration.via}:
                if tool_id:
                    found[tool_id].append(integration)
        return {k: tuple(v) for k, v in found.items()}

    def flow(self, flow_id: str) -> Flow | None:
        """The flow with this id, if any."""
        return next((f for f in self.flows if f.id == flow_id), None)
