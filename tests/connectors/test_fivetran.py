"""The fivetran connector: groups → connectors → destination, as ETL integrations via Fivetran."""

from __future__ import annotations

import base64
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
import recorded_api
from pytest_httpserver import HTTPServer
from recorded_api import at_server, recorded_page
from werkzeug import Request, Response

from auditor.config import load_config
from auditor.model import Inventory
from connectors.base import ConnectorContext, ConnectorError
from connectors.fivetran import FivetranConnector, FivetranPages, FivetranSettings
from connectors.prepare import scan_config
from connectors.registry import load

DATA = Path(__file__).parent.parent / "data" / "fivetran"


def offline(**settings: Any) -> Inventory:
    return recorded_api.offline(FivetranConnector, DATA, **settings)


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


# --- over real HTTP (pytest-httpserver replays the recorded pages) ---------------------------------

KEY, SECRET = "k3yAbc", "s3cretXyz"


def page(name: str) -> dict[str, Any]:
    return recorded_page(DATA, name)


def live(server: HTTPServer, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> FivetranConnector:
    return at_server(FivetranConnector, DATA, server, monkeypatch, {"FT_KEY": KEY, "FT_SECRET": SECRET},
                     api_key_env="FT_KEY", api_secret_env="FT_SECRET", **settings)


def serve_account(server: HTTPServer, decent_dropsy: tuple[dict[str, Any], int] | None = None,
                  path: str = "connections") -> None:
    """The recorded account; ``decent_dropsy`` (body, status) replaces that group's destination answer;
    ``path`` is where the groups' connections are listed (``connectors``: an older account, 404 at the new)."""
    auth = {"Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()}
    if path == "connectors":
        server.expect_request("/v1/groups/projected_sickle/connections").respond_with_json(
            {"code": "NotFound_Path", "message": "Not found"}, status=404)
    server.expect_request("/v1/groups", query_string={"limit": "2"}, headers=auth).respond_with_json(
        page("groups.json"))
    server.expect_request("/v1/groups", query_string={"limit": "2", "cursor": "eyJza2lwIjoxfQ"},
                          headers=auth).respond_with_json(page("groups-page2.json"))
    server.expect_request(f"/v1/groups/projected_sickle/{path}", query_string={"limit": "2"},
                          headers=auth).respond_with_json(page("connectors/projected_sickle.json"))
    server.expect_request(f"/v1/groups/projected_sickle/{path}",
                          query_string={"limit": "2", "cursor": "eyJza2lwIjoyfQ"},
                          headers=auth).respond_with_json(page("connectors/projected_sickle-page2.json"))
    server.expect_request(f"/v1/groups/decent_dropsy/{path}", query_string={"limit": "2"},
                          headers=auth).respond_with_json(page("connectors/decent_dropsy.json"))
    answers = {"projected_sickle": (page("destinations/projected_sickle.json"), 200),
               "decent_dropsy": decent_dropsy or (page("destinations/decent_dropsy.json"), 200)}
    for group, (body, status) in answers.items():
        server.expect_request(f"/v1/destinations/{group}", headers=auth).respond_with_json(body, status=status)


def test_live_api_follows_cursors_over_groups_and_connectors(httpserver: HTTPServer,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    serve_account(httpserver)
    inventory = live(httpserver, monkeypatch).collect()
    assert edges(inventory) == edges(offline())
    assert {t.name for t in inventory.tools} == {t.name for t in offline().tools}
    assert len(httpserver.log) == 8  # 2 group pages, 1 probe, 3 connection pages, 2 destinations
    assert {r.path for r, _ in httpserver.log if "/v1/groups/" in r.path} == {
        "/v1/groups/projected_sickle/connections", "/v1/groups/decent_dropsy/connections"}
    httpserver.check_assertions()


def test_live_older_account_is_read_at_connectors_after_one_404(httpserver: HTTPServer,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    serve_account(httpserver, path="connectors")
    inventory = live(httpserver, monkeypatch).collect()
    assert edges(inventory) == edges(offline())
    paths = [r.path for r, _ in httpserver.log]
    assert paths.count("/v1/groups/projected_sickle/connections") == 1  # the probe, answered 404
    assert "/v1/groups/decent_dropsy/connections" not in paths  # decided once, not per group


def test_paused_and_unfinished_are_counted_and_broken_ones_warned() -> None:
    inventory = offline()
    assert inventory.skipped == {"paused": 1, "setup incomplete (no data has flowed)": 1}
    raw: FivetranPages = {"groups": [], "destinations": {}, "connections": {"g": [
        {"id": "c1", "group_id": "g", "service": "salesforce", "status": {"setup_state": "broken"}},
        {"id": "c2", "group_id": "g", "service": "hubspot", "status": {"sync_state": "paused"}, "paused": False}]}}
    broken = FivetranConnector(FivetranSettings(), ConnectorContext("ft", DATA)).transform(raw)
    assert {(i.source, i.provenance.source_id) for i in broken.integrations} == {("Salesforce", "c1")}
    assert broken.skipped == {"paused": 1}
    [warning] = broken.warnings
    assert "1 broken connection" in warning and "salesforce (c1)" in warning


def test_live_expired_key_fails_the_source_and_not_the_scan(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    httpserver.expect_request("/v1/groups").respond_with_json(
        {"code": "AuthFailed", "message": "Missing or invalid API key"}, status=401)
    with pytest.raises(ConnectorError) as caught:
        live(httpserver, monkeypatch).collect()
    assert "fivetran" in str(caught.value) and "401" in str(caught.value)
    assert KEY not in str(caught.value) and SECRET not in str(caught.value)

    (tmp_path / "apps.csv").write_text("Application\nJira\n", encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text(
        "organization: T\nsources:\n"
        "  - {name: register, type: spreadsheet, path: apps.csv}\n"
        f"  - {{name: fivetran, type: fivetran, base_url: '{httpserver.url_for('').rstrip('/')}',"
        " api_key_env: FT_KEY, api_secret_env: FT_SECRET}\n", encoding="utf-8")
    result = scan_config(load_config(tmp_path / "auditor.yaml"))
    status = {s.name: (s.status, s.error) for s in result.scan.sources}
    assert status["register"] == ("ok", None)
    assert status["fivetran"][0] == "failed" and "401" in str(status["fivetran"][1])


def test_live_group_without_destination_stands_in_as_the_target(httpserver: HTTPServer,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    not_found = json.loads((DATA / "errors" / "destination-not-found.json").read_text(encoding="utf-8"))
    serve_account(httpserver, (not_found, 404))
    with caplog.at_level(logging.WARNING, logger="connectors.fivetran"):
        inventory = live(httpserver, monkeypatch).collect()
    assert edges(inventory) == {
        ("Salesforce", "Snowflake", "etl", "Fivetran", "covetous_marzipan"),
        ("HubSpot", "Snowflake", "etl", "Fivetran", "dominant_quail"),
        ("NetSuite", "Snowflake", "etl", "Fivetran", "shrill_turtle"),
        ("Google Analytics 4", "Marketing_Lake", "etl", "Fivetran", "unwieldy_lexicon"),
        ("Facebook Ads", "Marketing_Lake", "etl", "Fivetran", "tall_gannet"),
    }
    tools = {t.name: t for t in inventory.tools}
    assert "BigQuery" not in tools
    assert tools["Marketing_Lake"].hints == {"category": "data-warehouse"}
    assert tools["Marketing_Lake"].provenance.source_id == "decent_dropsy"
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning == ("source 'fivetran': Fivetran group Marketing_Lake (decent_dropsy) has no destination "
                       "(HTTP 404); the group stands in as the target")
    assert len(httpserver.log) == 8


@pytest.mark.parametrize(("status", "expected"), [(500, "HTTP 500 after 2 attempts"), (401, "HTTP 401")])
def test_live_other_destination_errors_still_fail_the_source(httpserver: HTTPServer,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             status: int, expected: str) -> None:
    serve_account(httpserver, ({"code": "InternalError", "message": "Something went wrong"}, status))
    with pytest.raises(ConnectorError) as caught:
        live(httpserver, monkeypatch, retries=1).collect()
    assert expected in str(caught.value)
    assert "/v1/destinations/decent_dropsy" in str(caught.value)


def test_live_groups_are_read_concurrently_in_the_groups_order(threaded_server: HTTPServer,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    overlapped: list[bool] = []

    def slow_destination(request: Request) -> Response:
        time.sleep(0.2)  # the first group answers last
        overlapped.append(any(r.path.startswith("/v1/destinations/decent_dropsy") for r, _ in threaded_server.log))
        return Response(json.dumps(page("destinations/projected_sickle.json")), 200, content_type="application/json")

    threaded_server.expect_request("/v1/destinations/projected_sickle").respond_with_handler(slow_destination)
    serve_account(threaded_server)
    raw_1 = live(threaded_server, monkeypatch, concurrency=1).get()
    raw_4 = live(threaded_server, monkeypatch, concurrency=4).get()
    assert overlapped == [False, True]  # with 4, the second group was read while the first was still answering
    assert json.dumps(raw_1) == json.dumps(raw_4)  # same content, same key order
    assert list(raw_4["connectors"]) == list(raw_4["destinations"]) == ["projected_sickle", "decent_dropsy"]
    assert edges(live(threaded_server, monkeypatch).transform(raw_4)) == edges(offline())
