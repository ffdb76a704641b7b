"""Names in the report's language: flows and steps may carry ``names`` per language (landscape format,
``names: {ja: 受注登録}``); every report in that language shows them (``report.json`` keeps the names as
the sources wrote them, with the ``names`` pairs next to them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from auditor.model import Flow
from auditor.result import ScanResult


def _flow_in(flow: Flow, lang: str) -> Flow:
    return replace(flow, name=flow.name_in(lang), steps=tuple(replace(s, name=s.name_in(lang)) for s in flow.steps))


def _scores_in(scores: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """Scores whose per-flow and start-here entries carry the flow's name in the language."""
    shown = dict(scores)
    if isinstance(scores.get("flows"), Mapping):
        shown["flows"] = {key: {**value, "name": names[key]} if key in names and isinstance(value, Mapping)
                          else value for key, value in scores["flows"].items()}
    if isinstance(scores.get("start_here"), list):
        shown["start_here"] = [{**entry, "name": names[entry["flow"]]}
                               if isinstance(entry, Mapping) and entry.get("flow") in names else entry
                               for entry in scores["start_here"]]
    return shown


def in_language(result: ScanResult, lang: str) -> ScanResult:
    """``result`` with its flows' and steps' names in ``lang`` where the sources gave one (else as it was)."""
    if not any(f.names or any(s.names for s in f.steps) for f in result.graph.flows):
        return result
    flows = tuple(_flow_in(f, lang) for f in result.graph.flows)
    names = {f.id: f.name for f in flows}
    return replace(result, graph=replace(result.graph, flows=flows), scores=_scores_in(result.scores, names))
