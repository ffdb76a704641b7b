"""The airbyte connector: connections between sources and destinations, as ETL integrations via Airbyte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.model import Inventory
from connectors.airbyte import AirbyteConnector, AirbyteSettings
from connectors.base import ConnectorContext
from connectors.registry import load

DATA = Path(__file__).parent.parent / "data" / "airbyte"


def offline(**settings: Any) -> Inventory:
    return AirbyteConnector(AirbyteSettings(file="pages", **settings), ConnectorContext("airbyte", DATA)).collect()


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
