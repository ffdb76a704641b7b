"""The spend connector's currencies: conversion into ``report.currency`` at fixed rates, located errors."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
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
from connectors.spend import SpendConnector, SpendSettings
from connectors.spreadsheet.money import Amount, parse_amount

DATA = Path(__file__).parent.parent / "data" / "spend"
RATES = {"USD": 150.0, "EUR": 162.5}


def collect(base: Path = DATA, reporting: str | None = None, **settings: Any) -> Inventory:
    """The spend source over ``base``; ``reporting`` is the config's ``report.currency``."""
    return SpendConnector(SpendSettings(**settings), ConnectorContext("cards", base, currency=reporting)).collect()


def costs(inventory: Inventory) -> dict[str, float | None]:
    return {t.name: t.annual_cost for t in inventory.tools}


def test_mixed_currencies_are_converted_exactly_into_the_reporting_currency() -> None:
    inventory = collect(reporting="JPY", path="ramp-multicurrency.csv", exchange_rates=RATES, period_days=365)
    assert costs(inventory) == {
        "HubSpot": 360000.0,        # 2 × 1,200.00 USD × 150
        "Sansan": 110000.0,         # 2 × 55,000 JPY, no rate needed
        "ZOOM.US 888-799-9666": 26998.5,  # 89.99 USD × 150 + 13,500 JPY
        "Miro": 5200.0,             # 2 × 16.00 EUR × 162.5
    }
    zoom = next(t for t in inventory.tools if t.name.startswith("ZOOM"))
    assert json.loads(zoom.hints["annual_cost_by_department"]) == {"Customer Success": 13500.0, "Sales": 13498.5}
    assert (zoom.hints["spend_currencies"], zoom.hints["cost_currency"]) == ("JPY,USD", "JPY")


def test_conversion_is_annualised_over_the_span_of_every_row() -> None:
    tools = costs(collect(reporting="JPY", path="ramp-multicurrency.csv", exchange_rates=RATES))
    assert tools["HubSpot"] == round(360000 * 365 / 61, 2)  # 2024-04-01 … 2024-05-31


def test_a_currency_without_a_rate_is_located_once_per_file_naming_every_row() -> None:
    with pytest.raises(InputError) as caught:
        collect(reporting="JPY", path="ramp-multicurrency.csv", exchange_rates={"USD": 150.0})
    assert [(p.file.endswith("ramp-multicurrency.csv"), p.line, p.message) for p in caught.value.problems] == [
        (True, 5, "row 5, column 'currency_code': no exchange rate for EUR; add it to 'exchange_rates' "
                  "(units of JPY per EUR, e.g. exchange_rates: {EUR: ...}) (also row 10)")]


def test_every_currency_problem_is_listed_in_one_run(tmp_path: Path) -> None:
    (tmp_path / "cards.csv").write_text(
        "Date,Merchant,Amount,Currency,Category\n"
        "2024-01-05,Figma,45.00,USD,Software\n"
        "2024-01-06,Xero,30.00,GBP,Software\n"
        "2024-01-07,Bexio,25.00,CHF,Software\n"
        "2024-01-08,Xero,30.00,gbp,Software\n"
        "2024-01-09,Notion,10.00,US$,Software\n"
        "2024-01-10,Miro,EUR 16.00,USD,Software\n"
        "2024-01-11,Lunch,12.00,XXX-not-checked,Meals\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        collect(tmp_path, reporting="JPY", path="cards.csv", exchange_rates=RATES)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "row 3, column 'Currency': no exchange rate for GBP; add it to 'exchange_rates' "
            "(units of JPY per GBP, e.g. exchange_rates: {GBP: ...}) (also row 5)"),
        (4, "row 4, column 'Currency': no exchange rate for CHF; add it to 'exchange_rates' "
            "(units of JPY per CHF, e.g. exchange_rates: {CHF: ...})"),
        (6, "row 6, column 'Currency': 'US$' is not an ISO 4217 currency code (such as USD, EUR, JPY)"),
        (7, "row 7, column 'Amount': 'EUR 16.00' is in EUR but column 'Currency' says USD"),
    ]


def test_mixed_currencies_without_a_reporting_currency_are_an_error_not_a_sum() -> None:
    with pytest.raises(InputError) as caught:
        collect(path="ramp-multicurrency.csv")
    messages = [p.message for p in caught.value.problems]
    assert messages[0] == ("row 3, column 'currency_code': amounts in JPY cannot be added to amounts in USD: "
                           "set 'report.currency' in the config and 'exchange_rates' on this source (also rows 8, 9)")
    assert len(messages) == 2 and "amounts in EUR" in messages[1]


def test_without_a_currency_column_amounts_are_taken_as_written() -> None:
    today = costs(collect(path="expensify.csv"))
    assert costs(collect(reporting="USD", path="expensify.csv")) == today
    assert costs(collect(reporting="JPY", path="expensify.csv", exchange_rates={"EUR": 162.5})) == today
    assert "spend_currencies" not in collect(path="expensify.csv").tools[0].hints


def test_expensify_amounts_in_the_policy_currency_are_converted_with_the_currency_setting() -> None:
    settings: dict[str, Any] = {"currency": "USD", "exchange_rates": {"USD": 150.0}, "period_days": 365}
    tools = costs(collect(reporting="JPY", path="expensify.csv", **settings))
    assert tools["SALESFORCE.COM INC*SFDC"] == 675000.0  # 3 × 1,500.00 USD × 150


