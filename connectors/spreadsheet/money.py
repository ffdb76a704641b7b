"""Money cells: amounts as written in exports (``"$1,200.50"``, ``"¥1,200"``, ``"1.200,50 €"``), ISO 4217
currency codes, and conversion at fixed exchange rates into the reporting currency.

Pure functions and small value classes; no network look-ups (rates come from the config). Amounts are
:class:`~decimal.Decimal` so that sums and conversions are exact; numbers are read with Babel
(:func:`babel.numbers.parse_decimal`, strict) in the locale the export was written in.

Sources that read amounts (``spend``, ``spreadsheet``) share :class:`MoneySettings` (``currency``,
``exchange_rates``, ``amount_locale``), :func:`money_setting_problems` and :class:`MoneyReader`, which
turns one amount cell (and its currency cell) into the reporting currency with located problems.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException
from typing import Any

from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global, parse_locale
from babel.numbers import NumberFormatError, is_currency, parse_decimal

from auditor.errors import Problem
from connectors.spreadsheet.table import Row, in_range

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_CODE_FIRST = re.compile(r"([A-Z]{3})\s*(.*\d.*)")
_CODE_LAST = re.compile(r"(.*\d.*?)\s*([A-Z]{3})")
_DOLLAR_PREFIX = re.compile(r"[A-Z]{1,2}(?=\$)")  # US$, A$, C$, HK$, NZ$ …
_HEADER_CODE = re.compile(r"(?:.*[(\[]([A-Z]{3})[)\]].*)|(?:(?:.*[\s_-])?([A-Z]{3}))")
_EXTRA_SYMBOLS = frozenset("円元")  # not in Unicode category Sc


@dataclass(frozen=True)
class Amount:
    """A parsed amount, the currency code written in the cell with it (``"EUR 99"``), if any, and the
    currency signs written with it (``"$"`` for ``"US$12"``, ``"¥"``; not compared)."""

    value: Decimal
    currency: str | None = None
    signs: str = field(default="", compare=False)


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
    signs = "".join(dict.fromkeys(ch for ch in value if _is_sign(ch)))
    value = "".join(ch for ch in value if not (ch.isspace() or _is_sign(ch)))
    if not value:
        raise ValueError(text)
    return Amount(-_number(value, locale, text) if negative else _number(value, locale, text), code, signs)


def _is_sign(ch: str) -> bool:
    return ch in _EXTRA_SYMBOLS or unicodedata.category(ch) == "Sc"


_WORD_SIGNS: Mapping[str, frozenset[str]] = {"JPY": frozenset("円"), "CNY": frozenset("元")}


@functools.cache
def _currency_signs(code: str) -> frozenset[str]:
    """The currency signs CLDR writes for ``code`` in English and in the locales of the territories that
    use it (``USD``: ``$``; ``JPY``: ``¥ ￥ 円``; ``CNY``: ``¥ ￥ 元``; ``SGD``, ``MXN``: ``$``)."""
    territories = {territory for territory, spans in get_global("territory_currencies").items()
                   if any(span[0] == code for span in spans)}
    names = ["en", *(name for name in localedata.locale_identifiers() if parse_locale(name)[1] in territories)]
    symbols = "".join(Locale.parse(name).currency_symbols.get(code, "") for name in names)
    return frozenset(ch for ch in symbols if _is_sign(ch)) | _WORD_SIGNS.get(code, frozenset())


def signs_fit(signs: str, code: str) -> bool:
    """Whether every currency sign in ``signs`` can stand for ``code`` (``$`` for USD, AUD, MXN …; ``¥``
    for JPY and CNY); a row whose cell says ``$`` while its currency is JPY is a mistake, not a guess."""
    allowed = _currency_signs(code)
    return all(sign in allowed for sign in signs)


def _number(value: str, locale: str, text: str) -> Decimal:
    """``value`` read in ``locale`` (strict); a plain ``1200.5`` — how spreadsheet programs store
    numbers whatever the locale — is accepted when the locale reading fails."""
    try:
        return in_range(parse_decimal(value, locale=locale.replace("-", "_"), strict=True), text)
    except (NumberFormatError, UnknownLocaleError, DecimalException) as exc:
        if _PLAIN.fullmatch(value):
            try:
                return in_range(Decimal(value), text)
            except DecimalException:
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


@dataclass(frozen=True, kw_only=True)
class MoneySettings:
    """Settings of every source that reads amounts (a base of its settings dataclass)."""

    currency: str | None = field(default=None, metadata={
        "help": "ISO 4217 code of amounts whose row names no currency (default: report.currency)"})
    exchange_rates: dict[str, float] = field(default_factory=dict, metadata={
        "help": "fixed rates into report.currency: units of it per unit, e.g. {USD: 150.0, EUR: 162.5}"})
    amount_locale: str = field(default="en", metadata={
        "help": "locale amounts are written in (de_DE: 1.200,50; fr_FR: 1 200,50)"})


def money_setting_problems(settings: MoneySettings, reporting: str | None) -> list[str]:
    """Complaints about the rates, currency and locale of ``settings`` that their types do not show."""
    problems = rate_problems(settings.exchange_rates, reporting)
    if settings.currency is not None and currency_code(str(settings.currency)) is None:
        problems.append(f"currency: {settings.currency!r} is not an ISO 4217 currency code (such as USD, EUR, JPY)")
    complaint = check_locale(str(settings.amount_locale))
    if complaint:
        problems.append(f"amount_locale: {complaint}")
    return problems


@dataclass(frozen=True)
class Converted:
    """An amount in the reporting currency, the currency it was written in (None: unknown) and the rate."""

    value: Decimal
    currency: str | None
    rate: Decimal

    def as_float(self) -> float:
        """The value as a float: as written when no conversion happened, else rounded to cents."""
        return float(self.value if self.rate == 1 else round(self.value, 2))


Cell = tuple[str, str | None]  #: a cell's text and its column header (None: no such column)


class MoneyReader:
    """Reads the amount cells of one source into the reporting currency, with located problems.

    A row's currency is its currency cell (``USD``), else an ISO code in the amount cell (``"EUR 99"``),
    else the ``currency`` setting, else a code in the amount column's header (``Amount (USD)``), else the
    reporting currency. A currency sign in the cell that cannot stand for that currency (``$`` in a JPY
    row) is an error; a currency without a rate is reported once per sheet and column (:meth:`problems`).
    """

    def __init__(self, settings: MoneySettings, reporting: str | None, not_amount: str = "is not an amount") -> None:
        self.settings = settings
        self.reporting = reporting
        self.not_amount = not_amount
        self.converter = Converter.from_settings(reporting, settings.exchange_rates)
        self.grouped = GroupedProblems()

    def read(self, row: Row, amount: Cell, currency: Cell, problems: list[Problem]) -> Converted | None:
        """The amount cell ``amount`` of ``row`` (with its currency cell ``currency``) converted; None after
        recording a problem in ``problems`` (or, for a missing rate, in :meth:`problems`)."""
        amount_text, amount_column = amount
        try:
            written = parse_amount(amount_text, self.settings.amount_locale)
        except ValueError:
            problems.append(row.problem(amount_column, f"{amount_text!r} {self.not_amount}"))
            return None
        currency_text, currency_column = currency
        code, why = written.currency, None
        if code is None:
            code, why = self._default_currency(amount_column)
        if currency_text:
            stated = currency_code(currency_text)
            if stated is None:
                problems.append(row.problem(currency_column, f"{currency_text!r} is not an ISO 4217 currency code "
                                                             "(such as USD, EUR, JPY)"))
                return None
            if written.currency and written.currency != stated:
                problems.append(row.problem(amount_column, f"{amount_text!r} is in {written.currency} but column "
                                                           f"'{currency_column}' says {stated}"))
                return None
            code, why = stated, f"column '{currency_column}' says so"
        if code is not None and written.signs and not signs_fit(written.signs, code):
            problems.append(row.problem(amount_column, f"{amount_text!r} is written with {written.signs!r}, which "
                                                       f"is not a sign of {code} ({why or 'its ISO code'}); put the "
                                                       "currency's ISO code in the cell or in a currency column"))
            return None
        rate = self.converter.rate(code)
        if rate is None:
            self.grouped.add(row, currency_column if currency_text else amount_column,
                             self._no_rate(str(code), str(self.converter.reporting)))
            return None
        return Converted(written.value * rate, code, rate)

    def problems(self) -> list[Problem]:
        """The grouped missing-rate problems of every row read so far."""
        return self.grouped.problems()

    def _default_currency(self, amount_column: str | None) -> tuple[str | None, str | None]:
        """Currency of an amount whose row names none, and why: the ``currency`` setting, a code in the
        amount header (``Amount (USD)``), else the reporting currency."""
        if self.settings.currency and currency_code(self.settings.currency):
            return currency_code(self.settings.currency), "the 'currency' setting"
        if header_currency(amount_column):
            return header_currency(amount_column), f"the header '{amount_column}'"
        return self.reporting, "report.currency"

    def _no_rate(self, currency: str, reporting: str) -> str:
        if self.reporting is None:
            return (f"amounts in {currency} cannot be added to amounts in {reporting}: set 'report.currency' in "
                    f"the config and 'exchange_rates' on this source")
        return (f"no exchange rate for {currency}; add it to 'exchange_rates' (units of {reporting} per "
                f"{currency}, e.g. exchange_rates: {{{currency}: ...}})")
