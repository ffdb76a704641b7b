"""The entra connector over real HTTP (Graph doc examples), offline exports, grants and lenient timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from entra_server import ACCESS_TOKEN, ENTRA, SP_PATH, TENANT, serve_graph, serve_token
from pytest_httpserver import HTTPServer
from werkzeug import Response

from auditor.model import Inventory
from connectors.base import ConnectorContext, ConnectorError
from connectors.entra import EntraConnector, EntraSettings, parse_timestamp
from connectors.registry import load

SECRET = "client~secret~value~1234"


def connector(**settings: Any) -> EntraConnector:
    settings.setdefault("retries", 1)
    return EntraConnector(EntraSettings(**settings), ConnectorContext("entra", ENTRA))


def live(server: HTTPServer, **settings: Any) -> EntraConnector:
    url = server.url_for("/").rstrip("/")
    return connector(tenant_id=TENANT, client_id="aud1t0r-client", client_secret_env="ENTRA_TEST_SECRET",
                     graph_url=url, login_url=url, **settings)


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ENTRA_TEST_SECRET", SECRET)
    return SECRET


def tools(inventory: Inventory) -> set[tuple[str, str | None, int | None, tuple[str, ...], str | None]]:
    return {(t.name, t.provenance.source_id, t.users, t.departments, t.hints.get("origin")) for t in inventory.tools}


def test_registered_as_a_discovery_source() -> None:
    assert load("entra") is EntraConnector and EntraConnector.sanctioned is False


def test_reads_every_page_with_a_client_credentials_token(httpserver: HTTPServer, secret: str) -> None:
    serve_token(httpserver)
    serve_graph(httpserver)
    inventory = live(httpserver, sign_in_activity=True).collect()
    assert tools(inventory) == {
        ("foo", "59e617e5-e447-4adc-8b88-00af644d7c92", 0, (), "third_party"),
        ("Contoso Sync", "263a5b01-03e5-408e-8557-bab681df104c", 0, (), "third_party"),
        ("dxprovisioning-graphapi-client", "8e881353-1735-45af-af21-ee1344582a4d", 894, ("Sales",), "own"),
        ("Microsoft 365", "1804a6f8-e623-4520-8f40-ba1b0c11c42d", None, (), None),
    }
    by_name = {t.name: t for t in inventory.tools}
    assert by_name["foo"].vendor == "Contoso" and by_name["Microsoft 365"].vendor == "Microsoft"
    assert by_name["dxprovisioning-graphapi-client"].hints["first_assigned"] == "2021-01-15"
    assert by_name["Contoso Sync"].hints["last_sign_in"] == "2021-04-01"  # -8:00 offsets read leniently
    assert by_name["Contoso Sync"].domains == ("sync.contoso.com",)
    # the form posted to the token endpoint, then Graph called with the token it returned
    token_request = next(r for r, _ in httpserver.log if r.path.endswith("/oauth2/v2.0/token"))
    assert token_request.form["grant_type"] == "client_credentials"
    assert token_request.form["scope"] == f"{httpserver.url_for('/').rstrip('/')}/.default"
    graph_requests = [r for r, _ in httpserver.log if r.path.startswith("/v1.0/")]
    assert {r.headers["Authorization"] for r in graph_requests} == {f"Bearer {ACCESS_TOKEN}"}
    assert len([r for r in graph_requests if r.path == SP_PATH]) == 3


def test_permission_grants_become_api_integrations_without_sign_in_scopes(httpserver: HTTPServer,
                                                                          secret: str) -> None:
    serve_token(httpserver)
    serve_graph(httpserver)
    inventory = live(httpserver).collect()
    [integration] = inventory.integrations  # Graph and Exchange grants are one Microsoft 365 integration
    assert (integration.source, integration.target, integration.kind, integration.bidirectional) == (
        "Microsoft 365", "Contoso Sync", "api", True)
    assert integration.data[0] == "Group.ReadWrite.All"
    assert {"openid", "profile", "User.Read"}.isdisjoint(integration.data)
    assert "Mail.ReadWrite" in integration.data


def test_offline_folder_export_matches_the_live_read() -> None:
    inventory = connector(file=".", tenant_id=TENANT, sign_in_activity=True).collect()
    assert {t.name for t in inventory.tools} == {"foo", "Contoso Sync", "dxprovisioning-graphapi-client",
                                                 "Microsoft 365"}
    assert {(i.source, i.target) for i in inventory.integrations} == {("Microsoft 365", "Contoso Sync")}


def test_without_tenant_id_own_apps_count_as_third_party_and_options_filter(tmp_path: Path) -> None:
    everything = connector(file=".", include_microsoft=True, include_disabled=True).collect()
    names = {t.name for t in everything.tools}
    assert {"Microsoft Graph", "Office 365 Exchange Online", "Old Survey Tool"} <= names
    assert "build-agent-identity" not in names  # a managed identity is never a tool
    own_excluded = connector(file=".", tenant_id=TENANT, include_own_apps=False).collect()
    assert "dxprovisioning-graphapi-client" not in {t.name for t in own_excluded.tools}


def test_graph_throttling_429_is_retried(httpserver: HTTPServer, secret: str) -> None:
    serve_token(httpserver)
    answers = iter([429, 200])

    def handler(request: Any) -> Any:
        status = next(answers)
        if status == 429:
            return Response('{"error": {"code": "TooManyRequests", "message": "Too many requests"}}', 429,
                            {"Retry-After": "0"}, content_type="application/json")
        return Response('{"value": [{"id": "x1", "displayName": "Zoom", "appOwnerOrganizationId": "other"}]}',
                        200, content_type="application/json")

    httpserver.expect_request(SP_PATH).respond_with_handler(handler)
    inventory = live(httpserver, assignments=False, permission_grants=False).collect()
    assert [t.name for t in inventory.tools] == ["Zoom"]


def test_refused_login_names_the_secret_variable_not_its_value(httpserver: HTTPServer, secret: str) -> None:
    httpserver.expect_request(f"/{TENANT}/oauth2/v2.0/token", method="POST").respond_with_json(
        {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.\r\n"
         "Trace ID: 0000"}, status=401)
    with pytest.raises(ConnectorError) as caught:
        live(httpserver).collect()
    message = str(caught.value)
    assert "the login was refused: set env var ENTRA_TEST_SECRET (HTTP 401: AADSTS7000215: Invalid client secret" \
        in message
    assert SECRET not in message and "Trace ID" not in message


def test_expired_graph_token_is_a_clear_error(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPH_TOKEN", "expired-token-value")
    httpserver.expect_request(SP_PATH).respond_with_json(
        {"error": {"code": "InvalidAuthenticationToken", "message": "Lifetime validation failed, the token is "
                   "expired."}}, status=401)
    with pytest.raises(ConnectorError) as caught:
        connector(token_env="GRAPH_TOKEN", graph_url=httpserver.url_for("/")).collect()
    assert "token expired or invalid: set env var GRAPH_TOKEN (HTTP 401: Lifetime validation failed" in \
        str(caught.value)


def test_missing_tenant_is_a_clear_error() -> None:
    with pytest.raises(ConnectorError, match="no tenant_id / client_id given"):
        connector().collect()


@pytest.mark.parametrize(("text", "expected"), [
    ("2021-03-01T00:00:00-8:00", datetime(2021, 3, 1, 8, 0, tzinfo=UTC)),
    ("2021-02-02T04:22:45.9480566Z", datetime(2021, 2, 2, 4, 22, 45, 948056, tzinfo=UTC)),
    ("2021-04-01T00:00:00Z", datetime(2021, 4, 1, tzinfo=UTC)),
    ("2021-04-01", datetime(2021, 4, 1, tzinfo=UTC)),
    ("yesterday", None),
    (None, None),
])
def test_timestamps_are_parsed_leniently(text: str | None, expected: datetime | None) -> None:
    assert parse_timestamp(text) == expected


def test_a_token_that_expires_mid_read_is_renewed_once(httpserver: HTTPServer, secret: str) -> None:
    tokens = iter(["first-token-aaaa", "second-token-bbbb"])
    httpserver.expect_request(f"/{TENANT}/oauth2/v2.0/token", method="POST").respond_with_handler(
        lambda request: Response(json.dumps({"token_type": "Bearer", "access_token": next(tokens)}), 200,
                                 content_type="application/json"))

    def graph(request: Any) -> Response:
        if request.headers["Authorization"] == "Bearer first-token-aaaa":
            return Response('{"error": {"code": "InvalidAuthenticationToken", "message": "Access token has '
                            'expired or is not yet valid."}}', 401, content_type="application/json")
        return Response('{"value": [{"id": "x1", "displayName": "Zoom", "appOwnerOrganizationId": "o"}]}', 200,
                        content_type="application/json")

    httpserver.expect_request(SP_PATH).respond_with_handler(graph)
    inventory = live(httpserver, assignments=False, permission_grants=False).collect()
    assert [t.name for t in inventory.tools] == ["Zoom"]
    assert [r.path for r, _ in httpserver.log].count(f"/{TENANT}/oauth2/v2.0/token") == 2


def test_a_renewed_token_that_is_refused_again_fails_clearly(httpserver: HTTPServer, secret: str) -> None:
    serve_token(httpserver)
    httpserver.expect_request(SP_PATH).respond_with_json(
        {"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges."}}, status=401)
    with pytest.raises(ConnectorError, match="token expired or invalid: set env var ENTRA_TEST_SECRET"):
        live(httpserver).collect()
    assert [r.path for r, _ in httpserver.log].count(SP_PATH) == 2  # the first try and one after renewing
