"""``kpi_tree_gap``: the KPI tree does not link the three levels.

Rules (evidence ``rule``): ``contributes_to_nothing`` — a touchpoint KPI without ``contributes_to``;
``not_fed`` — a journey KPI to which no touchpoint KPI contributes; ``no_relationship_kpi`` — a journey
with no relationship-level KPI.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.findingspec import FindingSpec, Message
from auditor.graph import LandscapeGraph
from auditor.model import Finding, JSONValue, Kpi

SPEC = FindingSpec(
    "kpi_tree_gap", "Gaps in the KPI tree",
    messages={
        "kpi_tree_gap.contributes_to_nothing": Message(
            "Touchpoint KPI '{kpi}' contributes to no other KPI",
            "Say which journey KPI '{kpi}' contributes to (contributes_to)."),
        "kpi_tree_gap.not_fed": Message(
            "No touchpoint KPI contributes to journey KPI '{kpi}'",
            "Declare the touchpoint KPIs of '{flow}' that drive '{kpi}'."),
        "kpi_tree_gap.no_relationship_kpi": Message(
            "Journey '{journey}' has no relationship-level KPI",
            "Give '{journey}' a relationship KPI (e.g. retention, NPS, lifetime value)."),
    },
    evidence=("rule", "kpi", "level", "journey", "flows"),
)
_DEFAULTS = {"contributes_to_nothing": "low", "not_fed": "medium", "no_relationship_kpi": "medium"}


class KpiTreeGapAnalysis(Analysis):
    """One finding per touchpoint KPI or journey KPI left out of the tree, and per journey without a top KPI."""

    id = "kpi_tree_gap"
    title = "Gaps in the KPI tree"
    rationale = ("Touchpoint quality should add up to the individual journey's goal, and that to the relationship; "
                 "a KPI outside the tree is optimised for its own sake.")
    remediation = "Say which KPI each touchpoint KPI contributes to, and give each journey a relationship KPI."
    severity_rules = "contributes_to_nothing: low; not_fed, no_relationship_kpi: medium"
    specs = (SPEC,)

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        fed = {k.contributes_to for k in graph.kpis if k.level == "touchpoint" and k.contributes_to}
        flow_names = {f.id: f.name for f in graph.flows}
        for kpi in graph.kpis:
            if kpi.level == "touchpoint" and not kpi.contributes_to:
                yield self._kpi_finding(kpi, "contributes_to_nothing", settings, {"kpi": kpi.name})
            elif kpi.level == "journey" and kpi.id not in fed:
                flow = flow_names.get(kpi.flow or "", kpi.flow or "")
                yield self._kpi_finding(kpi, "not_fed", settings, {"kpi": kpi.name, "flow": flow})
        topped = {k.journey for k in graph.kpis if k.level == "relationship"}
        for journey in graph.journeys:
            if journey.id not in topped:
                rule = "no_relationship_kpi"
                yield SPEC.finding(
                    f"kpi_tree_gap.{rule}", {"journey": journey.name},
                    id=finding_id(self.id, "journey", journey.id),
                    severity=settings.severity_for(self.id, rule, _DEFAULTS[rule]),
                    evidence={"rule": rule, "journey": journey.id, "flows": list(journey.flows)},
                )

    def _kpi_finding(self, kpi: Kpi, rule: str, settings: AnalysisSettings,
                     params: dict[str, JSONValue]) -> Finding:
        return SPEC.finding(
            f"kpi_tree_gap.{rule}", params,
            id=finding_id(self.id, "kpi", kpi.id),
            severity=settings.severity_for(self.id, rule, _DEFAULTS[rule]),
            tools=(kpi.computed_in,) if kpi.computed_in else (),
            flow=kpi.flow,
            steps=(kpi.step,) if kpi.step else (),
            evidence={"rule": rule, "kpi": kpi.id, "level": kpi.level},
        )
