"""How amounts are written in findings and reports: whole units, thousands separators, ISO code if known."""

from __future__ import annotations


def format_money(value: float | None, currency: str | None = None) -> str:
    """``1234567.8`` → ``1,234,568`` (``1,234,568 JPY`` with a currency); ``None`` → empty text.

    The currency is the reporting currency (``report.currency`` of the config, kept as ``scan.currency``);
    without it amounts are shown as the sources wrote them, with no code.
    """
    if value is None:
        return ""
    return f"{value:,.0f} {currency}" if currency else f"{value:,.0f}"
