"""Exported BPMN opens in bpmn.io: the bpmn-js viewer (tests/data/bpmn/SOURCES.md) imports it in real
headless Chromium without errors or warnings and draws every step, hand-off and annotation; the two
real Camunda Modeler files are the control."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.result import ScanResult
from reports.bpmn_export import flow_bpmn

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"
VIEWER = DATA / "bpmn" / "bpmn-js" / "bpmn-viewer.production.min.js"
CHROMIUM = "/usr/bin/chromium"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><script src="{viewer}"></script></head>
<body><div id="canvas" style="width:1600px;height:900px"></div></body></html>"""
IMPORT = """async (xml) => {
  const viewer = new BpmnJS({container: '#canvas'});
  try {
    const result = await viewer.importXML(xml);
    const registry = viewer.get('elementRegistry');
    return {warnings: result.warnings.map(w => w.message), types: registry.getAll().map(e => e.type)};
  } catch (error) { return {error: String(error), warnings: (error.warnings || []).map(w => w.message)}; }
}"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is missing: run `make system` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    html = tmp_path_factory.mktemp("viewer") / "viewer.html"
    html.write_text(PAGE.format(viewer=VIEWER.as_uri()), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        tab = browser.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(html.as_uri())
        yield tab, errors
        browser.close()


def imported(page_and_errors, xml: str) -> dict:
    tab, errors = page_and_errors
    result = tab.evaluate(IMPORT, xml)
    assert errors == []
    return json.loads(json.dumps(result))


@pytest.mark.parametrize("name", ["invoice.v2.bpmn", "job-announcement.bpmn"])
def test_the_viewer_opens_the_real_camunda_files(page, name: str) -> None:
    result = imported(page, (DATA / "realworld" / "bpmn" / name).read_text(encoding="utf-8"))
    assert "error" not in result and result["warnings"] == [] and "bpmn:UserTask" in result["types"]


def test_the_viewer_opens_every_exported_demo_flow_without_warnings(page, demo_result: ScanResult) -> None:
    for flow in demo_result.graph.flows:
        result = imported(page, flow_bpmn(demo_result, flow).decode("utf-8"))
        assert "error" not in result and result["warnings"] == [], (flow.id, result)
        types = result["types"]
        assert sum(1 for t in types if t.endswith("Task") or t == "bpmn:Task") == len(flow.steps), flow.id
        assert types.count("bpmn:SequenceFlow") >= len(flow.handoffs()), flow.id
        assert types.count("bpmn:TextAnnotation") == sum(1 for f in demo_result.findings if f.flow == flow.id)
        assert "bpmn:Lane" in types and "bpmn:Participant" in types
