"""The ``spend`` source: card and expense exports (Expensify, Ramp, or any CSV/XLSX with a mapping).

A discovery source (``sanctioned = False``): software bought on a card that no official inventory
lists is shadow IT. Only software spend is kept: by merchant category code, by category words, or (for
rows without an MCC, as in bank and card exports) by merchants the product catalog knows; every other
row is counted
as skipped. Debit/Credit exports: ``amount`` is the debit column, ``credit`` the credit column (a
credit reduces the merchant's spend; merchants with credits only, such as card payments, are skipped).

Annualisation rule: a merchant's net spend over the export is scaled to a year by the export's
date span — ``annual_cost = net × 365 / max(span_days, min_period_days)``, where ``span_days`` is
the number of days from the first to the last transaction of the whole export (every row, all
files of the folder), inclusive. ``period_days`` overrides the span. Merchant names stay raw
(``SALESFORCE.COM INC*SFDC``); entity resolution normalises them.

Currency: each row's amount is converted into the reporting currency (``report.currency``) at the
fixed ``exchange_rates`` of the settings. A row's currency is its currency cell, else an ISO code in
the amount cell (``"EUR 99"``), else the ``currency`` setting, else a code in the amount header
(``Amount (USD)``), else the reporting currency. Sums are exact (:class:`~decimal.Decimal`).
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditor.errors import Problem, raise_if_problems
from auditor.model import Inventory, ToolRecord
from auditor.resolution.matcher import packaged_matcher
from connectors.base import Connector, ConnectorError
from connectors.spreadsheet.money import MoneyReader, MoneySettings, money_setting_problems
from connectors.spreadsheet.table import (
    Row,
    Sheet,
    Table,
    files_in,
    parse_date,
    parse_int,
    read_tables,
    table,
)

#: Column candidates per export format, in order of preference (a list: first non-empty cell wins).
FORMATS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "expensify": {
        "merchant": ("Merchant",), "amount": ("Amount",), "date": ("Timestamp",), "mcc": ("MCC",),
        "category": ("Category",), "department": ("Tag",), "description": ("Comment",),
    },
    "ramp": {
        "merchant": ("merchant_name", "merchant_descriptor"), "amount": ("amount",),
        "date": ("user_transaction_time", "settlement_date"), "mcc": ("merchant_category_code",),
        "category": ("sk_category_name",), "department": ("card_holder.department_name",),
        "description": ("memo",), "id": ("id",), "currency": ("currency_code",),
    },
    "generic": {  # also bank and card exports: Description as the merchant, Debit/Credit columns
        "merchant": ("merchant", "merchant name", "vendor", "payee", "supplier", "description"),
        "amount": ("amount", "total", "amount (usd)", "amount usd", "value", "debit", "withdrawal"),
        "credit": ("credit", "deposit"),
        "date": ("date", "transaction date", "timestamp", "posted date", "posting date"),
        "mcc": ("mcc", "merchant category code"),
        "category": ("category", "expense category", "gl account", "account"),
        "department": ("department", "team", "cost center", "cost centre"),
        "description": ("description", "memo", "comment"), "id": ("id", "transaction id"),
        "currency": ("currency", "currency code", "transaction currency", "ccy"),
    },
}
SPEND_FIELDS: tuple[str, ...] = ("merchant", "amount", "date", "mcc", "category", "department", "description",
                                 "id", "currency", "credit")
SKIP_NOT_SOFTWARE = "not software (no software MCC, category word or catalog-known merchant)"
SKIP_CREDITS_ONLY = "credits only (card payments, refunds)"
SOFTWARE_MCCS: tuple[str, ...] = ("5734", "5817", "5818", "7372", "7379")
SOFTWARE_WORDS: tuple[str, ...] = ("software", "saas", "subscription")


#: Transaction dates outside this range are typing or export mistakes (``0001-01-01``), not spend.
PLAUSIBLE_DATES = (date(1990, 1, 1), date(2100, 12, 31))

@dataclass(frozen=True)
class SpendSettings(MoneySettings):
    """Settings of the ``spend`` source (``currency``, ``exchange_rates``, ``amount_locale``: see
    :class:`~connectors.spreadsheet.money.MoneySettings`)."""

    path: str = field(metadata={"help": "an expense export (.csv/.xlsx/.json), or a folder of them"})
    format: str = field(default="auto", metadata={
        "help": "auto, expensify, ramp or generic (auto: from the header row)"})
    columns: dict[str, str] = field(default_factory=dict, metadata={
        "help": f"field → header overrides; fields: {', '.join(SPEND_FIELDS)}; '' ignores a field"})
    software_mccs: tuple[str, ...] = field(default=SOFTWARE_MCCS, metadata={
        "help": "merchant category codes counted as software"})
    software_categories: tuple[str, ...] = field(default=SOFTWARE_WORDS, metadata={
        "help": "words that mark a category as software (case-blind substring)"})
    software_merchants: bool = field(default=True, metadata={
        "help": "also count as software the merchants the product catalog knows (SALESFORCE.COM*…, GITHUB …), "
                "for exports without MCC or software categories"})
    software_only: bool = field(default=True, metadata={"help": "false keeps every merchant"})
    period_days: int | None = field(default=None, metadata={
        "help": "days the export covers (default: first to last transaction)"})
    min_period_days: int = field(default=30, metadata={"help": "annualise over at least this many days"})
    date_format: str | None = field(default=None, metadata={"help": "strptime format of the date column"})
    encoding: str = field(default="utf-8-sig", metadata={"help": "CSV text encoding"})
    delimiter: str | None = field(default=None, metadata={"help": "CSV delimiter (default ','; e.g. ';')"})


@dataclass
class _Merchant:
    """A merchant's software spend, in the reporting currency."""

    name: str
    first: Row
    total: Decimal = Decimal(0)
    count: int = 0
    debits: int = 0
    by_department: dict[str, Decimal] = field(default_factory=dict)
    mccs: dict[str, None] = field(default_factory=dict)
    currencies: dict[str, None] = field(default_factory=dict)


