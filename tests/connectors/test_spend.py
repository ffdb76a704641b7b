"""The spend connector: Expensify and Ramp exports → software tools with annualised cost."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from auditor.errors import InputError
from auditor.model import Inventory
from connectors.base import ConnectorContext
from connectors.registry import load
from connectors.spend import SpendConnector, SpendSettings

DATA = Path(__file__).parent.parent / "data" / "spend"


def collect(base: Path = DATA, **settings: Any) -> Inventory:
    return SpendConnector(SpendSettings(**settings), ConnectorContext("cards", base)).collect()


def by_name(inventory: Inventory) -> dict[str, Any]:
    return {t.name: t for t in inventory.tools}


def test_registered_and_a_discovery_source() -> None:
    assert load("spend") is SpendConnector
    assert SpendConnector.sanctioned is False


def test_expensify_keeps_software_by_mcc_or_category_with_raw_merchant_names() -> None:
    tools = by_name(collect(path="expensify.csv"))
    assert set(tools) == {"SALESFORCE.COM INC*SFDC", "ADOBE *CREATIVE CLD", "SLACK T0123ABCD", "NOTION LABS INC"}
    assert all(t.provenance.sanctioned is False and t.sanctioned is None for t in tools.values())
    assert tools["SALESFORCE.COM INC*SFDC"].provenance.line == 2
    assert tools["SALESFORCE.COM INC*SFDC"].hints["mcc"] == "7372"


def test_expensify_cost_is_annualised_over_the_export_span_by_department() -> None:
    tools = by_name(collect(path="expensify.csv"))
    days = 89  # 2024-01-03 … 2024-03-31, inclusive, over every row (travel included)
    assert tools["SALESFORCE.COM INC*SFDC"].annual_cost == round(4500 * 365 / days, 2)
    assert tools["SLACK T0123ABCD"].annual_cost == round((87.50 - 17.50) * 365 / days, 2)  # refund nets out
    adobe = tools["ADOBE *CREATIVE CLD"]
    assert adobe.departments == ("Design", "Marketing")
    assert json.loads(adobe.hints["annual_cost_by_department"]) == {
        "Design": round(59.99 * 365 / days, 2), "Marketing": round(119.98 * 365 / days, 2)}
    assert adobe.hints["spend_transactions"] == "3"


def test_period_days_overrides_the_span() -> None:
    tools = by_name(collect(path="expensify.csv", period_days=365))
    assert tools["SALESFORCE.COM INC*SFDC"].annual_cost == 4500.0


def test_software_filter_is_configurable() -> None:
    assert "UNITED AIRLINES" in by_name(collect(path="expensify.csv", software_only=False))
    only_mcc = by_name(collect(path="expensify.csv", software_categories=(), software_merchants=False))
    assert "NOTION LABS INC" not in only_mcc  # no MCC; kept by its category word or as a catalog product
    assert "ADOBE *CREATIVE CLD" in only_mcc
    by_catalog = by_name(collect(path="expensify.csv", software_categories=()))
    assert "NOTION LABS INC" in by_catalog and "UNITED AIRLINES" not in by_catalog


def test_ramp_csv_uses_department_and_falls_back_to_the_descriptor() -> None:
    tools = by_name(collect(path="ramp-transactions.csv"))
    assert set(tools) == {"HubSpot", "ZOOM.US 888-799-9666"}  # SaaS category or MCC; flights/lunch dropped
    days = 61  # 2024-04-01 … 2024-05-31
    assert tools["HubSpot"].annual_cost == round(3600 * 365 / days, 2)
    assert tools["HubSpot"].departments == ("Marketing",)
    assert tools["ZOOM.US 888-799-9666"].departments == ("Customer Success", "Sales")


def test_ramp_api_json_page_is_flattened() -> None:
    tools = by_name(collect(path="ramp-transactions.json"))
    assert set(tools) == {"GitHub"}
    assert tools["GitHub"].departments == ("Engineering",)
    assert tools["GitHub"].annual_cost == round(450 * 365 / 30, 2)  # 30-day span


def test_short_exports_are_annualised_over_at_least_min_period_days(tmp_path: Path) -> None:
    (tmp_path / "one.csv").write_text("Date,Merchant,Amount,Category\n2024-01-05,Figma,45,Software\n")
    assert by_name(collect(tmp_path, path="one.csv"))["Figma"].annual_cost == round(45 * 365 / 30, 2)


def test_generic_xlsx_with_column_mapping(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row in [["Posted", "Vendor", "USD", "GL"], [datetime(2023, 1, 1), "Atlassian", 1000, "Software"],
                ["2023-12-31", "Atlassian", 1000, "Software"], ["2023-06-01", "Hilton", 300, "Lodging"]]:
        sheet.append(row)
    book.save(tmp_path / "gl.xlsx")
    tools = by_name(collect(tmp_path, path="gl.xlsx", columns={"date": "Posted", "amount": "USD", "category": "GL"}))
    assert {(t.name, t.annual_cost) for t in tools.values()} == {("Atlassian", 2000.0)}


def test_bad_amounts_and_dates_are_located() -> None:
    with pytest.raises(InputError) as caught:
        collect(path="bad-generic.csv")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (4, "row 4, column 'Total': 'not-a-number' is not an amount"),
        (5, "row 5, column 'Date': '32/13/2024' is not a date"),
    ]


def test_missing_required_column_names_the_headers(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("When,Who,HowMuch\n2024-01-01,Figma,3\n")
    with pytest.raises(InputError, match="no merchant column for format 'generic'.*headers: 'When', 'Who'"):
        collect(tmp_path, path="x.csv")


def test_folder_of_monthly_exports_shares_one_span(tmp_path: Path) -> None:
    header = "Timestamp,Merchant,Amount,MCC,Category,Tag\n"
    (tmp_path / "jan.csv").write_text(header + "2024-01-01 10:00:00,ZAPIER.COM,50,7372,Software,Ops\n")
    (tmp_path / "dec.csv").write_text(header + "2024-12-31 10:00:00,ZAPIER.COM,50,7372,Software,Ops\n")
    tools = by_name(collect(tmp_path, path="."))
    assert tools["ZAPIER.COM"].annual_cost == round(100 * 365 / 366, 2)  # 2024 is a leap year


def test_mccs_written_as_numbers_in_yaml_still_match() -> None:
    tools = by_name(collect(path="expensify.csv", software_mccs=(7372,), software_categories=(),  # type: ignore[arg-type]
                            software_merchants=False))
    assert set(tools) == {"SALESFORCE.COM INC*SFDC", "SLACK T0123ABCD"}
