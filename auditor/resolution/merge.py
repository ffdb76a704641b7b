"""Merging: the records resolution assigned to one tool → one canonical :class:`Tool`, and the result types.

This module holds the shared pieces (reference keys, record merging, :class:`Resolution`,
:class:`ReviewItem`); the rules that decide which records belong together (explicit id, catalog,
normalised name) live in :class:`auditor.resolution.engine.Resolver`, whose module also holds the
entry point :func:`auditor.resolution.engine.resolve` (see docs/resolution.md). Data flows one way:
normalize → matcher → engine → merge/classify.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.lifecycle import merged as merged_lifecycle
from auditor.model import MergeEvidence, Tool, ToolRecord
from auditor.resolution.reasons import Reason
from auditor.slug import slugify


def ref_key(reference: str) -> str:
    """Normalised key under which a tool reference (id, name or alias) is looked up."""
    return slugify(reference)


@dataclass(frozen=True)
class ReviewItem:
    """An ambiguous case resolution did not guess: shown in the report for a human to decide.

    ``reason`` is the English text; ``reason_code`` and ``reason_params`` say the same as data
    (:mod:`auditor.resolution.reasons`) so that reports can render it in their language.
    """

    record_name: str
    source: str
    candidates: tuple[str, ...]
    reason: str
    score: float = 0.0
    reason_code: str = ""
    reason_params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, record_name: str, source: str, candidates: tuple[str, ...], reason: Reason,
           score: float) -> ReviewItem:
        """A review item whose English text, code and parameters all come from ``reason``."""
        return cls(record_name, source, candidates, reason.text, score, reason.code, reason.data_params())


@dataclass
class Resolution:
    """The outcome of resolution: canonical tools, a reference index and the review list."""

    tools: dict[str, Tool]
    index: dict[str, str]
    review: list[ReviewItem] = field(default_factory=list)

    def lookup(self, reference: str) -> str | None:
        """Canonical id for a reference written in a source (id, name or alias), or None."""
        if reference in self.tools:
            return reference
        return self.index.get(ref_key(reference))


@dataclass
class _Group:
    """Records assigned to one canonical tool, with the evidence of each assignment."""

    id: str
    records: list[ToolRecord] = field(default_factory=list)
    evidence: list[MergeEvidence] = field(default_factory=list)


def _first(values: Iterable[Any]) -> Any:
    return next((v for v in values if v is not None), None)


def _union(values: Iterable[Iterable[str]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in values:
        for value in group:
            seen.setdefault(value, None)
    return tuple(seen)


def is_sanctioned(records: list[ToolRecord]) -> bool:
    """False if any record says ``sanctioned: false`` or only discovery sources report the tool."""
    if any(r.sanctioned is False for r in records):
        return False
    return any(r.sanctioned is True or r.provenance.sanctioned for r in records)


def annual_cost_by_source(records: Iterable[ToolRecord]) -> dict[str, float]:
    """Each source's annual cost of a tool: a source's records add up (two card descriptors of one
    product are two charges); the tool's cost is then the largest source's, since different sources
    report the same spend (a contract in the inventory, its card charges in the spend export)."""
    costs: dict[str, float] = {}
    for record in records:
        if record.annual_cost is not None:
            source = record.provenance.source
            costs[source] = costs.get(source, 0.0) + record.annual_cost
    return costs


def merge_records(tool_id: str, records: list[ToolRecord], evidence: list[MergeEvidence],
                  defaults: Mapping[str, Any] | None = None) -> Tool:
    """Merge the records of one canonical tool; earlier (sanctioned) records win on scalars.

    ``defaults`` (from the catalog) fill what no record says.
    """
    defaults = defaults or {}
    ordered = sorted(records, key=lambda r: (not r.provenance.sanctioned, r.id is None))
    costs = annual_cost_by_source(records)
    users = [r.users for r in records if r.users is not None]
    return Tool(
        id=tool_id,
        name=_first([defaults.get("name") if not any(r.id for r in ordered) else None]
                    + [r.name for r in ordered]),
        vendor=_first([r.vendor for r in ordered] + [defaults.get("vendor")]),
        category=_first([r.category for r in ordered] + [defaults.get("category"), "unclassified"]),
        layers=_union([r.layers for r in ordered]) or tuple(defaults.get("layers", ())),
        departments=tuple(sorted(_union([r.departments for r in ordered]))),
        owner=_first([r.owner for r in ordered]),
        annual_cost=max(costs.values()) if costs else None,
        users=max(users) if users else None,
        sanctioned=is_sanctioned(records),
        capabilities=_union([r.capabilities for r in ordered]) or tuple(defaults.get("capabilities", ())),
        sources=tuple(sorted({r.provenance.source for r in records})),
        aliases=tuple(sorted({r.name for r in records})),
        catalog_id=defaults.get("catalog_id"),
        evidence=tuple(evidence),
        lifecycle=merged_lifecycle(r.lifecycle for r in ordered),
        business_owner=_first([r.business_owner for r in ordered]),
        it_owner=_first([r.it_owner for r in ordered]),
        renewal_date=_first([r.renewal_date for r in ordered]),
        contract_end=_first([r.contract_end for r in ordered]),
        licences=_first([r.licences for r in ordered]),
    )

