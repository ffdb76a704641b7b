"""``coverage_gap``: a step without tools, or whose tools do not cover the layers it requires."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import step_tools
from auditor.graph import LandscapeGraph
from auditor.model import LAYERS, Finding, Flow, Step


class CoverageGapAnalysis(Analysis):
    """One finding per step with no tools or with required layers no tool provides."""

    id = "coverage_gap"
    title = "Coverage gaps"
    rationale = "A step without digital support, or without a layer it needs, is done by hand."
    remediation = "Give the step a tool for each missing layer, preferably one already in use nearby."
    severity_rules = "high for a customer-facing step; medium otherwise"

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
        if not tools:
            title = f"Step '{step.name}' of '{flow.name}' has no tool"
            recommendation = (f"Decide which tool supports '{step.name}'; until then the step is manual "
                              "and invisible to the other systems.")
            missing = [layer for layer in LAYERS if layer in step.requires]
        else:
            title = f"Step '{step.name}' of '{flow.name}' lacks the {', '.join(missing)} layer"
            recommendation = (f"Add {', '.join(missing)} capability to '{step.name}', ideally by extending "
                              "a tool the department already uses.")
        return Finding(
            id=finding_id(self.id, flow.id, step.id),
            type=self.id,
            severity=severity,
            title=title,
            tools=tuple(tools),
            flow=flow.id,
            steps=(step.id,),
            departments=(step.department,) if step.department else (),
            evidence={"step": step.id, "requires": list(step.requires), "provided": sorted(provided),
                      "missing_layers": missing, "no_tools": not tools, "rule": rule},
            recommendation=recommendation,
        )
