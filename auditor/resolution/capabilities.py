"""Mapping flow steps onto tools by capability: ``capabilities: [ticketing]`` + ``department: Support``.

For every capability a step asks for that none of its explicitly named tools provides, the tools of
the step's department that provide it are assigned to the step as ``inferred_tools``; the report
lists each inferred mapping so a reader can tell them from the ones the user wrote down.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from auditor.model import Flow, Step, Tool
from auditor.resolution.catalog import category_words, packaged_catalog
from auditor.resolution.normalize import simple_key
from auditor.slug import slugify


@dataclass(frozen=True)
class InferredMapping:
    """Tools assigned to one step because they provide a capability it needs."""

    flow: str
    step: str
    department: str | None
    capability: str
    tools: tuple[str, ...]


def provides(tool: Tool, capability: str, synonyms: Mapping[str, str] | None = None) -> bool:
    """True if ``tool`` provides ``capability``: one of its capabilities, its category, or a synonym of it."""
    wanted = slugify(capability)
    if wanted == tool.category or wanted in {slugify(c) for c in tool.capabilities}:
        return True
    return synonyms is not None and synonyms.get(simple_key(capability)) == tool.category


def taxonomy_synonyms() -> dict[str, str]:
    """Category words of the shipped taxonomy (``helpdesk`` → ``ticketing``)."""
    return category_words(packaged_catalog().categories)


def _in_department(tool: Tool, department: str | None) -> bool:
    if department is None:
        return False
    wanted = department.casefold()
    return any(d.casefold() == wanted for d in tool.departments) or (tool.owner or "").casefold() == wanted


def infer_step_tools(flows: Iterable[Flow], tools: Mapping[str, Tool],
                     synonyms: Mapping[str, str] | None = None) -> tuple[list[Flow], list[InferredMapping]]:
    """Fill ``inferred_tools`` of every step from its capabilities and department.

    ``synonyms`` maps category words to category ids (default: the shipped taxonomy's), so a step
    asking for ``helpdesk`` finds ticketing tools.
    """
    synonyms = taxonomy_synonyms() if synonyms is None else synonyms
    result: list[Flow] = []
    inferred: list[InferredMapping] = []
    for flow in flows:
        steps: list[Step] = []
        for step in flow.steps:
            added: list[str] = []
            for capability in step.capabilities:
                if any(provides(tools[t], capability, synonyms) for t in step.tools if t in tools):
                    continue
                found = tuple(t.id for t in sorted(tools.values(), key=lambda t: t.id)
                              if _in_department(t, step.department) and provides(t, capability, synonyms)
                              and t.id not in step.tools)
                if found:
                    inferred.append(InferredMapping(flow.id, step.id, step.department, capability, found))
                    added.extend(t for t in found if t not in added)
            steps.append(dataclasses.replace(step, inferred_tools=tuple(dict.fromkeys((*step.inferred_tools,
                                                                                         *added)))))
        result.append(dataclasses.replace(flow, steps=tuple(steps)))
    return result, inferred


def unmet_capabilities(flow: Flow, tools: Mapping[str, Tool],
                       synonyms: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """``(step id, capability)`` pairs no explicit or inferred tool of the step provides."""
    synonyms = taxonomy_synonyms() if synonyms is None else synonyms
    missing: list[tuple[str, str]] = []
    for step in flow.steps:
        have = [tools[t] for t in step.all_tools if t in tools]
        missing.extend((step.id, c) for c in step.capabilities if not any(provides(t, c, synonyms) for t in have))
    return missing
