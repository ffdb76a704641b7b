"""``manual_handoff``: a hand-off connected only when ``manual`` integrations (e-mail, CSV) count."""

from __future__ import annotations

from auditor.analyses.connectivity import Connectivity, Handoff
from auditor.analyses.handoff_common import HandoffAnalysis, handoff_evidence, handoff_params, path_links
from auditor.findingspec import FindingSpec, Message
from auditor.model import Finding
from auditor.plan.advice import kept_names, retire_notes, retiring_of

DEFAULTS = {"customer_facing": "medium", "first_handoff": "medium", "default": "low"}

SPEC = FindingSpec(
    "manual_handoff", "Manual hand-off",
    messages={"manual_handoff": Message(
        "Hand-off from '{step_from}' to '{step_to}' in '{flow}' is manual",
        "Data reaches {reached} from {feeder} only by hand ({manual_links}). Automate that link with an API, "
        "event or iPaaS integration so '{step_to}' gets the data on time and without copy errors.{retire_notes}")},
    evidence=("from_step", "to_step", "from_step_name", "to_step_name", "from_tools", "to_tools", "from_department",
              "to_department", "position", "customer_facing", "rule", "path", "links", "manual_links", "retiring"),
)


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
    specs = (SPEC,)

    def finding(self, conn: Connectivity, handoff: Handoff, rule: str, severity: str) -> Finding:
        graph = conn.graph
        loose = conn.loose
        path = loose.path(handoff.source_tools, handoff.target_tools, mask=loose.mask(handoff.target_tools)) or []
        links = path_links(conn, path, True)
        manual = [link["integration"] for link in links if link["kind"] == "manual"]
        involved = [*path, *handoff.source_tools, *handoff.target_tools]
        return self.handoff_finding(
            handoff, severity, "manual_handoff",
            {**handoff_params(handoff), "reached": kept_names(graph, path[-1:], self.retiring),
             "feeder": kept_names(graph, path[:1], self.retiring), "manual_links": manual,
             "retire_notes": retire_notes(graph, involved, self.retiring)},
            evidence={**handoff_evidence(handoff, rule), "path": path, "links": links, "manual_links": manual,
                      "retiring": retiring_of(involved, self.retiring)},
        )
