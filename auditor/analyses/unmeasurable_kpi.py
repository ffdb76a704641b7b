"""``unmeasurable_kpi``: a KPI whose data no tool of its step/flow/journey produces, or cannot reach ``computed_in``.

See :mod:`auditor.journeys.loop` for what "produces" and "reaches" mean. A KPI whose words reach
``computed_in`` only over integrations that list no data is *unconfirmed*, not unmeasurable: no finding,
but the journey view and the readiness score show it with lower confidence.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.handoff_common import name_list
from auditor.findingspec import FindingSpec, Message
from auditor.graph import LandscapeGraph
from auditor.journeys.loop import KpiCheck, kpi_checks
from auditor.model import Finding, JSONValue

SPEC = FindingSpec(
    "unmeasurable_kpi", "KPIs that cannot be measured",
    messages={
        "unmeasurable_kpi.no_producer": Message(
            "KPI '{kpi}': no tool of its {anchor} produces {words}",
            "Make a tool of the KPI's {anchor} send {words} (list it in the integration's data), or compute "
            "'{kpi}' in a tool that has it."),
        "unmeasurable_kpi.no_path": Message(
            "KPI '{kpi}' cannot be measured in {tool}: {words} does not reach it{stops}",
            "Connect {producers} to {tool} carrying {words}."),
    },
    sentences={
        "unmeasurable_kpi.touchpoint": "touchpoint",
        "unmeasurable_kpi.journey": "individual journey",
        "unmeasurable_kpi.relationship": "whole journey",
        "unmeasurable_kpi.stops_at": "(it stops at {tools})",
    },
    evidence=("kpi", "level", "journey", "computed_in", "rule", "anchor_tools", "data"),
)


class UnmeasurableKpiAnalysis(Analysis):
    """One finding per KPI with a data word that has no producer or no path to where the KPI is computed."""

    id = "unmeasurable_kpi"
    title = "KPIs that cannot be measured"
    rationale = "A KPI whose data never reaches the tool computing it is reported by hand, late, or not at all."
    remediation = ("Connect a tool that produces the data to the tool computing the KPI, or compute it where "
                   "the data is.")
    severity_rules = ("high when no tool of the KPI's step/flow/journey produces a word it needs (no_producer); "
                      "medium when the data exists but no integration path carries it to computed_in (no_path)")
    specs = (SPEC,)

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        for check in kpi_checks(graph).values():
            if check.status == "unmeasurable":
                yield self._finding(graph, check, settings)

    def _finding(self, graph: LandscapeGraph, check: KpiCheck, settings: AnalysisSettings) -> Finding:
        kpi = check.kpi
        missing = [w for w in check.words if w.state in ("no_producer", "no_path")]
        rule = "no_producer" if any(w.state == "no_producer" for w in missing) else "no_path"
        producers = sorted({p for w in missing for p in w.producers})
        params: dict[str, JSONValue] = {"kpi": kpi.name, "words": [w.word for w in missing]}
        if rule == "no_producer":
            params["anchor"] = {"code": f"unmeasurable_kpi.{kpi.level}"}
        else:
            stops = sorted({t for w in missing for t in w.stops_at})
            params.update(tool=name_list(graph, [kpi.computed_in or ""]), producers=name_list(graph, producers),
                          stops={"sentences": [{"code": "unmeasurable_kpi.stops_at",
                                                "params": {"tools": name_list(graph, stops)}}] if stops else []})
        return SPEC.finding(
            f"unmeasurable_kpi.{rule}", params,
            id=finding_id(self.id, kpi.id),
            severity=settings.severity_for(self.id, rule, "high" if rule == "no_producer" else "medium"),
            tools=tuple(dict.fromkeys([*producers, kpi.computed_in or ""])),
            flow=kpi.flow,
            steps=(kpi.step,) if kpi.step else (),
            evidence={"kpi": kpi.id, "level": kpi.level, "journey": kpi.journey, "computed_in": kpi.computed_in,
                      "rule": rule, "anchor_tools": list(check.tools),
                      "data": [{"word": w.word, "state": w.state, "producers": list(w.producers), "path": list(w.path),
                                "stops_at": list(w.stops_at)} for w in check.words]},
        )
