"""The spreadsheet connector's annual costs: the spend connector's amount parsing and conversion into
``report.currency`` at fixed ``exchange_rates``, with located errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from auditor.cli import main
from auditor.config import load_config
from auditor.errors import InputError
from auditor.model import Inventory
from connectors.base import ConnectorContext, ConnectorError
from connectors.prepare import prepare_sources
from connectors.spreadsheet import SpreadsheetConnector, SpreadsheetSettings
from connectors.spreadsheet.money import signs_fit
from tests.connectors.test_spreadsheet import leanix_workbook

DATA = Path(__file__).parent.parent / "data" / "spreadsheet"
RATES = {"USD": 150.0, "EUR": 162.5}


def collect(base: Path = DATA, reporting: str | None = None, **settings: Any) -> Inventory:
    """The spreadsheet source over ``base``; ``reporting`` is the config's ``report.currency``."""
    context = ConnectorContext("register", base, currency=reporting)
    return SpreadsheetConnector(SpreadsheetSettings(**settings), context).collect()


def costs(inventory: Inventory) -> dict[str, float | None]:
    return {t.name: t.annual_cost for t in inventory.tools}


def test_mixed_currencies_in_a_currency_column_are_converted_exactly() -> None:
    assert costs(collect(reporting="JPY", path="register-multicurrency.csv", exchange_rates=RATES)) == {
        "Salesforce Sales Cloud": 18_000_000.0,  # $120,000.00 USD × 150
        "サイボウズ Office": 1_200_000.0,          # JPY: no rate needed
        "Personio": 2_990_081.25,                # €18,400.50 EUR × 162.5
        "Slack": 1_800_000.0,                    # 12,000.00 'usd' × 150
        "Sansan": 880_000.0,
        "Miro": 156_000.0,                       # 'EUR 960' names its currency in the cell
        "Figma": None,                           # no cost: the currency cell alone is ignored
    }


def test_a_currency_without_a_rate_is_located_once_per_column_naming_the_other_rows() -> None:
    with pytest.raises(InputError) as caught:
        collect(reporting="JPY", path="register-multicurrency.csv", exchange_rates={"USD": 150.0})
    assert [(p.file.endswith("register-multicurrency.csv"), p.line, p.message) for p in caught.value.problems] == [
        (True, 4, "row 4, column 'Currency': no exchange rate for EUR; add it to 'exchange_rates' "
                  "(units of JPY per EUR, e.g. exchange_rates: {EUR: ...})"),
        (True, 7, "row 7, column 'Annual Cost': no exchange rate for EUR; add it to 'exchange_rates' "
                  "(units of JPY per EUR, e.g. exchange_rates: {EUR: ...})"),
    ]


def test_without_a_reporting_currency_a_register_in_several_currencies_is_an_error_not_a_sum() -> None:
    with pytest.raises(InputError) as caught:
        collect(path="register-multicurrency.csv")
    assert [p.message for p in caught.value.problems][0] == (
        "row 3, column 'Currency': amounts in JPY cannot be added to amounts in USD: set 'report.currency' in "
        "the config and 'exchange_rates' on this source (also row 6)")


def test_yen_and_dollar_signs_without_currency_information_are_taken_as_written() -> None:
    assert costs(collect(path="register-symbols.csv")) == {
        "kintone": 1_200_000.0, "Zendesk Suite": 12_000.0, "freee会計": 396_000.0}


def test_a_sign_that_cannot_be_the_rows_currency_is_located_not_converted() -> None:
    with pytest.raises(InputError) as caught:
        collect(reporting="JPY", path="register-symbols.csv", exchange_rates={"USD": 150.0})
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "row 3, column 'Annual Cost': '$12,000' is written with '$', which is not a sign of JPY "
            "(report.currency); put the currency's ISO code in the cell or in a currency column")]
    with pytest.raises(InputError, match="'¥1,200,000' is written with '¥', which is not a sign of USD "
                                         r"\(the 'currency' setting\)"):
        collect(reporting="JPY", path="register-symbols.csv", currency="USD", exchange_rates={"USD": 150.0})


def test_yen_and_dollar_costs_convert_once_the_dollar_row_names_its_currency(tmp_path: Path) -> None:
    text = (DATA / "register-symbols.csv").read_text(encoding="utf-8").replace('"$12,000"', '"USD 12,000"')
    (tmp_path / "register.csv").write_text(text, encoding="utf-8")
    assert costs(collect(tmp_path, reporting="JPY", path="register.csv", exchange_rates={"USD": 150.0})) == {
        "kintone": 1_200_000.0, "Zendesk Suite": 1_800_000.0, "freee会計": 396_000.0}


@pytest.mark.parametrize(("signs", "code", "fits"), [
    ("$", "USD", True), ("$", "MXN", True), ("$", "SGD", True), ("¥", "JPY", True), ("¥", "CNY", True),
    ("円", "JPY", True), ("€", "EUR", True), ("", "CHF", True), ("$", "JPY", False), ("¥", "USD", False),
    ("€", "GBP", False),
])
def test_currency_signs_that_fit_a_currency(signs: str, code: str, fits: bool) -> None:
    assert signs_fit(signs, code) is fits


