"""What the scan report shows of the plan and the money: first actions, spend figures, start-here fixes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.jsondata import records, texts
from auditor.result import ScanResult
from reports.contracts_view import contracts_context
from reports.finding_text import localise
from reports.i18n import Catalogue

FIRST_ACTIONS = 5


def _name(result: ScanResult, tool: str) -> str:
    return result.graph.tools[tool].name if tool in result.graph.tools else tool


def action_title(action: Mapping[str, Any], result: ScanResult, cat: Catalogue) -> str:
    """A plan action's title in the report's language, from its scenario."""
    scenario = action.get("scenario") or {}
    kind = action.get("kind")
    if kind == "retire" and scenario.get("retire"):
        tool = scenario["retire"][0]
        keep = (scenario.get("moves") or {}).get(tool)
        if keep:
            return cat("Retire {tool} (keep {keep})", tool=_name(result, tool), keep=_name(result, keep))
        return cat("Retire {tool}", tool=_name(result, tool))
    if kind in ("connect", "automate") and scenario.get("connect"):
        source, _, target = str(scenario["connect"][0]).partition(":")
        text = (cat("Connect {source} → {target}", source=_name(result, source), target=_name(result, target))
                if kind == "connect" else
                cat("Automate the manual link {source} → {target}", source=_name(result, source),
                    target=_name(result, target)))
        return text
    if kind == "sanction" and scenario.get("sanction"):
        return cat("Sanction {tool}", tool=_name(result, scenario["sanction"][0]))
    return str(action.get("title", ""))


def plan_actions(result: ScanResult, cat: Catalogue, limit: int = FIRST_ACTIONS) -> list[dict[str, Any]]:
    """The plan's first actions with localised titles, flow names and what they need (English only)."""
    plan = result.extra.get("plan")
    if not isinstance(plan, Mapping):
        return []
    actions = []
    for action in list(plan.get("actions") or [])[:limit]:
        flows = []
        for flow_id, change in (action.get("flows") or {}).items():
            flow = result.graph.flow(flow_id)
            flows.append((flow.name if flow else flow_id, change))
        actions.append({"rank": action.get("rank"), "title": action_title(action, result, cat),
                        "resolves": len(action.get("findings_resolved") or []), "flows": flows,
                        "cost_change": action.get("annual_cost_change") or 0.0,
                        "needs": action.get("needs") if cat.lang == "en" else None})
    return actions


def first_fixes(result: ScanResult, cat: Catalogue) -> dict[str, list[str]]:
    """Flow id → localised titles of the "start here" entry's first fixes."""
    by_id = {f.id: f for f in result.findings}
    scores = result.scores or result.summary().get("scores") or {}
    fixes: dict[str, list[str]] = {}
    for entry in records(scores, "start_here"):  # odd or hand-written entries (not records): nothing to show
        found = [by_id[i] for i in texts(entry, "first_fixes") if i in by_id]
        fixes[str(entry.get("flow"))] = [localise(f, cat).title for f in found]
    return fixes


def plan_context(result: ScanResult, cat: Catalogue) -> dict[str, Any]:
    """Template values: ``money`` (summary.money), ``plan_actions``, ``plan_total``, ``first_fixes``,
    ``contracts`` (:func:`reports.contracts_view.contracts_context`)."""
    plan = result.extra.get("plan")
    plan = plan if isinstance(plan, Mapping) else {}
    return {"money": result.summary().get("money") or {}, "plan_actions": plan_actions(result, cat),
            "plan_total": len(plan.get("actions") or []), "first_fixes": first_fixes(result, cat),
            "contracts": contracts_context(result),
            "signed_money": lambda v: ("+" if v > 0 else "-" if v < 0 else "") + cat.money(abs(v),
                                                                                          result.scan.currency)}
