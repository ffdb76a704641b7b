"""The fast connectivity engine agrees with a brute-force reading of the definitions on random graphs.

The generator's landscapes are structured; these are not: random integrations of every kind, with
middleware, bidirectional and self-integrations, steps whose tool sets overlap at random, and flows
that branch and loop (random ``next``).
"""

from __future__ import annotations

import random

import pytest
from analysis_helpers import flow, graph, link, tool

from auditor.analyses.bottleneck import bottlenecks
from auditor.analyses.connectivity import build_connectivity, integration_edges
from auditor.graph import LandscapeGraph
from auditor.model import INTEGRATION_KINDS, Integration, Step


def _reach(edges: list[tuple[str, str]], sources: set[str]) -> set[str]:
    """Tools reachable by a path of length >= 1 from ``sources`` (plain BFS)."""
    seen: set[str] = set()
    frontier = list(sources)
    while frontier:
        node = frontier.pop()
        for a, b in edges:
            if a == node and b not in seen:
                seen.add(b)
                frontier.append(b)
    return seen


def _edges(integrations: list[Integration], manual: bool, removed: str | None = None) -> list[tuple[str, str]]:
    edges = []
    for i in integrations:
        if (i.kind == "manual" and not manual) or (removed is not None and removed in (i.source, i.target, i.via)):
            continue
        edges.extend(integration_edges(i))
    return edges


def _state(integrations: list[Integration], a: set[str], b: set[str], removed: str | None = None) -> str:
    a, b = a - {removed}, b - {removed}
    if not a or not b:
        return "undefined"
    if a & b or _reach(_edges(integrations, False, removed), a) & b:
        return "connected"
    return "manual" if _reach(_edges(integrations, True, removed), a) & b else "missing"


def _successor_pairs(landscape: LandscapeGraph) -> list[tuple[str, str, str]]:
    """Each step with each step its ``next`` names (or the following step), as the definition says."""
    pairs = []
    for f in landscape.flows:
        for i, step in enumerate(f.steps):
            names = [f.steps[i + 1].id] if step.next is None and i + 1 < len(f.steps) else list(step.next or ())
            for name in dict.fromkeys(names):
                if name != step.id:
                    pairs.append((f.id, step.id, name))
    return pairs


def _random_landscape(seed: int) -> LandscapeGraph:
    rng = random.Random(seed)
    ids = [f"t{i}" for i in range(rng.randint(5, 25))]
    integrations = []
    for _ in range(rng.randint(0, 3 * len(ids))):
        a, b = rng.choice(ids), rng.choice(ids)
        via = rng.choice(ids) if rng.random() < 0.25 else None
        integrations.append(link(a, b, rng.choice(INTEGRATION_KINDS), via, rng.random() < 0.25))
    flows = []
    for f in range(rng.randint(1, 4)):
        n = rng.randint(0, 6)
        steps = [Step(f"s{i}", f"S{i}", tools=tuple(rng.sample(ids, rng.randint(0, 3))),
                      next=None if rng.random() < 0.5 else tuple(rng.sample([f"s{j}" for j in range(n)],
                                                                             rng.randint(0, min(n, 3)))))
                 for i in range(n)]  # about half the steps branch, loop back or end (``next``), the rest go on
        flows.append(flow(f"f{f}", *steps))
    return graph([tool(i) for i in ids], integrations, flows)


@pytest.mark.parametrize("seed", range(150))
def test_handoff_states_and_bottlenecks_match_brute_force(seed: int) -> None:
    landscape = _random_landscape(seed)
    integrations = list(landscape.integrations)
    conn = build_connectivity(landscape)
    assert [h.key for h in conn.handoffs] == _successor_pairs(landscape)
    for handoff in conn.handoffs:
        expected = _state(integrations, set(handoff.source_tools), set(handoff.target_tools))
        assert handoff.state == expected, handoff.key
    expected_breaks: dict[str, set[tuple[str, str, str]]] = {}
    for tool_id in landscape.tools:
        for handoff in conn.handoffs:
            if handoff.state != "connected":
                continue
            after = _state(integrations, set(handoff.source_tools), set(handoff.target_tools), tool_id)
            if after in ("manual", "missing"):
                expected_breaks.setdefault(tool_id, set()).add(handoff.key)
    found = {t: {h.key for h in hs} for t, hs in bottlenecks(conn).items()}
    assert found == expected_breaks
