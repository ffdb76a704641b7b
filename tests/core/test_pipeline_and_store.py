"""Pipeline end to end on the demo company, report schema, stable ids, the embedded store."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from auditor.cli.scan import demo_config_path
from auditor.config import load_config
from auditor.result import to_document
from auditor.stores.base import StoreError
from auditor.stores.embedded import EmbeddedStore
from auditor.validation import validate_data
from connectors.prepare import scan_config
from reports.registry import render_all


def test_demo_company_is_realistic(demo_result):
    graph = demo_result.graph
    assert len(graph.tools) >= 40
    assert len(graph.departments) >= 5
    assert len(graph.flows) == 3 and all(6 <= len(f.steps) <= 10 for f in graph.flows)
    assert any(not t.name.isascii() for t in graph.tools.values())
    assert {f.type for f in demo_result.findings} == {"missing_integration", "manual_handoff", "silo", "duplicate",
                                                     "coverage_gap", "shadow_it", "bottleneck", "unmeasurable_kpi",
                                                     "open_loop", "kpi_tree_gap"}
    assert [s.status for s in demo_result.scan.sources] == ["ok", "ok", "ok"]


def test_demo_sources_resolve_into_one_tool_each(demo_result):
    salesforce = demo_result.graph.tools["salesforce"]
    assert salesforce.sources == ("card-spend", "it-inventory", "okta")
    assert {"Salesforce.com", "SALESFORCE.COM INC*SFDC"} <= set(salesforce.aliases)
    shadow = {f.tools[0] for f in demo_result.findings if f.type == "shadow_it"}
    assert {"adobe-creative-cloud", "notion", "figma", "canva"} <= shadow
    assert "salesforce" not in shadow


def test_report_json_matches_its_schema(demo_result, tmp_path):
    render_all(demo_result, tmp_path, ["json", "md"])
    document = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert validate_data(document, "report.schema.json") == []
    assert list(document)[:7] == ["schema_version", "scan", "summary", "tools", "integrations", "flows",
                                  "departments"]
    hubspot = next(t for t in document["tools"] if t["id"] == "hubspot")
    assert hubspot["sources"] == ["it-inventory", "okta"]
    assert "# Digital-foundation audit: Sakura Retail KK" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_a_broken_report_fails_the_schema(demo_result):
    document = to_document(demo_result)
    document["findings"][0]["severity"] = "apocalyptic"
    del document["tools"][0]["sources"]
    errors = validate_data(document, "report.schema.json")
    assert len(errors) == 2


def _shuffled_copy(src: Path, dst: Path, seed: int) -> Path:
    """Copy the demo config and landscape with every top-level list shuffled."""
    dst.mkdir()
    (dst / "landscape").mkdir()
    rng = random.Random(seed)
    for path in sorted((src.parent / "landscape").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for items in data.values():
            rng.shuffle(items)
        (dst / "landscape" / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for path in src.parent.iterdir():
        if path.is_file() and path.suffix in {".yaml", ".json", ".csv"}:
            shutil.copyfile(path, dst / path.name)
    return dst / "auditor.yaml"


def _without_plan(config: Path) -> Path:
    """``config`` with the plan off: made after the findings, it changes none, and it is nine tenths of the demo's
    scan (the scans compared with keep theirs)."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.setdefault("analyses", {})["plan"] = {"enabled": False}
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


def test_finding_ids_are_stable_across_runs_and_input_order(demo_result, tmp_path):
    again = scan_config(load_config(demo_config_path()))
    shuffled = scan_config(load_config(_without_plan(_shuffled_copy(demo_config_path(), tmp_path / "s", seed=7))))
    assert "plan" in again.extra and "plan" not in shuffled.extra
    ids = [f.id for f in demo_result.findings]
    assert ids == [f.id for f in again.findings]
    assert sorted(ids) == sorted(f.id for f in shuffled.findings)
    assert len(set(ids)) == len(ids)


def test_embedded_store_round_trips_a_whole_scan(demo_result, tmp_path):
    with EmbeddedStore("Sakura Retail KK", tmp_path / "a.db") as store:
        store.save(demo_result)
        loaded = store.load("latest")
    assert to_document(loaded) == to_document(demo_result)
    assert loaded.inventories == demo_result.inventories


def test_opening_an_embedded_store_adds_a_missing_table_and_changes_nothing_in_a_complete_one(demo_result, tmp_path):
    path = tmp_path / "a.db"
    EmbeddedStore("Sakura Retail KK", path).close()
    with sqlite3.connect(path) as db:  # a store written before the table existed
        db.execute("DROP TABLE sources")
    with EmbeddedStore("Sakura Retail KK", path) as store:
        store.save(demo_result)
        assert store.load("latest").inventories == demo_result.inventories
    complete = path.read_bytes()
    with EmbeddedStore("Sakura Retail KK", path) as store:
        assert [s.id for s in store.scans()] == [demo_result.scan.id]
    assert path.read_bytes() == complete


def test_a_light_load_reads_findings_now_and_the_rest_only_when_asked(demo_result, tmp_path):
    with EmbeddedStore("Sakura Retail KK", tmp_path / "a.db") as store:
        store.save(demo_result)
        light = store.load_light("latest")
        assert "graph" not in vars(light) and "inventories" not in vars(light)  # not read yet
        assert (light.scan, light.findings, light.scores, light.extra) == (
            demo_result.scan, demo_result.findings, demo_result.scores, demo_result.extra)
        assert light.summary() == demo_result.summary()  # asks for the graph: read from the store now
        assert "graph" in vars(light)
        assert to_document(light) == to_document(demo_result)
        assert light.inventories == demo_result.inventories
        unread = store.load_light("latest")
    with pytest.raises(StoreError, match="cannot read scan"):  # the store was closed before anyone asked
        _ = unread.graph
    assert unread.findings == demo_result.findings


