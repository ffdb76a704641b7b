"""The plan: ordered actions (retire, connect, automate, sanction) chosen with the what-if engine.

Candidates come from the findings: each tool a consolidation decision retires (``retire``), each
missing integration between the kept tools of its two steps (``connect``), each manual link of a manual
hand-off (``automate``) and each unsanctioned tool no decision retires (``sanction``).

Ordering is a lazy greedy by gain per effort. The gain of an action is what the what-if engine
measures on the landscape left by the actions before it: the severity weights of the findings it
resolves (low 1, medium 2, high 3, critical 4) minus those it creates, plus the overall score points
it wins. The effort is 1 per action, plus 1 per thing a retirement needs moved first. Each round takes
the candidate with the best gain per effort; a candidate's stored ratio is re-measured when it comes
to the top and taken only if it still beats the next stored ratio, else put back with its new ratio
(a heuristic: an action can also gain from an earlier one, e.g. a connection after a retirement).
Candidates whose finding an earlier action resolved, or with no gain, are left out with the reason;
so is a connection that a retirement earlier in the plan made pointless. At most 60 candidates are
measured (those of the most severe findings first) and at most 30 actions kept; the rest are listed
as left out. A retired tool is never mentioned by a later action:
its connections move to the tool kept instead.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from auditor.graph import LandscapeGraph
from auditor.jsondata import records, texts
from auditor.model import Finding
from auditor.plan.advice import kept, retiring_map
from auditor.plan.scenario import Scenario
from auditor.plan.whatif import Evaluator, Landscape, WhatIf, brief

MAX_ACTIONS = 30
MAX_CANDIDATES = 60  # candidates measured, worst findings first: bounds the time on large landscapes


@dataclass(frozen=True)
class Action:
    """One candidate action: what it changes (a scenario), in words, and what it needs."""

    kind: str  # retire | connect | automate | sanction
    scenario: Scenario
    title: str
    needs: str
    effort: float = 1.0
    finding: str | None = None  # the finding it comes from

    def tools(self) -> set[str]:
        """Every tool the action names."""
        return {*self.scenario.retire, *self.scenario.sanction, *(t for c in self.scenario.connect for t in c)}


@dataclass(frozen=True)
class PlanStep:
    """A chosen action with its measured effect."""

    rank: int
    action: Action
    effect: WhatIf

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form (``auditor plan -f json`` and report.json's ``plan``)."""
        effect = self.effect
        return {
            "rank": self.rank, "kind": self.action.kind, "title": self.action.title, "needs": self.action.needs,
            "effort": self.action.effort, "gain": effect.gain(), "from_finding": self.action.finding,
            "scenario": self.action.scenario.to_data(),
            "findings_resolved": [brief(f) for f in effect.resolved],
            "findings_created": [brief(f) for f in effect.created],
            "overall_change": effect.overall["change"],
            "flows": {k: v["change"] for k, v in effect.flows.items() if v["change"]},
            "layers": {k: v["change"] for k, v in effect.layers.items() if v["change"]},
            "annual_cost_change": effect.cost_change,
        }


@dataclass
class Plan:
    """The ordered actions and the landscape before and after all of them."""

    base: Landscape
    steps: list[PlanStep] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)  # candidates left out, with the reason

    @property
    def scenario(self) -> Scenario:
        """Every action of the plan as one scenario (what ``auditor whatif`` can replay)."""
        total = Scenario()
        for step in self.steps:
            total = total + step.action.scenario
        return total

    def savings(self) -> float:
        """Annual saving of the plan's retirements (positive number)."""
        return round(-sum(s.effect.cost_change for s in self.steps if s.action.kind == "retire"), 2)

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"ordering": "lazy greedy by gain per effort (see docs/analyses.md)",
                "actions": [s.to_data() for s in self.steps], "annual_savings": self.savings(),
                "scenario": self.scenario.to_data(), "left_out": self.dropped}


def _name(graph: LandscapeGraph, tool: str) -> str:
    return graph.tools[tool].name if tool in graph.tools else tool


def _ipaas_needs(graph: LandscapeGraph, a: str, b: str, departments: Iterable[str]) -> str:
    wanted = {d for d in departments if d}
    ipaas = [t for t in graph.tools.values() if t.category == "ipaas" and t.sanctioned]
    both = [t for t in ipaas if wanted and wanted <= {*t.departments, *([t.owner] if t.owner else [])}]
    if both:
        return f"an iPaaS you already have, {both[0].name}, is used by {', '.join(sorted(wanted))}"
    if ipaas:
        return f"an iPaaS you already have, {ipaas[0].name} (owned by {ipaas[0].owner or 'unknown'})"
    return f"an API or ETL integration from {_name(graph, a)} to {_name(graph, b)} (none exists yet)"


def _best(graph: LandscapeGraph, tools: Iterable[str]) -> str:
    """The tool of a step to connect: the most integrated, then by id."""
    return sorted(tools, key=lambda t: (-len(graph.integrations_by_tool.get(t, ())), t))[0]


