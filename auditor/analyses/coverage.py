"""``coverage_gap``: a step without tools, or whose tools do not cover the layers it requires."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import step_tools
from auditor.findingspec import FindingSpec, Message
from auditor.graph import LandscapeGraph
from auditor.model import LAYERS, Finding, Flow, JSONValue, Step

SPEC = FindingSpec(
    "coverage_gap", "Coverage gap",
    messages={
        "coverage_gap.no_tools": Message(
            "Step '{step}' of '{flow}' has no tool",
            "Decide which tool supports '{step}'; until then the step is manual and invisible to the other systems."),
        "coverage_gap.layers": Message(
            "Step '{step}' of '{flow}' lacks the {layers} layer",
            "Add {layers} capability to '{step}', ideally by extending a tool the department already uses."),
    },
    evidence=("step", "requires", "provided", "missing_layers", "no_tools", "rule"),
)


class CoverageGapAnalysis(Analysis):
    """One finding per step with no tools or with required layers no tool provides."""

    id = "coverage_gap"
    title = "Coverage gaps"
    rationale = "A step without digital support, or without a layer it needs, is done by hand."
    remediation = "Give the step a tool for each missing layer, preferably one already in use nearby."
    severity_rules = "high for a customer-facing step; medium otherwise"
    specs = (SPEC,)

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        for flow in graph.flows:
            for step in flow.steps:
                finding = self._check(graph, flow, step, settings)
                if finding:
                    yield finding

    def _check(self, graph: LandscapeGraph, flow: Flow, step: Step, settings: AnalysisSettings) -> Finding | None:
        tools = sorted(step_tools(step))
        provided = {layer for t in tools if t in graph.tools for layer in graph.tools[t].layers}
        missing = [layer for layer in LAYERS if layer in step.requires and layer not in provided]
        if tools and not missing:
            return None
        rule = "customer_facing" if step.customer_facing else "default"
        severity = settings.severity_for(self.id, rule, "high" if step.customer_facing else "medium")
        params: dict[str, JSONValue] = {"step": step.name, "flow": flow.name}
        if not tools:
            code = "coverage_gap.no_tools"
            missing = [layer for layer in LAYERS if layer in step.requires]
        else:
            code = "coverage_gap.layers"
            params["layers"] = {"layers": list(missing)}
        return SPEC.finding(
            code, params,
            id=finding_id(self.id, flow.id, step.id),
            severity=severity,
            tools=tuple(tools),
            flow=flow.id,
            steps=(step.id,),
            departments=(step.department,) if step.department else (),
            evidence={"step": step.id, "requires": list(step.requires), "provided": sorted(provided),
                      "missing_layers": missing, "no_tools": not tools, "rule": rule},
        )
