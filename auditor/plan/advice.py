"""Wording that follows the consolidation decisions: later advice names kept tools only.

``retiring`` maps each tool a duplicate decision retires to the tool kept instead (see
:mod:`auditor.plan.decisions`); the analyses receive it in ``AnalysisSettings.retiring``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auditor.graph import LandscapeGraph
from auditor.model import Finding


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
        for tool in finding.evidence.get("retire", ()):
            if tool not in kept:
                moves.setdefault(tool, str(finding.evidence["keep"]))
    return moves


def kept(tools: Iterable[str], retiring: Mapping[str, str]) -> list[str]:
    """The tools with each retired one replaced by the tool kept instead (order kept, no repeats)."""
    return list(dict.fromkeys(retiring.get(t, t) for t in tools))


def kept_names(graph: LandscapeGraph, tools: Iterable[str], retiring: Mapping[str, str]) -> str:
    """``"Shopify Plus, Zendesk Suite"``: names of :func:`kept` tools, sorted by id like ``names``."""
    return ", ".join(_name(graph, t) for t in sorted(kept(tools, retiring)))


def retire_note(graph: LandscapeGraph, tool: str, keep: str) -> str:
    """The one sentence that may name a retired tool in later advice: move to the kept tool first."""
    return (f"{_name(graph, tool)} is to be retired for {_name(graph, keep)} (see its duplicate finding): "
            f"move this to {_name(graph, keep)} first.")


def retire_notes(graph: LandscapeGraph, tools: Iterable[str], retiring: Mapping[str, str]) -> str:
    """A :func:`retire_note` for each retired tool among ``tools`` (empty text when none), with a leading space."""
    notes = [retire_note(graph, t, retiring[t]) for t in sorted(set(tools)) if t in retiring]
    return "".join(f" {n}" for n in notes)


def retiring_of(tools: Iterable[str], retiring: Mapping[str, str]) -> dict[str, str]:
    """The retired → kept pairs among ``tools`` (finding evidence ``retiring``, used by translated texts)."""
    return {t: retiring[t] for t in sorted(set(tools)) if t in retiring}
