"""Linking: integration endpoints and flow steps → canonical tool ids, with located errors."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.errors import Problem
from auditor.model import Flow, FlowRecord, Integration, IntegrationRecord, SourceRef, Step
from auditor.resolution.merge import Resolution


def _problem(where: SourceRef, message: str) -> Problem:
    return Problem(where.file or f"source '{where.source}'", where.line, message)


def link_integrations(records: Iterable[IntegrationRecord], resolution: Resolution) -> tuple[list[Integration],
                                                                                             list[Problem]]:
    """Resolve both endpoints (and ``via``) of each integration; merge repeats of the same edge."""
    problems: list[Problem] = []
    merged: dict[tuple[str, str, str, str | None], Integration] = {}
    for record in records:
        ends: dict[str, str | None] = {}
        for role, ref in (("from", record.source), ("to", record.target), ("via", record.via)):
            if ref is None:
                ends[role] = None
                continue
            tool_id = resolution.lookup(ref)
            if tool_id is None:
                problems.append(_problem(record.provenance, f"integration {role} '{ref}': unknown tool "
                                         "(declare it under 'tools:' or in another source)"))
            ends[role] = tool_id
        if None in (ends["from"], ends["to"]) or (record.via and ends["via"] is None):
            continue
        source, target, via = str(ends["from"]), str(ends["to"]), ends["via"]
        if record.bidirectional and source > target:
            source, target = target, source
        key = (source, target, record.kind, via)
        old = merged.get(key)
        merged[key] = Integration(
            source=source,
            target=target,
            kind=record.kind,
            via=via,
            data=tuple(dict.fromkeys((*(old.data if old else ()), *record.data))),
            bidirectional=record.bidirectional or bool(old and old.bidirectional),
            sources=tuple(sorted({*(old.sources if old else ()), record.provenance.source})),
        )
    return sorted(merged.values(), key=lambda i: i.key), problems


def _next_problems(record: FlowRecord) -> list[Problem]:
    """A ``next`` naming a step the flow does not have, or the step itself, is a located error."""
    ids = {step.id for step in record.steps}
    problems = []
    for step in record.steps:
        for target in step.next or ():
            if target == step.id:
                problems.append(_problem(step.provenance, f"flow '{record.id}' step '{step.id}' names itself as "
                                         "its next step"))
            elif target not in ids:
                problems.append(_problem(step.provenance, f"flow '{record.id}' step '{step.id}' names unknown "
                                         f"next step '{target}'"))
    return problems


def link_flows(records: Iterable[FlowRecord], resolution: Resolution) -> tuple[list[Flow], list[Problem]]:
    """Resolve the tools named by each step of each flow."""
    problems: list[Problem] = []
    flows: list[Flow] = []
    for record in records:
        steps = []
        for step in record.steps:
            tools: list[str] = []
            for ref in step.tools:
                tool_id = resolution.lookup(ref)
                if tool_id is None:
                    problems.append(_problem(step.provenance, f"flow '{record.id}' step '{step.id}' names "
                                             f"unknown tool '{ref}'"))
                elif tool_id not in tools:
                    tools.append(tool_id)
            steps.append(Step(step.id, step.name, step.department, tuple(tools), step.requires,
                              step.capabilities, step.customer_facing, next=step.next, kind=step.kind,
                              names=step.names))
        problems.extend(_next_problems(record))
        flows.append(Flow(record.id, record.name, tuple(steps), (record.provenance.source,), names=record.names))
    return flows, problems
