"""The ``segment`` source: Segment sources and their destinations → event integrations.

Segment Public API (``https://api.segmentapis.com``; EU ``https://eu1.api.segmentapis.com``):
``GET /sources`` and ``GET /destinations`` with cursor pagination (``pagination[cursor]`` /
``pagination[count]``; the response's ``data.pagination.next``). Each destination has the
``sourceId`` it receives from: the integration is ``source → destination``, ``kind: event``,
``via: Segment``. Cloud sources (Salesforce, Zendesk …) are named after their catalog entry;
website/mobile/server library sources after their own name (the company's site or app).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from auditor.model import Inventory
from connectors.http import (
    ApiConnector,
    ApiSections,
    Cursor,
    Section,
    deadline_setting,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    timeout_setting,
)
from connectors.pipelines import RecordBuilder, category_hint

log = logging.getLogger(__name__)

PLATFORM = "Segment"
#: ``{"data": {"<kind>": [...], "pagination": {"current", "next"?}}}``; ``next`` goes back as ``pagination[cursor]``.
SECTIONS = tuple(Section(kind, Cursor(items_path=("data", kind), cursor_path=("data", "pagination", "next"),
                                      param="pagination[cursor]"))
                 for kind in ("sources", "destinations"))
#: Source catalog categories of code libraries: the source is the company's own site or app.
LIBRARY_CATEGORIES = frozenset({"website", "mobile", "server", "ott", "custom"})
_VARIANT = re.compile(r"\s*(\((actions|classic|legacy|cloud mode|device mode)\)|cloud mode|device mode|web mode)\s*$",
                      re.IGNORECASE)


@dataclass(frozen=True)
class SegmentSettings:
    """Settings of the ``segment`` source."""

    base_url: str = field(default="https://api.segmentapis.com", metadata={
        "help": "Public API root (EU workspaces: https://eu1.api.segmentapis.com)"})
    token_env: str = secret_env("SEGMENT_TOKEN", "a Public API token")
    file: str | None = saved_file()
    page_size: int = field(default=200, metadata={"help": "items per page (pagination[count], max 200)"})
    timeout: float = timeout_setting()
    retries: int = retries_setting()
    max_pages: int = max_pages_setting()
    deadline: float = deadline_setting()
    include_disabled: bool = field(default=False, metadata={"help": "also report disabled destinations"})


def _slug(metadata: dict[str, Any]) -> dict[str, str]:
    """The catalog slug as a hint: the resolver looks it up in auditor/catalog/vocabulary-segment.yaml."""
    return {"segment_slug": str(metadata["slug"])} if metadata.get("slug") else {}


def destination_name(metadata: dict[str, Any], fallback: str) -> str:
    """``"Mixpanel (Actions)"`` → ``Mixpanel``: the catalog name without Segment's variant suffix."""
    name = str(metadata.get("name") or fallback)
    while _VARIANT.search(name):
        name = _VARIANT.sub("", name)
    return name or fallback


class SegmentConnector(ApiConnector[SegmentSettings, ApiSections]):
    """Segment event routing (a CDP's configuration: sanctioned)."""

    type_id = "segment"
    description = "Segment sources → destinations as event integrations"
    settings_class = SegmentSettings
    sections = SECTIONS
    sanctioned = True

    def fetch(self) -> ApiSections:
        """``{"sources": [...], "destinations": [...]}``."""
        params = {"pagination[count]": self.settings.page_size}
        with self.bearer_client() as client:
            return {section.name: list(client.items(f"/{section.name}", params, section.paginator,
                                                    label=section.name))
                    for section in SECTIONS}

    def transform(self, raw: ApiSections) -> Inventory:
        records = RecordBuilder(self.provenance, PLATFORM)
        records.platform_tool("cdp")
        sources: dict[str, str] = {}
        for item in raw.get("sources", []):
            metadata = item.get("metadata") or {}
            categories = [str(c) for c in metadata.get("categories", [])]
            library = bool({c.casefold() for c in categories} & LIBRARY_CATEGORIES) or not metadata.get("name")
            name = str(item.get("name") or item.get("slug") or item.get("id")) if library else str(metadata["name"])
            hints = {"segment_source": str(metadata.get("name") or "")} if library else {}
            hints.update(_slug(metadata))
            category = None if library else category_hint(categories)
            sources[str(item.get("id"))] = records.tool(name, str(item.get("id")), category, hints)
        for item in raw.get("destinations", []):
            if not item.get("enabled", True) and not self.settings.include_disabled:
                records.skipped["disabled destination"] += 1
                continue
            source = sources.get(str(item.get("sourceId")))
            if source is None:
                log.warning("segment destination %s is connected to unknown source %s; skipped",
                            item.get("id"), item.get("sourceId"))
                records.skipped["destination of an unknown source"] += 1
                continue
            metadata = item.get("metadata") or {}
            name = destination_name(metadata, str(item.get("name") or item.get("id")))
            target = records.tool(name, str(item.get("id")),
                                  category_hint(str(c) for c in metadata.get("categories", [])),
                                  _slug(metadata))
            records.link(source, target, "event", str(item.get("id")))
        return records.inventory()
