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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.analyses.connectivity import (
    Connectivity,
    Handoff,
    HandoffState,
    Reachability,
    connectivity,
    integration_edges,
    participants,
    step_tools,
)
from auditor.analyses.handoff_common import names
from auditor.graph import LandscapeGraph
from auditor.model import LAYERS, Integration, Step, Tool
from auditor.plan.scenario import moved_step as _step

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

    The same answer as simulating the retirement (:func:`auditor.plan.scenario.apply_scenario` and the
    hand-offs of the changed copy) without copying the landscape: only the hand-offs that could lose their
    state are searched again, on this graph's own index with the retired tools and their integrations left
    out, so each decision costs what it touches rather than the whole landscape (tests compare the two).
    """
    retired = frozenset(decision.retire)
    moves = {t: decision.keep for t in decision.retire}
    before = connectivity(graph)
    moved = {id(s): _step(s, set(retired), moves) for f in graph.flows for s in f.steps if step_tools(s) & retired}
    cut = _Cut(graph, before, retired)
    value = {"connected": 2, "manual": 1, "missing": 0, "undefined": 0}
    risks: list[dict[str, Any]] = []
    last = {h.key: h for h in before.handoffs}  # compared by key, as the simulation does (the last of a key)
    for handoff in before.handoffs:
        old = last[handoff.key]
        if value[old.state] == 0:
            continue
        source = moved.get(id(handoff.source), handoff.source)
        target = moved.get(id(handoff.target), handoff.target)
        if old is handoff and source is old.source and target is old.target and not cut.may_change(old):
            continue
        state = cut.state(step_tools(source), step_tools(target))
        if value[state] >= value[old.state]:
            continue
        involved = sorted(retired & (old.source_tools | old.target_tools | _path_tools(graph, old)))
        risks.append({"kind": "breaks_handoff", "flow": handoff.flow.id, "from_step": source.id,
                      "to_step": target.id, "state_before": old.state, "state_after": state,
                      "tools": involved,
                      "move_first": f"rebuild the integrations of {names(graph, involved) or 'the retired tools'} "
                                    f"that carry '{source.name}' → '{target.name}' on "
                                    f"{names(graph, [decision.keep])}"})
    risks.extend(_step_risks(graph, moved, decision))
    return risks


class _Cut:
    """This graph's connectivity with some tools retired: what :func:`build_connectivity` would say of the
    copy without them and without every integration they take part in, answered on the original index."""

    def __init__(self, graph: LandscapeGraph, before: Connectivity, retired: frozenset[str]) -> None:
        self.before, self.retired = before, retired
        gone = [i for t in sorted(retired) for i in graph.integrations_by_tool.get(t, ())]
        self.strict_edges = _lost_edges(graph, [i for i in gone if i.kind != "manual"], retired, manual=False)
        self.loose_edges = _lost_edges(graph, gone, retired, manual=True)
        touched = retired | {a for a, _ in self.strict_edges | self.loose_edges}  # a strict edge may stay loose
        self.upstream = _upstream(before.loose, touched)

    def may_change(self, handoff: Handoff) -> bool:
        """False when no integration path out of the hand-off's source tools meets what is removed."""
        if handoff.source_tools & handoff.target_tools:
            return False
        return bool(handoff.source_tools & self.upstream)

    def state(self, a: frozenset[str], b: frozenset[str]) -> HandoffState:
        """The hand-off state from tools ``a`` to tools ``b`` once the tools are retired (as ``_classify``)."""
        if not a or not b:
            return "undefined"
        if a & b or self._reaches(self.before.strict, a, b, self.strict_edges):
            return "connected"
        loose = self.before.loose
        if loose is not self.before.strict and self._reaches(loose, a, b, self.loose_edges):
            return "manual"
        return "missing"

    def _reaches(self, reach: Reachability, a: frozenset[str], b: frozenset[str],
                 edges: frozenset[tuple[str, str]]) -> bool:
        index = reach.digraph.index
        labelled = all(index[t] in reach.bit for t in b)  # pruning is safe only if every target has its bit
        return reach.path(a, b, mask=reach.mask(b) if labelled else 0, banned_edges=edges,
                          banned_tools=self.retired) is not None


def _lost_edges(graph: LandscapeGraph, gone: list[Integration], retired: frozenset[str],
                manual: bool) -> frozenset[tuple[str, str]]:
    """Edges between kept tools that only the removed integrations made (``A → M`` of ``A → R via M``)."""
    lost = set()
    for integration in gone:
        for edge in integration_edges(integration):
            if retired.isdisjoint(edge) and not _kept_edge(graph, edge, retired, manual):
                lost.add(edge)
    return frozenset(lost)


def _kept_edge(graph: LandscapeGraph, edge: tuple[str, str], retired: frozenset[str], manual: bool) -> bool:
    return any(edge in integration_edges(i) for i in graph.integrations_by_tool.get(edge[0], ())
               if (manual or i.kind != "manual") and retired.isdisjoint(participants(i)))


def _upstream(reach: Reachability, tools: Iterable[str]) -> frozenset[str]:
    """Tools from which an integration path (length ≥ 0) leads to one of ``tools``."""
    g = reach.digraph
    seen = {g.index[t] for t in tools if t in g.index}
    front = list(seen)
    while front:
        front = [p for node in front for p in g.pred[node] if p not in seen and not seen.add(p)]  # type: ignore[func-returns-value]
    return frozenset(g.ids[i] for i in seen)


def _path_tools(graph: LandscapeGraph, handoff: Any) -> set[str]:
    path = connectivity(graph).loose.path(handoff.source_tools, handoff.target_tools) or []
    return set(path)


def _step_risks(graph: LandscapeGraph, moved: dict[int, Step], decision: Decision) -> list[dict[str, Any]]:
    risks: list[dict[str, Any]] = []
    retired = set(decision.retire)
    for flow in graph.flows:
        for step in flow.steps:
            tools = step_tools(step)
            if not tools & retired:
                continue
            new_step = moved[id(step)]
            if tools and not step_tools(new_step):
                risks.append({"kind": "empties_step", "flow": flow.id, "step": step.id,
                              "tools": sorted(tools & retired),
                              "move_first": f"give '{step.name}' a tool before retiring {names(graph, tools)}"})
                continue
            # the moved step holds no retired tool: the copy without them would give the same layers
            lost = [layer for layer in LAYERS if layer in _provided(graph, tools)
                    and layer not in _provided(graph, step_tools(new_step))]
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
