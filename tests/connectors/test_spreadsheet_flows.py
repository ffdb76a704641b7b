"""Flows kept in spreadsheets: a ``flows`` sheet or ``flows.csv``, one row per step, with order, next
(branches and loops), department, tools, requires, customer-facing and kind; located errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_spreadsheet import leanix_workbook, write_xlsx

from auditor.errors import InputError
from auditor.model import FlowRecord, Inventory
from connectors.base import ConnectorContext
from connectors.spreadsheet import SpreadsheetConnector, SpreadsheetSettings

JOURNEY = Path(__file__).resolve().parents[2] / "examples" / "journey" / "journey"


def collect(base: Path, **settings: Any) -> Inventory:
    return SpreadsheetConnector(SpreadsheetSettings(**settings), ConnectorContext("journey", base)).collect()


def steps(flow: FlowRecord) -> list[tuple[Any, ...]]:
    return [(s.id, s.name, s.department, s.tools, s.requires, s.customer_facing, s.next) for s in flow.steps]


def test_the_journey_template_csv_gives_tools_and_a_branching_flow() -> None:
    inventory = collect(JOURNEY, path=".")
    assert {t.name for t in inventory.tools} == {"HubSpot", "Salesforce", "DocuSign", "NetSuite", "Zendesk"}
    [flow] = inventory.flows
    assert (flow.id, flow.name) == ("lead-to-cash", "Lead to cash")
    assert steps(flow) == [
        ("capture-lead", "Capture lead", "Marketing", ("HubSpot",), ("data", "automation"), True, None),
        ("qualify", "Qualify", "Sales", ("Salesforce",), ("data",), False, ("send-contract", "nurture")),
        ("nurture", "Nurture", "Marketing", ("HubSpot",), ("automation",), True, ("qualify",)),
        ("send-contract", "Send contract", "Legal", ("DocuSign",), (), True, None),
        ("invoice", "Invoice", "Finance", ("NetSuite",), ("data",), False, None),
        ("onboard-customer", "Onboard customer", "Support", ("Zendesk",), (), True, None),
    ]
    assert flow.steps[1].provenance.file and flow.steps[1].provenance.file.endswith("flows.csv")
    assert flow.steps[1].provenance.line == 3


def test_an_xlsx_flows_sheet_with_mapped_columns_sorted_by_order(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "book.xlsx", {
        "Apps": [["Name"], ["Shopify"], ["Zendesk"]],
        "Flows": [["Journey", "Stage", "Seq", "Then", "Systems", "How"],
                  ["Order", "Help", 2, "", "Zendesk", "manual"],
                  ["Order", "Buy", 1, "help", "Shopify", ""]],
    })
    inventory = collect(tmp_path, path="book.xlsx", flow_columns={"flow": "Journey", "step": "Stage"})
    assert [t.name for t in inventory.tools] == ["Shopify", "Zendesk"]
    [flow] = inventory.flows
    assert [(s.id, s.next, s.tools, s.kind) for s in flow.steps] == [
        ("buy", ("help",), ("Shopify",), None), ("help", None, ("Zendesk",), "manual")]
    assert flow.steps[0].provenance.file == f"{tmp_path}/book.xlsx [Flows]" and flow.steps[0].provenance.line == 3


def test_bad_flow_rows_are_located_and_reported_together(tmp_path: Path) -> None:
    (tmp_path / "flows.csv").write_text(
        "Flow,Step,Order,Next,Requires,Customer facing\n"
        "F,A,1,ghost,data,yes\n"
        ",B,2,,,\n"
        "F,C,x,,magic,maybe\n"
        "F,A,4,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        collect(tmp_path, path="flows.csv")
    got = sorted(str(p).replace(f"{tmp_path}/", "") for p in error.value.problems)
    assert got == [
        "flows.csv:2: row 2, column 'Next': next step 'ghost' is not a step of flow 'F'",
        "flows.csv:3: row 3, column 'Flow': the flow is empty",
        "flows.csv:4: row 4, column 'Customer facing': 'maybe' is not yes/no",
        "flows.csv:4: row 4, column 'Order': 'x' is not a number",
        "flows.csv:4: row 4, column 'Requires': unknown layer 'magic'; use data, ai_analytics, automation",
        "flows.csv:5: row 5, column 'Step': step 'A' of flow 'F' is also on row 2",
    ]


def test_a_flows_sheet_without_a_step_column_says_which_setting_maps_it(tmp_path: Path) -> None:
    (tmp_path / "flows.csv").write_text("Flow,What\nF,A\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        collect(tmp_path, path="flows.csv")
    [problem] = error.value.problems
    assert "no step name column found" in problem.message and "'flow_columns: {step:" in problem.message


def test_a_custom_flows_sheet_name(tmp_path: Path) -> None:
    (tmp_path / "journeys.csv").write_text("Flow,Step\nF,A\nF,B\n", encoding="utf-8")
    inventory = collect(tmp_path, path=".", flows_sheet="Journeys")
    assert [s.id for s in inventory.flows[0].steps] == ["a", "b"] and inventory.tools == ()


def test_a_leanix_workbook_may_carry_a_flows_sheet_too(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book_path = leanix_workbook(tmp_path / "leanix.xlsx")
    book = load_workbook(book_path)
    sheet = book.create_sheet("Flows")
    for row in (["Flow", "Step", "Tools"], ["Order", "Sell", "Salesforce"], ["Order", "Bill", "SAP S/4HANA / EU"]):
        sheet.append(row)
    book.save(book_path)
    inventory = collect(tmp_path, path="leanix.xlsx", preset="leanix")
    assert {t.name for t in inventory.tools} == {"Salesforce", "SAP S/4HANA / EU", "Marketo"}
    assert [(s.id, s.tools) for s in inventory.flows[0].steps] == [("sell", ("Salesforce",)),
                                                                    ("bill", ("SAP S/4HANA / EU",))]
