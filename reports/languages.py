"""Names in the report's language: flows and steps may carry ``names`` per language (landscape format,
``names: {ja: 受注登録}``); every report in that language shows them (``report.json`` keeps the names as
the sources wrote them, with the ``names`` pairs next to them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from auditor.model import Finding, Flow, JSONValue
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


FLOW_PARAMS = frozenset({"flow", "flows"})
STEP_PARAMS = frozenset({"step", "step_from", "step_to"})
"""Finding message parameters that hold flow names and step names (auditor/analyses)."""


def _named(value: JSONValue, table: Mapping[str, str]) -> JSONValue:
    if isinstance(value, str):
        return table.get(value, value)
    return [_named(v, table) for v in value] if isinstance(value, list) else value


def _sentence_in(value: JSONValue, flows: Mapping[str, str], steps: Mapping[str, str]) -> JSONValue:
    """A nested sentence (``{"code", "params"}``) or sentence list with the language's names."""
    if not isinstance(value, Mapping):
        return value
    nested, items = value.get("params"), value.get("sentences")
    if isinstance(nested, Mapping):
        return {**value, "params": _params_in(nested, flows, steps)}
    if isinstance(items, list):
        return {**value, "sentences": [_sentence_in(v, flows, steps) for v in items]}
    return value


def _params_in(params: Mapping[str, JSONValue], flows: Mapping[str, str], steps: Mapping[str, str]
               ) -> dict[str, JSONValue]:
    """Message parameters with flow and step names in the language, nested sentences included."""
    return {key: _named(value, flows) if key in FLOW_PARAMS else _named(value, steps) if key in STEP_PARAMS
            else _sentence_in(value, flows, steps) for key, value in params.items()}


def _finding_in(finding: Finding, source: Mapping[str, Flow], shown: Mapping[str, Flow]) -> Finding:
    """The finding's message parameters with the language's names (its own flow's steps first)."""
    if not finding.message_params:
        return finding
    flows = {source[k].name: shown[k].name for k in source}
    steps = {a.name: b.name for k in source for a, b in zip(source[k].steps, shown[k].steps, strict=True)}
    own = finding.flow
    if own is not None and own in source:
        steps.update({a.name: b.name for a, b in zip(source[own].steps, shown[own].steps, strict=True)})
    return replace(finding, message_params=_params_in(finding.message_params, flows, steps))


def in_language(result: ScanResult, lang: str) -> ScanResult:
    """``result`` with its flows' and steps' names in ``lang`` where the sources gave one (else as it was):
    in the graph, the scores and the findings' message parameters (the English texts stay as written)."""
    if not any(f.names or any(s.names for s in f.steps) for f in result.graph.flows):
        return result
    flows = tuple(_flow_in(f, lang) for f in result.graph.flows)
    names = {f.id: f.name for f in flows}
    source = {f.id: f for f in result.graph.flows}
    shown = {f.id: f for f in flows}
    return replace(result, graph=replace(result.graph, flows=flows), scores=_scores_in(result.scores, names),
                   findings=[_finding_in(f, source, shown) for f in result.findings])
