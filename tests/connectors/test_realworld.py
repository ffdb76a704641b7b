"""Real payloads nobody here wrote (tests/data/realworld, origins in its SOURCES.md): the tool set each
folder's SOURCES.md expects a careful auditor to see."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path
from typing import Any

from auditor.config import load_config
from auditor.pipeline import source_warnings
from auditor.result import ScanResult
from connectors.backstage import BackstageConnector
from connectors.base import Connector, ConnectorContext
from connectors.entra import EntraConnector, EntraPages
from connectors.google_workspace import GoogleWorkspaceConnector
from connectors.okta import OktaConnector
from connectors.prepare import scan_config
from connectors.spend import SpendConnector
from connectors.spreadsheet import SpreadsheetConnector
from connectors.workato import WorkatoConnector

DATA = Path(__file__).parent.parent / "data" / "realworld"


def collect(connector: type[Connector[Any]], folder: str, **settings: Any) -> Any:
    return connector(connector.settings_class(**settings), ConnectorContext(folder, DATA / folder)).collect()


def scan(tmp_path: Path, folder: str, source: str) -> ScanResult:
    """A scan of one source (a YAML flow mapping) over the folder's files."""
    (tmp_path / "auditor.yaml").write_text(f"organization: RW\nsources:\n  - {source}\n", encoding="utf-8")
    config = load_config(tmp_path / "auditor.yaml")
    return scan_config(dataclasses.replace(config, base_dir=DATA / folder))


# --- Okta: GET /api/v1/apps of a real test org (170 apps) --------------------------------------------------

def okta_apps() -> list[dict[str, Any]]:
    return json.loads((DATA / "okta" / "apps-oie-170.json").read_text(encoding="utf-8"))


def test_okta_oie_170_keeps_no_directory_service_or_okta_own_app() -> None:
    apps = {a["id"]: a for a in okta_apps()}
    service = {i for i, a in apps.items() if (a.get("settings") or {}).get("oauthClient", {}).get(
        "application_type") == "service"}
    directories = {i for i, a in apps.items() if a["name"] in (
        "active_directory", "csv_directory_v2", "ldap_interface", "custom_identity_source")}
    own = {i for i, a in apps.items() if a["name"] in ("saasure", "partner_portal", "flow")
           or a["name"].startswith("okta_")}
    assert (len(service), len(directories), len(own)) == (13, 10, 16)
    inventory = collect(OktaConnector, "okta", file="apps-oie-170.json")
    kept = {t.provenance.source_id for t in inventory.tools}
    assert not kept & (service | directories | own)
    assert len(kept) == 170 - 13 - 10 - 16 - 5  # and the 5 INACTIVE apps
    assert inventory.skipped == {"Okta's own app": 16, "service app (client credentials)": 13,
                                 "directory integration": 10, "inactive": 5}
    gallery = {t.hints.get("okta_app_name") for t in inventory.tools}
    assert {"salesforce", "zoomus", "zendesk", "docusign", "boxnet", "amazon_aws", "facebook_at_work"} <= gallery
    assert {t.lifecycle for t in inventory.tools} == {"active"}


def test_okta_settings_bring_each_kind_back() -> None:
    inventory = collect(OktaConnector, "okta", file="apps-oie-170.json", include_directories=True,
                        include_service_apps=True, include_okta_apps=True, include_inactive=True)
    assert len(inventory.tools) == 170 and not inventory.skipped
    assert Counter(t.lifecycle for t in inventory.tools) == {"active": 165, "retired": 5}


def test_okta_docs_examples() -> None:
    names = Counter(t.hints.get("okta_app_name") for t in collect(OktaConnector, "okta",
                                                                    file="apps-docs-16.json").tools)
    assert names["workday"] == 2 and names["zendesk"] == 1 and names["cornerstone"] == 1
    assert names["okta_org2org"] == 0  # Okta-to-Okta federation: Okta's own


# --- Entra: Microsoft first-party service principals + 2 third-party ones ----------------------------------

def test_entra_keeps_exactly_the_two_non_microsoft_apps() -> None:
    inventory = collect(EntraConnector, "entra", file="servicePrincipals-microsoft-firstparty.json",
                        tenant_id="02b2b7cc-fb03-4324-bf6b-eb207b39c479")
    assert {t.name for t in inventory.tools} == {"Finance Tracker Service Principal", "HR Portal Service Principal"}
    assert inventory.skipped == {"Microsoft first-party app": 619}  # incl. tenant cdc5aeea (Graph CLI tools)


def test_entra_include_microsoft_reports_the_first_party_apps() -> None:
    inventory = collect(EntraConnector, "entra", file="servicePrincipals-microsoft-firstparty.json",
                        include_microsoft=True)
    names = {t.name for t in inventory.tools}
    assert len(inventory.tools) == 621 and "Microsoft Graph Command Line Tools" in names


