"""Per-app assignment calls of okta and entra on a bounded thread pool, over real HTTP.

A threaded local server answers every assignment call after a short, per-app delay (later apps answer
faster, so calls finish out of order); the results must not depend on ``concurrency``, a throttled
call is waited out and retried, and a failing call fails the source without leftovers.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from okta_server import recorded as okta_recorded
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from auditor.config import load_config
from connectors.base import ConnectorContext, ConnectorError
from connectors.entra import EntraConnector, EntraSettings
from connectors.okta import OktaConnector, OktaSettings
from connectors.prepare import scan_config

APPS = 12
#: Seconds an answer is held for each app listed after it (later apps answer first).
STEP = 0.003
TOKEN = "00okta-concurrency-token-5678"
GRAPH_TOKEN = "graph-concurrency-token-9012"
#: An answer to hand out instead of the normal one: (status, headers, body).
Override = tuple[int, dict[str, str], Any]


class Tenant:
    """Serves ``/api/v1/apps`` (Okta) or ``/v1.0/servicePrincipals`` (Graph) and every app's assignments.

    Records the peak number of assignment calls in flight and when each path was asked;
    ``overrides[path]`` is a list of answers handed out (in order) before the normal one; a call
    carrying ``Authorization: Bearer <refused>`` is answered 401.
    """

    def __init__(self, server: HTTPServer, answer: Callable[[int, str], Any]) -> None:
        self.answer = answer
        self.step = STEP
        self.lock = threading.Lock()
        self.running = self.peak = 0
        self.asked: dict[str, list[float]] = {}
        self.overrides: dict[str, list[Override]] = {}
        self.refused: str | None = None
        server.expect_request(re.compile(r"^/(api/v1/apps|v1\.0/servicePrincipals)/[^/]+/\w+$")).respond_with_handler(
            self.assignments)

    def assignments(self, request: Request) -> Response:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.asked.setdefault(request.path, []).append(time.time())
            pending = self.overrides.get(request.path)
            override = pending.pop(0) if pending else None
        try:
            number = int(request.path.split("/")[-2][-4:])
            time.sleep((APPS - number) * self.step)  # later apps answer first
            if request.headers.get("Authorization") == f"Bearer {self.refused}":
                override = (401, {}, {"error": {"code": "InvalidAuthenticationToken",
                                                "message": "Access token has expired or is not yet valid."}})
            status, headers, body = override or (200, {}, self.answer(number, request.path.rsplit("/", 1)[1]))
            return Response(json.dumps(body), status, headers, content_type="application/json")
        finally:
            with self.lock:
                self.running -= 1


class Progress:
    """A stand-in for rich's ``Progress`` (the display the CLI passes): records tasks added and removed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tasks: dict[int, str] = {}
        self.added = 0

    def add_task(self, description: str, total: Any = None) -> int:
        with self.lock:
            self.added += 1
            self.tasks[self.added] = description
            return self.added

    def update(self, task: int, **fields: Any) -> None:
        with self.lock:
            assert task in self.tasks
            self.tasks[task] = fields.get("description", self.tasks[task])

    def remove_task(self, task: int) -> None:
        with self.lock:
            del self.tasks[task]


# --- okta --------------------------------------------------------------------------------------------

def okta_app_id(number: int) -> str:
    return f"0oaconcurrency{number:04d}"


def okta_answer(number: int, kind: str) -> Any:
    if kind == "users":
        return [{"id": f"00u{number}-{n}", "profile": {"department": f"Dept {(number + n) % 4}"}}
                for n in range(number % 3)]
    return [{"id": f"00g{number}", "_embedded": {"group": {"profile": {"name": f"Team {number % 5}"}}}}]


def serve_okta_tenant(server: HTTPServer) -> Tenant:
    template = okta_recorded("apps-page2.json")[1]
    apps = [dict(template, id=okta_app_id(n), label=f"App {n}") for n in range(APPS)]
    server.expect_request("/api/v1/apps").respond_with_json(apps)
    return Tenant(server, okta_answer)


def okta(server: HTTPServer, monkeypatch: pytest.MonkeyPatch, progress: Any = None, **settings: Any) -> OktaConnector:
    monkeypatch.setenv("OKTA_CONCURRENCY_TOKEN", TOKEN)
    values = {"base_url": server.url_for("/"), "token_env": "OKTA_CONCURRENCY_TOKEN", "retries": 2, **settings}
    return OktaConnector(OktaSettings(**values), ConnectorContext("okta", Path.cwd(), progress))


