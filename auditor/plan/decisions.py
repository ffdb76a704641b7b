"""Consolidation decisions: which tool of a duplicate group to keep, why, and what retiring the others risks.

The keep rule compares the members fact by fact, in this order, and stops at the first fact that
tells the best member apart from the runner-up:

1. sanctioned by IT (an unsanctioned tool is never kept over a sanctioned one);
2. integrations it takes part in (non-manual);
3. flow steps it supports;
4. users (unknown counts as 0);
5. lower annual cost (keeping the cheaper tool saves more).

The reason names the facts used ("Zendesk Suite has the most integrations: 6 against 1 for
Freshdesk"). When no fact tells them apart the decision says so instead of inventing a reason.

The risks of retiring a tool come from simulating it: the hand-offs that would lose their last
connection, the steps left without a tool, and the required layers a step would lose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditor.analyses.connectivity import connectivity, step_tools
from auditor.analyses.handoff_common import names
from auditor.graph import LandscapeGraph
from auditor.model import LAYERS, Step, Tool
from auditor.plan.scenario import Scenario, apply_scenario

#: fact id → (description used in the reason, whether more is better)
FACTS: tuple[tuple[str, str], ...] = (
    ("sanctioned", "is sanctioned by IT"),
    ("integrations", "has the most integrations"),
    ("steps", "supports the most flow steps"),
    ("users", "has the most users"),
    ("cheaper", "costs the least"),
)


@dataclass(frozen=True)
class Decision:
    """Keep one tool of a duplicate group, retire the others; ``reason`` in plain words with its facts."""

    keep: str
    retire: tuple[str, ...]
    reason: str
    decided_by: str | None  # the fact that decided, None when nothing told the tools apart
    facts: dict[str, dict[str, Any]]

    def to_evidence(self) -> dict[str, Any]:
        """The decision as finding evidence."""
        return {"keep": self.keep, "retire": list(self.retire), "keep_reason": self.reason,
                "decided_by": self.decided_by, "facts": self.facts}


def tool_facts(graph: LandscapeGraph, tool: Tool) -> dict[str, Any]:
    """The facts the keep rule compares, for one tool."""
    integrations = [i for i in graph.integrations_by_tool.get(tool.id, ()) if i.kind != "manual"]
    steps = sum(1 for f in graph.flows for s in f.steps if tool.id in step_tools(s))
    return {"sanctioned": tool.sanctioned, "integrations": len(integrations), "steps": steps,
            "users": tool.users, "annual_cost": tool.annual_cost}


def _key(facts: dict[str, Any]) -> tuple[Any, ...]:
    cost = facts["annual_cost"]
    return (facts["sanctioned"], facts["integrations"], facts["steps"], facts["users"] or 0,
            -(cost if cost is not None else float("inf")))


def _fact_text(fact: str, value: Any) -> str:
    if fact == "sanctioned":
        return "sanctioned" if value["sanctioned"] else "not sanctioned"
    if fact == "cheaper":
        return f"{value['annual_cost']:,.0f} a year" if value["annual_cost"] is not None else "cost unknown"
    number = value[fact]
    return f"{fact} {number if number is not None else 'unknown'}"


def decide(graph: LandscapeGraph, members: Sequence[Tool]) -> Decision:
    """The decision for one duplicate group (members in a stable order; ties keep the first)."""
    facts = {t.id: tool_facts(graph, t) for t in members}
    ranked = sorted(members, key=lambda t: _key(facts[t.id]), reverse=True)  # stable: ties keep input order
    keep, runner = ranked[0], ranked[1]
    keep_key, runner_key = _key(facts[keep.id]), _key(facts[runner.id])
    retire = tuple(t.id for t in members if t is not keep)
    decided = next((i for i in range(len(FACTS)) if keep_key[i] != runner_key[i]), None)
    if decided is None:
        reason = (f"Nothing tells {', '.join(t.name for t in members)} apart (integrations, flow steps, users, "
                  f"cost are equal or unknown); {keep.name} is proposed only because it comes first — "
                  "decide with the teams before retiring anything.")
        return Decision(keep.id, retire, reason, None, facts)
    fact, words = FACTS[decided]
    others = "; ".join(f"{t.name}: {_fact_text(fact, facts[t.id])}" for t in members if t is not keep)
    tied = [FACTS[i][0] for i in range(decided)]
    equal = f" (equal on {', '.join(tied)})" if tied else ""
    reason = f"Keep {keep.name}: it {words}{equal} — {_fact_text(fact, facts[keep.id])}; {others}."
    return Decision(keep.id, retire, reason, fact, facts)


def retirement_risks(graph: LandscapeGraph, decision: Decision) -> list[dict[str, Any]]:
    """What retiring the decision's tools would break even after their steps move to the kept tool.

    Each risk: ``kind`` (``breaks_handoff``, ``empties_step``, ``removes_layer``), where, and ``move_first``
    (what must move to the kept tool before the retirement).
    """
    after = apply_scenario(graph, Scenario(retire=decision.retire, moves={t: decision.keep for t in decision.retire}))
    value = {"connected": 2, "manual": 1, "missing": 0, "undefined": 0}
    before_states = {h.key: h for h in connectivity(graph).handoffs}
    risks: list[dict[str, Any]] = []
    retired = set(decision.retire)
    for handoff in connectivity(after).handoffs:
        old = before_states.get(handoff.key)
        if old is None or value[handoff.state] >= value[old.state]:
            continue
        involved = sorted(retired & (old.source_tools | old.target_tools | _path_tools(graph, old)))
        risks.append({"kind": "breaks_handoff", "flow": handoff.flow.id, "from_step": handoff.source.id,
                      "to_step": handoff.target.id, "state_before": old.state, "state_after": handoff.state,
                      "tools": involved,
                      "move_first": f"rebuild the integrations of {names(graph, involved) or 'the retired tools'} "
                                    f"that carry '{handoff.source.name}' → '{handoff.target.name}' on "
                                    f"{names(graph, [decision.keep])}"})
    risks.extend(_step_risks(graph, after, decision))
    return risks


def _path_tools(graph: LandscapeGraph, handoff: Any) -> set[str]:
    path = connectivity(graph).loose.path(handoff.source_tools, handoff.target_tools) or []
    return set(path)


def _step_risks(graph: LandscapeGraph, after: LandscapeGraph, decision: Decision) -> list[dict[str, Any]]:
    risks: list[dict[str, Any]] = []
    retired = set(decision.retire)
    for flow, new_flow in zip(graph.flows, after.flows, strict=True):
        for step, new_step in zip(flow.steps, new_flow.steps, strict=True):
            tools = step_tools(step)
            if not tools & retired:
                continue
            if tools and not step_tools(new_step):
                risks.append({"kind": "empties_step", "flow": flow.id, "step": step.id,
                              "tools": sorted(tools & retired),
                              "move_first": f"give '{step.name}' a tool before retiring {names(graph, tools)}"})
                continue
            lost = [layer for layer in LAYERS if layer in _provided(graph, tools)
                    and layer not in _provided(after, step_tools(new_step))]
            if lost:
                risk = _layer_risk(flow.id, step, lost, names(graph, tools & retired), names(graph, [decision.keep]))
                risks.append({**risk, "tools": sorted(tools & retired)})
    return risks


def _layer_risk(flow: str, step: Step, lost: Sequence[str], retired: str, keep: str) -> dict[str, Any]:
    required = [layer for layer in lost if layer in step.requires]
    who = f"only {retired} provides {', '.join(lost)} in '{step.name}' and {keep} does not"
    if required:
        move = f"{who}; the step requires {', '.join(required)}: give it another such tool first"
    else:
        move = f"{who}; the step does not require it, but check that nobody relies on it there"
    return {"kind": "removes_layer", "flow": flow, "step": step.id, "layers": list(lost), "required": required,
            "move_first": move}


def _provided(graph: LandscapeGraph, tools: frozenset[str]) -> set[str]:
    return {layer for t in tools if t in graph.tools for layer in graph.tools[t].layers}
