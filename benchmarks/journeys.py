"""Benchmark the journey analyses and the measurement section: wall time for 1k and 10k tools.

Usage::

    .venv/bin/python benchmarks/journeys.py [--sizes 1000 10000]

Each landscape (benchmarks/generator.py, ``journeys=True``) has N tools, 10 integrations per tool, N/50
flows of 10 steps and the planted journeys (1-2 whole journeys, 1-3 individual journeys each, KPIs at
every level). Timed with the hand-off engine and the per-tool integration index already built (as in a
scan, where the other analyses built them): ``unmeasurable_kpi``, ``open_loop``, ``kpi_tree_gap`` and
``measurement_section`` (readiness, loop-closing actions); and the three analyses on the same landscape
without journeys (``without_s``: what a scan that declares none pays).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.analyses.base import AnalysisSettings  # noqa: E402
from auditor.analyses.connectivity import connectivity  # noqa: E402
from auditor.analyses.registry import load  # noqa: E402
from auditor.graph import LandscapeGraph  # noqa: E402
from auditor.journeys.readiness import measurement_section  # noqa: E402
from benchmarks.generator import generate  # noqa: E402

TYPES = ("unmeasurable_kpi", "open_loop", "kpi_tree_gap")


def _time(graph: LandscapeGraph, settings: AnalysisSettings) -> dict[str, float]:
    times = {}
    for analysis_id in TYPES:
        started = time.perf_counter()
        list(load(analysis_id).run(graph, settings))
        times[analysis_id] = round(time.perf_counter() - started, 3)
    return times


def measure(size: int, seed: int = 1) -> dict[str, object]:
    """Generate one landscape with journeys and time the journey analyses on it."""
    landscape = generate(seed, tools=size, flows=max(1, size // 50), steps=10, integrations_per_tool=10,
                         fixed_steps=True, journeys=True)
    graph = landscape.graph
    connectivity(graph)  # built by the hand-off analyses earlier in a scan, as is the next index
    _ = graph.integrations_by_tool
    times = _time(graph, landscape.settings)
    started = time.perf_counter()
    measurement_section(graph)
    times["measurement_s"] = round(time.perf_counter() - started, 3)
    bare = LandscapeGraph(graph.tools, graph.integrations, graph.flows, graph.organization)
    connectivity(bare)
    _ = bare.integrations_by_tool
    started = time.perf_counter()
    _time(bare, landscape.settings)
    return {"tools": len(graph.tools), "integrations": len(graph.integrations), "journeys": len(graph.journeys),
            "individual": sum(len(j.flows) for j in graph.journeys), "kpis": len(graph.kpis), **times,
            "without_s": round(time.perf_counter() - started, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    for size in parser.parse_args().sizes:
        print(measure(size), flush=True)


if __name__ == "__main__":
    main()
