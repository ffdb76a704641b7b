"""Money cells: amounts as written in exports (``"$1,200.50"``, ``"¥1,200"``, ``"1.200,50 €"``), ISO 4217
currency codes, and conversion at fixed exchange rates into the reporting currency.

Pure functions and small value classes; no network look-ups (rates come from the config). Amounts are
:class:`~decimal.Decimal` so that sums and conversions are exact; numbers are read with Babel
(:func:`babel.numbers.parse_decimal`, strict) in the locale the export was written in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberFormatError, is_currency, parse_decimal

from auditor.errors import Problem
from connectors.spreadsheet.table import Row

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_CODE_FIRST = re.compile(r"([A-Z]{3})\s*(.*\d.*)")
_CODE_LAST = re.compile(r"(.*\d.*?)\s*([A-Z]{3})")
_DOLLAR_PREFIX = re.compile(r"[A-Z]{1,2}(?=\$)")  # US$, A$, C$, HK$, NZ$ …
_HEADER_CODE = re.compile(r"(?:.*[(\[]([A-Z]{3})[)\]].*)|(?:(?:.*[\s_-])?([A-Z]{3}))")
_EXTRA_SYMBOLS = frozenset("円元")  # not in Unicode category Sc


@dataclass(frozen=True)
class Amount:
    """A parsed amount and the currency code written in the cell with it (``"EUR 99"``), if any."""

    value: Decimal
    currency: str | None = None


def currency_code(text: str) -> str | None:
    """``"usd"``/``" USD "`` → ``"USD"``; None when ``text`` is not an ISO 4217 code."""
    code = text.strip().upper()
    return code if len(code) == 3 and code.isalpha() and is_currency(code) else None


def header_currency(header: str | None) -> str | None:
    """The currency a column header names: ``"JPY"``, ``"Amount (USD)"``, ``"Amount [EUR]"``,
    ``"Amount USD"`` (a capitalised ISO code, alone, bracketed or last); else None."""
    match = _HEADER_CODE.fullmatch((header or "").strip())
    code = match and (match.group(1) or match.group(2))
    return code if code and is_currency(code) else None


def check_locale(name: str) -> str | None:
    """None when Babel knows the locale ``name`` (``en``, ``de_DE``, ``ja-JP``); else a complaint."""
    try:
        Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return f"unknown locale {name!r} (use e.g. en, de_DE, fr_FR, ja_JP)"
    return None


def parse_amount(text: str, locale: str = "en") -> Amount:
    """Read an amount cell; ``ValueError`` when it is not one.

    Accepts currency symbols (``$``, ``¥``, ``€``, ``US$``, ``円``), an ISO code before or after the
    number (``"EUR 99"``, ``"1200 JPY"``), accounting negatives (``"(25.00)"``) and the grouping and
    decimal signs of ``locale`` (``de_DE``: ``"1.200,50"``). Ambiguous text such as ``"1,20"`` in
    ``en`` is rejected instead of guessed. Symbols do not set the currency (``$`` is a dozen currencies).
    """
    value = text.strip()
    negative = value.startswith("(") and value.endswith(")")
    value = value.strip("()").strip()
    code: str | None = None
    for pattern, code_group, rest_group in ((_CODE_FIRST, 1, 2), (_CODE_LAST, 2, 1)):
        match = pattern.fullmatch(value)
        if match and is_currency(match.group(code_group)):
            code, value = match.group(code_group), match.group(rest_group)
            break
    value = _DOLLAR_PREFIX.sub("", value)
    value = "".join(ch for ch in value if not (ch.isspace() or ch in _EXTRA_SYMBOLS
                                              or unicodedata.category(ch) == "Sc"))
    if not value:
        raise ValueError(text)
    return Amount(-_number(value, locale, text) if negative else _number(value, locale, text), code)


def _number(value: str, locale: str, text: str) -> Decimal:
    """``value`` read in ``locale`` (strict); a plain ``1200.5`` — how spreadsheet programs store
    numbers whatever the locale — is accepted when the locale reading fails."""
    try:
        return parse_decimal(value, locale=locale.replace("-", "_"), strict=True)
    except (NumberFormatError, UnknownLocaleError) as exc:
        if _PLAIN.fullmatch(value):
            try:
                return Decimal(value)
            except InvalidOperation:
                pass
        raise ValueError(text) from exc


def rate_problems(rates: Mapping[Any, Any], reporting: str | None) -> list[str]:
    """Complaints about an ``exchange_rates`` mapping (code → units of ``reporting`` per unit)."""
    problems: list[str] = []
    if rates and reporting is None:
        problems.append("'exchange_rates' needs the reporting currency: set 'report.currency' in the config "
                        "(the currency the rates convert into)")
    for key, rate in rates.items():
        code = currency_code(key) if isinstance(key, str) else None
        if code is None:
            problems.append(f"exchange_rates: {key!r} is not an ISO 4217 currency code (such as USD, EUR, JPY)")
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0:
            problems.append(f"exchange_rates: the rate of {key!r} must be a positive number, not {rate!r}")
        elif code is not None and code == reporting and rate != 1:
            problems.append(f"exchange_rates: {code} is the reporting currency; its rate must be 1 (or left out)")
    return problems


@dataclass
class Converter:
    """Converts amounts into the reporting currency at fixed rates.

    ``rate(code)`` is 1 for the reporting currency and for amounts of unknown currency (``None``), the
    configured rate otherwise, and None when there is none. Without a reporting currency the first
    currency met becomes the reference, so that an export mixing currencies is an error rather than
    a meaningless sum.
    """

    reporting: str | None
    rates: Mapping[str, Decimal] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, reporting: str | None, rates: Mapping[str, float]) -> Converter:
        """From ``report.currency`` and an already checked ``exchange_rates`` mapping."""
        return cls(reporting, {str(currency_code(k)): Decimal(str(v)) for k, v in rates.items()})

    def rate(self, code: str | None) -> Decimal | None:
        """Units of the reporting currency per unit of ``code`` (None: no rate known)."""
        if code is None:
            return Decimal(1)
        if self.reporting is None:
            self.reporting = code
        if code == self.reporting:
            return Decimal(1)
        return self.rates.get(code)


@dataclass
class GroupedProblems:
    """Row problems with the same message in the same column of one sheet, reported once: at the first
    row, naming the others (``row 3, column 'Currency': … (also rows 7, 9)``)."""

    shown_rows: int = 20
    _groups: dict[tuple[str, str | None, str | None, str], list[Row]] = field(default_factory=dict)

    def add(self, row: Row, column: str | None, message: str) -> None:
        """Record ``message`` for ``row`` (and ``column``)."""
        self._groups.setdefault((row.sheet.file, row.sheet.name, column, message), []).append(row)

    def problems(self) -> list[Problem]:
        """One located problem per group."""
        found = []
        for (_file, _sheet, column, message), rows in self._groups.items():
            others = [str(r.number) for r in rows[1:]]
            if others:
                more = len(others) - self.shown_rows
                listed = ", ".join(others[:self.shown_rows]) + (f" and {more} more" if more > 0 else "")
                message = f"{message} (also row{'s' if len(others) > 1 else ''} {listed})"
            found.append(rows[0].problem(column, message))
        return found
