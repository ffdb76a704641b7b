"""Presentation facts derived from a scan's findings: hand-off status, silos, duplicate groups, scores.

Renderers draw these; nothing here re-analyses the landscape, it only reads the findings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.model import LAYERS, Flow, Step
from auditor.result import ScanResult

HANDOFF_STATUSES: tuple[str, ...] = ("connected", "manual", "missing", "no_tools")


@dataclass(frozen=True)
class Handoff:
    """Hand-off between two consecutive steps and its status, with the finding that says so."""

    source: Step
    target: Step
    status: str
    finding: str | None = None


def handoffs(result: ScanResult, flow: Flow) -> list[Handoff]:
    """Status of each hand-off of ``flow``: ``missing`` / ``manual`` from the findings, else ``connected``.

    A hand-off where one step has no tool at all is ``no_tools`` (a coverage gap, not an integration).
    """
    return _statuses(flow, _marks(result, flow.id).get(flow.id, {}))


def every_flow_handoffs(result: ScanResult) -> list[list[Handoff]]:
    """:func:`handoffs` of every flow of the graph, in its order, reading the findings once (not once per flow)."""
    marks = _marks(result)
    return [_statuses(flow, marks.get(flow.id, {})) for flow in result.graph.flows]


_Marks = dict[tuple[str, str], tuple[int, str, str]]


def _marks(result: ScanResult, flow_id: str | None = None) -> dict[str, _Marks]:
    """Flow id → (step, next step) → (weight, status, finding id) of the strongest finding on that hand-off."""
    weights = {"manual_handoff": (1, "manual"), "missing_integration": (2, "missing")}
    found: dict[str, _Marks] = {}
    for finding in result.findings:
        if finding.type not in weights or finding.flow is None or len(finding.steps) < 2:
            continue
        if flow_id is not None and finding.flow != flow_id:
            continue
        weight, status = weights[finding.type]
        marked = found.setdefault(finding.flow, {})
        for pair in zip(finding.steps, finding.steps[1:], strict=False):
            if pair not in marked or marked[pair][0] < weight:
                marked[pair] = (weight, status, finding.id)
    return found


def _statuses(flow: Flow, marked: _Marks) -> list[Handoff]:
    found: list[Handoff] = []
    for source, target in flow.handoffs():
        _, status, finding_id = marked.get((source.id, target.id), (0, "connected", None))
        if finding_id is None and not (source.all_tools and target.all_tools):
            status = "no_tools"
        found.append(Handoff(source, target, status, finding_id))
    return found


def silo_departments(result: ScanResult) -> dict[str, str]:
    """Department name → id of the ``silo`` finding (scope ``department``) naming it."""
    found: dict[str, str] = {}
    for finding in result.findings:
        if finding.type == "silo" and finding.evidence.get("scope", "department") == "department":
            for name in finding.departments:
                found.setdefault(name, finding.id)
    return found


def silo_tools(result: ScanResult) -> set[str]:
    """Ids of tools named by a ``silo`` finding of scope ``tool`` or ``layer``."""
    return {t for f in result.findings if f.type == "silo" and f.evidence.get("scope") in ("tool", "layer")
            for t in f.tools}


def resolved_finding_ids(result: ScanResult, previous: ScanResult | None) -> set[str]:
    """Ids of the previous scan's findings that this scan no longer has."""
    if previous is None:
        return set()
    now = {f.id for f in result.findings}
    return {f.id for f in previous.findings if f.id not in now}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        for key in ("score", "value", "total", "overall"):
            if isinstance(value.get(key), int | float) and not isinstance(value.get(key), bool):
                return float(value[key])
    return None


@dataclass(frozen=True)
class ScoreRow:
    """One score line: an id (flow, layer, part), its value 0–100, scalar details and a note."""

    key: str
    value: float | None
    details: tuple[tuple[str, str], ...] = ()
    name: str | None = None
    note: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreGroup:
    """A group of scores (e.g. per flow, per layer) or a ranked list (``ranked``)."""

    key: str
    rows: tuple[ScoreRow, ...]
    ranked: bool = False


