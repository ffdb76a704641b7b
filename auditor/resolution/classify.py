"""Classification of tools: category, layers and capabilities from the catalog, the records or hints.

Order: a category a record states (landscape file, spreadsheet) as a taxonomy id, its synonyms
included (``Help desk`` → ``ticketing``, ``アンケート`` → ``voc``), then the catalog product's category
(a stated category the taxonomy does not know yields to it, and is kept only when the tool is no
catalog product), then a category hint a connector left (``hints["category"]``
from Segment/Fivetran categories, Backstage type, spend category; taxonomy ids or synonyms);
otherwise ``unclassified``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from auditor.model import ToolRecord
from auditor.resolution.catalog import Catalog, Product

#: Hint keys (in order) whose value may name a taxonomy category.
CATEGORY_HINT_KEYS: tuple[str, ...] = ("category", "catalog_category", "spend_category", "backstage_type",
                                       "segment_category", "fivetran_category")


@dataclass(frozen=True)
class Classification:
    """Category, layers and capabilities of one tool and what they were based on."""

    category: str
    layers: tuple[str, ...]
    capabilities: tuple[str, ...]
    basis: str  # record | hint | catalog | none


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for g in groups for v in g))


def _hinted(records: Iterable[ToolRecord], catalog: Catalog) -> str | None:
    for record in records:
        hints: Mapping[str, str] = record.hints or {}
        for key in CATEGORY_HINT_KEYS:
            value = catalog.category_for(str(hints.get(key) or ""))
            if value is not None and value != "unclassified":
                return value
    return None


def classify(records: list[ToolRecord], product: Product | None, catalog: Catalog) -> Classification:
    """Classify one canonical tool from its records and (if any) its catalog product."""
    written = next((r.category for r in records if r.category and r.category != "unclassified"), None)
    stated = catalog.category_for(written) if written else None
    if written and stated is None and product is None:
        stated = written  # a category the taxonomy does not know is kept (`validate` warns about it)
    category, basis = stated, "record"
    if category is None and product is not None:
        category, basis = product.category, "catalog"
    if category is None:
        category, basis = _hinted(records, catalog), "hint"
    if category is None:
        category, basis = "unclassified", "none"
    taxonomy = catalog.categories.get(category)  # a category the user states need not be in the taxonomy
    layers = _union(r.layers for r in records)
    if not layers and product is not None and product.category == category:
        layers = product.layers
    elif not layers and taxonomy is not None:
        layers = taxonomy.layers
    capabilities = _union([*(r.capabilities for r in records), product.capabilities if product is not None else (),
                           taxonomy.capabilities if taxonomy is not None else ()])
    return Classification(category, layers, capabilities, basis)
