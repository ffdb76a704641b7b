"""Entra group assignments counted as users: one ``$count`` call per assigned group, over real HTTP.

A local Graph serves three apps: one assigned to two users and two groups, one assigned to one of those
groups again, one assigned to a group deleted since (its count answers 404). Counts come back as plain
text, as Graph sends them (one with a byte-order mark).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from entra_server import ENTRA, TENANT
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from auditor.model import Inventory
from connectors.base import ConnectorContext, ConnectorError
from connectors.entra import EntraConnector, EntraSettings

TOKEN = "graph-groups-token-3456"
SALES = "9a1c0000-0000-4000-8000-0000000005a1"
EVERYONE = "9a1c0000-0000-4000-8000-0000000000e1"
GONE = "9a1c0000-0000-4000-8000-00000000d0e1"  # deleted since it was assigned
APPS = {"a1": "Contoso CRM", "a2": "Contoso Wiki", "a3": "Survey Tool"}
ASSIGNED = {
    "a1": [("User", "u1", "Adele Vance"), ("User", "u2", "Alex Wilber"), ("User", "u1", "Adele Vance"),
           ("Group", SALES, "Sales"), ("Group", EVERYONE, "Everyone")],
    "a2": [("Group", SALES, "Sales")],
    "a3": [("User", "u3", "Megan Bowen"), ("Group", GONE, "Project Falcon")],
}
#: Plain-text ``$count`` answers by group id (the Sales one with a byte-order mark, as some Graph answers are).
COUNTS = {SALES: "\ufeff40", EVERYONE: "500"}


def count_path(group_id: str) -> str:
    return f"/v1.0/groups/{group_id}/transitiveMembers/microsoft.graph.user/$count"


def assignment_page(app_id: str) -> dict[str, Any]:
    rows = [{"id": f"{app_id}-{n}", "appRoleId": "00000000-0000-0000-0000-000000000000",
             "createdDateTime": "2024-03-01T09:00:00Z", "principalType": kind, "principalId": principal,
             "principalDisplayName": name, "resourceId": app_id, "resourceDisplayName": APPS[app_id]}
            for n, (kind, principal, name) in enumerate(ASSIGNED[app_id])]
    return {"@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{app_id}')/"
                              "appRoleAssignedTo", "value": rows}


class Graph:
    """Service principals, their assignments and group counts; records each count request's headers."""

    def __init__(self, server: HTTPServer, count_status: int = 200) -> None:
        self.lock = threading.Lock()
        self.count_requests: list[tuple[str, str | None, str | None]] = []
        self.count_status = count_status
        principals = [{"id": app_id, "appId": f"app-{app_id}", "displayName": name,
                       "servicePrincipalType": "Application", "appOwnerOrganizationId": "other-tenant"}
                      for app_id, name in APPS.items()]
        server.expect_request("/v1.0/servicePrincipals").respond_with_json({"value": principals})
        for app_id in APPS:
            server.expect_request(f"/v1.0/servicePrincipals/{app_id}/appRoleAssignedTo").respond_with_json(
                assignment_page(app_id))
        for group_id in (SALES, EVERYONE, GONE):
            server.expect_request(count_path(group_id)).respond_with_handler(self.count)

    def count(self, request: Request) -> Response:
        group_id = request.path.split("/")[3]
        with self.lock:
            self.count_requests.append((group_id, request.headers.get("ConsistencyLevel"),
                                        request.headers.get("Authorization")))
        if self.count_status == 403:
            return Response(json.dumps({"error": {"code": "Authorization_RequestDenied", "message":
                                                  "Insufficient privileges to complete the operation."}}),
                            403, content_type="application/json")
        if group_id not in COUNTS:
            return Response(json.dumps({"error": {"code": "Request_ResourceNotFound", "message":
                                                  f"Resource '{group_id}' does not exist or one of its queried "
                                                  "reference-property objects are not present."}}),
                            404, content_type="application/json")
        return Response(COUNTS[group_id].encode("utf-8"), 200, content_type="text/plain")