SCORE_SKIP = frozenset({"weights", "formula"})
_LABEL_KEYS = ("flow", "id", "layer")
_NOT_DETAILS = frozenset({"score", "value", "name", "why", "rank", *_LABEL_KEYS})


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.0%}" if 0 <= value <= 1 else f"{value:g}"
    return str(value)


def _details(value: Any, name: Callable[[str], str], sep: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        return ()
    found = []
    for key, item in value.items():
        if key in _NOT_DETAILS:
            continue
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            found.append((str(key), _show(item)))
        elif isinstance(item, Mapping) and item and all(isinstance(v, int | float) for v in item.values()):
            found.append((str(key), sep.join(f"{name(str(k))} {_show(v)}" for k, v in item.items())))
    return tuple(found)


def _row(key: str, value: Any, name: Callable[[str], str], sep: str = ", ") -> ScoreRow:
    mapping = value if isinstance(value, Mapping) else {}
    label = mapping.get("name")
    note = mapping.get("why")
    return ScoreRow(key, _number(value), _details(value, name, sep), label if isinstance(label, str) else None,
                    note if isinstance(note, str) else None, dict(mapping))


def score_view(scores: Mapping[str, Any], name: Callable[[str], str] = str,
               sep: str = ", ") -> tuple[list[ScoreRow], list[ScoreGroup]]:
    """Headline scores and score groups from ``result.scores``, whatever shape it has.

    Numbers (or mappings with a ``score``) at the top level are headlines; mappings of them are groups;
    lists are ranked lists whose items are ids, or mappings with a ``flow``/``id``/``layer`` and a score.
    ``weights`` and ``formula`` are explanations, not scores. ``name`` translates nested detail keys;
    ``sep`` joins a detail's items (the language's list separator).
    """
    headline: list[ScoreRow] = []
    groups: list[ScoreGroup] = []
    for key, value in scores.items():
        if key in SCORE_SKIP:
            continue
        if _number(value) is not None:
            headline.append(_row(str(key), value, name, sep))
        elif isinstance(value, Mapping):
            rows = tuple(_row(str(k), v, name, sep) for k, v in value.items() if _number(v) is not None)
            if rows:
                groups.append(ScoreGroup(str(key), rows))
        elif isinstance(value, list | tuple):
            ranked = []
            for item in value:
                if isinstance(item, Mapping):
                    label = next((str(item[k]) for k in _LABEL_KEYS if item.get(k)), str(item.get("name", "?")))
                    ranked.append(_row(label, item, name, sep))
                else:
                    ranked.append(ScoreRow(str(item), None))
            if ranked:
                groups.append(ScoreGroup(str(key), tuple(ranked), ranked=True))
    return headline, groups


def score_formula(scores: Mapping[str, Any]) -> str | None:
    """The scores' formula with its weights, when the scores explain themselves."""
    formula = scores.get("formula")
    weights = scores.get("weights")
    if not isinstance(formula, str):
        return None
    if isinstance(weights, Mapping) and weights:
        formula += " — " + ", ".join(f"w_{k} = {v:g}" if isinstance(v, int | float) else f"w_{k} = {v}"
                                    for k, v in weights.items())
    return formula


def layer_of_tools(result: ScanResult, tools: tuple[str, ...]) -> dict[str, list[str]]:
    """The tools of a step by layer (``LAYERS`` order, then ``none`` for tools without a layer)."""
    rows: dict[str, list[str]] = {layer: [] for layer in (*LAYERS, "none")}
    for tool_id in tools:
        tool = result.graph.tools.get(tool_id)
        layers = [la for la in (tool.layers if tool else ()) if la in rows] or ["none"]
        for layer in layers:
            rows[layer].append(tool_id)
    return rows
