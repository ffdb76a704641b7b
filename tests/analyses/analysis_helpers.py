"""Helpers for the analysis tests: build small graphs in code, and compare findings by identity.

Imported by the tests as ``analysis_helpers`` (pytest puts this folder on ``sys.path``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditor.graph import LandscapeGraph
from auditor.jsondata import records, texts
from auditor.model import Finding, Flow, Integration, Step, Tool


def identity(finding: Finding) -> tuple[Any, ...]:
    """What makes a finding *that* finding, per type (used to compare with a planted truth)."""
    evidence = finding.evidence
    if finding.type in ("missing_integration", "manual_handoff"):
        return (finding.flow, finding.steps[0], finding.steps[1])
    if finding.type == "coverage_gap":
        return (finding.flow, finding.steps[0])
    if finding.type == "silo" and evidence["scope"] == "tool":
        return ("tool", evidence["tool"], frozenset(texts(evidence, "reasons")))
    if finding.type == "silo":
        return (evidence["scope"], evidence["department"])
    if finding.type == "duplicate":
        return (evidence["basis"], evidence.get("category") or evidence.get("product"))
    if finding.type == "shadow_it":
        return (finding.tools[0],)
    if finding.type == "bottleneck":
        handoffs = records(evidence, "handoffs")
        return (finding.tools[0], frozenset((h["flow"], h["from_step"], h["to_step"]) for h in handoffs))
    if finding.type == "unmeasurable_kpi":
        return (evidence["kpi"], evidence["rule"])
    if finding.type == "open_loop":
        return (finding.flow, evidence["break"])
    if finding.type == "kpi_tree_gap":
        return (evidence.get("kpi") or evidence["journey"], evidence["rule"])
    raise AssertionError(f"unknown finding type {finding.type}")


def by_type(findings: Iterable[Finding]) -> dict[str, set[tuple[Any, ...]]]:
    """Finding identities grouped by type."""
    grouped: dict[str, set[tuple[Any, ...]]] = {}
    for finding in findings:
        grouped.setdefault(finding.type, set()).add(identity(finding))
    return grouped


def tool(tool_id: str, **kwargs: Any) -> Tool:
    """A tool with a unique category unless one is given (so no accidental duplicates)."""
    kwargs.setdefault("category", f"cat-{tool_id}")
    return Tool(tool_id, kwargs.pop("name", tool_id.upper()), sources=("test",), **kwargs)


def link(source: str, target: str, kind: str = "api", via: str | None = None,
         bidirectional: bool = False) -> Integration:
    """An integration (``via`` middleware, ``bidirectional`` both ways)."""
    return Integration(source, target, kind, via, (), bidirectional, ("test",))


def flow(flow_id: str, *steps: tuple[str, Iterable[str]] | Step) -> Flow:
    """A flow from ``(step_id, tools)`` pairs or ready Steps."""
    built = tuple(s if isinstance(s, Step) else Step(s[0], s[0].title(), tools=tuple(s[1])) for s in steps)
    return Flow(flow_id, flow_id.title(), built)


def graph(tools: Iterable[Tool], integrations: Iterable[Integration] = (),
          flows: Iterable[Flow] = ()) -> LandscapeGraph:
    """A LandscapeGraph; every tool id used by integrations or steps must be in ``tools``."""
    return LandscapeGraph.build(list(tools), list(integrations), list(flows), "test")