def entra(server: HTTPServer, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> EntraConnector:
    monkeypatch.setenv("GRAPH_GROUPS_TOKEN", TOKEN)
    values = {"token_env": "GRAPH_GROUPS_TOKEN", "graph_url": server.url_for("/").rstrip("/"),
              "permission_grants": False, "retries": 1, "concurrency": 4, **settings}
    return EntraConnector(EntraSettings(**values), ConnectorContext("entra", Path.cwd()))


def users(inventory: Inventory) -> dict[str, tuple[int | None, tuple[str, ...]]]:
    return {t.name: (t.users, t.departments) for t in inventory.tools}


def test_group_members_are_counted_and_each_group_is_asked_once(httpserver: HTTPServer,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    graph = Graph(httpserver)
    with caplog.at_level(logging.WARNING, logger="connectors.entra"):
        inventory = entra(httpserver, monkeypatch).collect()
    assert users(inventory) == {
        "Contoso CRM": (2 + 40 + 500, ("Sales",)),  # two distinct direct users, Sales and Everyone
        "Contoso Wiki": (40, ("Sales",)),
        "Survey Tool": (1, ("Project Falcon",)),  # the deleted group adds nobody
    }
    asked = sorted(group_id for group_id, _, _ in graph.count_requests)
    assert asked == sorted([SALES, EVERYONE, GONE])  # Sales is assigned to two apps and asked once
    assert {(level, auth) for _, level, auth in graph.count_requests} == {("eventual", f"Bearer {TOKEN}")}
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning == (f"source 'entra': assigned group Project Falcon ({GONE}) no longer exists (HTTP 404); "
                       "its members are not counted")


def test_results_do_not_depend_on_concurrency(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    Graph(httpserver)
    raw_1 = entra(httpserver, monkeypatch, concurrency=1).get()
    raw_4 = entra(httpserver, monkeypatch, concurrency=4).get()
    assert json.dumps(raw_1) == json.dumps(raw_4)
    assert raw_4["groupMemberCount"] == {SALES: [40], EVERYONE: [500]}  # first-assigned order, 404 left out


def test_expand_groups_off_makes_no_group_call(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = Graph(httpserver)
    connector = entra(httpserver, monkeypatch, expand_groups=False)
    inventory = connector.collect()
    assert graph.count_requests == []
    assert users(inventory) == {"Contoso CRM": (2, ("Sales",)), "Contoso Wiki": (0, ("Sales",)),
                                "Survey Tool": (1, ("Project Falcon",))}


def test_missing_permission_fails_the_source_naming_it(httpserver: HTTPServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    Graph(httpserver, count_status=403)
    with pytest.raises(ConnectorError) as caught:
        entra(httpserver, monkeypatch).collect()
    message = str(caught.value)
    assert "access denied (HTTP 403: Insufficient privileges to complete the operation.): this call needs the " \
           "permission GroupMember.Read.All" in message
    assert "grant GroupMember.Read.All to the credential in env var GRAPH_GROUPS_TOKEN" in message
    assert "/transitiveMembers/microsoft.graph.user/$count" in message and TOKEN not in message
    assert not [t for t in threading.enumerate() if t.name.startswith("entra-groups")]


def test_offline_export_with_saved_counts_matches_the_live_read(httpserver: HTTPServer,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    Graph(httpserver)
    live = entra(httpserver, monkeypatch).collect()
    export = tmp_path / "entra"
    (export / "appRoleAssignedTo").mkdir(parents=True)
    (export / "groupMemberCount").mkdir()
    principals = [{"id": app_id, "appId": f"app-{app_id}", "displayName": name, "servicePrincipalType":
                   "Application", "appOwnerOrganizationId": "other-tenant"} for app_id, name in APPS.items()]
    (export / "servicePrincipals.json").write_text(json.dumps({"value": principals}), encoding="utf-8")
    for app_id in APPS:
        (export / "appRoleAssignedTo" / f"{app_id}.json").write_text(json.dumps(assignment_page(app_id)),
                                                                     encoding="utf-8")
    for group_id, answer in COUNTS.items():  # the $count answers saved as they came, byte-order mark included
        (export / "groupMemberCount" / f"{group_id}.json").write_text(answer, encoding="utf-8")
    settings = EntraSettings(file=str(export), permission_grants=False)
    offline = EntraConnector(settings, ConnectorContext("entra", tmp_path)).collect()
    assert users(offline) == users(live)
    one_file = tmp_path / "entra.json"
    one_file.write_text(json.dumps({"servicePrincipals": principals,
                                    "appRoleAssignedTo": {a: assignment_page(a) for a in APPS},
                                    "groupMemberCount": {SALES: 40, EVERYONE: 500}}), encoding="utf-8")
    settings = EntraSettings(file=str(one_file), permission_grants=False)
    assert users(EntraConnector(settings, ConnectorContext("entra", tmp_path)).collect()) == users(live)


def test_recorded_export_counts_the_sales_group() -> None:
    settings = EntraSettings(file=".", tenant_id=TENANT)
    inventory = EntraConnector(settings, ConnectorContext("entra", ENTRA)).collect()
    # one direct user (MOD Administrator) + the Sales group's 893 users (Graph docs' $count example)
    assert users(inventory)["dxprovisioning-graphapi-client"] == (894, ("Sales",))
