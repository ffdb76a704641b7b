"""The risks of a retirement, found without copying the landscape, are exactly those of simulating it.

The oracle is the simulation itself (the code before it was made incremental): apply the retirement to a
copy (:func:`apply_scenario`), classify every hand-off of the copy again, compare with the original.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from analysis_helpers import flow, graph, link, tool

from auditor.analyses.connectivity import connectivity, step_tools
from auditor.analyses.handoff_common import names
from auditor.graph import LandscapeGraph
from auditor.model import Integration
from auditor.plan.decisions import Decision, _layer_risk, _path_tools, _provided, retirement_risks
from auditor.plan.scenario import Scenario, apply_scenario
from benchmarks.generator import generate

VALUE = {"connected": 2, "manual": 1, "missing": 0, "undefined": 0}


def simulated_risks(graph: LandscapeGraph, decision: Decision) -> list[dict[str, Any]]:
    """Retire on a copy, classify every hand-off of the copy again and compare (the slow, obvious way)."""
    after = apply_scenario(graph, Scenario(retire=decision.retire, moves={t: decision.keep for t in decision.retire}))
    before_states = {h.key: h for h in connectivity(graph).handoffs}
    risks: list[dict[str, Any]] = []
    retired = set(decision.retire)
    for handoff in connectivity(after).handoffs:
        old = before_states.get(handoff.key)
        if old is None or VALUE[handoff.state] >= VALUE[old.state]:
            continue
        involved = sorted(retired & (old.source_tools | old.target_tools | _path_tools(graph, old)))
        risks.append({"kind": "breaks_handoff", "flow": handoff.flow.id, "from_step": handoff.source.id,
                      "to_step": handoff.target.id, "state_before": old.state, "state_after": handoff.state,
                      "tools": involved,
                      "move_first": f"rebuild the integrations of {names(graph, involved) or 'the retired tools'} "
                                    f"that carry '{handoff.source.name}' → '{handoff.target.name}' on "
                                    f"{names(graph, [decision.keep])}"})
    for old_flow, new_flow in zip(graph.flows, after.flows, strict=True):
        for step, new_step in zip(old_flow.steps, new_flow.steps, strict=True):
            tools = step_tools(step)
            if not tools & retired:
                continue
            if tools and not step_tools(new_step):
                risks.append({"kind": "empties_step", "flow": old_flow.id, "step": step.id,
                              "tools": sorted(tools & retired),
                              "move_first": f"give '{step.name}' a tool before retiring {names(graph, tools)}"})
                continue
            lost = [layer for layer in ("data", "ai_analytics", "automation") if layer in _provided(graph, tools)
                    and layer not in _provided(after, step_tools(new_step))]
            if lost:
                risk = _layer_risk(old_flow.id, step, lost, names(graph, tools & retired),
                                   names(graph, [decision.keep]))
                risks.append({**risk, "tools": sorted(tools & retired)})
    return risks


def _decisions(graph: LandscapeGraph, rng: random.Random, count: int) -> list[Decision]:
    """Random retirements: step tools, middleware and hubs are picked more often (where risks are)."""
    busy = sorted({t for f in graph.flows for s in f.steps for t in step_tools(s)}
                  | {i.via for i in graph.integrations if i.via})
    ids = sorted(graph.tools)
    found = []
    for _ in range(count):
        pool = busy if busy and rng.random() < 0.7 else ids
        retire = tuple(dict.fromkeys(rng.choice(pool) for _ in range(rng.randint(1, 3))))
        keep = rng.choice([t for t in ids if t not in retire])
        found.append(Decision(keep, retire, "", None, {}))
    return found


def _tangled(landscape: LandscapeGraph, rng: random.Random) -> LandscapeGraph:
    """More of what makes retirements subtle: middleware, two-way links, manual copies of automated edges."""
    ids = sorted(landscape.tools)
    extra = []
    for integration in rng.sample(landscape.integrations, min(len(landscape.integrations), 30)):
        extra.append(link(integration.source, integration.target, "manual"))  # the same edge, kept by hand
    for _ in range(30):
        a, b, m = rng.sample(ids, 3)
        extra.append(link(a, b, rng.choice(["api", "file", "manual"]), via=m if rng.random() < 0.6 else None,
                          bidirectional=rng.random() < 0.3))
    return LandscapeGraph.build(landscape.tools.values(), [*landscape.integrations, *extra], landscape.flows,
                                landscape.organization)


@pytest.mark.parametrize("seed", range(16))
def test_incremental_risks_equal_the_simulated_ones(seed: int) -> None:
    rng = random.Random(seed)
    landscape = generate(seed, tools=rng.choice([40, 80, 150]), flows=rng.randint(2, 8), steps=8,
                         integrations_per_tool=rng.choice([1.0, 2.0, 4.0]), entangled=seed % 2 == 1,
                         branches=seed % 3 == 0).graph
    for current in (landscape, _tangled(landscape, rng)):
        for decision in _decisions(current, rng, 25):
            assert retirement_risks(current, decision) == simulated_risks(current, decision), decision


@pytest.mark.parametrize(("integrations", "after"), [
    # crm → warehouse runs via etl; warehouse → bi only through legacy's integration "legacy → bi via warehouse":
    # retiring legacy also removes that integration's warehouse → bi edge
    ([link("crm", "warehouse", via="etl"), link("legacy", "bi", via="warehouse")], "missing"),
    # the same edge is also kept by hand: only the manual one is left, and crm never reaches legacy itself
    ([link("crm", "warehouse"), link("legacy", "bi", via="warehouse"), link("warehouse", "bi", "manual")], "manual"),
])
def test_an_edge_only_a_removed_integration_made_is_gone_even_between_kept_tools(
        integrations: list[Integration], after: str) -> None:
    landscape = graph([tool(t) for t in ("crm", "etl", "warehouse", "bi", "legacy", "newbi")], integrations,
                      [flow("f", ("s1", ["crm"]), ("s2", ["bi"]))])
    decision = Decision("newbi", ("legacy",), "", None, {})
    risks = retirement_risks(landscape, decision)
    assert risks == simulated_risks(landscape, decision)
    assert [(r["kind"], r["state_before"], r["state_after"]) for r in risks] == [
        ("breaks_handoff", "connected", after)]
