"""The google_workspace connector over real HTTP: users pages, tokens per user, scopes → Google products."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pytest_httpserver import HTTPServer

from auditor.model import Inventory
from connectors.base import ConnectorContext, ConnectorError
from connectors.google_workspace import GoogleWorkspaceConnector, GoogleWorkspaceSettings, product_of
from connectors.registry import load

DATA = Path(__file__).parent.parent / "data" / "google_workspace"
TOKEN = "ya29.a0-test-access-token-value"
USERS_PATH = "/admin/directory/v1/users"
ACTIVE = ("aiko@example.com", "ben@example.com", "chen@example.com")

APPS = {
    ("HubSpot", 2, ("Marketing", "Sales")),
    ("Calendly", 1, ("Marketing",)),
    ("Slack", 2, ("Sales",)),
}
FLOWS = {  # the suite's parts are one tool, one integration per app (scopes in grant order)
    ("Google Workspace", "HubSpot", ("gmail.readonly", "gmail.send", "calendar.readonly", "contacts.readonly"), True),
    ("Google Workspace", "Calendly", ("calendar",), True),
    ("Google Workspace", "Slack", ("drive.readonly", "calendar.events.readonly"), False),
}


def recorded(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def connector(base: Path = DATA, **settings: Any) -> GoogleWorkspaceConnector:
    settings.setdefault("retries", 1)
    return GoogleWorkspaceConnector(GoogleWorkspaceSettings(**settings), ConnectorContext("google", base))


def apps(inventory: Inventory) -> set[tuple[str, int | None, tuple[str, ...]]]:
    return {(t.name, t.users, t.departments) for t in inventory.tools if t.vendor != "Google"}


def flows(inventory: Inventory) -> set[tuple[str, str, tuple[str, ...], bool]]:
    return {(i.source, i.target, i.data, i.bidirectional) for i in inventory.integrations}


def serve(server: HTTPServer) -> None:
    server.expect_request(USERS_PATH, query_string={"maxResults": "500", "projection": "full",
                                                    "customer": "my_customer"}).respond_with_json(
        recorded("users.json"))
    server.expect_request(USERS_PATH, query_string={"maxResults": "500", "projection": "full",
                                                    "customer": "my_customer",
                                                    "pageToken": recorded("users.json")["nextPageToken"]}
                          ).respond_with_json(recorded("users-page2.json"))
    for email in ACTIVE:
        server.expect_request(f"{USERS_PATH}/{email}/tokens").respond_with_json(recorded(f"tokens/{email}.json"))


@pytest.fixture(scope="module")
def service_key() -> tuple[rsa.RSAPrivateKey, str]:
    """A service account's RSA key and its PEM text, made once: the tests only read it (a key cannot change)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return private, pem


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GWS_TEST_TOKEN", TOKEN)
    return TOKEN


def test_registered_as_a_discovery_source() -> None:
    assert load("google_workspace") is GoogleWorkspaceConnector and not GoogleWorkspaceConnector.sanctioned


def test_reads_users_pages_then_tokens_of_each_active_user(httpserver: HTTPServer, token: str) -> None:
    serve(httpserver)
    inventory = connector(token_env="GWS_TEST_TOKEN", base_url=httpserver.url_for("/")).collect()
    assert apps(inventory) == APPS
    assert flows(inventory) == FLOWS
    products = {t.name for t in inventory.tools if t.vendor == "Google"}
    assert products == {"Google Workspace"}
    assert "Google Chrome" not in {t.name for t in inventory.tools}  # Google's own client
    paths = [r.path for r, _ in httpserver.log]
    assert paths.count(USERS_PATH) == 2
    assert f"{USERS_PATH}/dora@example.com/tokens" not in paths  # suspended
    assert {r.headers["Authorization"] for r, _ in httpserver.log} == {f"Bearer {TOKEN}"}
    hubspot = next(t for t in inventory.tools if t.name == "HubSpot")
    assert hubspot.provenance.source_id == "9876543210-hubspot.apps.googleusercontent.com"


def test_offline_folder_export_gives_the_same_inventory() -> None:
    inventory = connector(file=".").collect()
    assert apps(inventory) == APPS and flows(inventory) == FLOWS


def test_departments_from_org_units_and_google_clients_on_request() -> None:
    inventory = connector(file=".", department_from="org_unit", include_google=True).collect()
    rows = apps(inventory)
    assert ("Slack", 2, ("EMEA", "Support")) in rows
    assert ("Google Chrome", 1, ("Marketing",)) in rows


def test_user_without_tokens_404_counts_as_none(httpserver: HTTPServer, token: str) -> None:
    httpserver.expect_request(USERS_PATH).respond_with_json({"users": [{"primaryEmail": "new@example.com"}]})
    httpserver.expect_request(f"{USERS_PATH}/new@example.com/tokens").respond_with_json(
        {"error": {"code": 404, "message": "Resource Not Found: userKey"}}, status=404)
    inventory = connector(token_env="GWS_TEST_TOKEN", base_url=httpserver.url_for("/")).collect()
    assert inventory.tools == () and inventory.integrations == ()


def test_malformed_tokens_page_fails_with_the_url(httpserver: HTTPServer, token: str) -> None:
    httpserver.expect_request(USERS_PATH).respond_with_json({"users": [{"primaryEmail": "aiko@example.com"}]})
    httpserver.expect_request(f"{USERS_PATH}/aiko@example.com/tokens").respond_with_data(
        "<html>Service Unavailable</html>", content_type="text/html")
    with pytest.raises(ConnectorError) as caught:
        connector(token_env="GWS_TEST_TOKEN", base_url=httpserver.url_for("/")).collect()
    assert "not valid JSON" in str(caught.value) and "text/html" in str(caught.value)
    assert str(caught.value.where).endswith("/admin/directory/v1/users/aiko@example.com/tokens")