def candidates(base: Landscape) -> list[Action]:
    """Every candidate action the findings suggest (see the module docstring)."""
    graph, findings = base.graph, base.findings
    retiring = retiring_map(findings)
    actions: list[Action] = []
    for finding in findings:  # sorted worst first by run_analyses
        actions.extend(_from_finding(graph, finding, retiring))
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for action in actions:
        key = (action.scenario.retire, action.scenario.connect, action.scenario.sanction)
        if key not in seen:
            seen.add(key)
            unique.append(action)
    return unique


def _from_finding(graph: LandscapeGraph, finding: Finding, retiring: Mapping[str, str]) -> list[Action]:
    evidence = finding.evidence
    if finding.type == "duplicate":
        keep = str(evidence["keep"])
        out = []
        for tool in texts(evidence, "retire"):
            if retiring.get(tool) != keep:
                continue
            moves = [str(r["move_first"]) for r in records(evidence, "risks") if tool in texts(r, "tools")]
            needs = f"migrate its data and users to {_name(graph, keep)}" + "".join(f"; {m}" for m in moves)
            out.append(Action("retire", Scenario(retire=(tool,), moves={tool: keep}),
                              f"Retire {_name(graph, tool)} (keep {_name(graph, keep)})", needs,
                              1.0 + len(moves), finding.id))
        return out
    if finding.type == "missing_integration":
        sources, targets = kept(texts(evidence, "from_tools"), retiring), kept(texts(evidence, "to_tools"), retiring)
        if set(sources) & set(targets):
            return []
        a, b = _best(graph, sources), _best(graph, targets)
        return [Action("connect", Scenario(connect=((a, b),)),
                       f"Connect {_name(graph, a)} → {_name(graph, b)} ('{evidence['from_step_name']}' → "
                       f"'{evidence['to_step_name']}')",
                       _ipaas_needs(graph, a, b, [str(d) for d in (evidence.get("from_department"),
                                                                   evidence.get("to_department")) if d]),
                       1.0, finding.id)]
    if finding.type == "manual_handoff":
        out = []
        for link in records(evidence, "links"):
            if link.get("kind") == "manual":
                start, end = str(link["from"]), str(link["to"])
                a, b = retiring.get(start, start), retiring.get(end, end)
                if a != b:
                    out.append(Action("automate", Scenario(connect=((a, b),)),
                                      f"Automate the manual link {_name(graph, a)} → {_name(graph, b)}",
                                      _ipaas_needs(graph, a, b, finding.departments), 1.0, finding.id))
        return out
    if finding.type == "shadow_it" and finding.tools[0] not in retiring:
        tool = finding.tools[0]
        return [Action("sanction", Scenario(sanction=(tool,)), f"Sanction {_name(graph, tool)}",
                       "a review with its users, then a contract, SSO and a named owner", 1.0, finding.id)]
    return []


def _remap(action: Action, retired: Mapping[str, str]) -> Action | None:
    """The action after the plan's retirements: connections move to kept tools; None when it has no object."""
    if not action.tools() & set(retired):
        return action
    if action.kind in ("retire", "sanction"):
        return None
    connect = tuple((retired.get(a, a), retired.get(b, b)) for a, b in action.scenario.connect)
    if any(a == b or a in retired or b in retired for a, b in connect):
        return None
    return replace(action, scenario=replace(action.scenario, connect=connect),
                   title=f"{action.title} (moved to the kept tools)")


def make_plan(evaluator: Evaluator, base: Landscape, max_actions: int = MAX_ACTIONS,
              max_candidates: int = MAX_CANDIDATES) -> Plan:
    """Order the candidate actions by lazy greedy gain per effort (see the module docstring)."""
    plan = Plan(base)
    pool = candidates(base)
    plan.dropped.extend({"action": a.title, "reason": f"beyond the {max_candidates} candidates measured"}
                        for a in pool[max_candidates:])
    pool = pool[:max_candidates]
    heap = [(-float("inf"), i) for i in range(len(pool))]
    heapq.heapify(heap)
    parked: list[int] = []  # no gain yet: measured again after each retirement (which moves steps)
    current, retired = base, dict[str, str]()
    while heap and len(plan.steps) < max_actions:
        _, index = heapq.heappop(heap)
        action = _remap(pool[index], retired)
        if action is None:
            plan.dropped.append({"action": pool[index].title,
                                 "reason": "a retirement earlier in the plan made it moot"})
            continue
        pool[index] = action
        if action.finding and action.finding not in {f.id for f in current.findings}:
            plan.dropped.append({"action": action.title, "reason": "an earlier action resolved its finding"})
            continue
        effect = evaluator.whatif(current, action.scenario)
        ratio = effect.gain() / action.effort
        if ratio <= 0:
            parked.append(index)
            continue
        if heap and ratio < -heap[0][0] - 1e-9:
            heapq.heappush(heap, (-ratio, index))
            continue
        plan.steps.append(PlanStep(len(plan.steps) + 1, action, effect))
        current = effect.after
        if action.scenario.retire:
            retired.update({t: effect.scenario.moves.get(t, t) for t in action.scenario.retire})
            heap.extend((-float("inf"), i) for i in parked)
            heapq.heapify(heap)
            parked = []
    plan.dropped.extend({"action": pool[i].title, "reason": "no gain measured on the landscape at that point"}
                        for i in parked)
    plan.dropped.extend({"action": pool[i].title, "reason": f"beyond the first {max_actions} actions"}
                        for _, i in sorted(heap))
    return plan
