"""The segment connector: sources → destinations (by sourceId) as event integrations via Segment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import recorded_api
from pytest_httpserver import HTTPServer
from recorded_api import at_server, recorded_page

from auditor.model import Inventory
from connectors.base import ConnectorError
from connectors.registry import load
from connectors.segment import SegmentConnector

DATA = Path(__file__).parent.parent / "data" / "segment"


def offline(**settings: Any) -> Inventory:
    return recorded_api.offline(SegmentConnector, DATA, **settings)


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
    assert offline().skipped == {"disabled destination": 1} and not offline(include_disabled=True).skipped


def test_library_sources_keep_their_own_name_cloud_sources_their_catalog_name() -> None:
    tools = {t.name: t for t in offline().tools}
    assert tools["Acme Web"].hints == {"segment_source": "Javascript", "segment_slug": "javascript"}
    assert tools["Salesforce"].hints == {"category": "crm", "segment_slug": "salesforce"}
    assert tools["Salesforce"].provenance.source_id == "tT9zgvfK1s7DUeYDzCbQkS"


def test_destination_categories_become_hints() -> None:
    tools = {t.name: t for t in offline().tools}
    assert tools["Amplitude"].hints["category"] == "product-analytics"
    assert tools["Braze"].hints["category"] == "marketing-automation"
    assert tools["Amplitude"].hints["segment_slug"].endswith("amplitude")  # looked up in vocabulary-segment.yaml
    assert (tools["Segment"].category, tools["Segment"].vendor) == ("cdp", "Segment")


# --- over real HTTP (pytest-httpserver replays the recorded pages) ---------------------------------

TOKEN = "sgp_T0kenValue"


def page(name: str) -> dict[str, Any]:
    return recorded_page(DATA, name)


def live(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> SegmentConnector:
    return at_server(SegmentConnector, DATA, server, monkeypatch, {"SEG_TOKEN": TOKEN}, token_env="SEG_TOKEN")


def test_live_api_follows_pagination_cursors(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for kind in ("sources", "destinations"):
        httpserver.expect_request(f"/{kind}", query_string={"pagination[count]": "2"},
                                  headers=auth).respond_with_json(page(f"{kind}.json"))
        httpserver.expect_request(f"/{kind}", query_string={"pagination[count]": "2", "pagination[cursor]": "Mg=="},
                                  headers=auth).respond_with_json(page(f"{kind}-page2.json"))
    inventory = live(httpserver, monkeypatch).collect()
    assert edges(inventory) == edges(offline())
    assert len(httpserver.log) == 4
    httpserver.check_assertions()


def test_live_expired_token_is_a_clear_source_error(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/sources").respond_with_json(
        {"errors": [{"type": "unauthorized", "message": "Unauthorized"}]}, status=401)
    with pytest.raises(ConnectorError) as caught:
        live(httpserver, monkeypatch).collect()
    assert "segment" in str(caught.value) and "401" in str(caught.value)
    assert TOKEN not in str(caught.value)
