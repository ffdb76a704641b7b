"""The segment connector: sources → destinations (by sourceId) as event integrations via Segment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.model import Inventory
from connectors.base import ConnectorContext
from connectors.registry import load
from connectors.segment import SegmentConnector, SegmentSettings

DATA = Path(__file__).parent.parent / "data" / "segment"


def offline(**settings: Any) -> Inventory:
    return SegmentConnector(SegmentSettings(file="pages", **settings), ConnectorContext("segment", DATA)).collect()


def edges(inventory: Inventory) -> set[tuple[str, str, str, str | None]]:
    return {(i.source, i.target, i.kind, i.via) for i in inventory.integrations}


def test_registered_under_its_type_id() -> None:
    assert load("segment") is SegmentConnector


def test_enabled_destinations_become_event_integrations_from_their_source() -> None:
    assert edges(offline()) == {
        ("Acme Web", "Amplitude", "event", "Segment"),
        ("Acme iOS app", "Amplitude", "event", "Segment"),
        ("Acme iOS app", "Braze", "event", "Segment"),
        ("Salesforce", "HubSpot", "event", "Segment"),
    }


def test_disabled_destinations_on_request() -> None:
    assert ("Acme Web", "Google Ads Conversions", "event", "Segment") in edges(offline(include_disabled=True))


def test_library_sources_keep_their_own_name_cloud_sources_their_catalog_name() -> None:
    tools = {t.name: t for t in offline().tools}
    assert tools["Acme Web"].hints == {"segment_source": "Javascript"}
    assert tools["Salesforce"].hints == {"category": "crm"}
    assert tools["Salesforce"].provenance.source_id == "tT9zgvfK1s7DUeYDzCbQkS"


def test_destination_categories_become_hints() -> None:
    tools = {t.name: t for t in offline().tools}
    assert tools["Amplitude"].hints == {"category": "product-analytics"}
    assert tools["Braze"].hints == {"category": "marketing-automation"}
    assert (tools["Segment"].category, tools["Segment"].vendor) == ("cdp", "Segment")