def detect_format(tab: Table) -> str:
    """``ramp`` / ``expensify`` / ``generic`` from the headers."""
    if tab.find(["merchant_name"]) and tab.find(["user_transaction_time", "amount"]):
        return "ramp"
    if tab.find(["Merchant"]) and tab.find(["Timestamp"]) and tab.find(["MCC"]):
        return "expensify"
    return "generic"


class SpendConnector(Connector[SpendSettings, list[Sheet]]):
    """Software spend from expense and card exports → tools with annual cost by department."""

    type_id = "spend"
    description = "expense / card exports (Expensify, Ramp, generic CSV/XLSX): software spend"
    settings_class = SpendSettings
    sanctioned = False

    def is_local(self) -> bool:
        return True

    def check_settings(self) -> list[str]:
        """Rates, currency and locale that the setting types alone do not check."""
        return money_setting_problems(self.settings, self.context.currency)

    def get(self) -> list[Sheet]:
        root = self.context.existing_path(self.settings.path, "spend export")
        sheets: list[Sheet] = []
        for path in files_in(root) if root.is_file() else [*files_in(root), *sorted(root.glob("*.json"))]:
            sheets.extend(self._read(path))
        return sheets

    def _read(self, path: Path) -> list[Sheet]:
        try:
            if path.suffix.lower() == ".json":
                return [_json_sheet(path)]
            return read_tables(path, encoding=self.settings.encoding, delimiter=self.settings.delimiter)[:1]
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise ConnectorError(self.context.source_name, f"cannot read export: {exc}", where=str(path),
                                 hint="export as .csv (UTF-8) or .xlsx, or set 'encoding'") from exc

    # --- transform (pure) ------------------------------------------------------------------------

    def transform(self, raw: list[Sheet]) -> Inventory:
        settings_problems = self.check_settings()
        if settings_problems:
            raise ConnectorError(self.context.source_name, "; ".join(settings_problems))
        problems: list[Problem] = []
        merchants: dict[str, _Merchant] = {}
        dates: list[date] = []
        skipped: Counter[str] = Counter()
        money = MoneyReader(self.settings, self.context.currency)
        for sheet in raw:
            problems.extend(self._sheet(table(sheet), merchants, dates, money, skipped))
        raise_if_problems([*problems, *money.problems()])
        span = self.settings.period_days or ((max(dates) - min(dates)).days + 1 if dates else 0)
        factor = 365.0 / max(span, self.settings.min_period_days, 1)
        kept = [m for m in merchants.values() if m.debits]
        skipped.update({SKIP_CREDITS_ONLY: sum(m.count for m in merchants.values() if not m.debits)})
        return Inventory(tools=tuple(self._record(m, factor) for m in kept), skipped=+skipped)

    def _columns(self, tab: Table) -> tuple[dict[str, list[str]], list[Problem]]:
        fmt = detect_format(tab) if self.settings.format == "auto" else self.settings.format
        if fmt not in FORMATS:
            return {}, [tab.problem(f"unknown format '{fmt}'; use auto, {', '.join(FORMATS)}")]
        problems: list[Problem] = []
        columns: dict[str, list[str]] = {}
        for key in self.settings.columns:
            if key not in SPEND_FIELDS:
                problems.append(tab.problem(f"'columns' names an unknown field '{key}'; "
                                            f"known fields: {', '.join(SPEND_FIELDS)}"))
        for key in SPEND_FIELDS:
            wanted = self.settings.columns.get(key)
            if wanted is not None:
                found = tab.find([wanted]) if wanted else None
                if wanted and found is None:
                    problems.append(tab.problem(f"column '{wanted}' (mapped to '{key}') not found"))
                columns[key] = [found] if found else []
            else:
                candidates = FORMATS[fmt].get(key, ())
                columns[key] = [h for h in (tab.find([c]) for c in candidates) if h]
        headers = ", ".join(repr(h) for h in tab.headers if h)
        for key in ("merchant", "amount", "date"):
            if not columns[key] and not problems:
                problems.append(tab.problem(f"no {key} column for format '{fmt}'; map one with "
                                            f"'columns: {{{key}: \"...\"}}'; headers: {headers}"))
        return columns, problems

    def _sheet(self, tab: Table, merchants: dict[str, _Merchant], dates: list[date],
               money: MoneyReader, skipped: Counter[str]) -> list[Problem]:
        columns, problems = self._columns(tab)
        if problems:
            return problems

        def cell(row: Row, key: str) -> tuple[str, str | None]:
            for column in columns[key]:
                if row.get(column):
                    return row.get(column), column
            return "", (columns[key][0] if columns[key] else None)

        for row in tab.data:
            text, column = cell(row, "date")
            try:
                when = parse_date(text, self.settings.date_format)
            except ValueError:
                problems.append(row.problem(column, f"{text!r} is not a date"))
            else:
                if PLAUSIBLE_DATES[0] <= when <= PLAUSIBLE_DATES[1]:
                    dates.append(when)
                else:  # a year-1 date would stretch the period to centuries and the annual cost to nothing
                    problems.append(row.problem(column, f"{text!r} is not a plausible transaction date "
                                                        f"(outside {PLAUSIBLE_DATES[0]} … {PLAUSIBLE_DATES[1]})"))
            mcc = cell(row, "mcc")[0]
            if not self._is_software(mcc, cell(row, "category")[0]) and not self._catalog_software(mcc, row, cell):
                skipped[SKIP_NOT_SOFTWARE] += 1
                continue
            merchant, merchant_column = cell(row, "merchant")
            if not merchant:
                problems.append(row.problem(merchant_column, "the merchant is empty"))
                continue
            amount_cell, credit = cell(row, "amount"), not cell(row, "amount")[0] and bool(cell(row, "credit")[0])
            converted = money.read(row, cell(row, "credit") if credit else amount_cell, cell(row, "currency"),
                                   problems)
            if converted is None:
                continue
            amount, currency = (-converted.value if credit else converted.value), converted.currency
            key = " ".join(merchant.split()).casefold()
            item = merchants.setdefault(key, _Merchant(" ".join(merchant.split()), row))
            item.total += amount
            item.count += 1
            item.debits += not credit
            if currency:
                item.currencies[currency] = None
            department = cell(row, "department")[0]
            if department:
                item.by_department[department] = item.by_department.get(department, Decimal(0)) + amount
            mcc = _mcc(cell(row, "mcc")[0])
            if mcc:
                item.mccs[mcc] = None
        return problems

    @functools.cached_property
    def _software_mccs(self) -> frozenset[str]:
        return frozenset(_mcc(str(m)) for m in self.settings.software_mccs)

    def _is_software(self, mcc: str, category: str) -> bool:
        if not self.settings.software_only:
            return True
        if _mcc(mcc) in self._software_mccs:
            return True
        lowered = category.casefold()
        return any(word.casefold() in lowered for word in self.settings.software_categories if word)

    def _catalog_software(self, mcc: str, row: Row, cell: Callable[[Row, str], tuple[str, str | None]]) -> bool:
        """A row without an MCC whose merchant the catalog knows (an MCC, when there is one, is the card
        network's word and is not second-guessed)."""
        if not self.settings.software_merchants or mcc.strip():
            return False
        merchant = cell(row, "merchant")[0]
        return bool(merchant) and catalog_knows(merchant)

    def _record(self, merchant: _Merchant, factor: float) -> ToolRecord:
        hints: dict[str, str] = {"spend_transactions": str(merchant.count)}
        if merchant.by_department:
            hints["annual_cost_by_department"] = json.dumps(
                {d: round(max(float(v), 0.0) * factor, 2) for d, v in sorted(merchant.by_department.items())})
        if merchant.mccs:
            hints["mcc"] = ",".join(merchant.mccs)
        if merchant.currencies:
            hints["spend_currencies"] = ",".join(sorted(merchant.currencies))
        if self.context.currency:
            hints["cost_currency"] = self.context.currency
        return ToolRecord(
            name=merchant.name,
            provenance=self.provenance(merchant.name, file=merchant.first.sheet.where(), line=merchant.first.number),
            departments=tuple(sorted(d for d, v in merchant.by_department.items() if v > 0)),
            annual_cost=round(max(float(merchant.total), 0.0) * factor, 2),
            hints=hints,
        )