def write_register(path: Path) -> Path:
    """An .xlsx register as finance keeps it: a title row, costs in a column whose header names EUR,
    numbers stored as numbers, one cost typed with its own currency code."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Applications"
    for row in [["Application register FY2026"], [],
                ["Application", "Vendor", "Annual Cost (EUR)", "Licences"],
                ["SAP S/4HANA", "SAP", 412_500.75, 900],
                ["DATEV Unternehmen online", "DATEV", 14_280, 35],
                ["Jira Software", "Atlassian", "USD 18,500", 140],
                ["Confluence", "Atlassian", None, 140]]:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_cost_header_names_the_currency_and_a_cell_code_wins(tmp_path: Path) -> None:
    write_register(tmp_path / "register.xlsx")
    inventory = collect(tmp_path, reporting="JPY", path="register.xlsx", header_row=3, exchange_rates=RATES)
    assert costs(inventory) == {
        "SAP S/4HANA": 67_031_371.88,   # 412,500.75 EUR × 162.5 = 67,031,371.875, rounded to cents
        "DATEV Unternehmen online": 2_320_500.0,
        "Jira Software": 2_775_000.0,   # USD 18,500 × 150
        "Confluence": None,
    }


def test_xlsx_cost_in_a_currency_without_a_rate_is_located_at_sheet_row_and_column(tmp_path: Path) -> None:
    write_register(tmp_path / "register.xlsx")
    with pytest.raises(InputError) as caught:
        collect(tmp_path, reporting="EUR", path="register.xlsx", header_row=3)
    assert [str(p).split("register.xlsx")[-1] for p in caught.value.problems] == [
        ":6: sheet 'Applications', row 6, column 'Annual Cost (EUR)': no exchange rate for USD; add it to "
        "'exchange_rates' (units of EUR per USD, e.g. exchange_rates: {USD: ...})"]


def test_european_amounts_with_amount_locale(tmp_path: Path) -> None:
    (tmp_path / "register.csv").write_text(
        "Anwendung;Hersteller;Jahreskosten;Währung\n"
        "DATEV;DATEV eG;\"1.200,50 €\";EUR\n"
        "Slack;Salesforce;\"8.400,00\";USD\n", encoding="utf-8")
    inventory = collect(tmp_path, reporting="EUR", path="register.csv", delimiter=";", amount_locale="de_DE",
                        exchange_rates={"USD": 0.92},
                        columns={"name": "Anwendung", "vendor": "Hersteller", "annual_cost": "Jahreskosten",
                                 "currency": "Währung"})
    assert costs(inventory) == {"DATEV": 1200.5, "Slack": 7728.0}


def test_leanix_costs_are_in_the_workspace_currency_set_by_the_currency_setting(tmp_path: Path) -> None:
    leanix_workbook(tmp_path / "leanix.xlsx")
    tools = costs(collect(tmp_path, reporting="JPY", path="leanix.xlsx", preset="leanix", currency="EUR",
                          exchange_rates={"EUR": 162.5}))
    assert tools["Salesforce"] == 90000 * 162.5 + 30000.5 * 162.5  # 14,625,000 + 4,875,081.25
    assert costs(collect(tmp_path, reporting="JPY", path="leanix.xlsx", preset="leanix"))["Salesforce"] == 120000.5


def test_leanix_cost_without_a_rate_is_located_at_the_relation_row(tmp_path: Path) -> None:
    leanix_workbook(tmp_path / "leanix.xlsx")
    with pytest.raises(InputError) as caught:
        collect(tmp_path, reporting="JPY", path="leanix.xlsx", preset="leanix", currency="EUR")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "sheet 'applicationITComponentRelation', row 3, column 'costTotalAnnual': no exchange rate for EUR; "
            "add it to 'exchange_rates' (units of JPY per EUR, e.g. exchange_rates: {EUR: ...}) (also row 4)")]


def test_transform_refuses_unchecked_settings() -> None:
    with pytest.raises(ConnectorError, match="needs the reporting currency"):
        collect(path="register-multicurrency.csv", exchange_rates=RATES)


def write_config(tmp_path: Path, report: str, source: str) -> Path:
    (tmp_path / "register.csv").write_text((DATA / "register-multicurrency.csv").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    path = tmp_path / "auditor.yaml"
    path.write_text(f"organization: X\nsources:\n  - {{name: register, type: spreadsheet, path: register.csv"
                    f"{source}}}\nreport:\n  {report}\n", encoding="utf-8")
    return path


def test_rate_settings_are_checked_like_spends_and_located_at_the_source(tmp_path: Path) -> None:
    """The checks themselves are shared with ``spend`` (tests/connectors/test_spend_currency.py)."""
    path = write_config(tmp_path, "lang: en", ", exchange_rates: {USD: 150}")
    with pytest.raises(InputError) as caught:
        prepare_sources(load_config(path))
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: source 'register': 'exchange_rates' needs the reporting currency: set 'report.currency' in "
        "the config (the currency the rates convert into)"]


def cli(*args: str) -> tuple[int, str]:
    """Exit code and output (lines joined) of ``auditor ARGS``."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, " ".join(result.output.split())


def test_validate_exits_2_on_a_missing_rate_and_scan_reports_converted_costs(tmp_path: Path) -> None:
    code, output = cli("validate", "-c", str(write_config(tmp_path, "currency: JPY", ", exchange_rates: {USD: 150}")))
    assert (code, "register.csv:4: row 4, column 'Currency': no exchange rate for EUR" in output) == (2, True)
    config = write_config(tmp_path, "currency: JPY", ", exchange_rates: {USD: 150, EUR: 162.5}")
    code, output = cli("scan", "-c", str(config), "--out", str(tmp_path / "out"), "--no-save")
    assert code == 0, output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["scan"]["currency"] == "JPY"
    assert {t["name"]: t["annual_cost"] for t in report["tools"]}["Personio"] == 2_990_081.25
