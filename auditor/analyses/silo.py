"""``silo``: tools and departments cut off from the rest (evidence ``scope``): one finding per tool or department.

* ``tool``: a tool cut off for one or more reasons (evidence ``reasons``): ``no_integration`` — used by a
  department or supporting a step, with no non-manual integration with another tool (self-integrations
  do not count; middleware counts as taking part); ``no_data_feed`` — see the layer rule below.
* ``department``: a department none of whose tools is shared with another department or integrated
  (non-manual) with a tool outside the department's set. Departments without tools are skipped.
* ``no_data_feed``: an ``ai_analytics`` tool that no integration path from a ``data`` tool reaches (a
  tool that is itself in the ``data`` layer has its data and is never cut off).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import Digraph, connectivity, participants, step_tools
from auditor.analyses.handoff_common import name_list, names
from auditor.findingspec import FindingSpec, Message, Params
from auditor.graph import LandscapeGraph
from auditor.lifecycle import in_use
from auditor.model import Finding, JSONValue
from auditor.plan.advice import retire_note, retire_notes, retiring_of

_NO_INTEGRATION = "{tool} exchanges data with no other tool, so what is typed into it stays there."
_NO_DATA_FEED = ("{tool} analyses data, but no integration brings it data from a data-layer tool (CRM, CDP, "
                 "warehouse), so its insights rest on manual exports.")
_NOT_INTEGRATED = "{tool} is not integrated with any other tool"
SPEC = FindingSpec(
    "silo", "Silo",
    messages={
        "silo.tool": Message(_NOT_INTEGRATED, f"{_NO_INTEGRATION} {{advice}}"),
        "silo.tool_and_layer": Message(_NOT_INTEGRATED, f"{_NO_INTEGRATION} {_NO_DATA_FEED} {{advice}}"),
        "silo.layer": Message("{tool} gets no data from the data layer", f"{_NO_DATA_FEED} {{advice}}"),
        "silo.department": Message(
            "Department '{department}' works in a digital silo",
            "None of {department}'s tools ({tools}) is shared with another team or integrated outside the "
            "department. Pick its main system and connect it to the company's shared data (CRM, data warehouse or "
            "iPaaS) so other teams see its work without asking by e-mail.{retire_notes}"),
    },
    sentences={  # {advice} of a tool silo
        "silo.connect": "Connect it (API, event, ETL or iPaaS) to the system of record of its team or to the data "
                        "platform, or retire it if another tool already does the job.",
        "silo.feed": "Feed it from the data warehouse or CDP so analytics work on current, shared data.",
        "silo.retiring": "Do not integrate it: {note}",
    },
    evidence=("scope", "tool", "department", "tools", "reasons", "layer", "retiring", "steps", "manual_links", "rule"),
)


def reached_from(digraph: Digraph, sources: Iterable[str]) -> set[str]:
    """Tools reachable (path length ≥ 0) from any source: one multi-source BFS."""
    seen = {digraph.index[s] for s in sources}
    frontier = list(seen)
    while frontier:
        nxt = []
        for node in frontier:
            for neighbour in digraph.succ[node]:
                if neighbour not in seen:
                    seen.add(neighbour)
                    nxt.append(neighbour)
        frontier = nxt
    return {digraph.ids[i] for i in seen}


class SiloAnalysis(Analysis):
    """Tool, department and layer silos."""

    id = "silo"
    title = "Digital silos"
    rationale = "Data that stays inside one tool or one team cannot serve the rest of the customer journey."
    remediation = "Connect the silo to the shared data platform or to the tools of the neighbouring steps."
    severity_rules = ("tool: high if it supports a customer-facing step (tool_customer_facing), medium if it "
                      "supports any step (tool_in_flow), low otherwise (tool); department: high if it performs "
                      "a customer-facing step (department_customer_facing), medium otherwise (department); "
                      "a tool in no step and cut off only from the data layer: medium (layer)")
    specs = (SPEC,)

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        steps_of: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
        for flow in graph.flows:
            for step in flow.steps:
                for tool in step_tools(step):
                    steps_of[tool].append((flow.id, step.id, step.customer_facing))
        partners: dict[str, set[str]] = defaultdict(set)
        manual: dict[str, list[str]] = defaultdict(list)
        for integration in graph.integrations:
            members = participants(integration)
            for tool in members:
                if integration.kind == "manual":
                    manual[tool].append(integration.key)
                else:
                    partners[tool] |= members - {tool}
        departments_of: dict[str, set[str]] = defaultdict(set)
        for department in graph.departments:
            for tool in department.tools:
                departments_of[tool].add(department.name)
        yield from self._tools(graph, settings, steps_of, partners, manual, departments_of)
        yield from self._departments(graph, settings, steps_of, partners, manual, departments_of)

    def _tools(self, graph: LandscapeGraph, settings: AnalysisSettings,
               steps_of: dict[str, list[tuple[str, str, bool]]], partners: dict[str, set[str]],
               manual: dict[str, list[str]], departments_of: dict[str, set[str]]) -> Iterable[Finding]:
        """One finding per tool, with every reason it is cut off (``reasons``: ``no_integration``, ``no_data_feed``)."""
        reasons: dict[str, list[str]] = defaultdict(list)
        for tool in sorted((set(steps_of) | set(departments_of)) - {t for t, p in partners.items() if p}):
            reasons[tool].append("no_integration")
        for tool in self._layer_silos(graph):
            reasons[tool].append("no_data_feed")
        for tool in sorted(reasons):
            if tool in graph.tools and not in_use(graph.tools[tool].lifecycle):
                continue  # retired or rejected: nobody should connect it
            steps = steps_of.get(tool, [])
            if any(cf for _, _, cf in steps):
                rule, default = "tool_customer_facing", "high"
            elif steps:
                rule, default = "tool_in_flow", "medium"
            elif "no_integration" in reasons[tool]:
                rule, default = "tool", "low"
            else:
                rule, default = "layer", "medium"
            cut_off = reasons[tool]
            code = "silo.tool_and_layer" if len(cut_off) == 2 else \
                "silo.tool" if "no_integration" in cut_off else "silo.layer"
            advice: JSONValue = {"code": "silo.connect" if "no_integration" in cut_off else "silo.feed", "params": {}}
            if tool in settings.retiring:
                note = retire_note(graph, tool, settings.retiring[tool])
                advice = {"code": "silo.retiring", "params": {"note": note}}
            layer = {"layer": "ai_analytics"} if "no_data_feed" in cut_off else {}
            yield self._finding(
                ("tool", tool), settings, rule, default, code, {"tool": names(graph, [tool]), "advice": advice},
                tools=(tool,), departments=tuple(sorted(departments_of.get(tool, ()) or graph.tools[tool].departments)),
                evidence={"tool": tool, "reasons": cut_off, **layer,
                          "retiring": retiring_of([tool], settings.retiring),
                          "steps": [{"flow": f, "step": s} for f, s, _ in steps],
                          "manual_links": sorted(manual.get(tool, []))},
            )

    def _departments(self, graph: LandscapeGraph, settings: AnalysisSettings,
                     steps_of: dict[str, list[tuple[str, str, bool]]], partners: dict[str, set[str]],
                     manual: dict[str, list[str]], departments_of: dict[str, set[str]]) -> Iterable[Finding]:
        customer_departments = {s.department for f in graph.flows for s in f.steps if s.customer_facing}
        for department in graph.departments:
            own = {t for t in department.tools if t not in graph.tools or in_use(graph.tools[t].lifecycle)}
            if not own:
                continue
            if any(len(departments_of[t]) > 1 for t in own) or any(partners.get(t, set()) - own for t in own):
                continue
            if department.name in customer_departments:
                rule, default = "department_customer_facing", "high"
            else:
                rule, default = "department", "medium"
            links = sorted({k for t in own for k in manual.get(t, [])})
            yield self._finding(
                ("department", department.name), settings, rule, default, "silo.department",
                {"department": department.name, "tools": name_list(graph, own),
                 "retire_notes": retire_notes(graph, own, settings.retiring)},
                tools=tuple(sorted(own)), departments=(department.name,),
                evidence={"department": department.name, "tools": sorted(own), "manual_links": links,
                          "retiring": retiring_of(own, settings.retiring)},
            )

    def _layer_silos(self, graph: LandscapeGraph) -> list[str]:
        """``ai_analytics`` tools no integration path from a ``data`` tool reaches."""
        data_tools = [t.id for t in graph.tools.values() if "data" in t.layers]
        reached = reached_from(connectivity(graph).strict.digraph, data_tools)
        return [t.id for t in graph.tools.values() if "ai_analytics" in t.layers and t.id not in reached]

    def _finding(self, identity: tuple[str, str], settings: AnalysisSettings, rule: str, default: str, code: str,
                 params: Params, tools: tuple[str, ...], departments: tuple[str, ...],
                 evidence: dict[str, Any]) -> Finding:
        scope = identity[0]
        return SPEC.finding(
            code, params,
            id=finding_id(self.id, *identity),
            severity=settings.severity_for(self.id, rule, default),
            tools=tools,
            departments=departments,
            evidence={"scope": scope, **evidence, "rule": rule},
        )
