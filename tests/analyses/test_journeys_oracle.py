"""The loop and measurability engine agrees with a brute-force reading of the definitions on random graphs.

Random tools with random layers, random integrations (every kind, middleware, bidirectional, random
``data`` words or none), random customer-facing steps, journeys and KPIs at every level.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from analysis_helpers import tool
from test_analyses_oracle import _reach

from auditor.analyses.connectivity import integration_edges
from auditor.graph import LandscapeGraph
from auditor.journeys.loop import kpi_checks, loop_of
from auditor.model import INTEGRATION_KINDS, LAYERS, Flow, Integration, Journey, Kpi, Step

WORDS = ("a", "b", "c")


def _random(seed: int) -> LandscapeGraph:
    rng = random.Random(seed)
    ids = [f"t{i}" for i in range(rng.randint(4, 18))]
    tools = [tool(i, layers=tuple(layer for layer in LAYERS if rng.random() < 0.3)) for i in ids]
    integrations = [Integration(rng.choice(ids), rng.choice(ids), rng.choice(INTEGRATION_KINDS),
                                rng.choice(ids) if rng.random() < 0.2 else None,
                                tuple(w for w in WORDS if rng.random() < 0.3), rng.random() < 0.2, ("test",))
                    for _ in range(rng.randint(0, 3 * len(ids)))]
    flows = [Flow(f"f{f}", f"F{f}", tuple(Step(f"s{i}", f"S{i}", tools=tuple(rng.sample(ids, rng.randint(0, 3))),
                                               customer_facing=rng.random() < 0.4) for i in range(rng.randint(1, 4))))
             for f in range(rng.randint(1, 3))]
    journeys = [Journey("j", "J", tuple(f.id for f in flows if rng.random() < 0.8))]
    kpis = []
    for k in range(rng.randint(1, 6)):
        level = rng.choice(("touchpoint", "journey", "relationship"))
        flow = rng.choice(flows)
        step = rng.choice(flow.steps).id if level == "touchpoint" else None
        kpis.append(Kpi(f"k{k}", f"K{k}", level, journey="j" if level == "relationship" else None,
                        flow=None if level == "relationship" else flow.id, step=step,
                        data=tuple(rng.sample(WORDS, rng.randint(1, 2))), computed_in=rng.choice(ids)))
    return LandscapeGraph.build(tools, integrations, flows, "test", journeys, kpis)


def _edges(integrations: tuple[Integration, ...], keep) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [e for i in integrations if i.kind != "manual" and keep(i) for e in integration_edges(i)]


def _word_state(landscape: LandscapeGraph, kpi: Kpi, word: str) -> str:
    if kpi.level == "relationship":
        flows = [f for f in landscape.flows if f.id in landscape.journeys[0].flows]
        anchor = {t for f in flows for s in f.steps for t in s.all_tools}
    else:
        flow = next(f for f in landscape.flows if f.id == kpi.flow)
        anchor = {t for s in flow.steps if kpi.step in (None, s.id) for t in s.all_tools}
    producers = {i.source for i in landscape.integrations if word in i.data and i.source in anchor}
    producers |= {i.target for i in landscape.integrations if word in i.data and i.bidirectional and i.target in anchor}
    if kpi.computed_in in producers or (kpi.level == "touchpoint" and kpi.computed_in in anchor):
        return "confirmed"
    if not producers:
        return "no_producer"
    carries = _edges(landscape.integrations, lambda i: word in i.data)
    if kpi.computed_in in _reach(carries, producers):
        return "confirmed"
    may = _edges(landscape.integrations, lambda i: word in i.data or not i.data)
    return "unconfirmed" if kpi.computed_in in _reach(may, producers) else "no_path"


def _loop_break(landscape: LandscapeGraph, flow: Flow, extra: Sequence[tuple[str, str]] = ()) -> str | None:
    edges = _edges(landscape.integrations, lambda i: True) + list(extra)
    layers = {t.id: t.layers for t in landscape.tools.values()}
    touch = {t for s in flow.steps if s.customer_facing for t in s.all_tools}
    data = {t for t in touch | _reach(edges, touch) if "data" in layers[t]}
    if not data:
        return "cannot_measure"
    analytics = {t for t in data | _reach(edges, data) if "ai_analytics" in layers[t]}
    if not analytics:
        return "cannot_learn"
    actions = touch | {t for s in flow.steps for t in s.all_tools if "automation" in layers[t]}
    return None if actions & (analytics | _reach(edges, analytics)) else "cannot_act"


def test_the_random_landscapes_reach_every_state_and_every_break() -> None:
    states, breaks = set(), set()
    for seed in range(200):
        landscape = _random(seed)
        breaks |= {loop_of(landscape, f).broken for f in landscape.flows}
        states |= {w.state for c in kpi_checks(landscape).values() for w in c.words}
    assert breaks == {None, "cannot_measure", "cannot_learn", "cannot_act"}
    assert states == {"confirmed", "unconfirmed", "no_producer", "no_path"}


@pytest.mark.parametrize("seed", range(200))
def test_loops_and_kpi_measurability_match_brute_force(seed: int) -> None:
    landscape = _random(seed)
    rng = random.Random(seed)
    extra = [(a, b) for a, b in (rng.sample(sorted(landscape.tools), 2) for _ in range(2))]
    for flow in landscape.flows:
        assert loop_of(landscape, flow).broken == _loop_break(landscape, flow), flow.id
        assert loop_of(landscape, flow, extra).broken == _loop_break(landscape, flow, extra), (flow.id, extra)
    for kpi_id, check in kpi_checks(landscape).items():
        assert [w.state for w in check.words] == [_word_state(landscape, check.kpi, w) for w in check.kpi.data], kpi_id
