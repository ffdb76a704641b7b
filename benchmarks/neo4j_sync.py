"""Benchmark the Neo4j store's sync: batched UNWIND…MERGE vs one query per element, and a re-sync.

Usage::

    .venv/bin/python benchmarks/neo4j_sync.py [--sizes 1000 10000] [--naive-seconds 30]

Uses the server named by ``NEO4J_URI`` (``NEO4J_USER``/``NEO4J_PASSWORD``) if set, else starts the
test server from ``scripts/neo4j-test-server.sh``. Each landscape has N tools, 10 integrations per
tool, N/100 flows of 10 steps and N/20 findings. Prints graph elements (nodes + relationships) per
second for: the first batched sync, a re-sync of the unchanged landscape (new scan id), and the
naive sync (one auto-commit query per element, stopped after ``--naive-seconds``). The batched syncs
run ``--rounds`` times per size: the first round shows a cold server (query compilation, JIT), the
later ones a warm server, as in daily use.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

from auditor.analyses.registry import finding_types
from auditor.graph import LandscapeGraph
from auditor.model import LAYERS, Finding, Flow, Integration, Scan, SourceStatus, Step, Tool
from auditor.result import ScanResult
from auditor.stores.neo4j import Neo4jStore
from auditor.stores.neo4j import schema as s
from auditor.stores.neo4j.rows import scan_rows

KINDS = ("api", "etl", "event", "file", "ipaas", "sso", "manual")


def generate(tools: int, organization: str, scan_id: str, seed: int = 7) -> ScanResult:
    """A synthetic landscape: ``tools`` tools, 10 integrations each, flows, departments and findings."""
    rng = random.Random(seed)
    departments = [f"Department {i:02d}" for i in range(20)]
    categories = [f"category-{i:02d}" for i in range(30)]
    items = []
    for i in range(tools):
        items.append(Tool(
            id=f"tool-{i:05d}", name=f"Tool {i:05d}", vendor=f"Vendor {i % 400}", category=rng.choice(categories),
            layers=tuple(sorted(rng.sample(LAYERS, rng.randint(1, 2)))),
            departments=tuple(sorted(rng.sample(departments, rng.randint(1, 3)))), owner=rng.choice(departments),
            annual_cost=float(rng.randint(0, 100_000)), users=rng.randint(1, 5000), sanctioned=rng.random() > 0.1,
            capabilities=(f"cap-{i % 50}",), sources=("inventory",), aliases=(f"T{i}",)))
    offsets = (1, 2, 3, 5, 8, 13, 21, 34, 55, 89)
    integrations = [Integration(f"tool-{i:05d}", f"tool-{(i + k) % tools:05d}", KINDS[(i + k) % len(KINDS)],
                                data=("customer",), sources=("inventory",))
                    for i in range(tools) for k in offsets]
    flows = []
    for f in range(max(1, tools // 100)):
        steps = tuple(Step(f"s{j}", f"Step {j}", department=rng.choice(departments),
                           tools=tuple(sorted({f"tool-{rng.randrange(tools):05d}" for _ in range(2)})))
                      for j in range(10))
        flows.append(Flow(f"flow-{f:04d}", f"Flow {f}", steps, ("inventory",)))
    findings = [Finding(f"finding-{i:05d}", finding_types()[i % len(finding_types())], "medium", f"Finding {i}",
                        tools=(f"tool-{i:05d}", f"tool-{(i + 1) % tools:05d}"), flow=flows[i % len(flows)].id,
                        steps=("s1",), departments=(departments[i % 20],), evidence={"n": i})
                    for i in range(max(1, tools // 20))]
    scan = Scan(scan_id, organization, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00",
                (SourceStatus("inventory", "landscape", "ok", tools=tools),))
    return ScanResult(scan, LandscapeGraph.build(items, integrations, flows, organization), findings)


def naive_sync(store: Neo4jStore, result: ScanResult, budget: float) -> tuple[int, float]:
    """One auto-commit query per element (node MERGE, then relationship MERGE); stops after ``budget`` s."""
    rows = scan_rows(result)
    done = 0
    started = time.perf_counter()
    with store.driver.session(database=store.database) as session:
        work = [(s.merge_nodes(n), row) for n in s.NODES for row in rows.nodes[n.label]]
        work += [(s.merge_rels(r), row) for r in s.RELATIONSHIPS for row in rows.rels[r.name]]
        for query, row in work:
            session.run(query, rows=[row], organization=store.organization, tag=result.scan.id).consume()
            done += 1
            if time.perf_counter() - started > budget:
                break
    return done, time.perf_counter() - started


def drop_organization(store: Neo4jStore) -> None:
    """Delete every node of the store's organization, in batches."""
    while True:
        records, _, _ = store.driver.execute_query(
            "MATCH (n {organization: $organization}) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c",
            organization=store.organization, database_=store.database)
        if records[0]["c"] == 0:
            return


