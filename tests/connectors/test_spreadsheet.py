"""The spreadsheet connector: generic CSV/XLSX inventories and LeanIX-style workbooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from auditor.errors import InputError
from auditor.model import Inventory
from connectors.base import ConnectorContext, ConnectorError
from connectors.registry import load
from connectors.spreadsheet import SpreadsheetConnector, SpreadsheetSettings

DATA = Path(__file__).parent.parent / "data" / "spreadsheet"


def collect(base: Path, **settings: Any) -> Inventory:
    connector = SpreadsheetConnector(SpreadsheetSettings(**settings), ConnectorContext("inventory", base))
    return connector.collect()


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A real .xlsx workbook written by openpyxl, one sheet per entry (titles cut to Excel's 31 characters,
    as LeanIX exports do: the relation type is then only complete in the ``type`` column)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_registered_under_its_type_id() -> None:
    assert load("spreadsheet") is SpreadsheetConnector


def test_generic_csv_maps_recognised_headers_and_explicit_columns() -> None:
    inventory = collect(DATA, path="generic-inventory.csv", columns={"department": "Owner Dept"})
    tools = {t.name: t for t in inventory.tools}
    assert set(tools) == {"Salesforce Sales Cloud", "Zendesk Suite", "Tableau Cloud", "サイボウズ Office", "Miro"}
    sfdc = tools["Salesforce Sales Cloud"]
    assert (sfdc.vendor, sfdc.category, sfdc.departments, sfdc.owner, sfdc.business_owner) == (
        "Salesforce", "crm", ("Sales", "Customer Success"), None, "jane.doe@example.com")  # a person, not a dept
    assert (sfdc.annual_cost, sfdc.users, sfdc.sanctioned, sfdc.domains) == (120000.0, 250, True, ("salesforce.com",))
    assert sfdc.provenance.source_id == "APP-001"
    assert sfdc.provenance.line == 2
    assert sfdc.provenance.sanctioned is True
    assert tools["Zendesk Suite"].annual_cost == 38400.0
    assert tools["サイボウズ Office"].annual_cost == 1200000.0
    assert tools["サイボウズ Office"].sanctioned is False
    assert tools["サイボウズ Office"].category == "low-code"


def test_categories_outside_the_taxonomy_become_hints() -> None:
    tools = {t.name: t for t in collect(DATA, path="generic-inventory.csv").tools}
    assert tools["Tableau Cloud"].category is None
    assert tools["Tableau Cloud"].hints == {"category": "Business intelligence"}


def test_retired_rows_and_blank_lines_are_skipped() -> None:
    names = {t.name for t in collect(DATA, path="generic-inventory.csv").tools}
    assert "Lotus Notes" not in names
    assert "Miro" in names  # after the blank line


def test_bad_rows_are_all_reported_with_file_row_and_column() -> None:
    with pytest.raises(InputError) as caught:
        collect(DATA, path="bad-rows.csv")
    messages = [(p.file.endswith("bad-rows.csv"), p.line, p.message) for p in caught.value.problems]
    assert messages == [
        (True, 2, "row 2, column 'Users': 'twenty' is not a whole number"),
        (True, 3, "row 3, column 'Application': the tool name is empty"),
        (True, 4, "row 4, column 'Annual Cost': '12k' is not a number"),
        (True, 4, "row 4, column 'Layers': unknown layer 'ai'; use data, ai_analytics, automation"),
        (True, 4, "row 4, column 'Sanctioned': 'maybe' is not yes/no"),
    ]


def test_xlsx_with_a_chosen_sheet_header_row_and_mapping(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "apps.xlsx", {
        "Cover": [["IT application register"]],
        "Register": [["Exported 2026-11-01"], [], ["Tool", "Supplier", "Cost / yr", "Seats"],
                     ["Slack", "Salesforce", 9600.5, 120], ["Figma", "Figma", 4800, 12]],
    })
    inventory = collect(tmp_path, path="apps.xlsx", sheet="Register", header_row=3,
                        columns={"name": "Tool", "annual_cost": "Cost / yr"})
    rows = {(t.name, t.vendor, t.annual_cost, t.users, t.provenance.line) for t in inventory.tools}
    assert rows == {("Slack", "Salesforce", 9600.5, 120, 4), ("Figma", "Figma", 4800.0, 12, 5)}
    assert (inventory.tools[0].provenance.file or "").endswith("apps.xlsx [Register]")


def test_xlsx_bad_cell_names_sheet_row_and_column(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "apps.xlsx", {"Apps": [["Name", "Users"], ["Jira", 40], ["Confluence", "forty"]]})
    with pytest.raises(InputError) as caught:
        collect(tmp_path, path="apps.xlsx")
    assert [str(p).split("apps.xlsx")[-1] for p in caught.value.problems] == [
        ":3: sheet 'Apps', row 3, column 'Users': 'forty' is not a whole number"]


def test_mapped_column_missing_and_no_name_column_are_header_errors(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("Thing,Price\nJira,10\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        collect(tmp_path, path="x.csv", columns={"annual_cost": "Annual Cost", "colour": "Price"})
    text = str(caught.value)
    assert "x.csv:1: header row 1: column 'Annual Cost' (mapped to 'annual_cost') not found; headers: 'Thing'" in text
    assert "unknown field 'colour'" in text
    assert "no tool name column found" in text


def test_folder_reads_every_spreadsheet(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("Name\nJira\n", encoding="utf-8")
    write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [["Application"], ["Asana"]]})
    assert sorted(t.name for t in collect(tmp_path, path=".").tools) == ["Asana", "Jira"]


def test_missing_file_is_a_connector_error(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match="spreadsheet not found"):
        collect(tmp_path, path="nope.xlsx")


def test_cp932_csv_with_encoding_setting(tmp_path: Path) -> None:
    (tmp_path / "jp.csv").write_bytes("アプリ名,部署\nkintone,営業部\n".encode("cp932"))
    inventory = collect(tmp_path, path="jp.csv", encoding="cp932", columns={"name": "アプリ名", "department": "部署"})
    assert [(t.name, t.departments) for t in inventory.tools] == [("kintone", ("営業部",))]



def test_a_cp932_csv_read_as_utf8_names_the_line_and_the_encoding_to_set(tmp_path: Path) -> None:
    rows = "アプリ名,部署,年間費用\nkintone,営業部,120000\nSansan,営業企画部,300000\n" \
           "マネーフォワード クラウド会計,経理部,96000\nSmartHR,人事部,240000\n"
    (tmp_path / "jp.csv").write_bytes(rows.encode("cp932"))
    with pytest.raises(ConnectorError) as caught:
        collect(tmp_path, path="jp.csv")
    message = str(caught.value)
    assert "jp.csv" in message and "line 1 is not utf-8-sig text (byte 0x83)" in message
    assert "it looks like cp932: set 'encoding: cp932'" in message
    (tmp_path / "short.csv").write_bytes("name,department\nkintone,営業部\n".encode("cp932"))
    with pytest.raises(ConnectorError, match=r"line 2 is not utf-8-sig text.*it looks like one of .*cp932"):
        collect(tmp_path, path="short.csv")

# --- LeanIX-style workbook ----------------------------------------------------------------------

APP_KEYS = ["id", "type", "name", "displayName", "status", "description", "category", "lifecycle:active",
            "tags:Department", "subscriptions:RESPONSIBLE:Application Owner", "businessCriticality"]
APP_LABELS = ["ID", "Type", "Name", "Display Name", "Status", "Description", "Category", "Lifecycle: Active",
              "Tags: Department", "Subscriptions: Responsible: Application Owner", "Business Criticality"]
IF_KEYS = ["id", "type", "name", "displayName", "status", "dataFlowDirection", "interfaceType"]
IF_LABELS = ["ID", "Type", "Name", "Display Name", "Status", "Data Flow Direction", "Interface Type"]
REL_KEYS = ["id", "type", "fromRelatedFactSheetDisplayName", "fromRelatedFactSheetType",
            "toRelatedFactSheetDisplayName", "toRelatedFactSheetType", "status", "activeFrom", "activeUntil"]
REL_LABELS = ["ID", "Type", "From: Display Name", "From: Type", "To: Display Name", "To: Type", "Status",
              "Active from", "Active until"]


def relation(sheet: str, rows: list[tuple[str, str, str, str]], extra: tuple[str, ...] = (),
             values: list[tuple[Any, ...]] | None = None) -> list[list[Any]]:
    out: list[list[Any]] = [REL_KEYS + list(extra), REL_LABELS + list(extra)]
    for i, (a, at, b, bt) in enumerate(rows):
        out.append([f"{sheet}:{i}", sheet, a, at, b, bt, "ACTIVE", None, None, *(values[i] if values else ())])
    return out


def leanix_workbook(path: Path, extra_provider_rows: Sequence[tuple[str, str, str, str]] = ()) -> Path:
    return write_xlsx(path, {
        "ReadMe": [["LeanIX export"]],
        "Application": [APP_KEYS, APP_LABELS,
                        ["a1", "Application", "Salesforce", "Salesforce", "ACTIVE", "CRM", "businessApplication",
                         "2019-01-01", "Sales", "jane@example.com;ops@example.com", "missionCritical"],
                        ["a2", "Application", "EU", "SAP S/4HANA / EU", "ACTIVE", "ERP", "businessApplication",
                         "2021-04-01", "Finance", "", "businessCritical"],
                        ["a3", "Application", "Marketo", "Marketo", "ACTIVE", "", "businessApplication",
                         "", "Marketing", "", ""],
                        ["a4", "Application", "Legacy CRM", "Legacy CRM", "ARCHIVED", "", "", "", "", "", ""]],
        "Interface": [IF_KEYS, IF_LABELS,
                      ["i1", "Interface", "Lead sync", "Lead sync", "ACTIVE", "OUTGOING", "REST API"],
                      ["i2", "Interface", "Orders to ERP", "Orders to ERP", "ACTIVE", "INCOMING", "SFTP file"],
                      ["i3", "Interface", "Legacy export", "Legacy export", "ACTIVE", "OUTGOING", ""]],
        "applicationInterfaceProviderRelation": relation("applicationInterfaceProviderRelation", [
            ("Marketo", "Application", "Lead sync", "Interface"),
            ("SAP S/4HANA / EU", "Application", "Orders to ERP", "Interface"),
            ("Legacy CRM", "Application", "Legacy export", "Interface"),
            *extra_provider_rows]),
        "applicationInterfaceConsumerRelation": relation("applicationInterfaceConsumerRelation", [
            ("Salesforce", "Application", "Lead sync", "Interface"),
            ("Salesforce", "Application", "Orders to ERP", "Interface"),
            ("Salesforce", "Application", "Legacy export", "Interface")]),
        "interfaceDataObjectRelation": relation("interfaceDataObjectRelation", [
            ("Lead sync", "Interface", "Lead", "DataObject")]),
        "applicationUserGroupRelation": relation("applicationUserGroupRelation", [
            ("Salesforce", "Application", "Customer Success", "UserGroup")]),
        "providerApplicationRelation": relation("providerApplicationRelation", [
            ("Adobe", "Provider", "Marketo", "Application")]),
        "applicationITComponentRelation": relation("applicationITComponentRelation", [
            ("Salesforce", "Application", "Sales Cloud", "ITComponent"),
            ("Salesforce", "Application", "Service Cloud", "ITComponent")],
            extra=("costTotalAnnual",), values=[(90000,), (30000.5,)]),
    })


def test_leanix_applications_become_tools_with_departments_vendor_owner_and_cost(tmp_path: Path) -> None:
    leanix_workbook(tmp_path / "leanix.xlsx")
    inventory = collect(tmp_path, path="leanix.xlsx", preset="leanix")
    tools = {t.name: t for t in inventory.tools}
    assert set(tools) == {"Salesforce", "SAP S/4HANA / EU", "Marketo"}  # archived Legacy CRM skipped
    sfdc = tools["Salesforce"]
    assert (sfdc.departments, sfdc.owner, sfdc.annual_cost) == (("Sales", "Customer Success"),
                                                                "jane@example.com", 120000.5)
    assert (sfdc.provenance.source_id, sfdc.provenance.line) == ("a1", 3)
    assert tools["Marketo"].vendor == "Adobe"


def test_leanix_interfaces_become_directed_integrations(tmp_path: Path) -> None:
    leanix_workbook(tmp_path / "leanix.xlsx")
    inventory = collect(tmp_path, path="leanix.xlsx", preset="leanix")
    edges = {(i.source, i.target, i.kind, i.data, i.provenance.source_id) for i in inventory.integrations}
    assert edges == {
        ("Marketo", "Salesforce", "api", ("Lead",), "i1"),
        ("Salesforce", "SAP S/4HANA / EU", "file", (), "i2"),  # INCOMING: consumer → provider
    }


def test_leanix_relation_to_unknown_application_is_located(tmp_path: Path) -> None:
    leanix_workbook(tmp_path / "leanix.xlsx", [("HubSpot", "Application", "Lead sync", "Interface")])
    with pytest.raises(InputError) as caught:
        collect(tmp_path, path="leanix.xlsx", preset="leanix")
    assert [p.message for p in caught.value.problems] == [
        "sheet 'applicationInterfaceProviderRel', row 6, column 'fromRelatedFactSheetDisplayName': "
        "unknown application 'HubSpot' (not in sheet 'Application')"]


def test_leanix_without_application_sheet_names_the_sheets(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "x.xlsx", {"Apps": [["name"], ["Jira"]]})
    with pytest.raises(InputError, match="no 'Application' sheet \\(sheets: 'Apps'\\)"):
        collect(tmp_path, path="x.xlsx", preset="leanix")


def test_leanix_archived_applications_kept_when_no_status_counts_as_retired(tmp_path: Path) -> None:
    leanix_workbook(tmp_path / "leanix.xlsx")
    inventory = collect(tmp_path, path="leanix.xlsx", preset="leanix", retired_statuses=())
    assert "Legacy CRM" in {t.name for t in inventory.tools}
    assert ("Legacy CRM", "Salesforce") in {(i.source, i.target) for i in inventory.integrations}
