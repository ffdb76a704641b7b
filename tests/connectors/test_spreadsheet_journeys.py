"""Journeys and KPIs kept in spreadsheets: ``journeys`` and ``kpis`` sheets or CSV files, linked with the flows
sheet's flows and steps by the scan; located errors."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_spreadsheet import write_xlsx

from auditor.config import AuditConfig
from auditor.errors import InputError
from auditor.model import Inventory, Journey, Kpi
from auditor.pipeline import build_graph
from connectors.base import ConnectorContext
from connectors.spreadsheet import SpreadsheetConnector, SpreadsheetSettings

JOURNEY = Path(__file__).resolve().parents[2] / "examples" / "journey" / "journey"

JOURNEYS_CSV = """Journey,Individual journeys,Owner
Customer relationship,"Lead to cash",CX
"""
KPIS_CSV = """KPI,Level,Journey,Flow,Step,Data,Computed in,Contributes to
Win rate,journey,,Lead to cash,,"lead, deal",Salesforce,Retention
Lead response time,touchpoint,,Lead to cash,Capture lead,lead,HubSpot,Win rate
Retention,whole journey,Customer relationship,,,account,Salesforce,
"""


def collect(base: Path, **settings: Any) -> Inventory:
    return SpreadsheetConnector(SpreadsheetSettings(**settings), ConnectorContext("journey", base)).collect()


def project(tmp_path: Path, journeys: str = JOURNEYS_CSV, kpis: str = KPIS_CSV) -> Path:
    for name in ("tools.csv", "flows.csv"):
        shutil.copy(JOURNEY / name, tmp_path / name)
    (tmp_path / "journeys.csv").write_text(journeys, encoding="utf-8")
    (tmp_path / "kpis.csv").write_text(kpis, encoding="utf-8")
    return tmp_path


def test_journeys_and_kpis_sheets_are_read_and_linked_to_the_flows(tmp_path: Path) -> None:
    inventory = collect(project(tmp_path), path=".")
    assert [r.journey for r in inventory.journeys] == [
        Journey("customer-relationship", "Customer relationship", ("lead-to-cash",), "CX")]
    kpis = [(r.kpi.id, r.kpi.level, r.kpi.flow, r.kpi.step, r.kpi.data, r.kpi.contributes_to) for r in inventory.kpis]
    assert kpis == [
        ("win-rate", "journey", "lead-to-cash", None, ("lead", "deal"), "retention"),
        ("lead-response-time", "touchpoint", "lead-to-cash", "capture-lead", ("lead",), "win-rate"),
        ("retention", "relationship", None, None, ("account",), None)]
    assert str(inventory.kpis[1].provenance.file).endswith("kpis.csv") and inventory.kpis[1].provenance.line == 3
    assert len(inventory.tools) == 5 and len(inventory.flows) == 1  # the other sheets are read as before
    graph, _ = build_graph(AuditConfig("Test", (), tmp_path), inventory)
    assert graph.kpis[0] == Kpi("win-rate", "Win rate", "journey", None, "lead-to-cash", None, ("lead", "deal"),
                                "salesforce", "retention")


def test_an_xlsx_workbook_with_mapped_kpi_columns(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "book.xlsx", {
        "Apps": [["Name"], ["Shopify"]],
        "kpis": [["Metric", "Level", "Flow", "Needs", "Tool"], ["Orders", "journey", "Buy", "order", "Shopify"]],
    })
    inventory = collect(tmp_path, path="book.xlsx", kpi_columns={"kpi": "Metric", "data": "Needs"})
    assert [t.name for t in inventory.tools] == ["Shopify"]
    assert [(r.kpi.id, r.kpi.flow, r.kpi.data, r.kpi.computed_in) for r in inventory.kpis] == [
        ("orders", "buy", ("order",), "Shopify")]


def test_bad_journey_and_kpi_rows_are_located_and_reported_together(tmp_path: Path) -> None:
    kpis = "KPI,Level,Flow,Data,Computed in\n,journey,Lead to cash,lead,HubSpot\nX,department,Lead to cash,,\n"
    project(tmp_path, journeys="Journey,Flows\nCustomer,\n", kpis=kpis)
    with pytest.raises(InputError) as caught:
        collect(tmp_path, path=".")
    messages = [str(p) for p in caught.value.problems]
    assert sorted(m.split(": ", 1)[1] for m in messages) == [
        "row 2, column 'Flows': the journey names no flows",
        "row 2, column 'KPI': the KPI is empty",
        "row 3, column 'Computed in': the KPI names no tool computing it",
        "row 3, column 'Data': the KPI names no data",
        "row 3, column 'Level': level 'department' is not one of touchpoint, journey, relationship",
    ]
    assert {m.split(": ", 1)[0] for m in messages} == {f"{tmp_path}/journeys.csv:2", f"{tmp_path}/kpis.csv:2",
                                                      f"{tmp_path}/kpis.csv:3"}
