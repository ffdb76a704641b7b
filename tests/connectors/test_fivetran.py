"""The fivetran connector: groups → connectors → destination, as ETL integrations via Fivetran."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.model import Inventory
from connectors.base import ConnectorContext
from connectors.fivetran import FivetranConnector, FivetranSettings
from connectors.registry import load

DATA = Path(__file__).parent.parent / "data" / "fivetran"


def offline(**settings: Any) -> Inventory:
    return FivetranConnector(FivetranSettings(file="pages", **settings), ConnectorContext("fivetran", DATA)).collect()


def edges(inventory: Inventory) -> set[tuple[str, str, str, str | None, str | None]]:
    return {(i.source, i.target, i.kind, i.via, i.provenance.source_id) for i in inventory.integrations}


def test_registered_under_its_type_id() -> None:
    assert load("fivetran") is FivetranConnector


def test_connectors_become_etl_integrations_into_the_group_destination() -> None:
    assert edges(offline()) == {
        ("Salesforce", "Snowflake", "etl", "Fivetran", "covetous_marzipan"),
        ("HubSpot", "Snowflake", "etl", "Fivetran", "dominant_quail"),
        ("NetSuite", "Snowflake", "etl", "Fivetran", "shrill_turtle"),
        ("Google Analytics 4", "BigQuery", "etl", "Fivetran", "unwieldy_lexicon"),
        ("Facebook Ads", "BigQuery", "etl", "Fivetran", "tall_gannet"),
    }  # paused google_ads and the never-finished salesforce setup are left out


def test_every_endpoint_and_the_platform_is_a_tool_with_hints() -> None:
    tools = {t.name: t for t in offline().tools}
    assert set(tools) == {"Fivetran", "Salesforce", "HubSpot", "NetSuite", "Google Analytics 4", "Facebook Ads",
                          "Snowflake", "BigQuery"}
    assert (tools["Fivetran"].category, tools["Fivetran"].vendor) == ("etl", "Fivetran")
    assert tools["Snowflake"].hints == {"service": "snowflake", "category": "data-warehouse"}
    assert tools["NetSuite"].hints == {"service": "netsuite_suiteanalytics"}
    assert all(t.provenance.type == "fivetran" and t.provenance.sanctioned for t in tools.values())


def test_paused_connectors_on_request() -> None:
    assert ("Google Ads", "Snowflake", "etl", "Fivetran", "fierce_agenda") in edges(offline(include_paused=True))
