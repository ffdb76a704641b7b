"""Precision and recall of every finding type against landscapes with planted problems.

The generator (benchmarks/generator.py) knows the truth by construction; the analyses must find
exactly it: precision = recall = 1.0 for every type, on every seed.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from analysis_helpers import by_type

from auditor.analyses import run_analyses
from auditor.analyses.registry import finding_types
from auditor.config import AuditConfig
from auditor.pipeline import build_graph
from benchmarks.generator import Landscape, generate

SEEDS = range(60)


@cache
def seeded(seed: int) -> Landscape:
    """``generate(seed, tools=150, flows=8, steps=9, journeys=True)``, made once per seed in a worker: the per-seed
    test and the two tests that count what all seeds plant read the same landscapes (no test changes one; the
    generator is deterministic per seed, see below)."""
    return generate(seed, tools=150, flows=8, steps=9, journeys=True)


def _precision_recall(found: set[object], truth: set[object]) -> tuple[float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall


@pytest.mark.parametrize("seed", SEEDS)
def test_every_finding_type_has_precision_and_recall_one(seed: int) -> None:
    landscape = seeded(seed)
    assert landscape.truth is not None
    found = by_type(run_analyses(landscape.graph, landscape.settings))
    for finding_type in finding_types():
        truth = landscape.truth.get(finding_type, set())
        got = found.get(finding_type, set())
        assert _precision_recall(got, truth) == (1.0, 1.0), (
            finding_type, sorted(map(str, got - truth))[:5], sorted(map(str, truth - got))[:5])


@pytest.mark.parametrize("seed", [101, 102, 103])
def test_larger_landscapes_with_background_noise_are_exact_too(seed: int) -> None:
    landscape = generate(seed, tools=1500, flows=30, steps=10, integrations_per_tool=6, journeys=True)
    assert landscape.truth is not None
    found = by_type(run_analyses(landscape.graph, landscape.settings))
    for finding_type in finding_types():
        assert found.get(finding_type, set()) == landscape.truth.get(finding_type, set()), finding_type


@pytest.mark.parametrize("seed", range(40))
def test_flows_that_branch_and_loop_are_exact_too(seed: int) -> None:
    landscape = generate(seed, tools=150, flows=8, steps=9, branches=True, journeys=True)
    assert landscape.truth is not None
    found = by_type(run_analyses(landscape.graph, landscape.settings))
    for finding_type in finding_types():
        assert found.get(finding_type, set()) == landscape.truth.get(finding_type, set()), finding_type


def test_the_branching_seeds_plant_branches_loops_and_every_handoff_state_on_them() -> None:
    states: Counter[str] = Counter()
    loops = 0
    for seed in range(40):
        landscape = generate(seed, tools=150, flows=8, steps=9, branches=True)
        states.update(state for (_, a, b), state in landscape.handoffs.items() if "b" in (a[0], b[0]))
        loops += sum(1 for (_, a, _b), _ in landscape.handoffs.items() if a.startswith("b"))
    assert min(states["connected"], states["manual"], states["missing"]) >= 10 and loops >= 10, (states, loops)


def test_without_branches_the_generator_gives_the_landscapes_it_always_gave() -> None:
    plain = generate(11, tools=150, flows=8, steps=9)
    assert all(s.next is None for f in plain.graph.flows for s in f.steps)
    assert plain.graph == generate(11, tools=150, flows=8, steps=9, branches=False).graph


def test_without_journeys_the_generator_gives_the_landscapes_it_always_gave() -> None:
    plain = generate(11, tools=150, flows=8, steps=9)
    assert plain.graph.journeys == () and plain.graph.kpis == ()
    assert plain.graph == generate(11, tools=150, flows=8, steps=9, journeys=False).graph
    assert not {"unmeasurable_kpi", "open_loop", "kpi_tree_gap"} & set(by_type(run_analyses(plain.graph,
                                                                                             plain.settings)))


def test_the_seeds_plant_every_finding_type_and_every_silo_scope() -> None:
    planted: Counter[str] = Counter()
    for seed in SEEDS:
        truth = seeded(seed).truth or {}
        for finding_type, items in truth.items():
            planted[finding_type] += len(items)
            if finding_type == "silo":
                planted.update(f"silo:{scope}" for scope, *_ in items)
                planted.update(f"silo:{reason}" for _, _, *reasons in items for reason in (reasons or [()])[0])
    for finding_type in finding_types():
        assert planted[finding_type] >= 10, (finding_type, planted)
    assert min(planted["silo:tool"], planted["silo:department"], planted["silo:no_integration"],
               planted["silo:no_data_feed"]) >= 10


def test_the_seeds_plant_every_loop_break_kpi_rule_and_tree_gap() -> None:
    rules: Counter[str] = Counter()
    for seed in SEEDS:
        truth = seeded(seed).truth or {}
        for finding_type in ("unmeasurable_kpi", "open_loop", "kpi_tree_gap"):
            rules.update(f"{finding_type}:{rule}" for _, rule in truth.get(finding_type, ()))
    assert {rule: count for rule, count in rules.items() if count >= 10} == rules and len(rules) == 8, rules


def test_the_generator_is_deterministic_per_seed() -> None:
    first, second = generate(5, tools=100), generate(5, tools=100)
    assert first.graph == second.graph and first.truth == second.truth


@pytest.mark.parametrize(("seed", "branches"), [(7, False), (8, False), (9, True)])
def test_the_same_landscape_as_raw_records_through_resolution_gives_the_same_truth(seed: int, branches: bool) -> None:
    landscape = generate(seed, tools=150, flows=8, steps=9, branches=branches, journeys=True)
    graph, _ = build_graph(AuditConfig("generated", (), Path(".")), landscape.inventory())
    found = by_type(run_analyses(graph, landscape.settings))
    truth = dict(landscape.truth or {})
    # raw records carry no catalog product: instances of one product are only known after catalog matching
    truth["duplicate"] = {d for d in truth.get("duplicate", set()) if d[0] != "product"}
    for finding_type in finding_types():
        assert found.get(finding_type, set()) == truth.get(finding_type, set()), finding_type
