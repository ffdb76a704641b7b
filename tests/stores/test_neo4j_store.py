"""The Neo4j store against a real Neo4j server: round trip, idempotency, stale removal, scoping."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from neo4j_server import Neo4jTarget, dump_graph

from auditor.analyses import AnalysisSettings, run_analyses
from auditor.cli.scan import demo_config_path
from auditor.config import load_config
from auditor.findingspec import FindingSpec, Message
from auditor.graph import LandscapeGraph
from auditor.model import Finding, Flow, Integration, Scan, SourceStatus, Step, Tool
from auditor.result import ScanResult, to_document
from auditor.stores.embedded import EmbeddedStore
from auditor.stores.neo4j import Neo4jStore
from connectors.prepare import scan_config

pytestmark = pytest.mark.neo4j

StoreFactory = Callable[..., Neo4jStore]


def org(prefix: str) -> str:
    """A fresh organization name, so tests never see each other's nodes on a shared server."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def demo_result(organization: str, scan_id: str = "20261101T070000Z-0001",
                started_at: str = "2026-11-01T07:00:00+00:00") -> ScanResult:
    """The bundled demo company scanned by the real pipeline, renamed to ``organization``."""
    config = replace(load_config(demo_config_path()), organization=organization)
    result = scan_config(config)
    return with_scan(result, scan_id, started_at)


def with_scan(result: ScanResult, scan_id: str, started_at: str) -> ScanResult:
    """The same landscape under another scan id and start time."""
    scan = replace(result.scan, id=scan_id, started_at=started_at, finished_at=started_at)
    graph = LandscapeGraph.build(result.graph.tools.values(), result.graph.integrations, result.graph.flows,
                                 scan.organization, result.graph.journeys, result.graph.kpis)
    return ScanResult(scan, graph, list(result.findings), dict(result.inventories), dict(result.scores),
                      dict(result.extra))


def without_tool(result: ScanResult, tool_id: str, scan_id: str, started_at: str) -> ScanResult:
    """The landscape with one tool (and everything that named it) removed, findings recomputed."""
    graph = result.graph
    tools = [t for t in graph.tools.values() if t.id != tool_id]
    integrations = [i for i in graph.integrations if tool_id not in (i.source, i.target, i.via)]
    flows = [Flow(f.id, f.name, tuple(replace(s, tools=tuple(t for t in s.tools if t != tool_id),
                                              inferred_tools=tuple(t for t in s.inferred_tools if t != tool_id))
                                      for s in f.steps), f.sources) for f in graph.flows]
    new_graph = LandscapeGraph.build(tools, integrations, flows, graph.organization, graph.journeys, graph.kpis)
    findings = run_analyses(new_graph, AnalysisSettings.from_config({}))
    scan = replace(result.scan, id=scan_id, started_at=started_at, finished_at=started_at)
    return ScanResult(scan, new_graph, findings, dict(result.inventories), dict(result.scores), dict(result.extra))


def document(result: ScanResult) -> dict[str, Any]:
    """The report document, the form users and the embedded store see."""
    return to_document(result)


def test_scan_read_back_from_neo4j_equals_the_embedded_store(neo4j_store: StoreFactory, tmp_path: Path) -> None:
    organization = org("Sakura")
    result = demo_result(organization)
    embedded = EmbeddedStore(organization, tmp_path / "auditor.db")
    embedded.save(result)
    from_embedded = embedded.load("latest")
    store = neo4j_store(organization)
    store.save(result)

    from_graph = store.load_graph(result.scan.id)
    loaded = store.load("latest")
    assert document(from_graph) == document(from_embedded)
    assert document(loaded) == document(from_embedded)
    assert [f.id for f in loaded.findings] == [f.id for f in from_embedded.findings]
    assert loaded.inventories == from_embedded.inventories
    # the analyses on the graph read back from Neo4j find exactly what they found on the embedded store
    settings = AnalysisSettings.from_config(load_config(demo_config_path()).analyses)
    assert run_analyses(from_graph.graph, settings) == run_analyses(from_embedded.graph, settings)
    assert {f.type for f in from_graph.findings} == {f.type for f in result.findings}


