"""Registry of connector types: explicit lazy import strings keyed by stable ids.

Third-party plugins add entries through the ``auditor.connectors`` entry-point group.
"""

from __future__ import annotations

from typing import Any

from auditor.plugins import load_object, with_entry_points

CONNECTORS: dict[str, str] = {
    "landscape": "connectors.landscape:LandscapeConnector",
    "spreadsheet": "connectors.spreadsheet:SpreadsheetConnector",
    "spend": "connectors.spend:SpendConnector",
    "fivetran": "connectors.fivetran:FivetranConnector",
    "airbyte": "connectors.airbyte:AirbyteConnector",
    "segment": "connectors.segment:SegmentConnector",
    "workato": "connectors.workato:WorkatoConnector",
    "okta": "connectors.okta:OktaConnector",
    "entra": "connectors.entra:EntraConnector",
    "google_workspace": "connectors.google_workspace:GoogleWorkspaceConnector",
    "backstage": "connectors.backstage:BackstageConnector",
    "bpmn": "connectors.bpmn:BpmnConnector",
}


def available() -> dict[str, str]:
    """Every connector type id with its import string, built-ins first, then plugins."""
    return with_entry_points(CONNECTORS, "auditor.connectors")


def load(type_id: str) -> Any:
    """Import and return the connector class registered as ``type_id`` (KeyError if unknown)."""
    return load_object(available()[type_id])
