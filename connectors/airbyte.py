"""The ``airbyte`` source: Airbyte connections → ETL integrations between source and destination.

API (Airbyte Cloud ``https://api.airbyte.com``, self-managed ``http://HOST:8000/api/public``):
``GET /v1/connections``, ``GET /v1/sources``, ``GET /v1/destinations``; each page is
``{"data": [...], "next": "<url of the next page>"}``. A connection's ``sourceId`` names the
source tool (``sourceType``), its ``destinationId`` the target tool (``destinationType``); the
integration is ``kind: etl`` ``via: Airbyte``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from auditor.model import Inventory
from connectors.fivetran import destination_category
from connectors.http import (
    ApiConnector,
    ApiSections,
    NextLink,
    Section,
    deadline_setting,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    timeout_setting,
)
from connectors.pipelines import RecordBuilder, display_name

log = logging.getLogger(__name__)

PLATFORM = "Airbyte"
#: Every list: ``{"data": [...], "next": "<absolute URL of the next page>"}``.
PAGES = NextLink(items_path=("data",), next_path=("next",))
SECTIONS = tuple(Section(name, PAGES) for name in ("connections", "sources", "destinations"))


@dataclass(frozen=True)
class AirbyteSettings:
    """Settings of the ``airbyte`` source."""

    base_url: str = field(default="https://api.airbyte.com", metadata={
        "help": "API root (self-managed: http://HOST:8000/api/public)"})
    token_env: str = secret_env("AIRBYTE_TOKEN", "a bearer access token")
    workspace_ids: tuple[str, ...] = field(default=(), metadata={"help": "only these workspaces (default: all)"})
    file: str | None = saved_file()
    page_size: int = field(default=100, metadata={"help": "items per page (limit, max 100)"})
    timeout: float = timeout_setting()
    retries: int = retries_setting()
    max_pages: int = max_pages_setting()
    deadline: float = deadline_setting()
    include_inactive: bool = field(default=False, metadata={"help": "also report inactive connections"})


class AirbyteConnector(ApiConnector[AirbyteSettings, ApiSections]):
    """Airbyte connections (a data-pipeline platform's configuration: sanctioned)."""

    type_id = "airbyte"
    description = "Airbyte connections → ETL integrations from sources to destinations"
    settings_class = AirbyteSettings
    sections = SECTIONS
    sanctioned = True

    def fetch(self) -> ApiSections:
        """``{"connections": [...], "sources": [...], "destinations": [...]}``."""
        params: dict[str, Any] = {"limit": self.settings.page_size}
        if self.settings.workspace_ids:
            params["workspaceIds"] = ",".join(self.settings.workspace_ids)
        with self.bearer_client() as client:
            return {section.name: list(client.items(f"/v1/{section.name}", params, PAGES, label=section.name))
                    for section in SECTIONS}

    def _wanted(self, item: dict[str, Any]) -> bool:
        return not self.settings.workspace_ids or str(item.get("workspaceId")) in self.settings.workspace_ids

    def transform(self, raw: ApiSections) -> Inventory:
        raw = {kind: [item for item in items if self._wanted(item)] for kind, items in raw.items()}  # a copy
        records = RecordBuilder(self.provenance, PLATFORM)
        records.platform_tool("etl")
        names: dict[str, str] = {}
        for item in raw.get("sources", []):
            kind = str(item.get("sourceType") or item.get("name") or "")
            category = "database" if destination_category(kind) == "database" else None
            names[str(item.get("sourceId"))] = records.tool(display_name(kind), str(item.get("sourceId")),
                                                            category, {"service": kind})
        for item in raw.get("destinations", []):
            kind = str(item.get("destinationType") or item.get("name") or "")
            names[str(item.get("destinationId"))] = records.tool(
                display_name(kind), str(item.get("destinationId")), destination_category(kind), {"service": kind})
        for connection in raw.get("connections", []):
            if connection.get("status", "active") != "active" and not self.settings.include_inactive:
                records.skipped[f"{connection.get('status')} connection"] += 1
                continue
            source = names.get(str(connection.get("sourceId")))
            target = names.get(str(connection.get("destinationId")))
            if source is None or target is None:
                log.warning("airbyte connection %s names an unknown source or destination; skipped",
                            connection.get("connectionId"))
                records.skipped["connection to an unknown source or destination"] += 1
                continue
            records.link(source, target, "etl", str(connection.get("connectionId")))
        return records.inventory()
