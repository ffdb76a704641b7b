"""Benchmark the analyses: wall time and peak memory for 1k, 10k and 50k tools.

Usage::

    .venv/bin/python benchmarks/analyses.py [--sizes 1000 10000 50000] [--shapes planted entangled]

Each landscape (benchmarks/generator.py) has N tools, 10 integrations per tool and N/50 flows of 10
steps (200 flows at 10k). Two shapes:

* ``planted``: flows on their own clusters with planted problems (many missing/manual hand-offs,
  hub bottlenecks), background tools densely integrated among themselves;
* ``entangled``: random integrations between *all* tools, so the flows sit inside one big strongly
  connected graph (every hand-off connected; the bottleneck search has the most to check).

Timed: every registered analysis plus the scores (what ``run_scan`` does after building the graph),
on a fresh graph object (``analyses_s`` wall clock, ``cpu_s`` this process's CPU time, which is
steadier on a busy machine); ``slowest`` is the slowest analysis alone (the first one to run also builds
the shared hand-off engine). Peak memory: a second run of the same under ``tracemalloc`` (Python
allocations made by the analyses only, not the landscape itself).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.analyses import run_analyses  # noqa: E402
from auditor.analyses.registry import available, load  # noqa: E402
from auditor.gcpause import gc_paused  # noqa: E402
from auditor.graph import LandscapeGraph  # noqa: E402
from auditor.scoring import compute_scores  # noqa: E402
from benchmarks.generator import Landscape, generate  # noqa: E402


def _fresh(graph: LandscapeGraph) -> LandscapeGraph:
    """The same landscape as a new object (no cached indexes)."""
    return LandscapeGraph(graph.tools, graph.integrations, graph.flows, graph.organization)


def _analyse(landscape: Landscape, graph: LandscapeGraph) -> int:
    findings = run_analyses(graph, landscape.settings)
    compute_scores(graph, findings)
    return len(findings)


def measure(size: int, shape: str, seed: int = 1) -> dict[str, float | int | str]:
    """Generate one landscape and time/measure the analyses on it."""
    started = time.perf_counter()
    landscape = generate(seed, tools=size, flows=max(1, size // 50), steps=10, integrations_per_tool=10,
                         entangled=shape == "entangled", fixed_steps=True)
    generated = time.perf_counter() - started
    graph = landscape.graph
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    findings = _analyse(landscape, _fresh(graph))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    per_analysis = {}
    fresh = _fresh(graph)
    with gc_paused():  # as run_analyses does
        for analysis_id in available():
            started = time.perf_counter()
            list(load(analysis_id).run(fresh, landscape.settings))
            per_analysis[analysis_id] = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    _analyse(landscape, _fresh(graph))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    handoffs = sum(max(0, len(f.steps) - 1) for f in graph.flows)
    slowest = max(per_analysis, key=lambda k: per_analysis[k])
    return {"shape": shape, "tools": len(graph.tools), "integrations": len(graph.integrations),
            "flows": len(graph.flows), "handoffs": handoffs, "findings": findings,
            "generate_s": round(generated, 2), "analyses_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "peak_mib": round(peak / 2**20, 1),
            "slowest": f"{slowest} {per_analysis[slowest]:.2f}s"}


def main(argv: list[str] | None = None) -> None:
    """Print one markdown table row per (shape, size)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--shapes", nargs="+", default=["planted", "entangled"], choices=["planted", "entangled"])
    args = parser.parse_args(argv)
    columns = ["shape", "tools", "integrations", "flows", "handoffs", "findings", "generate_s", "analyses_s",
               "cpu_s", "peak_mib", "slowest"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for shape in args.shapes:
        for size in args.sizes:
            row = measure(size, shape)
            print("| " + " | ".join(str(row[c]) for c in columns) + " |", flush=True)


if __name__ == "__main__":
    main()
