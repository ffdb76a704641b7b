"""Benchmark the what-if engine and the planner: one what-if and one whole plan per landscape.

Usage::

    .venv/bin/python benchmarks/plan_whatif.py [--sizes 150 500 1500]

Landscapes: the demo (scanned by the pipeline) and generated ones (``benchmarks/generator.py``, seed 101,
N/50 flows of 10 steps, 6 integrations per tool). Timed: one what-if (retire the first tool a
consolidation decision retires), and ``make_plan`` with the default bounds, with the number of what-if
measurements it made. Results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.analyses import AnalysisSettings  # noqa: E402
from auditor.config import load_config  # noqa: E402
from auditor.graph import LandscapeGraph  # noqa: E402
from auditor.plan.advice import retiring_map  # noqa: E402
from auditor.plan.planner import make_plan  # noqa: E402
from auditor.plan.scenario import Scenario  # noqa: E402
from auditor.plan.whatif import Evaluator, Landscape  # noqa: E402
from benchmarks.generator import generate  # noqa: E402
from connectors.prepare import scan_config  # noqa: E402


class CountingEvaluator(Evaluator):
    """An evaluator that counts the landscapes it analyses."""

    count = 0

    def landscape(self, graph: LandscapeGraph, risks: bool = True) -> Landscape:
        CountingEvaluator.count += 1
        return super().landscape(graph, risks)


def measure(name: str, graph: LandscapeGraph, settings: AnalysisSettings) -> None:
    """Print one row: tools, findings, base analysis, one what-if, the plan and its measurements."""
    evaluator = CountingEvaluator(settings)
    started = time.perf_counter()
    base = evaluator.landscape(graph)
    analysed = time.perf_counter() - started
    retired = sorted(retiring_map(base.findings))
    started = time.perf_counter()
    if retired:
        evaluator.whatif(base, Scenario(retire=(retired[0],)))
    whatif = time.perf_counter() - started
    CountingEvaluator.count = 0
    started = time.perf_counter()
    plan = make_plan(evaluator, base)
    planned = time.perf_counter() - started
    print(f"| {name} | {len(graph.tools):,} | {len(base.findings):,} | {analysed:.2f} s | {whatif:.2f} s | "
          f"{planned:.1f} s | {CountingEvaluator.count} | {len(plan.steps)} |", flush=True)


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[150, 500, 1500])
    args = parser.parse_args()
    print("| landscape | tools | findings | analyses + scores | one what-if | plan | what-ifs measured | actions |")
    print("|---|---|---|---|---|---|---|---|")
    config = load_config(ROOT / "examples" / "demo" / "auditor.yaml")
    demo = scan_config(config)
    measure("demo", demo.graph, AnalysisSettings.from_config(config.analyses, config.report.currency,
                                                            demo.category_titles()))
    for size in args.sizes:
        landscape = generate(101, tools=size, flows=max(1, size // 50), steps=10, integrations_per_tool=6)
        measure("generated seed 101", landscape.graph, landscape.settings)


if __name__ == "__main__":
    main()