def test_store_scopes_by_organization_and_resolves_references(demo_result, tmp_path):
    path = tmp_path / "a.db"
    with EmbeddedStore("Sakura Retail KK", path) as store:
        store.save(demo_result)
        with pytest.raises(StoreError, match="no previous scan"):
            store.resolve_id("previous")
        assert store.resolve_id(demo_result.scan.id[:10]) == demo_result.scan.id
    with EmbeddedStore("Other Org", path) as other:
        assert other.scans() == []
        with pytest.raises(StoreError, match="no scans stored yet"):
            other.load("latest")


def test_a_failed_save_leaves_nothing_half_written(demo_result, tmp_path):
    with EmbeddedStore("Sakura Retail KK", tmp_path / "a.db") as store:
        store.save(demo_result)
        with pytest.raises(StoreError):
            store.save(demo_result)  # same scan id: the scans row conflicts, everything rolls back
        assert len(store.scans()) == 1
        counts = [store._db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("tools", "findings")]
    assert counts == [len(demo_result.graph.tools), len(demo_result.findings)]


def test_a_save_failing_halfway_leaves_nothing_of_it(demo_result, tmp_path):
    from dataclasses import replace

    first = demo_result.graph.integrations[0]  # twice: the integrations insert fails after scans and tools went in
    graph = replace(demo_result.graph, integrations=(first, *demo_result.graph.integrations))
    broken = replace(demo_result, scan=replace(demo_result.scan, id="20261203T000000Z-0002"), graph=graph)
    with EmbeddedStore("Sakura Retail KK", tmp_path / "a.db") as store:
        store.save(demo_result)
        with pytest.raises(StoreError, match="UNIQUE constraint failed: integrations"):
            store.save(broken)
        assert [s.id for s in store.scans()] == [demo_result.scan.id]
        columns = {"scans": "id", "tools": "scan_id", "integrations": "scan_id", "flows": "scan_id",
                   "findings": "scan_id", "sources": "scan_id"}
        counts = {t: store._db.execute(f"SELECT count(*) FROM {t} WHERE {c} = ?", (broken.scan.id,)).fetchone()[0]
                  for t, c in columns.items()}
    assert counts == {t: 0 for t in counts}


def test_a_failing_source_keeps_what_it_reported_before(tmp_path):
    (tmp_path / "main.yaml").write_text("tools:\n  - {id: crm, name: CRM}\n", encoding="utf-8")
    (tmp_path / "extra.yaml").write_text("tools:\n  - {id: bi, name: BI tool}\n", encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text(
        "organization: X\nsources:\n  - {name: main, type: landscape, path: main.yaml}\n"
        "  - {name: extra, type: landscape, path: extra.yaml}\n", encoding="utf-8")
    config = load_config(tmp_path / "auditor.yaml")
    with EmbeddedStore("X", tmp_path / "s.db") as store:
        first = scan_config(config, store)
        store.save(first)
        (tmp_path / "extra.yaml").unlink()
        second = scan_config(config, store)
    statuses = {s.name: (s.status, s.carried_over_from) for s in second.scan.sources}
    assert statuses == {"main": ("ok", None), "extra": ("failed", first.scan.id)}
    assert "landscape file not found" in (second.scan.sources[1].error or "")
    assert set(second.graph.tools) == {"crm", "bi"}


def test_costs_add_up_within_a_source_and_not_across_sources(tmp_path):
    (tmp_path / "inv.yaml").write_text("tools:\n  - {id: adobe-cc, name: Adobe Creative Cloud, annual_cost: 5000}\n",
                                       encoding="utf-8")
    (tmp_path / "spend.csv").write_text(
        "Timestamp,Merchant,Amount,MCC,Category,Tag\n"
        "2026-01-01 10:00:00,ADOBE *CREATIVE CLD,3000,5734,Software,Marketing\n"
        "2026-12-31 10:00:00,ADOBE  *ADOBE CREATIVE CLOUD,3000,5734,Software,Design\n", encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text(
        "organization: X\nsources:\n  - {name: inv, type: landscape, path: inv.yaml}\n"
        "  - {name: spend, type: spend, path: spend.csv}\n", encoding="utf-8")
    result = scan_config(load_config(tmp_path / "auditor.yaml"))
    (tool,) = result.graph.tools.values()
    assert tool.sources == ("inv", "spend")
    assert len(tool.aliases) == 3
    assert tool.annual_cost == 6000.0  # the card's two descriptors add up; the inventory's 5000 is the same spend


def test_branching_flows_round_trip_through_report_json_and_the_embedded_store(tmp_path):
    landscape = Path(__file__).resolve().parents[1] / "data" / "analyses" / "branching-flow" / "landscape.yaml"
    config = tmp_path / "auditor.yaml"
    config.write_text(f"organization: Branches\nsources:\n  - {{name: l, type: landscape, path: {landscape}}}\n",
                      encoding="utf-8")
    result = scan_config(load_config(config))
    assert [s.next for s in result.graph.flows[0].steps] == [None, ("pay", "clarify"), ("approve",), None]
    render_all(result, tmp_path, ["json"])
    document = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert validate_data(document, "report.schema.json") == []
    assert document["flows"][0]["steps"][1]["next"] == ["pay", "clarify"]
    with EmbeddedStore("Branches", tmp_path / "a.db") as store:
        store.save(result)
        loaded = store.load("latest")
    assert loaded.graph.flows == result.graph.flows
