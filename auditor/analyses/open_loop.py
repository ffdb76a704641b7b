"""``open_loop``: an individual journey whose improvement loop (measure → learn → act) is broken.

The loop and its breaks are defined in :mod:`auditor.journeys.loop`: touchpoint tools must reach a
data-layer tool (else ``cannot_measure``), that an AI/analytics tool (else ``cannot_learn``), and that a
tool acting at a touchpoint or automating a step of the journey (else ``cannot_act``).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.handoff_common import name_list
from auditor.findingspec import FindingSpec, Message
from auditor.graph import LandscapeGraph
from auditor.journeys.loop import Loop, individual_journeys, loop_of
from auditor.model import Finding, Flow

SPEC = FindingSpec(
    "open_loop", "Improvement loops that cannot run",
    messages={
        "open_loop.no_touchpoint": Message(
            "The improvement loop of '{flow}' is broken: it has no touchpoint with a tool",
            "Give the customer-facing steps of '{flow}' a tool, so that what customers do there is recorded."),
        "open_loop.cannot_measure": Message(
            "The improvement loop of '{flow}' is broken: no data-layer tool receives data from {tools}",
            "Send the data of {tools} to the data platform."),
        "open_loop.cannot_learn": Message(
            "The improvement loop of '{flow}' is broken: no AI/analytics tool is fed from {tools}",
            "Feed an analytics or voice-of-customer tool from {tools}."),
        "open_loop.cannot_act": Message(
            "The improvement loop of '{flow}' is broken: nothing comes back from {tools} to a tool acting in "
            "the journey",
            "Send the results of {tools} to a touchpoint tool or an automation of the journey."),
    },
    evidence=("journeys", "break", "rule", "touchpoint_tools", "data_tools", "analytics_tools"),
)
_DEFAULTS = {"cannot_measure": "high", "cannot_learn": "medium", "cannot_act": "medium"}


class OpenLoopAnalysis(Analysis):
    """One finding per individual journey whose loop breaks, naming the first stage that fails."""

    id = "open_loop"
    title = "Improvement loops that cannot run"
    rationale = ("Customer experience improves in a cycle: data from the touchpoints is analysed and comes back "
                 "as action at the touchpoints; a journey whose loop is broken cannot be improved from data.")
    remediation = "Close the loop at its break, starting with the individual journey closest to running."
    severity_rules = "cannot_measure: high; cannot_learn, cannot_act: medium"
    specs = (SPEC,)

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        for flow, journeys in individual_journeys(graph):
            loop = loop_of(graph, flow)
            if loop.broken is not None:
                yield self._finding(graph, flow, journeys, loop, settings)

    def _finding(self, graph: LandscapeGraph, flow: Flow, journeys: tuple[str, ...], loop: Loop,
                 settings: AnalysisSettings) -> Finding:
        broken = loop.broken or "cannot_measure"
        before = {"cannot_measure": loop.touchpoint_tools, "cannot_learn": loop.data_tools,
                  "cannot_act": loop.analytics_tools}[broken]
        code = "open_loop.no_touchpoint" if not loop.touchpoint_tools else f"open_loop.{broken}"
        params = {"flow": flow.name, **({"tools": name_list(graph, before)} if loop.touchpoint_tools else {})}
        return SPEC.finding(
            code, params,
            id=finding_id(self.id, flow.id),
            severity=settings.severity_for(self.id, broken, _DEFAULTS[broken]),
            tools=tuple(dict.fromkeys([*loop.touchpoint_tools, *loop.data_tools, *loop.analytics_tools])),
            flow=flow.id,
            steps=tuple(s.id for s in flow.steps if s.customer_facing),
            departments=tuple(sorted({s.department for s in flow.steps if s.department})),
            evidence={"journeys": list(journeys), "break": broken, "rule": broken,
                      "touchpoint_tools": list(loop.touchpoint_tools), "data_tools": list(loop.data_tools),
                      "analytics_tools": list(loop.analytics_tools)},
        )
