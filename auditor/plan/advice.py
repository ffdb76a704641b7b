"""Wording that follows the consolidation decisions: later advice names kept tools only.

``retiring`` maps each tool a duplicate decision retires to the tool kept instead (see
:mod:`auditor.plan.decisions`); the analyses receive it in ``AnalysisSettings.retiring``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auditor.graph import LandscapeGraph
from auditor.jsondata import texts
from auditor.model import Finding, JSONValue


def _name(graph: LandscapeGraph, tool: str) -> str:
    return graph.tools[tool].name if tool in graph.tools else tool


def retiring_map(findings: Iterable[Finding]) -> dict[str, str]:
    """Retired tool → kept tool, from the decisions carried by ``duplicate`` findings.

    A tool in two groups keeps the first decision (findings in id order); a tool kept by any group is
    never retired (keeping it is the conservative reading).
    """
    moves: dict[str, str] = {}
    duplicates = sorted((f for f in findings if f.type == "duplicate"), key=lambda f: f.id)
    kept = {str(f.evidence.get("keep")) for f in duplicates}
    for finding in duplicates:
        for tool in texts(finding.evidence, "retire"):
            if tool not in kept:
                moves.setdefault(tool, str(finding.evidence["keep"]))
    return moves


def kept(tools: Iterable[str], retiring: Mapping[str, str]) -> list[str]:
    """The tools with each retired one replaced by the tool kept instead (order kept, no repeats)."""
    return list(dict.fromkeys(retiring.get(t, t) for t in tools))


def kept_names(graph: LandscapeGraph, tools: Iterable[str], retiring: Mapping[str, str]) -> list[str]:
    """``["Shopify Plus", "Zendesk Suite"]``: names of :func:`kept` tools, sorted by id like ``names``."""
    return [_name(graph, t) for t in sorted(kept(tools, retiring))]


def retire_note(graph: LandscapeGraph, tool: str, keep: str) -> dict[str, JSONValue]:
    """The one sentence that may name a retired tool in later advice (``retire_note``): move to the kept tool first."""
    return {"code": "retire_note", "params": {"tool": _name(graph, tool), "keep": _name(graph, keep)}}


def retire_notes(graph: LandscapeGraph, tools: Iterable[str], retiring: Mapping[str, str]) -> dict[str, JSONValue]:
    """A :func:`retire_note` for each retired tool among ``tools`` (``{"sentences": [...]}``, empty when none)."""
    return {"sentences": [retire_note(graph, t, retiring[t]) for t in sorted(set(tools)) if t in retiring]}


def retiring_of(tools: Iterable[str], retiring: Mapping[str, str]) -> dict[str, str]:
    """The retired → kept pairs among ``tools`` (finding evidence ``retiring``, used by translated texts)."""
    return {t: retiring[t] for t in sorted(set(tools)) if t in retiring}
