"""Localised finding titles and recommendations.

Analyses write their titles and recommendations in English; that text is used as is for ``en``.
For another language each finding type has a template in the catalogue (contexts ``finding-title``
and ``finding-recommendation``, msgid = the type, optionally refined as ``type.variant``) that is
filled with parameters taken from the finding and the graph. A type without a template (e.g. from a
plugin) keeps its English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auditor.graph import LandscapeGraph
from auditor.model import Finding, Step
from reports.i18n import Catalogue


@dataclass(frozen=True)
class FindingText:
    """A finding's title and recommendation in the report's language."""

    title: str
    recommendation: str


def _variant(finding: Finding) -> str | None:
    evidence = finding.evidence
    if finding.type == "coverage_gap":
        return "no_tools" if evidence.get("no_tools") or not finding.tools else "layers"
    if finding.type == "missing_integration" and evidence.get("consolidated"):
        return "consolidated"
    if finding.type == "silo" and evidence.get("reasons") == ["no_data_feed"]:
        return "layer"
    if finding.type == "silo" and isinstance(evidence.get("scope"), str):
        return str(evidence["scope"])
    if finding.type == "duplicate" and isinstance(evidence.get("basis"), str):
        return str(evidence["basis"])
    return None


def _tool_names(graph: LandscapeGraph, ids: Any) -> list[str]:
    if not isinstance(ids, list | tuple | set | frozenset):
        return []
    return [graph.tools[i].name if i in graph.tools else str(i) for i in ids]


def _advice_params(finding: Finding, graph: LandscapeGraph, cat: Catalogue, target: Step | None,
                   tools_to: str) -> dict[str, str]:
    """``advice`` (what the nearest connection suggests) and ``customer`` sentences of a hand-off finding.

    Templates in context ``finding-advice`` are keyed by the ``nearest`` evidence kind of a missing
    integration (``reverse_path``, ``path_to_department`` …) and ``customer_facing``.
    """
    nearest = finding.evidence.get("nearest")
    path = nearest.get("path") if isinstance(nearest, Mapping) else None
    path = path if isinstance(path, list) and path else []
    values = {"reached": cat.join(_tool_names(graph, path[-1:])), "feeder": cat.join(_tool_names(graph, path[:1])),
              "tools_to": tools_to}
    kind = nearest.get("kind") if isinstance(nearest, Mapping) else None
    advice = cat.template("finding-advice", str(kind), "", values) if kind else ""
    customer = cat.template("finding-advice", "customer_facing", "", values) \
        if target is not None and target.customer_facing else ""
    return {"advice": advice or "", "customer": customer or ""}


def _retiring(evidence: Mapping[str, Any]) -> dict[str, str]:
    value = evidence.get("retiring")
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


def _kept_names(graph: LandscapeGraph, cat: Catalogue, tools: Any, retiring: Mapping[str, str]) -> str:
    """Names of ``tools`` with each tool a consolidation decision retires replaced by the tool kept."""
    return cat.join(_tool_names(graph, list(dict.fromkeys(retiring.get(t, t) for t in tools))))


def _decision_params(evidence: Mapping[str, Any], graph: LandscapeGraph, cat: Catalogue) -> dict[str, str]:
    """``keep_reason`` of a duplicate (context ``keep-reason``, keyed by the deciding fact) and
    ``retire_note`` (context ``finding-advice``, key ``retire_note``: move to the kept tool first)."""
    retiring = _retiring(evidence)
    notes = [cat.template("finding-advice", "retire_note", "", {"tool": _tool_names(graph, [t])[0],
                                                               "keep": _tool_names(graph, [k])[0]}) or ""
             for t, k in retiring.items()]
    facts = evidence.get("facts")
    decided = evidence.get("decided_by")
    reason = ""
    if isinstance(facts, Mapping):
        field = {"cheaper": "annual_cost"}.get(str(decided), str(decided))
        values = [f"{n} {cat.money(v.get(field), None) if isinstance(v.get(field), float) else v.get(field, '')}"
                  for n, v in zip(_tool_names(graph, list(facts)), facts.values(), strict=True)
                  if isinstance(v, Mapping)]
        reason = cat.template("keep-reason", str(decided) if decided else "none", "",
                              {"facts": cat.join(values)}) or ""
    risks = evidence.get("risks")
    count = len(risks) if isinstance(risks, list) else 0
    risk_text = cat.template("finding-advice", "retire_risks", "", {"count": count}) or "" if count else ""
    return {"retire_note": "".join(notes), "keep_reason": reason, "retire_risks": risk_text}


def finding_params(finding: Finding, graph: LandscapeGraph, cat: Catalogue, currency: str | None = None,
                   titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Named values a finding template may use (unknown names render empty); amounts in ``currency``.

    ``{category}`` is the category's display name (:meth:`Catalogue.category` with the taxonomy
    ``titles``) or, for a duplicate product, the product's catalog id.
    """
    evidence: Mapping[str, Any] = finding.evidence
    flow = graph.flow(finding.flow) if finding.flow else None
    steps = {s.id: s for s in flow.steps} if flow else {}
    step_names = [steps[s].name if s in steps else s for s in finding.steps]
    first = steps.get(finding.steps[0]) if finding.steps else None
    second = steps.get(finding.steps[1]) if len(finding.steps) > 1 else None
    names = _tool_names(graph, finding.tools)
    keep = evidence.get("keep")
    keep_cost = graph.tools[keep].annual_cost or 0.0 if isinstance(keep, str) and keep in graph.tools else 0.0
    total = evidence.get("total_annual_cost")
    total_cost = float(total) if isinstance(total, int | float) else sum(
        graph.tools[t].annual_cost or 0.0 for t in finding.tools if t in graph.tools)
    handoffs = evidence.get("handoffs")
    layers = evidence.get("missing_layers") or []
    retiring = _retiring(evidence)
    tools_to = _kept_names(graph, cat, second.all_tools, retiring) if second else ""
    return {
        **_advice_params(finding, graph, cat, second, tools_to),
        **_decision_params(evidence, graph, cat),
        "flow": flow.name if flow else (finding.flow or ""),
        "steps": cat.join(step_names),
        "step": step_names[0] if step_names else "",
        "step_from": step_names[0] if step_names else "",
        "step_to": step_names[1] if len(step_names) > 1 else "",
        "tools_from": _kept_names(graph, cat, first.all_tools, retiring) if first else "",
        "tools_to": tools_to,
        "tools": cat.join(names),
        "tool": names[0] if names else "",
        "count": len(finding.tools),
        "departments": cat.join(finding.departments),
        "department": finding.departments[0] if finding.departments else "",
        "category": cat.category(str(evidence["category"]), titles) if evidence.get("category")
        else evidence.get("product") or "",
        "keep": _tool_names(graph, [keep])[0] if isinstance(keep, str) else "",
        "others": cat.join(n for t, n in zip(finding.tools, names, strict=True) if t != keep),
        "total_cost": cat.money(total_cost, currency),
        "savings": cat.money(max(total_cost - keep_cost, 0.0), currency),
        "layers": cat.join(cat.layer(str(layer)) for layer in layers) if isinstance(layers, list) else "",
        "handoffs": len(handoffs) if isinstance(handoffs, list | tuple) else "",
    }


def localise(finding: Finding, graph: LandscapeGraph, cat: Catalogue, currency: str | None = None,
             titles: Mapping[str, str] | None = None) -> FindingText:
    """Title and recommendation of ``finding`` in the catalogue's language (amounts in ``currency``,
    categories named with the taxonomy ``titles``, default the packaged ones)."""
    variant = _variant(finding)
    keys = ([f"{finding.type}.{variant}"] if variant else []) + [finding.type]
    params: dict[str, Any] | None = None
    texts: list[str] = []
    for context, english in (("finding-title", finding.title), ("finding-recommendation", finding.recommendation)):
        template = next((t for k in keys if (t := cat.lookup(context, k))), None)
        if template is None:
            texts.append(english)
            continue
        if params is None:
            params = finding_params(finding, graph, cat, currency, titles)
        texts.append(cat.fill(template, params))
    return FindingText(texts[0], texts[1])