def test_okta_results_do_not_depend_on_concurrency(threaded_server: HTTPServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = serve_okta_tenant(threaded_server)
    sequential = okta(threaded_server, monkeypatch, concurrency=1)
    raw_1 = sequential.get()
    assert tenant.peak == 1
    tenant.peak = 0
    raw_4 = okta(threaded_server, monkeypatch, concurrency=4).get()
    assert 1 < tenant.peak <= 4
    assert json.dumps(raw_1) == json.dumps(raw_4)  # same content, same key order
    assert list(raw_4["app_users"]) == [okta_app_id(n) for n in range(APPS)]
    inventory = sequential.transform(raw_4)
    assert inventory == sequential.transform(raw_1)
    assert [(t.name, t.users, t.departments) for t in inventory.tools][:3] == [
        ("App 0", 0, ("Team 0",)), ("App 1", 1, ("Dept 1", "Team 1")), ("App 2", 2, ("Dept 2", "Dept 3", "Team 2"))]


def test_okta_rate_limit_on_one_app_is_waited_out_mid_run(threaded_server: HTTPServer,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = serve_okta_tenant(threaded_server)
    tenant.step = 0  # the unthrottled reference needs no out-of-order answers (the test above checks those)
    expected = okta(threaded_server, monkeypatch, concurrency=1).collect()
    tenant.asked.clear()
    tenant.step = STEP
    throttled = f"/api/v1/apps/{okta_app_id(5)}/users"
    reset = int(time.time()) + 2  # Okta sends X-Rate-Limit-Reset (epoch seconds), no Retry-After
    tenant.overrides[throttled] = [(429, {"X-Rate-Limit-Limit": "600", "X-Rate-Limit-Remaining": "0",
                                          "X-Rate-Limit-Reset": str(reset)},
                                    {"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit due "
                                     "to too many requests."})]
    progress = Progress()
    assert okta(threaded_server, monkeypatch, progress, concurrency=4).collect() == expected
    first, retry = tenant.asked[throttled]
    assert retry >= reset > first  # the retry waited for the reset time
    assert all(len(times) == 1 for path, times in tenant.asked.items() if path != throttled)
    assert progress.tasks == {} and progress.added == 1 + 2 * APPS  # every endpoint shown, then removed


def test_okta_error_on_one_app_fails_the_source_without_leftovers(threaded_server: HTTPServer,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    tenant = serve_okta_tenant(threaded_server)
    failing = f"/api/v1/apps/{okta_app_id(3)}/groups"
    tenant.overrides[failing] = [(403, {}, {"errorCode": "E0000006", "errorSummary": "You do not have permission "
                                            "to perform the requested action"})]
    progress = Progress()
    with pytest.raises(ConnectorError) as caught:
        okta(threaded_server, monkeypatch, progress, concurrency=4).get()
    assert "access denied (HTTP 403: You do not have permission" in str(caught.value)
    assert failing in str(caught.value) and TOKEN not in str(caught.value)
    assert progress.tasks == {}  # every endpoint started was also finished on the display
    assert not [t for t in threading.enumerate() if t.name.startswith("okta")]

    tenant.overrides[failing] = [(403, {}, {"errorSummary": "You do not have permission"})]
    (tmp_path / "auditor.yaml").write_text(
        "organization: Acme\nsources:\n"
        f"  - {{name: okta, type: okta, base_url: '{threaded_server.url_for('/')}', "
        "token_env: OKTA_CONCURRENCY_TOKEN, concurrency: 4}\n", encoding="utf-8")
    result = scan_config(load_config(tmp_path / "auditor.yaml"))
    [status] = result.scan.sources
    assert (status.name, status.status) == ("okta", "failed")
    assert status.error is not None and "HTTP 403" in status.error
    assert result.inventories == {}  # nothing partial from the apps read before the failure


# --- entra -------------------------------------------------------------------------------------------

def principal_id(number: int) -> str:
    return f"5f0c0000-0000-0000-0000-00000000{number:04d}"


def entra_answer(number: int, kind: str) -> Any:
    users = [{"principalType": "User", "principalId": f"u{n}", "createdDateTime": f"2024-01-{n + 1:02d}T00:00:00Z"}
             for n in range(number % 4)]
    return {"value": [*users, {"principalType": "Group", "principalDisplayName": f"Team {number % 3}"}]}


def serve_entra_tenant(server: HTTPServer) -> Tenant:
    principals = [{"id": principal_id(n), "appId": f"app-{n}", "displayName": f"App {n}",
                   "servicePrincipalType": "Application", "appOwnerOrganizationId": "other-tenant"}
                  for n in range(APPS)]
    server.expect_request("/v1.0/servicePrincipals").respond_with_json({"value": principals})
    return Tenant(server, entra_answer)


def entra(server: HTTPServer, monkeypatch: pytest.MonkeyPatch, progress: Any = None,
          **settings: Any) -> EntraConnector:
    monkeypatch.setenv("GRAPH_CONCURRENCY_TOKEN", GRAPH_TOKEN)
    values = {"token_env": "GRAPH_CONCURRENCY_TOKEN", "graph_url": server.url_for("/").rstrip("/"),
              "permission_grants": False, "retries": 1, **settings}
    return EntraConnector(EntraSettings(**values), ConnectorContext("entra", Path.cwd(), progress))


def test_entra_results_do_not_depend_on_concurrency(threaded_server: HTTPServer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = serve_entra_tenant(threaded_server)
    raw_1 = entra(threaded_server, monkeypatch, concurrency=1).get()
    assert tenant.peak == 1
    tenant.peak = 0
    connector = entra(threaded_server, monkeypatch, concurrency=4)
    raw_4 = connector.get()
    assert 1 < tenant.peak <= 4
    assert json.dumps(raw_1) == json.dumps(raw_4)
    assert list(raw_4["appRoleAssignedTo"]) == [principal_id(n) for n in range(APPS)]
    inventory = connector.transform(raw_4)
    assert inventory == connector.transform(raw_1)
    assert [(t.name, t.users, t.departments) for t in inventory.tools][:2] == [
        ("App 0", 0, ("Team 0",)), ("App 1", 1, ("Team 1",))]


def test_entra_throttled_assignments_are_retried_after_retry_after(threaded_server: HTTPServer,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = serve_entra_tenant(threaded_server)
    tenant.step = 0  # the unthrottled reference needs no out-of-order answers (the test above checks those)
    expected = entra(threaded_server, monkeypatch, concurrency=1).collect()
    tenant.asked.clear()
    tenant.step = STEP
    throttled = f"/v1.0/servicePrincipals/{principal_id(7)}/appRoleAssignedTo"
    tenant.overrides[throttled] = [(429, {"Retry-After": "1"}, {"error": {
        "code": "TooManyRequests", "message": "Too many requests"}})]
    assert entra(threaded_server, monkeypatch, concurrency=4).collect() == expected
    first, retry = tenant.asked[throttled]
    assert retry - first >= 1.0


def test_entra_server_error_on_one_app_fails_the_source(threaded_server: HTTPServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = serve_entra_tenant(threaded_server)
    failing = f"/v1.0/servicePrincipals/{principal_id(2)}/appRoleAssignedTo"
    error: tuple[int, dict[str, str], dict[str, Any]] = (
        503, {}, {"error": {"code": "serviceNotAvailable", "message": "Service unavailable"}})
    tenant.overrides[failing] = [error, error]  # the first try and the one retry
    progress = Progress()
    with pytest.raises(ConnectorError, match=r"HTTP 503 after 2 attempts: Service unavailable") as caught:
        entra(threaded_server, monkeypatch, progress, concurrency=4).get()
    assert failing in str(caught.value)
    assert progress.tasks == {}
    assert not [t for t in threading.enumerate() if t.name.startswith("entra")]


def test_entra_expired_token_is_renewed_once_by_concurrent_calls(threaded_server: HTTPServer,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = serve_entra_tenant(threaded_server)
    tokens = iter(["first-token-aaaa", "second-token-bbbb", "third-token-cccc"])
    threaded_server.expect_request("/tenant-x/oauth2/v2.0/token", method="POST").respond_with_handler(
        lambda request: Response(json.dumps({"token_type": "Bearer", "access_token": next(tokens)}), 200,
                                 content_type="application/json"))
    monkeypatch.setenv("ENTRA_CONCURRENCY_SECRET", "client~secret")
    tenant.refused = "first-token-aaaa"  # expires before the assignments are read, by every worker at once
    connector = entra(threaded_server, monkeypatch, concurrency=4, token_env=None, tenant_id="tenant-x",
                      client_id="c", client_secret_env="ENTRA_CONCURRENCY_SECRET",
                      login_url=threaded_server.url_for("/").rstrip("/"))
    inventory = connector.collect()
    assert len(inventory.tools) == APPS
    token_calls = [r for r, _ in threaded_server.log if r.path == "/tenant-x/oauth2/v2.0/token"]
    assert len(token_calls) == 2  # the first token, and one renewal however many calls saw the 401
    refused = [r for r, _ in threaded_server.log if r.headers.get("Authorization") == "Bearer first-token-aaaa"
               and r.path.endswith("/appRoleAssignedTo")]
    assert 1 < len(refused) <= 4  # several workers saw the expired token at once
