"""The ``fivetran`` source: every connector of every group (destination) → an ETL integration.

API: ``GET /v1/groups`` and ``GET /v1/groups/{id}/connections`` (cursor pagination:
``data.next_cursor`` → ``?cursor=``; accounts that answer 404 there are read at the older
``/v1/groups/{id}/connectors``, decided once by one probe call), ``GET /v1/destinations/{group_id}``
for the warehouse. Paused connections and those whose setup never finished are skipped and counted;
broken ones (``status.setup_state: broken``) are reported and named in a source warning.
Each connector's ``service`` is a source tool, the group's destination service the target tool;
the integration is ``kind: etl`` ``via: Fivetran``. A group without a destination (the destination
call answers 404) is logged and the group itself stands in as the target. The per-group calls run
``concurrency`` groups at a time; the result is in the groups' order whatever order they finish in.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any, TypedDict

import httpx

from auditor.model import Inventory
from connectors.http import (
    ApiConnector,
    Cursor,
    Items,
    KeyedItems,
    NextPage,
    Section,
    api_client,
    concurrency_setting,
    deadline_setting,
    dig,
    env_secret,
    map_ordered,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    timeout_setting,
)
from connectors.pipelines import RecordBuilder, display_name

log = logging.getLogger(__name__)

PLATFORM = "Fivetran"
_DATABASE_WORDS = ("postgres", "mysql", "sql_server", "oracle", "maria", "mongo")
#: Groups and connectors: ``data.items``, next cursor at ``data.next_cursor`` (``?cursor=``).
PAGES = Cursor(items_path=("data", "items"), cursor_path=("data", "next_cursor"), param="cursor")


@dataclass(frozen=True)
class SingleObject:
    """A one-object answer (``{"data": {...}}``, e.g. destination details) as a one-item page."""

    items_path: tuple[str, ...] = ("data",)

    def items(self, body: Any) -> list[Any]:
        """``[body["data"]]`` when it is an object."""
        found = dig(body, self.items_path)
        return [found] if isinstance(found, dict) else []

    def next_page(self, response: httpx.Response, body: Any) -> NextPage | None:
        """Always None."""
        return None


SECTIONS = (Section("groups", PAGES), Section("connectors", PAGES, keyed=True),
            Section("destinations", SingleObject(), keyed=True), Section("connections", PAGES, keyed=True))


class FivetranPages(TypedDict, total=False):
    """What the Fivetran connector reads (its :data:`SECTIONS`): groups, and per group its connectors (under
    ``connectors``, or ``connections`` in saved pages of today's API) and its destination."""

    groups: Items
    connectors: KeyedItems
    destinations: KeyedItems
    connections: KeyedItems


#: Where a group's connections are listed: today's path first, then the one older accounts answer.
CONNECTION_PATHS: tuple[str, ...] = ("connections", "connectors")


@dataclass(frozen=True)
class FivetranSettings:
    """Settings of the ``fivetran`` source."""

    base_url: str = field(default="https://api.fivetran.com", metadata={"help": "REST API root"})
    api_key_env: str = secret_env("FIVETRAN_API_KEY", "the API key (basic auth user)")
    api_secret_env: str = secret_env("FIVETRAN_API_SECRET", "the API secret (basic auth password)")
    file: str | None = saved_file()
    page_size: int = field(default=100, metadata={"help": "items per page (limit, max 1000)"})
    concurrency: int = concurrency_setting("group")
    timeout: float = timeout_setting()
    retries: int = retries_setting()
    max_pages: int = max_pages_setting()
    deadline: float = deadline_setting()
    include_paused: bool = field(default=False, metadata={"help": "also report paused connectors"})


def destination_category(service: str) -> str:
    """``data-warehouse`` for warehouses and lakes, ``database`` for operational databases."""
    return "database" if any(word in service.casefold() for word in _DATABASE_WORDS) else "data-warehouse"


class FivetranConnector(ApiConnector[FivetranSettings, FivetranPages]):
    """Fivetran pipelines (an iPaaS/ETL platform's configuration: sanctioned)."""

    type_id = "fivetran"
    description = "Fivetran connectors per group → ETL integrations into the warehouse"
    settings_class = FivetranSettings
    sections = SECTIONS
    sanctioned = True

    def fetch(self) -> FivetranPages:
        """``{"groups": [...], "connectors": {group_id: [...]}, "destinations": {group_id: [destination]}}``."""
        source = self.context.source_name
        auth = httpx.BasicAuth(env_secret(source, self.settings.api_key_env, "API key"),
                               env_secret(source, self.settings.api_secret_env, "API secret"))
        limit = {"limit": self.settings.page_size}
        with api_client(self, self.settings.base_url, auth=auth, token_env=self.settings.api_key_env) as client:
            groups = list(client.items("/v1/groups", limit, PAGES, label="groups"))
            path = self._connections_path(client, groups, limit)

            def read_group(group: dict[str, Any]) -> tuple[list[Any], list[Any]]:
                """One group's connectors and its destination (none when the call answers 404)."""
                group_id = str(group.get("id"))
                found = list(client.items(f"/v1/groups/{group_id}/{path}", limit, PAGES,
                                          label=f"{path} of {group_id}"))
                destination = client.get_json(f"/v1/destinations/{group_id}", missing_ok=True)
                if destination is None:  # 404: no destination set up in this group
                    log.warning("source '%s': Fivetran group %s (%s) has no destination (HTTP 404); the group "
                                "stands in as the target", source, group.get("name") or "unnamed", group_id)
                return found, SingleObject().items(destination)

            read = map_ordered(read_group, groups, self.settings.concurrency, thread_name="fivetran")
        ids = [str(group.get("id")) for group in groups]
        return {"groups": groups, "connectors": {g: c for g, (c, _) in zip(ids, read, strict=True)},
                "destinations": {g: d for g, (_, d) in zip(ids, read, strict=True)}}

    @staticmethod
    def _connections_path(client: Any, groups: list[Any], limit: dict[str, Any]) -> str:
        """``connections`` unless the first group's ``/connections`` answers 404 (an older API: ``connectors``)."""
        if not groups:
            return CONNECTION_PATHS[0]
        probe = client.get_json(f"/v1/groups/{groups[0].get('id')}/{CONNECTION_PATHS[0]}", limit, missing_ok=True)
        return CONNECTION_PATHS[0] if probe is not None else CONNECTION_PATHS[1]

    def transform(self, raw: FivetranPages) -> Inventory:
        records = RecordBuilder(self.provenance, PLATFORM)
        records.platform_tool("etl")
        groups = {str(g.get("id")): g for g in raw.get("groups", [])}
        targets: dict[str, str] = {}
        for destination in _flatten(raw.get("destinations", {})):
            group_id = str(destination.get("group_id") or destination.get("id"))
            service = str(destination.get("service") or "")
            if service:
                targets[group_id] = records.tool(display_name(service), str(destination.get("id")),
                                                 destination_category(service), {"service": service})
        broken: list[str] = []
        for connector in [*_flatten(raw.get("connectors", {})), *_flatten(raw.get("connections", {}))]:
            status = connector.get("status") or {}
            if (connector.get("paused") or status.get("sync_state") == "paused") and not self.settings.include_paused:
                records.skipped["paused"] += 1
                continue
            if status.get("setup_state") == "incomplete":
                records.skipped["setup incomplete (no data has flowed)"] += 1
                continue
            if status.get("setup_state") == "broken":
                broken.append(f"{connector.get('service') or '?'} ({connector.get('id')})")
            group_id = str(connector.get("group_id"))
            target = targets.get(group_id)
            if target is None:  # no destination details: the group (named after its warehouse) stands in
                group_name = str(groups.get(group_id, {}).get("name") or group_id)
                target = targets[group_id] = records.tool(group_name, group_id, "data-warehouse")
            service = str(connector.get("service") or "")
            if not service:
                records.skipped["no service"] += 1
                continue
            source = records.tool(display_name(service), str(connector.get("id")), None, {"service": service})
            records.link(source, target, "etl", str(connector.get("id")))
        inventory = records.inventory()
        if not broken:
            return inventory
        return dataclasses.replace(inventory, warnings=(
            f"source '{self.context.source_name}': {len(broken)} broken connection{'s' if len(broken) != 1 else ''}"
            f" (setup_state broken; reported, but data may have stopped flowing): {', '.join(broken)}",))


def _flatten(value: Any) -> list[dict[str, Any]]:
    """Items of a keyed section (``{group_id: [items]}``) or of a plain list."""
    items = [i for group in value.values() for i in group] if isinstance(value, dict) else list(value or [])
    return [i for i in items if isinstance(i, dict)]
