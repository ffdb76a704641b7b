"""``open_loop``: an individual journey whose improvement loop (measure → learn → act) is broken.

The loop and its breaks are defined in :mod:`auditor.journeys.loop`: touchpoint tools must reach a
data-layer tool (else ``cannot_measure``), that an AI/analytics tool (else ``cannot_learn``), and that a
tool acting at a touchpoint or automating a step of the journey (else ``cannot_act``).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.handoff_common import names
from auditor.graph import LandscapeGraph
from auditor.journeys.loop import Loop, individual_journeys, loop_of
from auditor.model import Finding, Flow

_DEFAULTS = {"cannot_measure": "high", "cannot_learn": "medium", "cannot_act": "medium"}


class OpenLoopAnalysis(Analysis):
    """One finding per individual journey whose loop breaks, naming the first stage that fails."""

    id = "open_loop"
    title = "Improvement loops that cannot run"
    rationale = ("Customer experience improves in a cycle: data from the touchpoints is analysed and comes back "
                 "as action at the touchpoints; a journey whose loop is broken cannot be improved from data.")
    remediation = "Close the loop at its break, starting with the individual journey closest to running."
    severity_rules = "cannot_measure: high; cannot_learn, cannot_act: medium"

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        for flow, journeys in individual_journeys(graph):
            loop = loop_of(graph, flow)
            if loop.broken is not None:
                yield self._finding(graph, flow, journeys, loop, settings)

    def _finding(self, graph: LandscapeGraph, flow: Flow, journeys: tuple[str, ...], loop: Loop,
                 settings: AnalysisSettings) -> Finding:
        broken = loop.broken or "cannot_measure"
        touch, data, analytics = (names(graph, loop.touchpoint_tools), names(graph, loop.data_tools),
                                  names(graph, loop.analytics_tools))
        if broken == "cannot_measure" and not loop.touchpoint_tools:
            where, advice = "it has no touchpoint with a tool", "Give its customer-facing steps a tool."
        elif broken == "cannot_measure":
            where, advice = (f"no data-layer tool receives data from {touch}",
                             f"Send the data of {touch} to the data platform.")
        elif broken == "cannot_learn":
            where, advice = (f"no AI/analytics tool is fed from {data}",
                             f"Feed an analytics or voice-of-customer tool from {data}.")
        else:
            where, advice = (f"nothing comes back from {analytics} to a tool acting in the journey",
                             f"Send the results of {analytics} to a touchpoint tool or an automation of the journey.")
        return Finding(
            id=finding_id(self.id, flow.id),
            type=self.id,
            severity=settings.severity_for(self.id, broken, _DEFAULTS[broken]),
            title=f"The improvement loop of '{flow.name}' is broken: {where}",
            tools=tuple(dict.fromkeys([*loop.touchpoint_tools, *loop.data_tools, *loop.analytics_tools])),
            flow=flow.id,
            steps=tuple(s.id for s in flow.steps if s.customer_facing),
            departments=tuple(sorted({s.department for s in flow.steps if s.department})),
            evidence={"journeys": list(journeys), "break": broken, "rule": broken,
                      "touchpoint_tools": list(loop.touchpoint_tools), "data_tools": list(loop.data_tools),
                      "analytics_tools": list(loop.analytics_tools)},
            recommendation=advice,
        )
