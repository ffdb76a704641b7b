"""Contract and ownership facts: renewals coming up, licence use, and department names that look like typos.

Pure functions over canonical tools; the pipeline puts :func:`contracts_section` in ``report.json``
(``contracts``) and ``auditor validate`` warns with :func:`near_departments`.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from auditor.model import Tool

RENEWAL_WINDOW_DAYS = 90
LOW_LICENCE_USE = 0.8
"""Licence use below this share is called out in the reports as seats paid for and not used."""


def iso_date(value: Any) -> str | None:
    """A YAML date or a ``YYYY-MM-DD`` string → ``"YYYY-MM-DD"`` (None for None); ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return date.fromisoformat(value.strip()).isoformat()
    raise ValueError(value)


def renewals(tools: Iterable[Tool], today: date, days: int = RENEWAL_WINDOW_DAYS) -> list[dict[str, Any]]:
    """Tools whose renewal date or contract end falls within ``days`` from ``today`` (soonest first)."""
    found = []
    end = today + timedelta(days=days)
    for tool in tools:
        for kind, text in (("renewal_date", tool.renewal_date), ("contract_end", tool.contract_end)):
            if text and today <= date.fromisoformat(text) <= end:
                found.append({"tool": tool.id, "name": tool.name, "kind": kind, "date": text,
                              "days": (date.fromisoformat(text) - today).days, "annual_cost": tool.annual_cost,
                              "business_owner": tool.business_owner})
    return sorted(found, key=lambda r: (r["date"], r["tool"], r["kind"]))


def licence_use(tools: Iterable[Tool]) -> list[dict[str, Any]]:
    """Per tool with licences: seats bought, seats used (``users``) and the share used (None when unknown)."""
    return [{"tool": t.id, "name": t.name, "licences": t.licences, "users": t.users,
             "use": round(t.users / t.licences, 3) if t.users is not None and t.licences else None}
            for t in tools if t.licences is not None]


def contracts_section(tools: Iterable[Tool], today: date) -> dict[str, Any]:
    """``report.json`` ``contracts``: renewals in the next 90 days and licence use (empty lists when none)."""
    listed = list(tools)
    return {"as_of": today.isoformat(), "renewals_next_90_days": renewals(listed, today),
            "licence_use": licence_use(listed)}


def near_departments(uses: Counter[str], cutoff: float = 0.88) -> list[tuple[str, str]]:
    """``(rare, common)`` pairs: a department name used once that is near another name (``Customer Suport``
    vs ``Customer Support``) — likely a typo that splits one department in two."""
    pairs = []
    names = sorted(uses)
    for name in names:
        if uses[name] != 1:
            continue
        others = [n for n in names if n != name]
        match = difflib.get_close_matches(name.casefold(), [o.casefold() for o in others], n=1, cutoff=cutoff)
        if match:
            pairs.append((name, next(o for o in others if o.casefold() == match[0])))
    return pairs
