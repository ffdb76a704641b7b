"""The HTML report's view model: server-rendered sections plus the data the page's script draws.

Large tables (findings, tools, departments, duplicates) are drawn in the browser from one JSON
document embedded in the page, paginated, so a 10,000-tool report stays responsive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from auditor.analyses.registry import finding_types
from auditor.diff import new_finding_ids
from auditor.model import LAYERS, SEVERITIES, Finding
from auditor.result import ScanResult
from reports.department_matrix import DepartmentMatrix, department_matrix
from reports.facts import (
    ScoreGroup,
    ScoreRow,
    every_flow_handoffs,
    layer_of_tools,
    resolved_finding_ids,
    score_formula,
    score_view,
    silo_departments,
)
from reports.finding_text import localise
from reports.i18n import Catalogue
from reports.plan_view import plan_context

FLOWS_OPEN = 6
"""Flow maps shown unfolded when the report has at most this many flows."""


@dataclass(frozen=True)
class Chip:
    """A tool in a flow-map cell."""

    id: str
    name: str
    inferred: bool = False


@dataclass(frozen=True)
class StepView:
    """A column of a flow map."""

    number: int
    id: str
    name: str
    department: str
    customer_facing: bool
    cells: Mapping[str, list[Chip]]
    requires: frozenset[str]


@dataclass(frozen=True)
class HandoffView:
    """The connector between two step columns."""

    status: str
    label: str
    finding: str | None


@dataclass(frozen=True)
class BranchView:
    """A hand-off between steps that are not side by side in the map (a branch or a loop back)."""

    source: StepView
    target: StepView
    handoff: HandoffView


@dataclass(frozen=True)
class FlowView:
    """One flow × layer map; ``gaps[i]`` is the hand-off between columns i and i+1 (None: none there)."""

    id: str
    name: str
    steps: list[StepView]
    handoffs: list[HandoffView]
    layers: list[tuple[str, str]]
    counts: Mapping[str, int]
    svg: str | None = None
    open: bool = False
    gaps: list[HandoffView | None] = field(default_factory=list)
    branches: list[BranchView] = field(default_factory=list)


@dataclass(frozen=True)
class MatrixCellView:
    """A department-matrix cell as printed: its CSS classes, tooltip, count and manual share (empty: none)."""

    css: str
    title: str | None
    count: str
    share: str


@dataclass(frozen=True)
class MatrixRowView:
    """A department-matrix row as printed: the sending department, its cells and its total to the others."""

    name: str
    silo: bool
    cells: list[MatrixCellView]
    total: str


@dataclass
class PageView:
    """Everything the ``html/index.html.j2`` template needs."""

    lang: str
    title: str
    summary: Mapping[str, Any]
    result: ScanResult
    flows: list[FlowView]
    headline_scores: list[ScoreRow]
    score_groups: list[ScoreGroup]
    new_findings: int | None
    resolved_findings: int | None
    data_json: str
    diagrams: Mapping[str, str] = field(default_factory=dict)
    diagram_note: str | None = None
    score_formula: str | None = None
    layer_ids: tuple[str, ...] = LAYERS
    plan: Mapping[str, Any] = field(default_factory=dict)  # see reports.plan_view.plan_context
    department_matrix: DepartmentMatrix | None = None
    matrix_rows: list[MatrixRowView] = field(default_factory=list)


def matrix_rows(matrix: DepartmentMatrix, cat: Catalogue) -> list[MatrixRowView]:
    """The department matrix's rows, each cell's classes and texts made once here (a 70-department
    matrix has 4,900 cells: the template only prints them)."""
    rows = []
    for a in matrix.departments:
        cells = []
        for b in matrix.departments:
            c = matrix.cell(a, b)
            css = (f"num heat-{c.heat}" + (" diag" if a == b else "")
                   + (" manual-heavy" if c.count and c.manual_share >= 0.5 else ""))
            if not c.count:
                cells.append(MatrixCellView(css, None, "", ""))
                continue
            title = cat("{source} → {target}: {count} integrations, {manual} manual", source=a, target=b,
                        count=c.count, manual=c.manual)
            cells.append(MatrixCellView(css, title, f"{c.count:,}", f"{c.manual_share:.0%}" if c.manual else ""))
        rows.append(MatrixRowView(a, a in matrix.silos, cells, f"{matrix.totals_out.get(a, 0):,}"))
    return rows


def embed_json(document: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` as ``\\u`` escapes.

    Written by orjson (8 MB at 10,000 tools: 0.27 → 0.03 s); what orjson refuses (an int beyond 64 bits, a
    key that is not a string) by :mod:`json`. The page's script reads the values, not the bytes.
    """
    try:
        text = orjson.dumps(document).decode("utf-8")
    except orjson.JSONEncodeError:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def flow_views(result: ScanResult, cat: Catalogue, diagrams: Mapping[str, str]) -> list[FlowView]:
    """A flow × layer map per flow, with hand-off statuses from the findings."""
    tools = result.graph.tools
    views = []
    for flow, found in zip(result.graph.flows, every_flow_handoffs(result), strict=True):
        steps = []
        used_none = False
        for number, step in enumerate(flow.steps, start=1):
            by_layer = layer_of_tools(result, step.all_tools)
            used_none = used_none or bool(by_layer["none"])
            cells = {layer: [Chip(t, tools[t].name if t in tools else t, t not in step.tools) for t in ids]
                     for layer, ids in by_layer.items()}
            steps.append(StepView(number, step.id, step.name, step.department or "", step.customer_facing, cells,
                                  frozenset(step.requires)))
        hand = [HandoffView(h.status, cat.pgettext("handoff", h.status), h.finding) for h in found]
        gaps, branches = _placed(steps, [(h.source.id, h.target.id) for h in found], hand)
        layers = [(layer, cat.layer(layer)) for layer in LAYERS] + ([("none", cat.layer("none"))] if used_none else [])
        counts = {status: sum(1 for h in hand if h.status == status) for status in ("missing", "manual")}
        views.append(FlowView(flow.id, flow.name, steps, hand, layers, counts, diagrams.get(flow.id),
                              open=len(result.graph.flows) <= FLOWS_OPEN, gaps=gaps, branches=branches))
    return views


