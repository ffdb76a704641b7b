"""The workato connector: recipes (trigger app → action apps) as iPaaS integrations via Workato."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.model import Inventory
from connectors.base import ConnectorContext
from connectors.registry import load
from connectors.workato import WorkatoConnector, WorkatoSettings

DATA = Path(__file__).parent.parent / "data" / "workato"


def offline(**settings: Any) -> Inventory:
    return WorkatoConnector(WorkatoSettings(file="pages", **settings), ConnectorContext("workato", DATA)).collect()


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
