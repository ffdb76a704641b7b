"""Journeys and KPIs in the Neo4j store, against the real server: nodes, edges, read back from the graph and
from a snapshot."""

from __future__ import annotations

import pytest
from neo4j_server import Neo4jTarget, dump_graph
from test_neo4j_store import StoreFactory, demo_result, org, with_scan

pytestmark = pytest.mark.neo4j


def test_journeys_kpis_and_their_edges_are_in_the_graph_and_read_back(neo4j_store: StoreFactory,
                                                                        neo4j_server: Neo4jTarget) -> None:
    organization = org("Journeys")
    first = demo_result(organization)
    store = neo4j_store(organization)
    store.save(first)
    nodes, rels = dump_graph(neo4j_server, organization)
    kpis = {dict(p)["id"]: dict(p) for labels, p in nodes if labels == ("Kpi",)}
    assert set(kpis) == {k.id for k in first.graph.kpis}
    assert kpis["resolution-time"]["status"] == "unmeasurable" and kpis["ltv"]["status"] == "measurable"
    journeys = [dict(p) for labels, p in nodes if labels == ("Journey",)]
    assert [(j["id"], j["readiness"]) for j in journeys] == [("sakura-customer", 84)]
    edges = {(a[0], t, b[0]) for a, t, _, b in rels if t in ("INCLUDES", "MEASURES", "COMPUTED_IN",
                                                            "CONTRIBUTES_TO", "CONCERNS")}
    assert (("Journey",), "INCLUDES", ("Flow",)) in edges
    assert {(("Kpi",), "MEASURES", end) for end in (("Step",), ("Flow",), ("Journey",))} <= edges
    assert {(("Kpi",), "COMPUTED_IN", ("Tool",)), (("Kpi",), "CONTRIBUTES_TO", ("Kpi",)),
            (("Finding",), "CONCERNS", ("Kpi",))} <= edges
    assert sum(1 for _, t, _, _ in rels if t == "CONTRIBUTES_TO") == 8  # all ten but CSAT and the top one
    loaded = store.load("latest")
    assert loaded.graph.journeys == first.graph.journeys and loaded.graph.kpis == first.graph.kpis
    assert loaded.extra["measurement"] == first.extra["measurement"]
    store.save(with_scan(first, "20261108T070000Z-0002", "2026-11-08T07:00:00+00:00"))
    previous = store.load("previous")  # from the first scan's snapshot
    assert previous.graph.kpis == first.graph.kpis and previous.graph.journeys == first.graph.journeys
