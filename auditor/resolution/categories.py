"""Categories a source writes that the taxonomy does not know: found before the scan, with the nearest ids.

Every category a source states (landscape file, spreadsheet) is turned into a taxonomy id through the
ids and synonyms (``Help desk`` → ``ticketing``, ``アンケート`` → ``voc``) by
:func:`auditor.resolution.classify.classify`. A word that is neither is kept as written (or yields to
the catalog product's category); ``auditor validate`` lists it with the nearest taxonomy ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from auditor.model import ToolRecord
from auditor.resolution.catalog import Catalog, category_words, load_catalog
from auditor.resolution.engine import catalog_paths
from auditor.resolution.normalize import simple_key


@dataclass(frozen=True)
class UnknownCategory:
    """A category written in a source that is neither a taxonomy id nor a synonym of one."""

    category: str
    tool: str
    where: str
    nearest: tuple[str, ...]

    def message(self) -> str:
        """One line for ``auditor validate``."""
        hint = f"; nearest: {', '.join(self.nearest)}" if self.nearest else ""
        return (f"{self.where}: tool '{self.tool}': category '{self.category}' is not in the taxonomy "
                f"(kept as written, or the catalog product's category is used){hint}")


def nearest_categories(word: str, catalog: Catalog, limit: int = 3) -> tuple[str, ...]:
    """The taxonomy ids whose id or synonyms are most like ``word`` (best first, at most ``limit``)."""
    words = category_words(catalog.categories)
    keys = list(words)
    found: dict[str, None] = {}
    for _, _, index in process.extract(simple_key(word), keys, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=50):
        found.setdefault(words[keys[index]], None)
    return tuple(found)[:limit]


def unknown_categories(records: Iterable[ToolRecord], catalog: Catalog) -> list[UnknownCategory]:
    """Every stated category the taxonomy does not know, once per (category, tool), in record order."""
    seen: dict[tuple[str, str], UnknownCategory] = {}
    for record in records:
        written = record.category
        if not written or written == "unclassified" or catalog.category_for(written) is not None:
            continue
        key = (written, record.id or record.name)
        if key not in seen:
            seen[key] = UnknownCategory(written, record.id or record.name, record.provenance.where(),
                                        nearest_categories(written, catalog))
    return list(seen.values())


def category_warnings(records: Iterable[ToolRecord], settings: Mapping[str, Any] | None, base_dir: Any) -> list[str]:
    """``validate`` warnings for the unknown categories of ``records`` (catalog files from ``settings``)."""
    catalog = load_catalog(catalog_paths(settings or {}, base_dir)[0])
    return [item.message() for item in unknown_categories(records, catalog)]