def test_xlsx_amount_header_names_the_currency(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row in [["Posted", "Vendor", "Amount (USD)", "GL"],
                [datetime(2023, 1, 1), "Atlassian", 1000.5, "Software"],
                ["2023-12-31", "Atlassian", "EUR 200", "Software"],
                ["2023-06-01", "Hilton", 300, "Lodging"]]:
        sheet.append(row)
    book.save(tmp_path / "gl.xlsx")
    tools = costs(collect(tmp_path, reporting="JPY", path="gl.xlsx", exchange_rates=RATES,
                          columns={"date": "Posted", "category": "GL"}))
    assert tools == {"Atlassian": 1000.5 * 150 + 200 * 162.5}  # 150075 + 32500


def test_european_amounts_with_a_locale_and_semicolons(tmp_path: Path) -> None:
    (tmp_path / "karten.csv").write_text(
        "Datum;Händler;Betrag;Währung;Kategorie\n"
        "05.01.2024;DATEV eG;\"1.200,50 €\";EUR;Software\n"
        "05.02.2024;DATEV eG;\"1.200,50 €\";EUR;Software\n"
        "06.02.2024;Slack;\"8,75\";USD;Software\n", encoding="utf-8")
    tools = costs(collect(tmp_path, reporting="EUR", path="karten.csv", delimiter=";", amount_locale="de_DE",
                          exchange_rates={"USD": 0.92}, period_days=365,
                          columns={"date": "Datum", "merchant": "Händler", "amount": "Betrag",
                                   "currency": "Währung", "category": "Kategorie"}))
    assert tools == {"DATEV eG": 2401.0, "Slack": 8.05}


@pytest.mark.parametrize(("text", "locale", "value", "currency"), [
    ("¥1,200", "en", "1200", None), ("$1,200.50", "en", "1200.50", None), ("1.200,50 €", "de_DE", "1200.50", None),
    ("(25.00)", "en", "-25.00", None), ("EUR 99", "en", "99", "EUR"), ("1200 JPY", "en", "1200", "JPY"),
    ("1,200円", "ja_JP", "1200", None), ("1 200,50", "fr_FR", "1200.50", None), ("1200.5", "de_DE", "1200.5", None),
])
def test_amount_cells(text: str, locale: str, value: str, currency: str | None) -> None:
    assert parse_amount(text, locale) == Amount(Decimal(value), currency)


@pytest.mark.parametrize("text", ["1,20", "1.200,50", "abc", "USD", ""])
def test_ambiguous_or_wordy_amounts_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text, "en")


def write_config(tmp_path: Path, report: str, source: str) -> Path:
    (tmp_path / "cards.csv").write_text("Date,Merchant,Amount,Currency,Category\n"
                                        "2024-01-05,Figma,45.00,USD,Software\n"
                                        "2024-02-05,Figma,45.00,EUR,Software\n", encoding="utf-8")
    path = tmp_path / "auditor.yaml"
    path.write_text(f"organization: X\nsources:\n  - {{name: cards, type: spend, path: cards.csv{source}}}\n"
                    f"report:\n  {report}\n", encoding="utf-8")
    return path


def test_report_currency_is_an_iso_code_in_the_config(tmp_path: Path) -> None:
    assert load_config(write_config(tmp_path, "currency: JPY", "")).report.currency == "JPY"
    assert load_config(write_config(tmp_path, "lang: en", "")).report.currency is None
    with pytest.raises(InputError, match=r"auditor.yaml:5: report.currency"):
        load_config(write_config(tmp_path, "currency: yen", ""))


def test_bad_rate_settings_are_located_at_the_source(tmp_path: Path) -> None:
    path = write_config(tmp_path, "lang: en", ", currency: dollars, exchange_rates: {USD: 0, euro: 160}, "
                                              "amount_locale: xx_YY")
    with pytest.raises(InputError) as caught:
        prepare_sources(load_config(path))
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        "source 'cards': 'exchange_rates' needs the reporting currency: set 'report.currency' in the config "
        "(the currency the rates convert into)",
        "source 'cards': amount_locale: unknown locale 'xx_YY' (use e.g. en, de_DE, fr_FR, ja_JP)",
        "source 'cards': currency: 'dollars' is not an ISO 4217 currency code (such as USD, EUR, JPY)",
        "source 'cards': exchange_rates: 'euro' is not an ISO 4217 currency code (such as USD, EUR, JPY)",
        "source 'cards': exchange_rates: the rate of 'USD' must be a positive number, not 0",
    ]
    assert all(str(p).startswith(f"{path}:3: ") for p in caught.value.problems)


def test_transform_refuses_unchecked_settings() -> None:
    with pytest.raises(ConnectorError, match="needs the reporting currency"):
        collect(path="ramp-multicurrency.csv", exchange_rates=RATES)


def test_scan_converts_and_a_missing_rate_exits_2(tmp_path: Path) -> None:
    path = write_config(tmp_path, "currency: JPY", ", exchange_rates: {USD: 150}")
    result = CliRunner().invoke(main, ["validate", "-c", str(path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "cards.csv:3: row 3, column 'Currency': no exchange rate for EUR" in " ".join(result.output.split())
    path = write_config(tmp_path, "currency: JPY", ", exchange_rates: {USD: 150, EUR: 162.5}, period_days: 365")
    result = CliRunner().invoke(main, ["scan", "-c", str(path), "--out", str(tmp_path / "out"), "--no-save"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [t["annual_cost"] for t in report["tools"] if t["name"] == "Figma"] == [45 * 150 + 45 * 162.5]
