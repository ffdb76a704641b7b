"""What the report's first screen shows of contracts: renewals coming up and licence use.

Reads ``report.json``'s ``contracts`` section (``result.extra``, made by :mod:`auditor.contracts`); nothing
here looks at dates again. The only figure added is the cost of unused seats, for a tool with a known cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.contracts import LOW_LICENCE_USE, RENEWAL_WINDOW_DAYS
from auditor.result import ScanResult


def _unused_cost(row: Mapping[str, Any], cost: float | None) -> float | None:
    """Annual cost of the seats not used: cost × (1 − use); None when the cost or the use is unknown."""
    use = row.get("use")
    if cost is None or not isinstance(use, int | float) or use >= 1:
        return None
    return round(cost * (1 - use), 2)


def licence_rows(result: ScanResult, contracts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``licence_use`` rows plus the tool's ``annual_cost``, ``low`` (use below :data:`LOW_LICENCE_USE`) and
    ``unused_cost`` for low ones; lowest use first, unknown use last."""
    rows = []
    for row in contracts.get("licence_use") or []:
        tool = result.graph.tools.get(str(row.get("tool")))
        cost = tool.annual_cost if tool else None
        use = row.get("use")
        low = isinstance(use, int | float) and use < LOW_LICENCE_USE
        rows.append({**row, "annual_cost": cost, "low": low, "unused_cost": _unused_cost(row, cost) if low else None})
    return sorted(rows, key=lambda r: (r["use"] is None, r["use"] or 0.0, str(r.get("name"))))


def contracts_context(result: ScanResult) -> dict[str, Any]:
    """Template values under ``contracts``: ``as_of``, ``window`` (days), ``renewals`` (as in report.json),
    ``dated`` (tools with a renewal date or contract end), ``licences`` (:func:`licence_rows`),
    ``low_use`` (the threshold), ``low_count`` and ``unused_cost`` (sum over low-use tools with a known
    cost; None when none has one).

    Empty when the scan has no ``contracts`` section (no source gave licences or dates).
    """
    contracts = result.extra.get("contracts")
    if not isinstance(contracts, Mapping):
        return {}
    licences = licence_rows(result, contracts)
    return {"as_of": contracts.get("as_of"), "window": RENEWAL_WINDOW_DAYS,
            "renewals": list(contracts.get("renewals_next_90_days") or []),
            "dated": sum(1 for t in result.graph.tools.values() if t.renewal_date or t.contract_end),
            "licences": licences, "low_use": LOW_LICENCE_USE,
            "low_count": sum(1 for r in licences if r["low"]),
            "unused_cost": sum(costs) if (costs := [r["unused_cost"] for r in licences
                                                     if r["unused_cost"] is not None]) else None}