def _placed(steps: list[StepView], pairs: list[tuple[str, str]], views: list[HandoffView]
            ) -> tuple[list[HandoffView | None], list[BranchView]]:
    """Hand-offs between neighbouring columns go in the gaps; the others (branches, loops) in a list."""
    column = {step.id: i for i, step in enumerate(steps)}
    gaps: list[HandoffView | None] = [None] * max(0, len(steps) - 1)
    branches: list[BranchView] = []
    for (a, b), view in zip(pairs, views, strict=True):
        if column[b] == column[a] + 1:
            gaps[column[a]] = view
        else:
            branches.append(BranchView(steps[column[a]], steps[column[b]], view))
    return gaps, branches


def _finding_data(finding: Finding, cat: Catalogue, new: frozenset[str]) -> dict[str, Any]:
    text = localise(finding, cat)
    data: dict[str, Any] = {"id": finding.id, "type": finding.type, "severity": finding.severity,
                            "title": text.title, "recommendation": text.recommendation}
    for key, value in (("tools", list(finding.tools)), ("flow", finding.flow), ("steps", list(finding.steps)),
                       ("departments", list(finding.departments)), ("evidence", dict(finding.evidence))):
        if value:
            data[key] = value
    if finding.id in new:
        data["new"] = True
    return data


