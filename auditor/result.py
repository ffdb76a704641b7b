"""ScanResult: everything a scan produced, and its report.json document form (both ways)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor import __version__
from auditor.analyses.registry import finding_types
from auditor.gcpause import gc_paused
from auditor.graph import LandscapeGraph
from auditor.lifecycle import in_use
from auditor.model import (
    SEVERITIES,
    ContractFacts,
    Finding,
    Flow,
    Integration,
    Inventory,
    Journey,
    JSONValue,
    Kpi,
    Scan,
    Tool,
)
from auditor.plan.report import money_summary
from auditor.resolution.catalog import category_titles
from auditor.serialize import from_data, to_data

SCHEMA_VERSION = "1.1"  # 1.1: findings carry message_code and message_params


@dataclass
class ScanResult:
    """One scan: metadata, the landscape graph, findings, scores, and each source's raw inventory."""

    scan: Scan
    graph: LandscapeGraph
    findings: list[Finding]
    inventories: dict[str, Inventory] = field(default_factory=dict)
    scores: dict[str, JSONValue] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def category_titles(self) -> dict[str, str]:
        """Category id → English title for this scan (see :func:`scan_category_titles`)."""
        return scan_category_titles(self.extra)

    def summary(self) -> dict[str, Any]:
        """Counts for the report's ``summary`` section."""
        by_type = {t: 0 for t in finding_types()}
        by_severity = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            by_type[finding.type] = by_type.get(finding.type, 0) + 1
            by_severity[finding.severity] += 1
        tools = self.graph.tools.values()
        return {
            "organization": self.scan.organization,
            "tools": len(self.graph.tools),
            "integrations": len(self.graph.integrations),
            "flows": len(self.graph.flows),
            "steps": sum(len(f.steps) for f in self.graph.flows),
            "departments": len(self.graph.departments),
            "unsanctioned_tools": sum(1 for t in tools if not t.sanctioned),
            "tools_in_use": sum(1 for t in tools if in_use(t.lifecycle)),
            "tools_by_lifecycle": dict(Counter(t.lifecycle or "unknown" for t in tools)),
            "unclassified_tools": sum(1 for t in tools if t.category == "unclassified"),
            "annual_cost": sum(t.annual_cost or 0.0 for t in tools),
            "findings": len(self.findings),
            "findings_by_type": by_type,
            "findings_by_severity": by_severity,
            "sources_failed": sum(1 for s in self.scan.sources if s.status == "failed"),
            "scores": self.scores,
            "money": money_summary(self.graph, self.findings, self.extra.get("plan")),
        }


def scan_category_titles(extra: Mapping[str, Any]) -> dict[str, str]:
    """Category id → English title: the packaged taxonomy's, then those of the scan's own catalog files.

    ``extra`` is a scan's extra sections; the user's titles are in ``resolution.catalog.categories``, so a
    report re-rendered from a store still names the user's categories.
    """
    resolution = extra.get("resolution")
    catalog = resolution.get("catalog") if isinstance(resolution, Mapping) else None
    own = catalog.get("categories") if isinstance(catalog, Mapping) else None
    return category_titles({str(k): str(v) for k, v in own.items()} if isinstance(own, Mapping) else None)


def to_document(result: ScanResult) -> dict[str, Any]:
    """The ``report.json`` document (see schemas/report.schema.json)."""
    with gc_paused():  # a million small acyclic dicts and lists: see auditor.gcpause
        return _to_document(result)


def _to_document(result: ScanResult) -> dict[str, Any]:
    scan = to_data(result.scan)
    scan["tool_version"] = scan.get("tool_version") or __version__
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "scan": scan,
        "summary": result.summary(),
        "tools": [tool_data(t) for t in result.graph.tools.values()],
        "integrations": [{"key": i.key, **to_data(i)} for i in result.graph.integrations],
        "flows": [to_data(f) for f in result.graph.flows],
        "departments": [to_data(d) for d in result.graph.departments],
        "findings": [to_data(f) for f in result.findings],
    }
    if result.graph.journeys or result.graph.kpis:  # only when declared: reports without them stay as they were
        document["journeys"] = [to_data(j) for j in result.graph.journeys]
        document["kpis"] = [to_data(k) for k in result.graph.kpis]
    document.update(result.extra)
    return document


def tool_data(tool: Tool) -> dict[str, Any]:
    """A tool as report.json writes it: its own fields first (``id``, ``name`` …), the contract facts last."""
    data = to_data(tool)
    return {**{k: v for k, v in data.items() if k not in _CONTRACT_KEYS},
            **{k: data[k] for k in _CONTRACT_KEYS}}


_CONTRACT_KEYS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ContractFacts))


CORE_KEYS = {"schema_version", "scan", "summary", "tools", "integrations", "flows", "departments", "findings",
             "journeys", "kpis"}


def from_document(document: Mapping[str, Any]) -> ScanResult:
    """Rebuild a :class:`ScanResult` from a ``report.json`` document (inventories are not in it)."""
    with gc_paused():
        return _from_document(document)


def _from_document(document: Mapping[str, Any]) -> ScanResult:
    scan = from_data(Scan, document["scan"])
    graph = LandscapeGraph.build(
        (from_data(Tool, t) for t in document["tools"]),
        (from_data(Integration, i) for i in document["integrations"]),
        (from_data(Flow, f) for f in document["flows"]),
        scan.organization,
        (from_data(Journey, j) for j in document.get("journeys", ())),
        (from_data(Kpi, k) for k in document.get("kpis", ())),
    )
    findings = [from_data(Finding, f) for f in document["findings"]]
    extra = {k: v for k, v in document.items() if k not in CORE_KEYS}
    return ScanResult(scan, graph, findings, {}, dict(document["summary"].get("scores", {})), extra)


class LazyScanResult(ScanResult):
    """A stored scan read in part: scan, findings, scores and extra sections now, the rest on first use.

    ``auditor scan`` compares with the previous scan only by its findings (new/resolved badges,
    ``--fail-on-new``), so a store reads just its head and findings (at 10,000 tools about 0.1 s instead of
    2-4 s for the whole scan). ``graph`` and ``inventories`` are read by ``load_rest`` the first time
    anything asks for them (a renderer plugin, ``summary()``, ``==``), so the object answers as the
    whole scan would; a store closed by then raises its :class:`~auditor.stores.base.StoreError`.
    """

    def __init__(self, head: Mapping[str, Any], findings: list[Finding],
                 load_rest: Callable[[], ScanResult]) -> None:
        self.scan = from_data(Scan, head["scan"])
        self.findings = findings
        self.scores = dict(head["summary"].get("scores", {}))
        self.extra = {k: v for k, v in head.items() if k not in CORE_KEYS}
        self._load_rest = load_rest

    def __getattr__(self, name: str) -> Any:
        """Called only for attributes not set: ``graph`` and ``inventories`` until the rest is read."""
        if name in ("graph", "inventories"):
            whole = self._load_rest()
            self.graph, self.inventories = whole.graph, whole.inventories
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