def batched_round(uri: str, user: str, password: str | None, size: int) -> tuple[int, float, float, Any]:
    """One batched first sync and one re-sync of an unchanged landscape, in a fresh organization."""
    org = f"bench-{size}-{random.randrange(1 << 30):x}"
    first = generate(size, org, "scan-1")
    second = generate(size, org, "scan-2")
    elements = scan_rows(first).count()
    with Neo4jStore(org, uri, user, password) as store:
        started = time.perf_counter()
        store.save(first)
        sync_s = time.perf_counter() - started
        started = time.perf_counter()
        store.save(second)
        resync_s = time.perf_counter() - started
        stats = store.last_stats
        drop_organization(store)
    return elements, sync_s, resync_s, stats


def bench(uri: str, auth: tuple[str, str] | None, sizes: list[int], naive_seconds: float, rounds: int) -> None:
    """Run the benchmark: ``rounds`` batched rounds per size (the server warms up), then the naive sync."""
    user, password = auth if auth else ("neo4j", None)
    warmup = f"bench-warmup-{random.randrange(1 << 30):x}"
    with Neo4jStore(warmup, uri, user, password) as store:
        started = time.perf_counter()
        store.engine().ensure_constraints()
        print(f"constraints (once per database): {time.perf_counter() - started:.2f} s")
    for round_number in range(1, rounds + 1):
        for size in sizes:
            elements, sync_s, resync_s, stats = batched_round(uri, user, password, size)
            print(f"round {round_number}: {size} tools, {size * 10} integrations, {elements} graph elements")
            print(f"  batched first sync : {sync_s:8.2f} s  {elements / sync_s:10.0f} elements/s")
            print(f"  re-sync unchanged  : {resync_s:8.2f} s  {elements / resync_s:10.0f} elements/s "
                  f"(written {stats.written if stats else '?'}, re-tagged {stats.touched if stats else '?'})",
                  flush=True)
    for size in sizes:
        org = f"bench-naive-{size}-{random.randrange(1 << 30):x}"
        first = generate(size, org, "scan-1")
        elements = scan_rows(first).count()
        with Neo4jStore(org, uri, user, password) as naive:
            done, naive_s = naive_sync(naive, first, naive_seconds)
            drop_organization(naive)
        print(f"naive one query per element, {size} tools: {naive_s:8.2f} s  {done / naive_s:10.0f} elements/s "
              f"({done} of {elements} elements{'' if done == elements else ', stopped at the time budget'})",
              flush=True)


def main() -> None:
    """Parse options, find or start a server, run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--naive-seconds", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=2, help="batched rounds per size (later ones: warm server)")
    parser.add_argument("--heap", default="2g", help="heap of the test server started here")
    args = parser.parse_args()
    import os

    uri = os.environ.get("NEO4J_URI")
    if uri:
        password = os.environ.get("NEO4J_PASSWORD")
        auth = (os.environ.get("NEO4J_USER", "neo4j"), password) if password else None
        with GraphDatabase.driver(uri, auth=auth) as driver:
            driver.verify_connectivity()
        bench(uri, auth, args.sizes, args.naive_seconds, args.rounds)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from neo4j_server import Neo4jTestServer

    with tempfile.TemporaryDirectory() as home:
        server = Neo4jTestServer(Path(home), heap=args.heap, conf=("server.memory.pagecache.size=512m",))
        server.start()
        print(f"test server ready in {server.startup_seconds:.1f} s at {server.uri}")
        try:
            bench(server.uri, None, args.sizes, args.naive_seconds, args.rounds)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