def page_data(result: ScanResult, cat: Catalogue, previous: ScanResult | None) -> dict[str, Any]:
    """The JSON document the page's script reads (tools and integrations by index, to stay compact).

    ``labels`` holds display names by id (finding types, severities, layers, and the categories of the
    tools and of the duplicate findings).
    """
    graph = result.graph
    index = {tool_id: i for i, tool_id in enumerate(graph.tools)}
    tools = []
    for tool in graph.tools.values():
        item: dict[str, Any] = {"id": tool.id, "name": tool.name}
        for key, value in (("vendor", tool.vendor), ("category", tool.category), ("layers", list(tool.layers)),
                           ("departments", list(tool.departments)), ("owner", tool.owner),
                           ("cost", tool.annual_cost), ("users", tool.users), ("sources", list(tool.sources))):
            if value not in (None, [], ""):
                item[key] = value
        aliases = [a for a in tool.aliases if a != tool.name]
        if aliases:
            item["aliases"] = aliases
        if not tool.sanctioned:
            item["unsanctioned"] = True
        if tool.lifecycle and tool.lifecycle != "active":
            item["lifecycle"] = tool.lifecycle
        tools.append(item)
    kinds = sorted({i.kind for i in graph.integrations})
    kind_index = {k: n for n, k in enumerate(kinds)}
    rows = [[index.get(i.source, -1), index.get(i.target, -1), kind_index[i.kind], index.get(i.via or "", -1),
             1 if i.bidirectional else 0] for i in graph.integrations]
    severity_order = {s: n for n, s in enumerate(reversed(SEVERITIES))}
    findings = sorted(result.findings, key=lambda f: (severity_order.get(f.severity, 99), f.type, f.title))
    new = new_finding_ids(previous, result)
    silos = silo_departments(result)
    titles = result.category_titles()
    categories = dict.fromkeys([*(t.category for t in graph.tools.values()),
                                *(str(f.evidence["category"]) for f in findings if f.evidence.get("category"))])
    return {
        "tools": tools,
        "integrations": {"kinds": kinds, "rows": rows},
        "findings": [_finding_data(f, cat, new) for f in findings],
        "flows": [{"id": f.id, "name": f.name, "steps": {s.id: s.name for s in f.steps},
                   "tools": {s.id: [index[t] for t in s.all_tools if t in index] for s in f.steps}}
                  for f in graph.flows],
        "departments": [{"name": d.name, "tools": [index[t] for t in d.tools if t in index],
                         **({"silo": silos[d.name]} if d.name in silos else {})} for d in graph.departments],
        "labels": {"types": {t: cat.finding_type(t)
                             for t in dict.fromkeys((*finding_types(), *(f.type for f in findings)))},
                   "severities": {s: cat.severity(s) for s in SEVERITIES},
                   "layers": {la: cat.layer(la) for la in (*LAYERS, "none")},
                   "categories": {c: cat.category(c, titles) for c in categories if c},
                   "kinds": {k: cat.integration_kind(k) for k in kinds}},
        "separator": cat.pgettext("separator", ", "),
        "lang": cat.lang,
        "ui": cat.messages(),
        "hasPrevious": previous is not None,
        "currency": result.scan.currency,
    }


def build_page(result: ScanResult, cat: Catalogue, previous: ScanResult | None,
               diagrams: Mapping[str, str], diagram_note: str | None = None) -> PageView:
    """The whole page view; ``diagrams`` maps flow ids and ``departments``/``integrations`` to inline SVG."""
    summary = result.summary()
    scores = result.scores or summary.get("scores") or {}
    headline, groups = score_view(scores, lambda key: cat.pgettext("score", key), cat.pgettext("separator", ", "))
    new = new_finding_ids(previous, result)
    matrix = department_matrix(result)
    return PageView(
        lang=cat.lang,
        title=cat("Digital-foundation audit: {organization}", organization=summary["organization"]),
        summary=summary,
        result=result,
        flows=flow_views(result, cat, diagrams),
        headline_scores=headline,
        score_groups=groups,
        new_findings=len(new) if previous is not None else None,
        resolved_findings=len(resolved_finding_ids(result, previous)) if previous is not None else None,
        data_json=embed_json(page_data(result, cat, previous)),
        diagrams=diagrams,
        diagram_note=diagram_note,
        score_formula=score_formula(scores),
        plan=plan_context(result, cat),
        department_matrix=matrix,
        matrix_rows=matrix_rows(matrix, cat),
    )