def test_saving_the_same_scan_twice_leaves_an_identical_graph(neo4j_store: StoreFactory,
                                                              neo4j_server: Neo4jTarget) -> None:
    organization = org("Twice")
    result = demo_result(organization)
    store = neo4j_store(organization)
    store.save(result)
    first = dump_graph(neo4j_server, organization)
    store.save(result)
    assert dump_graph(neo4j_server, organization) == first
    assert store.last_stats is not None and store.last_stats.written == 0
    assert [s.id for s in store.scans()] == [result.scan.id]


def test_a_rescan_of_an_unchanged_landscape_only_moves_the_update_tag(neo4j_store: StoreFactory,
                                                                       neo4j_server: Neo4jTarget) -> None:
    organization = org("Rescan")
    first = demo_result(organization)
    second = with_scan(first, "20261108T070000Z-0002", "2026-11-08T07:00:00+00:00")
    store = neo4j_store(organization)
    store.save(first)
    before = dump_graph(neo4j_server, organization, ignore=("lastupdated",))
    store.save(second)
    after = dump_graph(neo4j_server, organization, ignore=("lastupdated",))
    landscape = {n for n in after[0] if n[0] not in (("Scan",), ("Organization",))}
    assert landscape == {n for n in before[0] if n[0] not in (("Scan",), ("Organization",))}
    assert after[1] == before[1]
    assert len(landscape) > len(first.graph.tools) and after[1]  # the re-tag checks below are not vacuous
    assert store.last_stats is not None and store.last_stats.written == 0
    assert store.last_stats.touched == sum(store.last_stats.per_kind.values())
    tags = dump_graph(neo4j_server, organization)
    for labels, props in tags[0]:
        if labels not in (("Scan",), ("Organization",)):
            assert ("lastupdated", second.scan.id) in props
    for _, _, props, _ in tags[1]:
        assert ("lastupdated", second.scan.id) in props


def test_stale_elements_are_removed_and_the_previous_scan_stays_loadable(neo4j_store: StoreFactory,
                                                                          neo4j_server: Neo4jTarget) -> None:
    organization = org("Stale")
    first = demo_result(organization)
    removed = next(i.source for i in first.graph.integrations)
    second = without_tool(first, removed, "20261108T070000Z-0002", "2026-11-08T07:00:00+00:00")
    store = neo4j_store(organization)
    store.save(first)
    store.save(second)

    nodes, rels = dump_graph(neo4j_server, organization)
    tool_ids = {dict(props)["id"] for labels, props in nodes if labels == ("Tool",)}
    assert removed not in tool_ids
    assert tool_ids == set(second.graph.tools)
    assert not [r for r in rels if ("id", removed) in r[0][1] or ("id", removed) in r[3][1]]
    stale = [props for labels, props in nodes if labels not in (("Scan",), ("Organization",))
             and ("lastupdated", second.scan.id) not in props]
    assert stale == []
    assert store.last_stats is not None and store.last_stats.deleted > 0
    assert document(store.load("latest")) == document(second)
    assert document(store.load("previous")) == document(first)


def test_two_organizations_share_a_database_without_touching_each_other(neo4j_store: StoreFactory,
                                                                         neo4j_server: Neo4jTarget) -> None:
    name_a, name_b = org("Alpha"), org("Beta")
    a, b = demo_result(name_a), demo_result(name_b)
    store_a, store_b = neo4j_store(name_a), neo4j_store(name_b)
    store_a.save(a)
    store_b.save(b)
    graph_a = dump_graph(neo4j_server, name_a)
    # B drops a tool that A keeps (same ids in both organizations)
    dropped = next(iter(b.graph.tools))
    store_b.save(without_tool(b, dropped, "20261108T070000Z-0002", "2026-11-08T07:00:00+00:00"))
    assert dump_graph(neo4j_server, name_a) == graph_a
    assert dropped in store_a.load("latest").graph.tools
    assert dropped not in store_b.load("latest").graph.tools
    assert [s.id for s in store_a.scans()] == [a.scan.id]
    assert len(store_b.scans()) == 2


#: a plugin's finding type: stores keep its type, message code and parameters
STALE = FindingSpec("stale_tool", "Stale tools",
                    messages={"stale_tool": Message("{tool} has no users", "Retire it.{notes}")})


