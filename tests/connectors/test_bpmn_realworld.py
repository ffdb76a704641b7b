"""The bpmn source on two real Camunda Modeler files (tests/data/realworld/bpmn/SOURCES.md): steps,
departments, tools and hand-offs, including the loops back through the clarification and review gateways."""

from __future__ import annotations

from pathlib import Path

from auditor.config import load_config
from auditor.model import FlowRecord, Inventory
from auditor.pipeline import run_scan
from connectors.base import ConnectorContext
from connectors.bpmn import BpmnConnector, BpmnSettings
from connectors.registry import load

DATA = Path(__file__).parent.parent / "data" / "realworld" / "bpmn"


def collect(name: str) -> Inventory:
    return BpmnConnector(BpmnSettings(path=name), ConnectorContext("processes", DATA)).collect()


def handoffs(flow: FlowRecord) -> set[tuple[str, str]]:
    names = {s.id: s.name for s in flow.steps}
    return {(s.name, names[n]) for s in flow.steps for n in s.next or ()}


def test_registered_as_a_local_source() -> None:
    assert load("bpmn") is BpmnConnector


def test_invoice_steps_lanes_kinds_and_the_data_store_tool() -> None:
    [flow] = collect("invoice.v2.bpmn").flows
    assert (flow.id, flow.name) == ("invoice", "Invoice Receipt")
    steps = {s.name: (s.department, s.kind, s.tools) for s in flow.steps}
    assert steps == {
        "Assign Approver Group": ("Team Assistant", "automated", ()),  # business rule task
        "Approve Invoice": ("Approver", "user", ()),
        "Review Invoice": ("Team Assistant", "call", ()),  # call activity: the clarification
        "Prepare Bank Transfer": ("Accountant", "user", ("Financial Accounting System",)),
        "Archive Invoice": ("Accountant", "automated", ()),  # service task
    }
    assert flow.steps[0].name == "Assign Approver Group"  # the first step after the start event
    prepare = next(s for s in flow.steps if s.id == "prepareBankTransfer")
    assert prepare.provenance.file and prepare.provenance.file.endswith("invoice.v2.bpmn")
    assert prepare.provenance.line == 56


def test_invoice_handoffs_run_through_the_gateways_and_loop_back_after_clarification() -> None:
    [flow] = collect("invoice.v2.bpmn").flows
    assert handoffs(flow) == {
        ("Assign Approver Group", "Approve Invoice"),
        ("Approve Invoice", "Prepare Bank Transfer"),  # approved? yes
        ("Approve Invoice", "Review Invoice"),  # approved? no
        ("Review Invoice", "Approve Invoice"),  # review successful? yes: the loop
        ("Prepare Bank Transfer", "Archive Invoice"),
    }


def test_invoice_declares_the_data_store_as_a_tool_where_it_is_used() -> None:
    inventory = collect("invoice.v2.bpmn")
    assert [(t.name, t.provenance.line) for t in inventory.tools] == [("Financial Accounting System", 56)]


def test_job_announcement_lanes_and_the_review_loop() -> None:
    [flow] = collect("job-announcement.bpmn").flows
    assert flow.id == flow.name == "camunda-testing-job-announcement"  # the process has no name
    assert {s.name: s.department for s in flow.steps} == {
        "Describe job role": "HR", "Review job role description": "Management",
        "Improve job role description": "HR", "Publish announcement": "HR",
        "Execute announcement": "Automated", "Send confirmation": "Automated"}
    assert next(s.kind for s in flow.steps if s.name == "Send confirmation") == "automated"
    assert handoffs(flow) == {
        ("Describe job role", "Review job role description"),
        ("Review job role description", "Publish announcement"),  # OK? yes
        ("Review job role description", "Improve job role description"),  # OK? no
        ("Improve job role description", "Review job role description"),  # back to review
        ("Publish announcement", "Execute announcement"),
        ("Execute announcement", "Send confirmation"),
    }


def test_a_folder_of_models_scans_end_to_end_with_findings_on_the_invoice_loop(tmp_path: Path) -> None:
    landscape = tmp_path / "landscape.yaml"
    landscape.write_text("""
tools:
  - {id: fas, name: Financial Accounting System, category: erp}
  - {id: archive, name: Invoice Archive, category: document management}
""", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("tasks:\n  Archive Invoice: archive\n", encoding="utf-8")
    config = tmp_path / "auditor.yaml"
    config.write_text(f"""organization: T
sources:
  - {{name: landscape, type: landscape, path: {landscape}}}
  - {{name: processes, type: bpmn, path: {DATA}, mapping: {mapping}}}
""", encoding="utf-8")
    result = run_scan(load_config(config))
    assert {f.id for f in result.graph.flows} == {"invoice", "camunda-testing-job-announcement"}
    missing = {(f.flow, f.steps) for f in result.findings if f.type == "missing_integration"}
    assert missing == {("invoice", ("prepareBankTransfer", "ServiceTask_1"))}
    assert result.graph.tools["fas"].sources == ("landscape", "processes")
