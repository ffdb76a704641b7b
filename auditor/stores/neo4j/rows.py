"""Turn a scan into the rows the sync writes: one list per node label and per relationship kind.

Pure functions: no driver here. A node row is ``{"k": [key values], "p": {property: value}, "h": hash}``,
a relationship row ``{"s": [start keys], "e": [end keys], "rk": key or None, "p": {...}, "h": hash}``
(``rk`` only for kinds with a key, ``p`` only for kinds with properties). Key values are lists, not
tuples: the driver packs a tuple through a Python hook per value, a list natively.
Every declared property is present in ``p`` (``None`` removes a property in Neo4j), so an update
also clears values that disappeared. Relationships whose ends are not in the scan are left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.model import LAYER_TITLES
from auditor.result import ScanResult
from auditor.serialize import to_data
from auditor.stores.neo4j import schema as s

#: Bump when the mapping from the model to properties changes: every element is then rewritten.
MAPPING_VERSION = "2"  # 2: findings carry message_code and message_params

Row = dict[str, Any]


@dataclass
class GraphRows:
    """All rows of one scan, keyed by node label and by relationship schema name."""

    nodes: dict[str, list[Row]] = field(default_factory=dict)
    rels: dict[str, list[Row]] = field(default_factory=dict)

    def count(self) -> int:
        """Number of graph elements (nodes + relationships)."""
        return sum(map(len, self.nodes.values())) + sum(map(len, self.rels.values()))


def content_hash(*parts: Any) -> str:
    """A short, stable digest of plain values (property dicts are built in schema order, so ``repr`` is stable).

    Rows hash their identity with their properties: equal hashes mean the very same element.
    """
    return hashlib.blake2b(repr((MAPPING_VERSION, parts)).encode("utf-8"), digest_size=12).hexdigest()


def _props(schema: s.NodeSchema | s.RelSchema, values: Mapping[str, Any]) -> dict[str, Any]:
    if not schema.properties:
        return {}
    json_props = schema.json_properties if isinstance(schema, s.NodeSchema) else ()
    props: dict[str, Any] = {}
    for name in schema.properties:
        value = values.get(name)
        if name in json_props:
            value = None if value is None else json.dumps(to_data(value), ensure_ascii=False)
        elif value.__class__ is tuple:
            value = list(value)
        props[name] = value
    return props


class _Builder:
    def __init__(self) -> None:
        self.rows = GraphRows({n.label: [] for n in s.NODES}, {r.name: [] for r in s.RELATIONSHIPS})
        self.keys: dict[str, set[tuple[Any, ...]]] = {n.label: set() for n in s.NODES}
        self.rel_keys: dict[str, set[tuple[Any, ...]]] = {r.name: set() for r in s.RELATIONSHIPS}

    def node(self, schema: s.NodeSchema, key: tuple[Any, ...], values: Mapping[str, Any] | None = None) -> None:
        if key in self.keys[schema.label]:
            return
        self.keys[schema.label].add(key)
        props = _props(schema, values or {})
        self.rows.nodes[schema.label].append({"k": list(key), "p": props, "h": content_hash(key, props)})

    def rel(self, schema: s.RelSchema, start: tuple[Any, ...], end: tuple[Any, ...], rel_key: str | None = None,
            values: Mapping[str, Any] | None = None) -> None:
        """Add a relationship row unless an end is not in the scan or the same one is already there."""
        if start not in self.keys[schema.start.label] or end not in self.keys[schema.end.label]:
            return
        identity = (start, end, rel_key)
        seen = self.rel_keys[schema.name]
        if identity in seen:
            return
        seen.add(identity)
        props = _props(schema, values) if values else {}
        row: Row = {"s": list(start), "e": list(end), "h": content_hash(identity, props)}
        if schema.key:
            row["rk"] = rel_key
        if schema.properties:
            row["p"] = props
        self.rows.rels[schema.name].append(row)


def scan_rows(result: ScanResult) -> GraphRows:
    """Every node and relationship row of a scan's landscape and findings."""
    graph = result.graph
    b = _Builder()
    tools = list(graph.tools.values())
    for layer in sorted({layer for t in tools for layer in t.layers}):
        b.node(s.LAYER, (layer,), {"title": LAYER_TITLES.get(layer, layer)})
    for category in sorted({t.category for t in tools}):
        b.node(s.CATEGORY, (category,))
    departments = graph.departments
    for department in departments:
        b.node(s.DEPARTMENT, (department.name,))
    for source in result.scan.sources:
        b.node(s.SOURCE, (source.name,), vars(source))
    for name in sorted({name for t in tools for name in t.sources}):
        b.node(s.SOURCE, (name,))
    for tool in tools:
        b.node(s.TOOL, (tool.id,), vars(tool))
    for position, flow in enumerate(graph.flows):
        b.node(s.FLOW, (flow.id,), {**vars(flow), "position": position})
        for index, step in enumerate(flow.steps):
            b.node(s.STEP, (flow.id, step.id), {**vars(step), "position": index})
    for position, finding in enumerate(result.findings):
        b.node(s.FINDING, (finding.id,), {**vars(finding), "position": position})

    for integration in graph.integrations:
        b.rel(s.INTEGRATES_WITH, (integration.source,), (integration.target,), integration.key, vars(integration))
    for department in departments:
        for tool_id in department.tools:
            b.rel(s.USES, (department.name,), (tool_id,))
    for tool in tools:
        for layer in tool.layers:
            b.rel(s.IN_LAYER, (tool.id,), (layer,))
        b.rel(s.IN_CATEGORY, (tool.id,), (tool.category,))
        for name in tool.sources:
            b.rel(s.REPORTED, (name,), (tool.id,))
    for flow in graph.flows:
        for order, step in enumerate(flow.steps):
            b.rel(s.HAS_STEP, (flow.id,), (flow.id, step.id), values={"order": order})
            for tool_id in step.tools:
                b.rel(s.SUPPORTED_BY, (flow.id, step.id), (tool_id,), values={"inferred": False})
            for tool_id in step.inferred_tools:
                if tool_id not in step.tools:
                    b.rel(s.SUPPORTED_BY, (flow.id, step.id), (tool_id,), values={"inferred": True})
            if step.department:
                b.rel(s.PERFORMED_BY, (flow.id, step.id), (step.department,))
        for first, second in flow.handoffs():
            b.rel(s.NEXT, (flow.id, first.id), (flow.id, second.id))
    for finding in result.findings:
        for tool_id in finding.tools:
            b.rel(s.CONCERNS_TOOL, (finding.id,), (tool_id,))
        if finding.flow:
            b.rel(s.CONCERNS_FLOW, (finding.id,), (finding.flow,))
            for step_id in finding.steps:
                b.rel(s.CONCERNS_STEP, (finding.id,), (finding.flow, step_id))
        for name in finding.departments:
            b.rel(s.CONCERNS_DEPARTMENT, (finding.id,), (name,))
    _journey_rows(b, result)
    return b.rows


