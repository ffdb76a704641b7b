"""Benchmark scan history: ``diff`` of two large scans, from memory, from report.json files and from the store.

Usage::

    .venv/bin/python benchmarks/diff_history.py [--sizes 1000 10000]

For each size N, generates a landscape of about N tools (``benchmarks/generator.py``, seed 7) and a
changed copy (2% of the tools removed with their integrations, 2% new tools each with an
integration, 2% with a new annual cost), runs the analyses on both, then prints the time to
diff them in memory, to read both back from ``report.json`` files and diff, to save both in a fresh
embedded store and load ``previous``/``latest`` and diff, and to render the diff as Markdown and HTML;
plus the size of the diff. Median of 3 runs for each figure.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.analyses import run_analyses  # noqa: E402
from auditor.cli.diff import DIFF_FORMATS  # noqa: E402
from auditor.diff import diff, load_report  # noqa: E402
from auditor.graph import LandscapeGraph  # noqa: E402
from auditor.model import Integration, Scan  # noqa: E402
from auditor.result import ScanResult, to_document  # noqa: E402
from auditor.scoring import compute_scores  # noqa: E402
from auditor.stores.embedded import EmbeddedStore  # noqa: E402
from benchmarks.generator import generate  # noqa: E402

ORGANIZATION = "Benchmark Org"


def _result(graph: LandscapeGraph, settings: Any, scan_id: str, started_at: str) -> ScanResult:
    """A scan of ``graph``: every element attributed to one source and one integration per key, as the
    pipeline's linking produces (report.json and the store require both)."""
    graph = LandscapeGraph.build((replace(t, sources=("bench",)) for t in graph.tools.values()),
                                 {i.key: replace(i, sources=("bench",)) for i in graph.integrations}.values(),
                                 (replace(f, sources=("bench",)) for f in graph.flows), graph.organization)
    scan = Scan(scan_id, ORGANIZATION, started_at, started_at)
    findings = run_analyses(graph, settings)
    return ScanResult(scan, graph, findings, scores=compute_scores(graph, findings))


def _changed(graph: LandscapeGraph, rng: random.Random) -> LandscapeGraph:
    """2% of the tools removed (with their integrations), 2% added (each integrated), 2% re-priced."""
    ids = sorted(graph.tools)
    share = max(1, len(ids) // 50)
    removed = set(rng.sample(ids, share))
    repriced = set(rng.sample(sorted(set(ids) - removed), share))
    tools = [replace(t, annual_cost=(t.annual_cost or 0.0) + 1000.0) if t.id in repriced else t
             for t in graph.tools.values() if t.id not in removed]
    kept = [t.id for t in tools]
    integrations = [i for i in graph.integrations if not {i.source, i.target, i.via} & removed]
    for n in range(share):
        template = graph.tools[rng.choice(kept)]
        tools.append(replace(template, id=f"new-{n}", name=f"New tool {n}"))
        integrations.append(Integration(f"new-{n}", rng.choice(kept), "api"))
    flows = [replace(f, steps=tuple(replace(s, tools=tuple(t for t in s.tools if t not in removed))
                                    for s in f.steps)) for f in graph.flows]
    return LandscapeGraph.build(tools, integrations, flows, graph.organization)


def _median(func: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def bench(size: int) -> None:
    landscape = generate(seed=7, tools=size, flows=max(6, size // 100), steps=8)
    old = _result(landscape.graph, landscape.settings, "20261101T070000Z-aaaa", "2026-11-01T07:00:00+00:00")
    new = _result(_changed(landscape.graph, random.Random(7)), landscape.settings, "20261108T070000Z-bbbb",
                  "2026-11-08T07:00:00+00:00")
    seconds, result = _median(lambda: diff(old, new))
    counts = result.counts()
    print(f"N={size}: {len(old.graph.tools)} → {len(new.graph.tools)} tools, "
          f"{len(old.graph.integrations)} → {len(new.graph.integrations)} integrations, "
          f"{len(old.findings)} → {len(new.findings)} findings")
    print(f"  diff size: {counts}")
    print(f"  diff in memory:                 {seconds * 1000:8.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, scan in (("old.json", old), ("new.json", new)):
            (folder / name).write_text(json.dumps(to_document(scan)), encoding="utf-8")
        seconds, _ = _median(lambda: diff(load_report(folder / "old.json"), load_report(folder / "new.json")))
        print(f"  two report.json files + diff:   {seconds * 1000:8.1f} ms")
        with EmbeddedStore(ORGANIZATION, folder / "history.db") as store:
            store.save(old)
            store.save(new)
            seconds, _ = _median(lambda: diff(store.load("previous"), store.load("latest")))
        print(f"  embedded store load x2 + diff:  {seconds * 1000:8.1f} ms")
    for format_id in ("md", "html"):
        seconds, text = _median(lambda f=format_id: DIFF_FORMATS[f](result))  # type: ignore[misc]
        print(f"  render {format_id:<4}                    {seconds * 1000:8.1f} ms ({len(text) / 1024:.0f} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    for size in parser.parse_args().sizes:
        bench(size)


if __name__ == "__main__":
    main()
