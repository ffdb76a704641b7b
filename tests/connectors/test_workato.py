"""The workato connector: recipes (trigger app → action apps) as iPaaS integrations via Workato."""

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
from connectors.workato import WorkatoConnector

DATA = Path(__file__).parent.parent / "data" / "workato"


def offline(**settings: Any) -> Inventory:
    return recorded_api.offline(WorkatoConnector, DATA, **settings)


def edges(inventory: Inventory) -> set[tuple[str, str, str, str | None, str | None]]:
    return {(i.source, i.target, i.kind, i.via, i.provenance.source_id) for i in inventory.integrations}


def test_registered_under_its_type_id() -> None:
    assert load("workato") is WorkatoConnector


def test_running_recipes_link_trigger_app_to_each_action_app() -> None:
    assert edges(offline()) == {
        ("Salesforce", "NetSuite", "ipaas", "Workato", "31005"),
        ("Salesforce", "Slack", "ipaas", "Workato", "31005"),
        ("Zendesk", "Jira", "ipaas", "Workato", "31004"),  # the logger step is Workato's own
        ("HubSpot", "Salesforce", "ipaas", "Workato", "31003"),  # scheduler trigger: first action app
    }


def test_stopped_recipes_on_request() -> None:
    assert ("Marketo", "Salesforce", "ipaas", "Workato", "31001") in edges(offline(include_stopped=True))


def test_external_apps_and_the_platform_are_tools() -> None:
    tools = {t.name: t for t in offline().tools}
    assert set(tools) == {"Workato", "Salesforce", "NetSuite", "Slack", "Zendesk", "Jira", "HubSpot",
                          "Google Sheets"}  # a webhook → sheet recipe has one external app: a tool, no edge
    assert tools["Workato"].category == "ipaas"
    assert tools["Jira"].hints == {"workato_app": "jira"}


# --- over real HTTP (pytest-httpserver replays the recorded pages) ---------------------------------

TOKEN = "wrk-T0ken-456"


def page(name: str) -> dict[str, Any]:
    return recorded_page(DATA, name)


def live(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> WorkatoConnector:
    return at_server(WorkatoConnector, DATA, server, monkeypatch, {"WK_TOKEN": TOKEN}, token_env="WK_TOKEN")


def test_live_api_reads_pages_until_a_short_one(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for number, name in ((1, "recipes.json"), (2, "recipes-page2.json"), (3, "recipes-page3.json")):
        httpserver.expect_request("/api/recipes", query_string={"page": str(number), "per_page": "2"},
                                  headers=auth).respond_with_json(page(name))
    inventory = live(httpserver, monkeypatch).collect()
    assert edges(inventory) == edges(offline())
    assert len(httpserver.log) == 3  # page 3 holds one recipe: no request for page 4
    httpserver.check_assertions()


def test_live_expired_token_is_a_clear_source_error(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/api/recipes").respond_with_json({"message": "Unauthorized"}, status=401)
    with pytest.raises(ConnectorError) as caught:
        live(httpserver, monkeypatch).collect()
    assert "workato" in str(caught.value) and "401" in str(caught.value)
    assert TOKEN not in str(caught.value)
