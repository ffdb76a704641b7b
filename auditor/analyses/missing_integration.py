"""``missing_integration``: consecutive steps whose tools no integration path connects, even by hand.

Hand-off A → B with T(A), T(B) non-empty and disjoint, and no integration path (of any kind) from a
tool of T(A) to a tool of T(B). Hand-offs connected only through ``manual`` links are reported by
``manual_handoff`` instead, so each broken hand-off has exactly one finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.analyses.connectivity import Connectivity, Handoff
from auditor.analyses.handoff_common import HandoffAnalysis, handoff_evidence, handoff_params, path_links
from auditor.findingspec import FindingSpec, Message, Params, sentences
from auditor.model import Finding, JSONValue
from auditor.plan.advice import kept, kept_names, retire_notes, retiring_of

DEFAULTS = {"customer_facing": "high", "first_handoff": "high", "default": "medium"}

_TITLE = "No integration from '{step_from}' to '{step_to}' in '{flow}'"
SPEC = FindingSpec(
    "missing_integration", "Missing integration",
    messages={
        "missing_integration": Message(
            _TITLE,
            "Connect {tools_from} to {tools_to} (API, event or iPaaS) so that '{step_to}' receives what "
            "'{step_from}' produces without re-keying. {advice}{customer}{retire_notes}"),
        "missing_integration.consolidated": Message(
            _TITLE,
            "Once the planned consolidation is done, both steps use {shared} and '{step_to}' gets what "
            "'{step_from}' produces inside it; no new integration is needed.{retire_notes}"),
    },
    sentences={  # {advice}: keyed by the kind of the nearest connection (evidence ``nearest.kind``)
        "missing_integration.reverse_path": "An integration already runs the other way; check whether it can "
                                            "also send data forward.",
        "missing_integration.path_to_department": "The data already reaches {reached}; extending that route to "
                                                  "{tools_to} is the shortest fix.",
        "missing_integration.path_from_department": "{feeder} already feeds the next step; consider using it in "
                                                    "this step too.",
        "missing_integration.manual_link": "Today the tools only exchange data by hand elsewhere; automate that "
                                           "first.",
        "missing_integration.none": "No existing route comes close; plan a new integration.",
        "missing_integration.customer_facing": "Customers feel this break directly.",
    },
    evidence=("from_step", "to_step", "from_step_name", "to_step_name", "from_tools", "to_tools", "from_department",
              "to_department", "position", "customer_facing", "rule", "nearest", "consolidated", "retiring"),
)


def nearest_connection(conn: Connectivity, handoff: Handoff) -> dict[str, Any]:
    """The nearest thing to a connection between the two steps, best first.

    ``reverse_path`` (data flows from B to A instead), ``path_to_department`` (A's tools reach another
    tool of B's department), ``path_from_department`` (another tool of A's department reaches B's
    tools), ``manual_link`` (a manual integration touching either tool set), else ``none``.
    """
    a, b = handoff.source_tools, handoff.target_tools
    strict = conn.strict
    if strict.reaches(b, a):
        path = strict.path(b, a, mask=strict.mask(a)) or []
        return {"kind": "reverse_path", "path": path, "links": path_links(conn, path, False),
                "note": "an integration runs the other way, from the second step's tools to the first's"}
    graph = conn.graph
    to_department = handoff.target.department
    if to_department and to_department in conn.department_bits:
        bit = conn.department_bits[to_department]
        if conn.departments.reach_of(a) & bit:
            goal = [t for t in graph.tools_of_department(to_department) if t not in a]
            found = conn.departments.path(a, goal, mask=bit)
            if found:
                return {"kind": "path_to_department", "department": to_department, "path": found,
                        "links": path_links(conn, found, False),
                        "note": f"the first step's tools already reach {found[-1]}, used by {to_department}"}
    from_department = handoff.source.department
    if from_department:
        starts = [t for t in graph.tools_of_department(from_department) if t not in b]
        if strict.reaches(starts, b):
            path = strict.path(starts, b, mask=strict.mask(b)) or []
            return {"kind": "path_from_department", "department": from_department, "path": path,
                    "links": path_links(conn, path, False),
                    "note": f"{path[0]}, used by {from_department}, already feeds the second step's tools"}
    manual = sorted(i.key for t in sorted(a | b) for i in graph.integrations_by_tool.get(t, ())
                    if i.kind == "manual")
    if manual:
        return {"kind": "manual_link", "integrations": sorted(set(manual))[:5],
                "note": "manual links touch these tools, but none leads from the first step to the second"}
    return {"kind": "none", "note": "no integration path comes near"}


class MissingIntegrationAnalysis(HandoffAnalysis):
    """One finding per hand-off that no integration path connects."""

    id = "missing_integration"
    title = "Missing integrations"
    rationale = "Without an integration, people re-key or forget what the previous step produced."
    remediation = "Connect the tools of the two steps (API, event or iPaaS), or let both steps share one tool."
    severity_rules = ("high into a customer-facing step (customer_facing) or on a flow's first hand-off "
                      "(first_handoff); medium otherwise (default)")
    state = "missing"
    defaults = DEFAULTS
    specs = (SPEC,)

    def finding(self, conn: Connectivity, handoff: Handoff, rule: str, severity: str) -> Finding:
        graph = conn.graph
        nearest = nearest_connection(conn, handoff)
        evidence = {**handoff_evidence(handoff, rule), "nearest": nearest}
        retiring = self.retiring
        path = nearest.get("path", [])
        involved = [*handoff.source_tools, *handoff.target_tools, *path]
        params: dict[str, JSONValue] = {**handoff_params(handoff),
                                        "retire_notes": retire_notes(graph, involved, retiring)}
        shared = set(kept(handoff.source_tools, retiring)) & set(kept(handoff.target_tools, retiring))
        if shared:
            code = "missing_integration.consolidated"
            params["shared"] = kept_names(graph, shared, {})
        else:
            code = "missing_integration"
            tools_to = kept_names(graph, handoff.target_tools, retiring)
            advice: Mapping[str, JSONValue] = {
                "path_to_department": {"reached": kept_names(graph, path[-1:], retiring), "tools_to": tools_to},
                "path_from_department": {"feeder": kept_names(graph, path[:1], retiring)},
            }.get(nearest["kind"], {})
            customer: list[tuple[str, Params]] = \
                [("missing_integration.customer_facing", {})] if handoff.target.customer_facing else []
            params |= {"tools_from": kept_names(graph, handoff.source_tools, retiring), "tools_to": tools_to,
                       "advice": {"code": f"missing_integration.{nearest['kind']}", "params": advice},
                       "customer": sentences(customer)}
        return self.handoff_finding(
            handoff, severity, code, params,
            evidence={**evidence, "consolidated": bool(shared), "retiring": retiring_of(involved, retiring)},
        )
