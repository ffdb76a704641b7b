"""The ``fivetran`` source: every connector of every group (destination) → an ETL integration.

API: ``GET /v1/groups`` and ``GET /v1/groups/{id}/connectors`` (cursor pagination:
``data.next_cursor`` → ``?cursor=``), ``GET /v1/destinations/{group_id}`` for the warehouse.
Each connector's ``service`` is a source tool, the group's destination service the target tool;
the integration is ``kind: etl`` ``via: Fivetran``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditor.model import Inventory
from connectors.base import Connector, ConnectorError
from connectors.pipelines import RecordBuilder, display_name, load_export

PLATFORM = "Fivetran"
KINDS: tuple[str, ...] = ("groups", "connectors", "destinations")
_DATABASE_WORDS = ("postgres", "mysql", "sql_server", "oracle", "maria", "mongo")


@dataclass(frozen=True)
class FivetranSettings:
    """Settings of the ``fivetran`` source."""

    base_url: str = field(default="https://api.fivetran.com", metadata={"help": "REST API root"})
    api_key_env: str = field(default="FIVETRAN_API_KEY", metadata={
        "help": "environment variable holding the API key (basic auth user)"})
    api_secret_env: str = field(default="FIVETRAN_API_SECRET", metadata={
        "help": "environment variable holding the API secret (basic auth password)"})
    file: str | None = field(default=None, metadata={
        "help": "read saved API pages instead of calling the API (a JSON file or folder)"})
    page_size: int = field(default=100, metadata={"help": "items per page (limit)"})
    include_paused: bool = field(default=False, metadata={"help": "also report paused connectors"})


def page_items(kind: str, body: Any) -> list[Any]:
    """Items of one saved Fivetran response (``data.items``, or ``data`` for one destination)."""
    data = body.get("data", body) if isinstance(body, dict) else body
    if isinstance(data, dict) and "items" in data:
        return list(data["items"])
    return [data] if isinstance(data, dict) else list(data or [])


def destination_category(service: str) -> str:
    """``data-warehouse`` for warehouses and lakes, ``database`` for operational databases."""
    return "database" if any(word in service.casefold() for word in _DATABASE_WORDS) else "data-warehouse"


class FivetranConnector(Connector[FivetranSettings]):
    """Fivetran pipelines (an iPaaS/ETL platform's configuration: sanctioned)."""

    type_id = "fivetran"
    description = "Fivetran connectors per group → ETL integrations into the warehouse"
    settings_class = FivetranSettings
    sanctioned = True

    def is_local(self) -> bool:
        return self.settings.file is not None

    def get(self) -> dict[str, list[dict[str, Any]]]:
        if self.settings.file:
            return load_export(self.context.source_name, self.context.path(self.settings.file), KINDS, page_items)
        return self._fetch()

    def _fetch(self) -> dict[str, list[dict[str, Any]]]:
        raise ConnectorError(self.context.source_name, "reading the live API is not available yet",
                             hint="export the API pages and set 'file' (see the connector's docs page)")

    def transform(self, raw: dict[str, list[dict[str, Any]]]) -> Inventory:
        records = RecordBuilder(self.provenance, PLATFORM)
        records.platform_tool("etl")
        groups = {str(g.get("id")): g for g in raw.get("groups", [])}
        targets: dict[str, str] = {}
        for destination in raw.get("destinations", []):
            group_id = str(destination.get("group_id") or destination.get("id"))
            service = str(destination.get("service") or "")
            if service:
                targets[group_id] = records.tool(display_name(service), str(destination.get("id")),
                                                 destination_category(service), {"service": service})
        for connector in raw.get("connectors", []):
            if connector.get("paused") and not self.settings.include_paused:
                continue
            if (connector.get("status") or {}).get("setup_state") == "incomplete":
                continue  # never finished setting up: no data has flowed
            group_id = str(connector.get("group_id"))
            target = targets.get(group_id)
            if target is None:  # no destination details: the group (named after its warehouse) stands in
                group_name = str(groups.get(group_id, {}).get("name") or group_id)
                target = targets[group_id] = records.tool(group_name, group_id, "data-warehouse")
            service = str(connector.get("service") or "")
            if not service:
                continue
            source = records.tool(display_name(service), str(connector.get("id")), None, {"service": service})
            records.link(source, target, "etl", str(connector.get("id")))
        return records.inventory()