@functools.lru_cache(maxsize=65536)
def catalog_knows(merchant: str) -> bool:
    """Whether the packaged product catalog surely names ``merchant`` (``SALESFORCE.COM INC*SFDC``, ``GITHUB``;
    not ``AMAZON.COM*H26CB3R50``): a match without review. Cached per descriptor."""
    match = packaged_matcher().match(" ".join(merchant.split()))
    return match.product is not None and not match.review


def _mcc(text: str) -> str:
    """``"7372"``, ``"7372.0"``, ``" 7372 "`` → ``"7372"`` (leading zeros dropped on both sides of a match)."""
    if text.isdigit():
        return str(int(text))
    try:
        return str(parse_int(text)) if text else ""
    except ValueError:
        return text.strip()


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _json_sheet(path: Path) -> Sheet:
    """A Ramp-style JSON page (``{"data": [...]}``) or a list of transactions, flattened to columns
    with dotted names (``card_holder.department_name``)."""
    import pandas as pd

    document: Any = json.loads(path.read_text(encoding="utf-8"))
    items = document.get("data", []) if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ValueError("expected a list of transactions or {\"data\": [...]}")
    frame = pd.json_normalize(items)
    headers = [str(c) for c in frame.columns]
    rows = [tuple(headers)] + [tuple(_text(v) for v in values) for values in frame.itertuples(index=False)]
    return Sheet(str(path), None, tuple(rows))