def test_domain_filter_and_bad_department_source(httpserver: HTTPServer, token: str) -> None:
    httpserver.expect_request(USERS_PATH, query_string={"maxResults": "500", "projection": "full",
                                                        "domain": "example.com"}).respond_with_json({"users": []})
    assert connector(token_env="GWS_TEST_TOKEN", base_url=httpserver.url_for("/"),
                     domain="example.com").collect().tools == ()
    with pytest.raises(ConnectorError, match="department_from must be organization or org_unit"):
        connector(file=".", department_from="cost_center").collect()


def test_single_file_export(tmp_path: Path) -> None:
    export = {"users": [recorded("users.json"), recorded("users-page2.json")],
              "tokens": {e: recorded(f"tokens/{e}.json") for e in ACTIVE}}
    (tmp_path / "google.json").write_text(json.dumps(export), encoding="utf-8")
    inventory = connector(tmp_path, file="google.json").collect()
    assert apps(inventory) == APPS


@pytest.mark.parametrize(("scope", "product"), [
    ("https://mail.google.com/", "Google Workspace"),
    ("https://www.googleapis.com/auth/gmail.modify", "Google Workspace"),
    ("https://www.googleapis.com/auth/spreadsheets.readonly", "Google Workspace"),
    ("https://www.googleapis.com/auth/forms.body", "Google Forms"),
    ("https://www.googleapis.com/auth/admin.directory.user.readonly", "Google Workspace"),
    ("https://www.googleapis.com/auth/contacts.readonly", "Google Workspace"),
    ("https://www.googleapis.com/auth/bigquery", "Google BigQuery"),
    ("https://www.googleapis.com/auth/userinfo.email", None),
    ("openid", None),
])
def test_scopes_map_to_google_products(scope: str, product: str | None) -> None:
    assert product_of(scope) == product


def test_service_account_with_domain_wide_delegation(httpserver: HTTPServer, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     service_key: tuple[rsa.RSAPrivateKey, str]) -> None:
    import jwt

    private, pem = service_key
    key = {"type": "service_account", "project_id": "acme-audit", "private_key_id": "k1", "private_key": pem,
           "client_email": "auditor@acme-audit.iam.gserviceaccount.com", "token_uri": httpserver.url_for("/token")}
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key), encoding="utf-8")
    monkeypatch.setenv("GWS_TEST_KEY", str(key_file))
    httpserver.expect_request("/token", method="POST").respond_with_json(
        {"access_token": "ya29.minted-for-the-service-account", "expires_in": 3599, "token_type": "Bearer"})
    serve(httpserver)
    inventory = connector(service_account_env="GWS_TEST_KEY", subject="admin@example.com",
                          base_url=httpserver.url_for("/")).collect()
    assert apps(inventory) == APPS
    token_request = next(r for r, _ in httpserver.log if r.path == "/token")
    assert token_request.form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    claims = jwt.decode(token_request.form["assertion"], private.public_key(), algorithms=["RS256"],
                        audience=httpserver.url_for("/token"))
    assert claims["iss"] == "auditor@acme-audit.iam.gserviceaccount.com"
    assert claims["sub"] == "admin@example.com"
    assert claims["scope"].split() == ["https://www.googleapis.com/auth/admin.directory.user.readonly",
                                       "https://www.googleapis.com/auth/admin.directory.user.security"]
    directory = [r for r, _ in httpserver.log if r.path.startswith(USERS_PATH)]
    assert {r.headers["Authorization"] for r in directory} == {"Bearer ya29.minted-for-the-service-account"}


def test_service_account_refused_or_unreadable_key_is_clear(httpserver: HTTPServer, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWS_TEST_KEY", str(tmp_path / "missing.json"))
    with pytest.raises(ConnectorError, match="cannot read the service-account key"):
        connector(service_account_env="GWS_TEST_KEY", subject="admin@example.com",
                  base_url=httpserver.url_for("/")).collect()
    with pytest.raises(ConnectorError, match="a service account needs 'subject'"):
        connector(service_account_env="GWS_TEST_KEY", base_url=httpserver.url_for("/")).collect()
    monkeypatch.setenv("GWS_TEST_KEY", json.dumps({"client_email": "a@b", "private_key": "not a key",
                                                   "token_uri": httpserver.url_for("/token")}))
    with pytest.raises(ConnectorError, match="cannot sign with the service-account key"):
        connector(service_account_env="GWS_TEST_KEY", subject="admin@example.com",
                  base_url=httpserver.url_for("/")).collect()


def test_delegation_not_granted_is_a_refused_login(httpserver: HTTPServer, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   service_key: tuple[rsa.RSAPrivateKey, str]) -> None:
    _, pem = service_key
    monkeypatch.setenv("GWS_TEST_KEY", json.dumps({"client_email": "auditor@acme.iam.gserviceaccount.com",
                                                   "private_key": pem, "token_uri": httpserver.url_for("/token")}))
    httpserver.expect_request("/token", method="POST").respond_with_json(
        {"error": "unauthorized_client", "error_description": "Client is unauthorized to retrieve access tokens "
         "using this method, or client not authorized for any of the scopes requested."}, status=401)
    with pytest.raises(ConnectorError) as caught:
        connector(service_account_env="GWS_TEST_KEY", subject="admin@example.com",
                  base_url=httpserver.url_for("/")).collect()
    message = str(caught.value)
    assert "the login was refused: set env var GWS_TEST_KEY (HTTP 401: Client is unauthorized" in message
    assert "BEGIN PRIVATE KEY" not in message
