"""The executive first page of the printed report (and of ``-f pdf``): one A4 landscape page for a
steering meeting — organisation, scores, savings, where to start and its first actions, and the
flow × layer map of the flow to start with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reports.facts import ScoreGroup, ScoreRow
from reports.html_view import FlowView
from reports.i18n import Catalogue

EXECUTIVE_ACTIONS = 3
"""Plan actions shown on the first page (the HTML summary shows more)."""


@dataclass(frozen=True)
class StartHere:
    """The flow to repair first: its name, score, why (in the report's language) and first fixes."""

    name: str
    score: float | None
    note: str | None
    fixes: Sequence[str]
    flow: FlowView | None


@dataclass(frozen=True)
class ExecutiveView:
    """What ``html/_executive.html.j2`` shows; ``layers`` are (title, score) pairs."""

    overall: float | None
    layers: Sequence[tuple[str, float | None]]
    money: Mapping[str, Any]
    actions: Sequence[Mapping[str, Any]]
    start: StartHere | None
    severity: Mapping[str, int] = field(default_factory=dict)


def _group(groups: Sequence[ScoreGroup], key: str) -> ScoreGroup | None:
    return next((g for g in groups if g.key == key), None)


def _start_here(groups: Sequence[ScoreGroup], flows: Sequence[FlowView], fixes: Mapping[str, list[str]],
                cat: Catalogue) -> StartHere | None:
    group = _group(groups, "start_here")
    if group is None or not group.rows:
        return None
    row: ScoreRow = group.rows[0]
    flow = next((f for f in flows if f.id == row.key), None)
    return StartHere(flow.name if flow else row.name or row.key, row.value,
                     cat.template("score-note", "start_here", row.note, row.fields), fixes.get(row.key, []), flow)


def executive_view(summary: Mapping[str, Any], headline: Sequence[ScoreRow], groups: Sequence[ScoreGroup],
                   flows: Sequence[FlowView], plan: Mapping[str, Any], cat: Catalogue) -> ExecutiveView:
    """The first page from what the HTML page view already holds (nothing is computed twice)."""
    overall = next((r.value for r in headline if r.key == "overall"), None)
    layer_group = _group(groups, "layers")
    layers = [(cat.layer(r.key), r.value) for r in layer_group.rows] if layer_group else []
    return ExecutiveView(overall=overall, layers=layers, money=plan.get("money") or {},
                         actions=list(plan.get("plan_actions") or [])[:EXECUTIVE_ACTIONS],
                         start=_start_here(groups, flows, plan.get("first_fixes") or {}, cat),
                         severity=summary.get("findings_by_severity") or {})