def _journey_rows(b: _Builder, result: ScanResult) -> None:
    """Journeys, KPIs (with their measurability) and their edges; findings about a KPI or a journey."""
    graph = result.graph
    measurement = result.extra.get("measurement") or {}
    for position, journey in enumerate(graph.journeys):
        readiness = measurement.get("journeys", {}).get(journey.id, {}).get("readiness")
        b.node(s.JOURNEY, (journey.id,), {**vars(journey), "readiness": readiness, "position": position})
    for position, kpi in enumerate(graph.kpis):
        status = measurement.get("kpis", {}).get(kpi.id, {}).get("status")
        b.node(s.KPI, (kpi.id,), {**vars(kpi), "status": status, "position": position})
    for journey in graph.journeys:
        for order, flow_id in enumerate(journey.flows):
            b.rel(s.INCLUDES, (journey.id,), (flow_id,), values={"order": order})
    for kpi in graph.kpis:
        if kpi.step and kpi.flow:
            b.rel(s.MEASURES_STEP, (kpi.id,), (kpi.flow, kpi.step))
        elif kpi.flow:
            b.rel(s.MEASURES_FLOW, (kpi.id,), (kpi.flow,))
        elif kpi.journey:
            b.rel(s.MEASURES_JOURNEY, (kpi.id,), (kpi.journey,))
        if kpi.computed_in:
            b.rel(s.COMPUTED_IN, (kpi.id,), (kpi.computed_in,))
        if kpi.contributes_to:
            b.rel(s.CONTRIBUTES_TO, (kpi.id,), (kpi.contributes_to,))
    for finding in result.findings:
        for key, schema in (("kpi", s.CONCERNS_KPI), ("journey", s.CONCERNS_JOURNEY)):
            value = finding.evidence.get(key)
            if isinstance(value, str):
                b.rel(schema, (finding.id,), (value,))