def test_entra_first_party_app_id_hidden_and_gallery_hints() -> None:
    raw: EntraPages = {"servicePrincipals": [
        # a well-known first-party app id (Microsoft Teams) without its owner tenant
        {"id": "1", "appId": "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "displayName": "Microsoft Teams"},
        {"id": "2", "appId": "a", "displayName": "Back-end sync", "tags": ["HideApp"]},
        {"id": "3", "appId": "b", "displayName": "Zoom", "applicationTemplateId": "8b7a6f3a-0a8e-4ea0-9b39-1a2a"},
        {"id": "4", "appId": "c", "displayName": "Old CRM", "accountEnabled": False}]}
    connector = EntraConnector(EntraConnector.settings_class(), ConnectorContext("entra", DATA))
    inventory = connector.transform(raw)
    assert [(t.name, t.hints.get("entra_gallery_id")) for t in inventory.tools] == [
        ("Zoom", "8b7a6f3a-0a8e-4ea0-9b39-1a2a")]
    assert inventory.skipped == {"Microsoft first-party app": 1, "hidden (HideApp tag)": 1, "disabled": 1}
    shown = EntraConnector(EntraConnector.settings_class(include_hidden=True, include_disabled=True),
                           ConnectorContext("entra", DATA)).transform(raw)
    assert {(t.name, t.lifecycle) for t in shown.tools} == {("Back-end sync", None), ("Zoom", None),
                                                            ("Old CRM", "retired")}


# --- Google Workspace: OAuth tokens of three users ---------------------------------------------------------

def test_google_third_party_apps_and_one_workspace_tool() -> None:
    inventory = collect(GoogleWorkspaceConnector, "google_workspace", file="export")
    tools = {t.name: t for t in inventory.tools}
    assert set(tools) == {"Go Phish!", "Demisto KMS DEV", "demisto", "BetterCloud", "Postman", "Slack",
                          "Google Data Studio", "Google Workspace", "Google Cloud", "Google BigQuery"}
    assert tools["Slack"].users == 2
    assert inventory.skipped == {"Google's own client": 3}  # Chrome, APIs Explorer, Calendar Mobile
    pairs = {(i.source, i.target) for i in inventory.integrations}
    assert not any((b, a) in pairs for a, b in pairs)  # one integration per app and direction
    assert ("Google BigQuery", "Google Data Studio") in pairs


def test_google_scan_names_the_suite_google_workspace(tmp_path: Path) -> None:
    result = scan(tmp_path, "google_workspace", "{name: google, type: google_workspace, file: export}")
    assert "google-workspace" in result.graph.tools and "google-calendar" not in result.graph.tools
    assert result.graph.tools["google-data-studio"].catalog_id == "looker-studio"


# --- GSA IT standards register (998 rows) ------------------------------------------------------------------

def test_gsa_register_lifecycles() -> None:
    inventory = collect(SpreadsheetConnector, "spreadsheet", path="gsa-it-standards.csv",
                        columns={"name": "Standard Name"})
    assert Counter(t.lifecycle for t in inventory.tools) == {"active": 730, "rejected": 161, "phase_out": 96,
                                                            "plan": 11}
    assert not inventory.warnings
    unmapped = collect(SpreadsheetConnector, "spreadsheet", path="gsa-it-standards.csv")  # headers recognised
    assert [(t.name, t.lifecycle) for t in unmapped.tools] == [(t.name, t.lifecycle) for t in inventory.tools]


def test_gsa_rejected_tools_are_in_no_duplicate_shadow_it_or_silo(tmp_path: Path) -> None:
    result = scan(tmp_path, "spreadsheet", "{name: gsa, type: spreadsheet, path: gsa-it-standards.csv, "
                                           "columns: {name: Standard Name}}")
    ended = {t.id for t in result.graph.tools.values() if t.lifecycle in ("rejected", "retired")}
    assert len(ended) > 100
    flagged = {t for f in result.findings if f.type in ("duplicate", "shadow_it", "silo") for t in f.tools}
    assert flagged and not flagged & ended
    assert result.summary()["tools_in_use"] == len(result.graph.tools) - len(ended)


# --- Capital One card export: Debit/Credit, bank categories, no MCC ----------------------------------------

def test_spend_bank_export_reads_without_mapping_and_says_why_nothing_is_software() -> None:
    inventory = collect(SpendConnector, "spend", path="capitalone-2021-2022.csv")
    assert inventory.tools == ()
    assert inventory.skipped == {
        "not software (no software MCC, category word or catalog-known merchant)": 1041}
    [warning] = source_warnings("card", inventory)
    assert "read 1041 records but reported nothing" in warning and "not software" in warning


def test_spend_all_merchants_net_of_credits() -> None:
    inventory = collect(SpendConnector, "spend", path="capitalone-2021-2022.csv", software_only=False)
    names = {t.name for t in inventory.tools}
    assert "UDEMY: ONLINE COURSES" in names
    assert not {n for n in names if "PYMT" in n or "REDEMPTION" in n}  # card payments and rewards: credits only
    assert inventory.skipped == {"credits only (card payments, refunds)": 52}


# --- Workato single-file saved answer ----------------------------------------------------------------------

def test_workato_single_file_items_answer() -> None:
    inventory = collect(WorkatoConnector, "workato", file="recipes.json")
    assert {t.name for t in inventory.tools} == {"Gmail", "Salesforce", "Jira", "Stripe", "Slack", "Workato"}
    assert {(i.source, i.target) for i in inventory.integrations} == {("Gmail", "Salesforce")}


# --- Backstage: demo catalog + kibana ----------------------------------------------------------------------

def test_backstage_keeps_declared_names_and_links_the_product(tmp_path: Path) -> None:
    inventory = collect(BackstageConnector, "backstage", path="catalog")
    assert {t.name for t in inventory.tools} == {"backstage-demo", "kibana", "kibana-tests-pipeline"}
    assert inventory.skipped == {"kind AiResource (not in kinds)": 6, "kind API (not in kinds)": 2,
                                 "kind Template (not in kinds)": 1}
    result = scan(tmp_path, "backstage", "{name: bs, type: backstage, file: by-query.json}")
    kibana = result.graph.tools["kibana"]
    assert (kibana.name, kibana.catalog_id) == ("kibana", "elastic-cloud")
    assert any(e.matched == "elastic-cloud" for e in kibana.evidence)
