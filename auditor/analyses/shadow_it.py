"""``shadow_it``: a tool only unsanctioned sources report, or one marked ``sanctioned: false``.

Resolution already folds both cases into ``Tool.sanctioned`` (see :func:`auditor.resolution.merge.is_sanctioned`).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import step_tools
from auditor.findingspec import FindingSpec, Message
from auditor.graph import LandscapeGraph
from auditor.lifecycle import in_use
from auditor.model import Finding, JSONValue
from auditor.plan.advice import retire_notes, retiring_of

SPEC = FindingSpec(
    "shadow_it", "Shadow IT",
    messages={"shadow_it": Message(
        "{tool} is not sanctioned by IT",
        "{tool} is used ({users}{departments}) outside IT's sanctioned list. Talk to its users: if it does a job no "
        "sanctioned tool does, approve it (contract, SSO, owner) and integrate it; otherwise move its data to the "
        "sanctioned tool and retire it.{retire_notes}")},
    sentences={"shadow_it.users": "{count} users in ", "shadow_it.unknown_teams": "unknown teams"},
    evidence=("tool", "sources", "departments", "users", "annual_cost", "steps", "rule", "retiring"),
)


class ShadowItAnalysis(Analysis):
    """One finding per unsanctioned tool."""

    id = "shadow_it"
    title = "Shadow IT"
    rationale = "Tools nobody sanctioned hold company data outside security, contracts and integration plans."
    remediation = "Review the tool with its users: sanction and integrate it, or migrate its data and retire it."
    severity_rules = ("high if it supports a flow step (in_flow) or holds data (data_layer); medium otherwise "
                      "(default)")
    specs = (SPEC,)

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        steps_of: dict[str, list[dict[str, str]]] = {}
        for flow in graph.flows:
            for step in flow.steps:
                for tool_id in step_tools(step):
                    steps_of.setdefault(tool_id, []).append({"flow": flow.id, "step": step.id})
        for tool in graph.tools.values():
            if tool.sanctioned or not in_use(tool.lifecycle):
                continue  # retired or rejected tools are not in use
            if tool.id in steps_of:
                rule, default = "in_flow", "high"
            elif "data" in tool.layers:
                rule, default = "data_layer", "high"
            else:
                rule, default = "default", "medium"
            departments = sorted(set(tool.departments) | ({tool.owner} if tool.owner else set()))
            users: JSONValue = {"code": "shadow_it.users", "params": {"count": tool.users}} if tool.users else ""
            yield SPEC.finding(
                "shadow_it",
                {"tool": tool.name, "users": users,
                 "departments": list(departments) or {"code": "shadow_it.unknown_teams", "params": {}},
                 "retire_notes": retire_notes(graph, [tool.id], settings.retiring)},
                id=finding_id(self.id, tool.id),
                severity=settings.severity_for(self.id, rule, default),
                tools=(tool.id,),
                departments=tuple(departments),
                evidence={"tool": tool.id, "sources": list(tool.sources), "departments": departments,
                          "users": tool.users, "annual_cost": tool.annual_cost,
                          "steps": steps_of.get(tool.id, []), "rule": rule,
                          "retiring": retiring_of([tool.id], settings.retiring)},
            )
