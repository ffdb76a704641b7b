"""``auditor export bpmn``: a flow as BPMN 2.0 that validates against the OMG XSD (as shipped by
bpmn-moddle, tests/data/bpmn/SOURCES.md), carries its tools and findings, and the ``bpmn`` source
reads back into the same flow with the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

from auditor.cli import main
from auditor.config import load_config
from auditor.graph import LandscapeGraph
from auditor.model import Flow, Scan, Step
from auditor.result import ScanResult
from connectors.prepare import scan_config
from reports.bpmn_export import flow_bpmn

XSD = Path(__file__).resolve().parents[1] / "data" / "bpmn" / "xsd" / "BPMN20.xsd"
TOOLS = """
tools:
  - {id: shop, name: Shopify Plus, category: ecommerce}
  - {id: erp, name: "NetSuite & Co <ERP>", category: erp}
  - {id: mail, name: Mail Desk, category: email}
  - {id: bank, name: Bank Portal, category: banking}
integrations:
  - {from: shop, to: erp, kind: api}
  - {from: erp, to: bank, kind: manual}
"""
FLOWS = """
flows:
  - id: order
    name: Order to cash
    steps:
      - {id: 1st-order, name: "Take order", department: Sales, tools: [shop], customer_facing: true, kind: user}
      - {id: approve, name: Approve, department: Finance, tools: [erp], next: [pay, clarify], kind: manual}
      - {id: clarify, name: 'Clarify "why" & <how>', tools: [mail], next: approve, requires: [data]}
      - {id: pay, name: Pay, department: Finance, tools: [bank], kind: rpa}
      - {id: gap, name: Nobody's step, department: Sales, next: []}
"""


def scan(folder: Path, sources: str) -> ScanResult:
    config = folder / "auditor.yaml"
    config.write_text(f"organization: Export\nsources:\n{sources}store:\n  type: embedded\n", encoding="utf-8")
    return scan_config(load_config(config))


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    folder = tmp_path_factory.mktemp("original")
    (folder / "landscape.yaml").write_text(TOOLS + FLOWS, encoding="utf-8")
    return scan(folder, "  - {name: landscape, type: landscape, path: landscape.yaml}\n")


@pytest.fixture(scope="module")
def bpmn_xsd() -> xmlschema.XMLSchema:
    """The OMG BPMN 2.0 XSD, parsed once per module (0.3 s each time; validating with it changes nothing in it)."""
    return xmlschema.XMLSchema(XSD)


def the_flow(result: ScanResult) -> Flow:
    [flow] = result.graph.flows
    return flow


def test_the_export_validates_against_the_bpmn_xsd(original: ScanResult, bpmn_xsd: xmlschema.XMLSchema,
                                                   tmp_path: Path) -> None:
    path = tmp_path / "order.bpmn"
    path.write_bytes(flow_bpmn(original, the_flow(original)))
    assert [e.reason for e in bpmn_xsd.iter_errors(str(path))] == []


def test_the_xsd_catches_a_broken_export(original: ScanResult, bpmn_xsd: xmlschema.XMLSchema, tmp_path: Path) -> None:
    path = tmp_path / "order.bpmn"
    path.write_bytes(flow_bpmn(original, the_flow(original)).replace(b"<bpmn:startEvent", b"<bpmn:startEvnt", 1)
                     .replace(b"</bpmn:startEvent", b"</bpmn:startEvnt", 1))
    assert not bpmn_xsd.is_valid(str(path))


def test_findings_become_annotations_on_their_handoff_or_step(original: ScanResult) -> None:
    text = flow_bpmn(original, the_flow(original)).decode("utf-8")
    findings = [f for f in original.findings if f.flow == "order"]
    assert findings and text.count("<bpmn:textAnnotation ") == len(findings)
    assert text.count("<bpmn:association ") == len([f for f in findings if f.steps])
    assert "NetSuite &amp; Co &lt;ERP&gt;" in text  # escaped, never raw markup
    assert 'name="missing"' in text and 'name="manual"' in text
    assert "<auditor:id>1st-order</auditor:id>" in text  # not an XML id: kept as an extension element


def test_reimported_it_is_the_same_flow_with_the_same_findings(original: ScanResult, tmp_path: Path) -> None:
    (tmp_path / "order.bpmn").write_bytes(flow_bpmn(original, the_flow(original)))
    (tmp_path / "landscape.yaml").write_text(TOOLS, encoding="utf-8")
    again = scan(tmp_path, "  - {name: landscape, type: landscape, path: landscape.yaml}\n"
                           "  - {name: model, type: bpmn, path: order.bpmn}\n")
    before, after = the_flow(original), the_flow(again)
    assert (after.id, after.name) == (before.id, before.name)

    def steps(flow: Flow) -> set[tuple[object, ...]]:
        return {(s.id, s.name, s.department, s.tools, s.requires, s.customer_facing, s.kind) for s in flow.steps}

    assert steps(after) == steps(before)
    assert {(a.id, b.id) for a, b in after.handoffs()} == {(a.id, b.id) for a, b in before.handoffs()}
    assert sorted(f.id for f in again.findings if f.flow == "order") == sorted(
        f.id for f in original.findings if f.flow == "order")


def test_the_command_writes_every_flow_of_the_stored_scan(original: ScanResult, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "landscape.yaml").write_text(TOOLS + FLOWS, encoding="utf-8")
    scan(tmp_path, "  - {name: landscape, type: landscape, path: landscape.yaml}\n")  # writes auditor.yaml
    assert CliRunner().invoke(main, ["scan", "-f", "json"], catch_exceptions=False).exit_code == 0  # stores it
    result = CliRunner().invoke(main, ["export", "bpmn", "--out", "out"], catch_exceptions=False)
    assert result.exit_code == 0 and (tmp_path / "out" / "flow-order.bpmn").exists()
    wrong = CliRunner().invoke(main, ["export", "bpmn", "--flow", "nope"], catch_exceptions=False)
    assert wrong.exit_code == 2 and "no flow 'nope'" in wrong.output and "flows: order" in wrong.output


@pytest.mark.parametrize("steps", [(), (Step("only", "Only one"),)])
def test_empty_and_one_step_flows_export_valid_bpmn(bpmn_xsd: xmlschema.XMLSchema, tmp_path: Path,
                                                    steps: tuple[Step, ...]) -> None:
    flow = Flow("tiny", "Tiny", steps)
    result = ScanResult(Scan("s", "Org", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00"),
                        LandscapeGraph.build([], [], [flow], "Org"), [])
    path = tmp_path / "tiny.bpmn"
    path.write_bytes(flow_bpmn(result, flow))
    assert [e.reason for e in bpmn_xsd.iter_errors(str(path))] == []
