"""The airbyte connector: connections between sources and destinations, as ETL integrations via Airbyte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import recorded_api
from pytest_httpserver import HTTPServer
from recorded_api import at_server

from auditor.model import Inventory
from connectors.airbyte import AirbyteConnector
from connectors.base import ConnectorError
from connectors.registry import load

DATA = Path(__file__).parent.parent / "data" / "airbyte"


def offline(**settings: Any) -> Inventory:
    return recorded_api.offline(AirbyteConnector, DATA, **settings)


def edges(inventory: Inventory) -> set[tuple[str, str, str, str | None]]:
    return {(i.source, i.target, i.kind, i.via) for i in inventory.integrations}


def test_registered_under_its_type_id() -> None:
    assert load("airbyte") is AirbyteConnector


def test_active_connections_become_etl_integrations() -> None:
    assert edges(offline()) == {
        ("PostgreSQL", "Snowflake", "etl", "Airbyte"),
        ("Salesforce", "Snowflake", "etl", "Airbyte"),
        ("Zendesk", "Amazon S3", "etl", "Airbyte"),
    }


def test_inactive_connections_on_request() -> None:
    assert ("Google Analytics 4", "Snowflake", "etl", "Airbyte") in edges(offline(include_inactive=True))
    assert offline().skipped == {"inactive connection": 1} and not offline(include_inactive=True).skipped


def test_sources_destinations_and_the_platform_are_tools() -> None:
    tools = {t.name: t for t in offline().tools}
    assert set(tools) == {"Airbyte", "PostgreSQL", "Salesforce", "Zendesk", "Google Analytics 4", "Snowflake",
                          "Amazon S3"}
    assert tools["Airbyte"].category == "etl"
    assert tools["PostgreSQL"].hints == {"service": "postgres", "category": "database"}
    assert tools["Snowflake"].hints["category"] == "data-warehouse"
    assert tools["Salesforce"].provenance.source_id == "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a12"


def test_workspace_filter() -> None:
    assert edges(offline(workspace_ids=("another-workspace",))) == set()
    assert len(edges(offline(workspace_ids=("9d1d4e0c-6f2b-4c4e-9a0e-2f8a1c3b5d70",)))) == 3


# --- over real HTTP (pytest-httpserver replays the recorded pages) ---------------------------------

TOKEN = "ab-t0ken-123"


def page(server: HTTPServer, name: str) -> dict[str, Any]:
    """A recorded page whose ``next``/``previous`` links point at the local server."""
    text = (DATA / "pages" / name).read_text(encoding="utf-8")
    return json.loads(text.replace("__BASE__", server.url_for("").rstrip("/")))


def live(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> AirbyteConnector:
    return at_server(AirbyteConnector, DATA, server, monkeypatch, {"AB_TOKEN": TOKEN}, token_env="AB_TOKEN")


def test_live_api_follows_next_links(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for kind, pages in (("connections", 2), ("sources", 2), ("destinations", 1)):
        httpserver.expect_request(f"/v1/{kind}", query_string={"limit": "2"}, headers=auth).respond_with_json(
            page(httpserver, f"{kind}.json"))
        if pages == 2:
            httpserver.expect_request(f"/v1/{kind}", query_string={"limit": "2", "offset": "2"},
                                      headers=auth).respond_with_json(page(httpserver, f"{kind}-page2.json"))
    inventory = live(httpserver, monkeypatch).collect()
    assert edges(inventory) == edges(offline())
    assert len(httpserver.log) == 5
    httpserver.check_assertions()


def test_live_forbidden_token_is_a_clear_source_error(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/v1/connections").respond_with_json(
        {"type": "https://reference.airbyte.com/reference/errors", "title": "forbidden", "status": 403,
         "detail": "Caller does not have permission"}, status=403)
    with pytest.raises(ConnectorError) as caught:
        live(httpserver, monkeypatch).collect()
    assert "airbyte" in str(caught.value) and "403" in str(caught.value)
    assert TOKEN not in str(caught.value)
