"""``manual_handoff``: a hand-off connected only when ``manual`` integrations (e-mail, CSV) count."""

from __future__ import annotations

from auditor.analyses.connectivity import Connectivity, Handoff
from auditor.analyses.handoff_common import HandoffAnalysis, handoff_evidence, path_links
from auditor.model import Finding
from auditor.plan.advice import kept_names, retire_notes, retiring_of

DEFAULTS = {"customer_facing": "medium", "first_handoff": "medium", "default": "low"}


class ManualHandoffAnalysis(HandoffAnalysis):
    """One finding per hand-off whose only integration paths contain a manual link."""

    id = "manual_handoff"
    title = "Manual hand-offs"
    rationale = "Hand-offs by e-mail or CSV are slow, error-prone and invisible to the other systems."
    remediation = "Replace the manual link with an automated integration (API, event, iPaaS or scheduled ETL)."
    severity_rules = ("medium into a customer-facing step (customer_facing) or on a flow's first hand-off "
                      "(first_handoff); low otherwise (default)")
    state = "manual"
    defaults = DEFAULTS

    def finding(self, conn: Connectivity, handoff: Handoff, rule: str, severity: str) -> Finding:
        graph = conn.graph
        loose = conn.loose
        path = loose.path(handoff.source_tools, handoff.target_tools, mask=loose.mask(handoff.target_tools)) or []
        links = path_links(conn, path, True)
        manual = [link["integration"] for link in links if link["kind"] == "manual"]
        a, b = handoff.source, handoff.target
        return self.handoff_finding(
            handoff, severity,
            title=f"Hand-off from '{a.name}' to '{b.name}' in '{handoff.flow.name}' is manual",
            evidence={**handoff_evidence(handoff, rule), "path": path, "links": links, "manual_links": manual,
                      "retiring": retiring_of([*path, *handoff.source_tools, *handoff.target_tools], self.retiring)},
            recommendation=(f"Data reaches {kept_names(graph, path[-1:], self.retiring)} from "
                            f"{kept_names(graph, path[:1], self.retiring)} only by hand ({', '.join(manual)}). "
                            "Automate that link with an API, event or iPaaS integration so "
                            f"'{b.name}' gets the data on time and without copy errors."
                            + retire_notes(graph, [*path, *handoff.source_tools, *handoff.target_tools],
                                           self.retiring)),
        )
