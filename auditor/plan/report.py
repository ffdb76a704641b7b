"""The plan and money sections of a scan's report (report.json ``plan`` and ``summary.money``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditor.analyses import AnalysisSettings
from auditor.graph import LandscapeGraph
from auditor.model import Finding
from auditor.plan.advice import retiring_map
from auditor.plan.planner import MAX_ACTIONS, MAX_CANDIDATES, make_plan
from auditor.plan.whatif import Evaluator, Landscape

MAX_TOOLS = 500  # larger landscapes: the scan skips the plan (each what-if re-runs every analysis)


def plan_options(analyses: Mapping[str, Any]) -> dict[str, Any]:
    """``analyses.plan`` of the config with its defaults (``enabled``, ``max_actions``, ``max_candidates``,
    ``max_tools``)."""
    given = dict(analyses.get("plan") or {})
    return {"enabled": bool(given.get("enabled", True)), "max_actions": int(given.get("max_actions", MAX_ACTIONS)),
            "max_candidates": int(given.get("max_candidates", MAX_CANDIDATES)),
            "max_tools": int(given.get("max_tools", MAX_TOOLS))}


def plan_section(graph: LandscapeGraph, findings: Sequence[Finding], scores: Mapping[str, Any],
                 settings: AnalysisSettings, analyses: Mapping[str, Any]) -> dict[str, Any] | None:
    """The scan's plan (None when ``analyses.plan.enabled`` is false; ``{"skipped": reason}`` when the
    landscape has more than ``max_tools`` tools)."""
    options = plan_options(analyses)
    if not options["enabled"]:
        return None
    if len(graph.tools) > options["max_tools"]:
        return {"skipped": f"{len(graph.tools)} tools is more than analyses.plan.max_tools ({options['max_tools']}): "
                           "run 'auditor plan' for this landscape, or raise the limit"}
    evaluator = Evaluator(settings, analyses)
    plan = make_plan(evaluator, Landscape(graph, tuple(findings), scores),
                     options["max_actions"], options["max_candidates"])
    return plan.to_data()


def money_summary(graph: LandscapeGraph, findings: Sequence[Finding],
                  plan: Mapping[str, Any] | None) -> dict[str, Any]:
    """Spend figures for the first screen; amounts in the reporting currency, unknown costs count as 0."""
    tools = graph.tools.values()
    in_groups = {t for f in findings if f.type == "duplicate" for t in f.tools}
    retiring = retiring_map(findings)

    def spend(ids: Any) -> float:
        return round(sum(graph.tools[t].annual_cost or 0.0 for t in ids if t in graph.tools), 2)

    return {
        "annual_spend": spend(graph.tools),
        "tools_without_cost": sum(1 for t in tools if t.annual_cost is None),
        "duplicate_spend": spend(in_groups),
        "duplicate_savings": spend(retiring),
        "plan_savings": plan.get("annual_savings") if plan and "annual_savings" in plan else None,
        "shadow_it_spend": spend(t.id for t in tools if not t.sanctioned),
    }
