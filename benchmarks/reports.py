"""Benchmark the report renderers: time per format and output size, on the demo and generated landscapes.

Usage::

    .venv/bin/python benchmarks/reports.py [--sizes 1000 10000] [--lang en]

The demo company is scanned by the real pipeline; each size N is a landscape of about N tools from
``benchmarks/generator.py`` (seed 7, N/50 flows of 8 steps, 3 integrations per tool) with the real
analyses and scores. For each renderer the time of one render (the HTML one includes drawing its
diagrams with Graphviz ``dot``) and the size of what it wrote are printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.analyses import run_analyses  # noqa: E402
from auditor.cli.scan import demo_config_path  # noqa: E402
from auditor.config import load_config  # noqa: E402
from auditor.graph import LandscapeGraph  # noqa: E402
from auditor.model import Scan  # noqa: E402
from auditor.result import ScanResult  # noqa: E402
from auditor.scoring import compute_scores  # noqa: E402
from benchmarks.generator import generate  # noqa: E402
from connectors.prepare import scan_config  # noqa: E402
from reports.registry import load  # noqa: E402

FORMATS = ("json", "md", "html", "svg", "csv", "xlsx")


def generated(size: int, steps: int = 8) -> ScanResult:
    """A generated landscape of about ``size`` tools (flows of ``steps`` steps) with the real analyses and scores."""
    landscape = generate(seed=7, tools=size, flows=max(6, size // 50), steps=steps, integrations_per_tool=3.0,
                         fixed_steps=True)
    graph = landscape.graph
    graph = LandscapeGraph.build((replace(t, sources=("bench",)) for t in graph.tools.values()),
                                 {i.key: replace(i, sources=("bench",)) for i in graph.integrations}.values(),
                                 (replace(f, sources=("bench",)) for f in graph.flows), "Benchmark Org")
    findings = run_analyses(graph, landscape.settings)
    scan = Scan(f"bench-{size}", "Benchmark Org", "2026-11-25T00:00:00+00:00", "2026-11-25T00:00:00+00:00")
    return ScanResult(scan, graph, findings, scores=compute_scores(graph, findings))


def bench(name: str, result: ScanResult, lang: str, formats: tuple[str, ...] = FORMATS) -> None:
    """Render every format once into a temporary folder and print time and size."""
    print(f"{name}: {len(result.graph.tools):,} tools, {len(result.graph.integrations):,} integrations, "
          f"{len(result.graph.flows)} flows, {len(result.findings):,} findings")
    with tempfile.TemporaryDirectory() as tmp:
        for format_id in formats:
            out = Path(tmp) / format_id
            out.mkdir()
            started = time.perf_counter()
            written = load(format_id)(lang).render(result, out)
            seconds = time.perf_counter() - started
            size = sum(p.stat().st_size for p in written)
            print(f"  {format_id:<5} {seconds:7.2f} s  {len(written):4d} file(s)  {size / 1e6:8.2f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--lang", choices=("en", "ja"), default="en")
    parser.add_argument("--pdf", action="store_true", help="also print report.pdf (needs Playwright and Chromium)")
    args = parser.parse_args()
    formats = (*FORMATS, "pdf") if args.pdf else FORMATS
    bench("demo", scan_config(load_config(demo_config_path())), args.lang, formats)
    for size in args.sizes:
        bench(f"N={size}", generated(size), args.lang, formats)


if __name__ == "__main__":
    main()