def tricky_result(organization: str) -> ScanResult:
    """A landscape whose ids and names hold quotes, backticks, braces, Cypher syntax and Unicode."""
    names = ["O'Reilly \"CRM\"", "back`tick` }) DETACH DELETE n //", "さくら会計 クラウド", "Zürich ✓ $param {x}"]
    tools = [Tool(id=name.lower(), name=name, vendor="Ven`dor's", category="crm", layers=("data",),
                  departments=("営業部", "Sales 'EMEA'"), owner="営業部", annual_cost=1.5, users=3,
                  sanctioned=index != 1, capabilities=("c'ap",), sources=("src`1",), aliases=(name.upper(),))
             for index, name in enumerate(names)]
    integrations = [Integration(tools[0].id, tools[1].id, "api", data=("顧客'",), sources=("src`1",)),
                    Integration(tools[1].id, tools[2].id, "file", via=tools[3].id, sources=("src`1",))]
    steps = (Step("受注", "受注 'order'", department="営業部", tools=(tools[0].id,), next=("ship`", "受注"),
                  kind="manual"),
             Step("ship`", "Ship \"it\"", department="Sales 'EMEA'", tools=(tools[2].id, tools[1].id), next=()))
    flows = [Flow("フロー'1", "Order → Cash `flow`", steps, ("src`1",))]
    findings = [Finding("f'1`", "silo", "high", "Silo: O'Reilly \"CRM\"", tools=(tools[0].id,), flow=flows[0].id,
                        steps=("受注",), departments=("営業部",), evidence={"why": "no `integration`", "n": 1},
                        recommendation="Integrate 'it'"),
                STALE.finding("stale_tool", {"tool": names[1], "notes": {"sentences": [
                    {"code": "retire_note", "params": {"tool": names[1], "keep": names[2]}}]}},
                    id="stale_tool-1", severity="low", tools=(tools[1].id,), evidence={"users": None})]
    scan = Scan("20261101T070000Z-tr1k", organization, "2026-11-01T07:00:00+00:00", "2026-11-01T07:00:01+00:00",
                (SourceStatus("src`1", "landscape", "ok", tools=4),))
    return ScanResult(scan, LandscapeGraph.build(tools, integrations, flows, organization), findings)


def test_names_with_quotes_backticks_and_unicode_round_trip(neo4j_store: StoreFactory,
                                                            neo4j_server: Neo4jTarget) -> None:
    organization = org("Org `x` 'y' \"z\" 株式会社")
    result = tricky_result(organization)
    store = neo4j_store(organization)
    store.save(result)
    store.save(result)
    assert document(store.load_graph(result.scan.id)) == document(result)
    stale = store.load_graph(result.scan.id).findings[1]
    assert (stale.type, stale.message_code, stale.message_params) == ("stale_tool", "stale_tool",
                                                                       result.findings[1].message_params)
    nodes, rels = dump_graph(neo4j_server, organization)
    assert {dict(p)["name"] for labels, p in nodes if labels == ("Tool",)} == {t.name for t in
                                                                             result.graph.tools.values()}
    assert sum(1 for r in rels if r[1] == "INTEGRATES_WITH") == 2


def test_scans_are_listed_oldest_first_and_can_be_deleted(neo4j_store: StoreFactory) -> None:
    organization = org("List")
    first = demo_result(organization)
    second = with_scan(first, "20261108T070000Z-0002", "2026-11-08T07:00:00+00:00")
    store = neo4j_store(organization)
    store.save(first)
    store.save(second)
    infos = store.scans()
    assert [(i.id, i.tools, i.findings) for i in infos] == [
        (first.scan.id, len(first.graph.tools), len(first.findings)),
        (second.scan.id, len(second.graph.tools), len(second.findings))]
    assert store.resolve_id("previous") == first.scan.id
    store.delete(first.scan.id)
    assert [i.id for i in store.scans()] == [second.scan.id]
    assert store.last_inventory("it-inventory") == (second.scan.id, second.inventories["it-inventory"])
    assert store.last_inventory("no-such-source") is None


def test_small_batches_write_the_same_graph(neo4j_store: StoreFactory, neo4j_server: Neo4jTarget) -> None:
    organization = org("Tiny")
    result = demo_result(organization)
    sizes: list[int] = []

    def progress(event: str, detail: str) -> None:
        if event == "batch":
            sizes.append(sum(int(part.rsplit(" ", 1)[1]) for part in detail.split(", ")))

    store = neo4j_store(organization, batch_size=3, max_batch=3, progress=progress)
    store.save(result)
    stats = store.last_stats
    assert stats is not None and stats.batches == len(sizes)
    assert max(sizes) <= 3 and sum(sizes) == sum(stats.per_kind.values())
    assert document(store.load_graph(result.scan.id)) == document(result)
