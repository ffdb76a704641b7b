"""``manual_handoff``: a hand-off connected only when ``manual`` integrations (e-mail, CSV) count."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import Connectivity, Handoff, connectivity
from auditor.analyses.handoff_common import (
    handoff_evidence,
    handoff_fields,
    handoff_severity,
    names,
    path_links,
)
from auditor.graph import LandscapeGraph
from auditor.model import Finding

DEFAULTS = {"customer_facing": "medium", "first_handoff": "medium", "default": "low"}


class ManualHandoffAnalysis(Analysis):
    """One finding per hand-off whose only integration paths contain a manual link."""

    id = "manual_handoff"
    title = "Manual hand-offs"
    rationale = "Hand-offs by e-mail or CSV are slow, error-prone and invisible to the other systems."
    remediation = "Replace the manual link with an automated integration (API, event, iPaaS or scheduled ETL)."
    severity_rules = ("medium into a customer-facing step (customer_facing) or on a flow's first hand-off "
                      "(first_handoff); low otherwise (default)")

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        conn = connectivity(graph)
        for handoff in conn.handoffs:
            if handoff.state == "manual":
                yield self._finding(conn, handoff, settings)

    def _finding(self, conn: Connectivity, handoff: Handoff, settings: AnalysisSettings) -> Finding:
        graph = conn.graph
        rule, severity = handoff_severity(settings, self.id, handoff, DEFAULTS)
        loose = conn.loose
        path = loose.path(handoff.source_tools, handoff.target_tools, mask=loose.mask(handoff.target_tools)) or []
        links = path_links(conn, path, True)
        manual = [link["integration"] for link in links if link["kind"] == "manual"]
        a, b = handoff.source, handoff.target
        return Finding(
            id=finding_id(self.id, handoff.flow.id, a.id, b.id),
            type=self.id,
            severity=severity,
            title=f"Hand-off from '{a.name}' to '{b.name}' in '{handoff.flow.name}' is manual",
            evidence={**handoff_evidence(handoff, rule), "path": path, "links": links, "manual_links": manual},
            recommendation=(f"Data reaches {names(graph, path[-1:])} from {names(graph, path[:1])} only by hand "
                            f"({', '.join(manual)}). Automate that link with an API, event or iPaaS integration "
                            f"so '{b.name}' gets the data on time and without copy errors."),
            **handoff_fields(handoff),
        )
