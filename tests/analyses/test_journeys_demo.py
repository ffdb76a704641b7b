"""The demo company's journey: one planted break of each kind, readiness and start here; and the same demo
without its journeys file gives exactly the findings it gave before journeys existed."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from auditor.cli.scan import demo_config_path
from auditor.config import load_config
from auditor.result import ScanResult
from auditor.serialize import to_data
from connectors.prepare import scan_config

NEW_TYPES = {"unmeasurable_kpi", "open_loop", "kpi_tree_gap"}


def _scan(config: Path) -> ScanResult:
    return scan_config(load_config(config))


def test_the_demo_plants_one_break_of_each_kind_and_ranks_the_loops_to_close(demo_result: ScanResult) -> None:
    result = demo_result  # the demo scanned by the same call, once per session (tests/demo_scan.py; read only)
    found = sorted((f.type, f.evidence["rule"], f.evidence.get("kpi") or f.flow) for f in result.findings
                   if f.type in NEW_TYPES)
    assert found == [("kpi_tree_gap", "contributes_to_nothing", "csat"),
                     ("open_loop", "cannot_act", "issue-to-resolution"),
                     ("open_loop", "cannot_act", "order-to-delivery"),
                     ("unmeasurable_kpi", "no_path", "resolution-time")]
    measurement = result.extra["measurement"]
    assert len(result.graph.kpis) == 10 and {k.level for k in result.graph.kpis} == {"touchpoint", "journey",
                                                                                       "relationship"}
    assert {f: v["readiness"] for f, v in measurement["individual_journeys"].items()} == {
        "order-to-delivery": 83, "issue-to-resolution": 71, "lead-to-cash": 100}
    assert measurement["journeys"]["sakura-customer"]["readiness"] == 84
    assert [(e["flow"], e["actions"], e["closes"]) for e in measurement["start_here"]] == [
        ("order-to-delivery", [{"stage": "act", "connect": ["tableau", "shopify"]}], True),
        ("issue-to-resolution", [{"stage": "act", "connect": ["tableau", "karakuri"]}], True)]


def test_the_demo_without_journeys_gives_exactly_the_other_findings(demo_result: ScanResult, tmp_path: Path) -> None:
    demo = demo_config_path().parent
    shutil.copytree(demo, tmp_path / "demo")
    (tmp_path / "demo" / "landscape" / "journeys.yaml").unlink()
    without = _scan(tmp_path / "demo" / demo_config_path().name)
    with_journeys = demo_result  # scan_config(load_config(demo_config_path())), once per session
    assert "measurement" not in without.extra and not without.graph.kpis
    assert [to_data(f) for f in without.findings] == [to_data(f) for f in with_journeys.findings
                                                      if f.type not in NEW_TYPES]
    assert without.scores == with_journeys.scores


def test_the_starter_journey_example_scans_once_uncommented(tmp_path: Path) -> None:
    starter = demo_config_path().parents[1] / "starter"
    shutil.copy(starter / "auditor.yaml", tmp_path / "auditor.yaml")
    text = (starter / "landscape.yaml").read_text(encoding="utf-8")
    text = text.replace("        requires: [data, automation]\n",
                        "        requires: [data, automation]\n        customer_facing: true\n", 1)
    head, block = text.split("# journeys:")
    lines = ("# journeys:" + block).splitlines()
    text = head + "\n".join(line[2:] if line.startswith("# ") else "" if line == "#" else line for line in lines)
    assert yaml.safe_load(text)["kpis"]
    (tmp_path / "landscape.yaml").write_text(text, encoding="utf-8")
    result = _scan(tmp_path / "auditor.yaml")
    assert len(result.graph.kpis) == 3
    assert {(f.type, f.evidence.get("rule")) for f in result.findings if f.type in NEW_TYPES} == {
        ("open_loop", "cannot_learn"), ("unmeasurable_kpi", "no_producer")}
