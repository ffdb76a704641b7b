"""What the hand-off analyses share: one finding per hand-off in a state, severity rule, base evidence,
names and path descriptions."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import Connectivity, Handoff, HandoffState, connectivity
from auditor.findingspec import Params
from auditor.graph import LandscapeGraph
from auditor.model import Finding, JSONValue


def names(graph: LandscapeGraph, tool_ids: Iterable[str]) -> str:
    """``"Zendesk Suite, Salesforce Sales Cloud"`` for tool ids (unknown ids are shown as they are)."""
    return ", ".join(name_list(graph, tool_ids))


def name_list(graph: LandscapeGraph, tool_ids: Iterable[str]) -> list[str]:
    """The names of tool ids, sorted by id (unknown ids are shown as they are): a finding message parameter."""
    return [graph.tools[t].name if t in graph.tools else t for t in sorted(tool_ids)]


def handoff_rule(handoff: Handoff) -> str:
    """``customer_facing`` (into a customer-facing step), ``first_handoff`` (the flow's first) or ``default``."""
    if handoff.target.customer_facing:
        return "customer_facing"
    if handoff.position == 0:
        return "first_handoff"
    return "default"


def handoff_severity(settings: AnalysisSettings, finding_type: str, handoff: Handoff,
                     defaults: dict[str, str]) -> tuple[str, str]:
    """(rule, severity) of a hand-off finding, with ``defaults`` per rule overridable in config."""
    rule = handoff_rule(handoff)
    return rule, settings.severity_for(finding_type, rule, defaults[rule])


def handoff_evidence(handoff: Handoff, rule: str) -> dict[str, Any]:
    """Evidence every hand-off finding carries: both steps, both tool sets, the severity rule."""
    return {
        "from_step": handoff.source.id,
        "to_step": handoff.target.id,
        "from_step_name": handoff.source.name,
        "to_step_name": handoff.target.name,
        "from_tools": sorted(handoff.source_tools),
        "to_tools": sorted(handoff.target_tools),
        "from_department": handoff.source.department,
        "to_department": handoff.target.department,
        "position": handoff.position + 1,
        "customer_facing": handoff.target.customer_facing,
        "rule": rule,
    }


def handoff_fields(handoff: Handoff) -> dict[str, Any]:
    """The ``tools``/``flow``/``steps``/``departments`` fields of a hand-off finding."""
    departments = {d for d in (handoff.source.department, handoff.target.department) if d}
    return {
        "tools": tuple(sorted(handoff.source_tools | handoff.target_tools)),
        "flow": handoff.flow.id,
        "steps": (handoff.source.id, handoff.target.id),
        "departments": tuple(sorted(departments)),
    }


def path_links(conn: Connectivity, path: list[str], manual_ok: bool) -> list[dict[str, Any]]:
    """Each hop of ``path`` with the integration that makes it (non-manual preferred)."""
    links = []
    for a, b in zip(path, path[1:], strict=False):
        candidates = [i for i in conn.integrations_between(a, b) if manual_ok or i.kind != "manual"]
        candidates.sort(key=lambda i: (i.kind == "manual", i.key))
        chosen = candidates[0] if candidates else None
        links.append({"from": a, "to": b, "integration": chosen.key if chosen else None,
                      "kind": chosen.kind if chosen else None})
    return links


class HandoffAnalysis(Analysis):
    """One finding per hand-off whose state is :attr:`state`, with a severity by :func:`handoff_rule`.

    Subclasses set ``state`` and ``defaults`` (severity per rule) and write :meth:`finding`.
    """

    state: ClassVar[HandoffState]
    defaults: ClassVar[dict[str, str]]
    retiring: Mapping[str, str] = {}  # retired → kept tool, set from the settings by :meth:`run`

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        self.retiring = settings.retiring
        conn = connectivity(graph)
        for handoff in conn.handoffs:
            if handoff.state == self.state:
                rule, severity = handoff_severity(settings, self.id, handoff, self.defaults)
                yield self.finding(conn, handoff, rule, severity)

    @abstractmethod
    def finding(self, conn: Connectivity, handoff: Handoff, rule: str, severity: str) -> Finding:
        """The finding for one hand-off (build it with :meth:`handoff_finding`)."""

    def handoff_finding(self, handoff: Handoff, severity: str, code: str, params: Params,
                        evidence: dict[str, Any]) -> Finding:
        """A finding of this analysis about ``handoff`` with message ``code`` of its spec: id, type and the
        hand-off's tools, flow, steps."""
        return self.specs[0].finding(
            code, params,
            id=finding_id(self.id, handoff.flow.id, handoff.source.id, handoff.target.id),
            severity=severity,
            evidence=evidence,
            **handoff_fields(handoff),
        )


def handoff_params(handoff: Handoff) -> dict[str, JSONValue]:
    """The message parameters every hand-off finding has: ``flow``, ``step_from``, ``step_to`` (names)."""
    return {"flow": handoff.flow.name, "step_from": handoff.source.name, "step_to": handoff.target.name}
