"""``unmeasurable_kpi``: a KPI whose data no tool of its step/flow/journey produces, or cannot reach ``computed_in``.

See :mod:`auditor.journeys.loop` for what "produces" and "reaches" mean. A KPI whose words reach
``computed_in`` only over integrations that list no data is *unconfirmed*, not unmeasurable: no finding,
but the journey view and the readiness score show it with lower confidence.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.handoff_common import names
from auditor.graph import LandscapeGraph
from auditor.journeys.loop import KpiCheck, kpi_checks
from auditor.model import Finding


class UnmeasurableKpiAnalysis(Analysis):
    """One finding per KPI with a data word that has no producer or no path to where the KPI is computed."""

    id = "unmeasurable_kpi"
    title = "KPIs that cannot be measured"
    rationale = "A KPI whose data never reaches the tool computing it is reported by hand, late, or not at all."
    remediation = ("Connect a tool that produces the data to the tool computing the KPI, or compute it where "
                   "the data is.")
    severity_rules = ("high when no tool of the KPI's step/flow/journey produces a word it needs (no_producer); "
                      "medium when the data exists but no integration path carries it to computed_in (no_path)")

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        for check in kpi_checks(graph).values():
            if check.status == "unmeasurable":
                yield self._finding(graph, check, settings)

    def _finding(self, graph: LandscapeGraph, check: KpiCheck, settings: AnalysisSettings) -> Finding:
        kpi = check.kpi
        missing = [w for w in check.words if w.state in ("no_producer", "no_path")]
        rule = "no_producer" if any(w.state == "no_producer" for w in missing) else "no_path"
        severity = settings.severity_for(self.id, rule, "high" if rule == "no_producer" else "medium")
        where = names(graph, [kpi.computed_in or ""])
        words = ", ".join(w.word for w in missing)
        if rule == "no_producer":
            title = f"KPI '{kpi.name}': no tool of its {kpi.level} produces {words}"
            recommendation = (f"Make a tool of the KPI's {kpi.level} send {words} (list it in the integration's "
                              f"data), or compute '{kpi.name}' in a tool that has it.")
        else:
            stops = sorted({t for w in missing for t in w.stops_at})
            title = (f"KPI '{kpi.name}' cannot be measured in {where}: {words} does not reach it"
                     + (f" (it stops at {names(graph, stops)})" if stops else ""))
            recommendation = (f"Connect {names(graph, sorted({p for w in missing for p in w.producers}))} to "
                              f"{where} carrying {words}.")
        return Finding(
            id=finding_id(self.id, kpi.id),
            type=self.id,
            severity=severity,
            title=title,
            tools=tuple(dict.fromkeys([*(p for w in missing for p in w.producers), kpi.computed_in or ""])),
            flow=kpi.flow,
            steps=(kpi.step,) if kpi.step else (),
            evidence={"kpi": kpi.id, "level": kpi.level, "journey": kpi.journey, "computed_in": kpi.computed_in,
                      "rule": rule, "anchor_tools": list(check.tools),
                      "data": [{"word": w.word, "state": w.state, "producers": list(w.producers), "path": list(w.path),
                                "stops_at": list(w.stops_at)}
                               for w in check.words]},
            recommendation=recommendation,
        )
