"""The ``resolution`` section of report.json: how records were merged, what needs a human, what was inferred.

Keys: ``catalog`` (size and files), ``rules`` (records attached per rule), ``review`` (ambiguous
cases not guessed, each with candidates and a reason), ``classification`` (tools classified from
hints, or left ``unclassified``), ``inferred_mappings`` (step → tools assigned by capability), and
``unmet_capabilities`` (capabilities a step asks for that none of its tools provides).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditor.model import Flow
from auditor.resolution.capabilities import InferredMapping, unmet_capabilities
from auditor.resolution.merge import Resolution
from auditor.serialize import to_data


def overrides_hint(record_name: str, candidates: Iterable[str]) -> dict[str, Any]:
    """What to write in the overrides file to settle one review case either way."""
    first = next(iter(candidates), None)
    hint: dict[str, Any] = {"never_merge": [[record_name, first]] if first else []}
    if first:
        hint["same"] = [{"tool": first, "names": [record_name]}]
    return hint


def landscape_candidates(candidates: Iterable[str], resolution: Resolution) -> list[str]:
    """Tools already in the landscape among a review item's candidates (catalog ids or tool ids),
    as tool ids: the likeliest answers, listed first in the report and used in the overrides hint."""
    by_catalog: dict[str, list[str]] = {}
    for tool in resolution.tools.values():
        if tool.catalog_id:
            by_catalog.setdefault(tool.catalog_id, []).append(tool.id)
    found: dict[str, None] = {}
    for candidate in candidates:
        if candidate in resolution.tools:
            found.setdefault(candidate, None)
        for tool_id in by_catalog.get(candidate, ()):
            found.setdefault(tool_id, None)
    return list(found)


def _review_entry(item: Any, resolution: Resolution) -> dict[str, Any]:
    present = landscape_candidates(item.candidates, resolution)
    return {**to_data(item), "landscape_candidates": present,
            "overrides": overrides_hint(item.record_name, [*present, *item.candidates])}


def resolution_section(resolution: Resolution, flows: Iterable[Flow],
                       inferred: Iterable[InferredMapping]) -> dict[str, Any]:
    """Build the report's ``resolution`` section."""
    catalog_size = getattr(resolution, "catalog_size", 0)
    classification = getattr(resolution, "classification", {})
    titles = dict(getattr(resolution, "category_titles", {}))
    flows = list(flows)
    return {
        "catalog": {"products": catalog_size, "files": list(getattr(resolution, "catalog_files", [])),
                    **({"categories": titles} if titles else {})},
        "rules": dict(getattr(resolution, "rules", {})),
        "review": [_review_entry(item, resolution) for item in resolution.review],
        "classification": [
            {"tool": tool_id, "category": c.category, "basis": c.basis}
            for tool_id, c in sorted(classification.items()) if c.basis in ("hint", "none")
        ],
        "inferred_mappings": [to_data(m) for m in inferred],
        "unmet_capabilities": [{"flow": f.id, "step": s, "capability": c}
                               for f in flows for s, c in unmet_capabilities(f, resolution.tools)],
    }
