"""Serve the Graph pages of tests/data/entra from a local pytest-httpserver (token endpoint included)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

ENTRA = Path(__file__).parent.parent / "data" / "entra"
TENANT = "84841066-274d-4ec0-a5c1-276be684bdd3"
ACCESS_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.graph-test-access-token"
SP_PAGES = ("servicePrincipals.json", "servicePrincipals-page2.json", "servicePrincipals-page3.json")
SP_PATH = "/v1.0/servicePrincipals"


def recorded(name: str) -> Any:
    """A body from tests/data/entra/."""
    return json.loads((ENTRA / name).read_text(encoding="utf-8"))


def serve_token(server: HTTPServer) -> None:
    """The identity platform's token endpoint answering the client-credentials grant."""
    server.expect_request(f"/{TENANT}/oauth2/v2.0/token", method="POST").respond_with_json(
        {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": ACCESS_TOKEN})


def serve_graph(server: HTTPServer) -> None:
    """Service principals over three pages (``$skiptoken``), assignments over two, the assigned group's
    user count (plain text), grants, sign-ins."""
    base = server.url_for(SP_PATH)
    for number, name in enumerate(SP_PAGES):
        page = dict(recorded(name))
        if number + 1 < len(SP_PAGES):
            page["@odata.nextLink"] = f"{base}?$top=999&$skiptoken=page{number + 2}"
        query = {"$top": "999"} if number == 0 else {"$top": "999", "$skiptoken": f"page{number + 1}"}
        server.expect_request(SP_PATH, query_string=query).respond_with_json(page)
    assigned = "/v1.0/servicePrincipals/8e881353-1735-45af-af21-ee1344582a4d/appRoleAssignedTo"
    first = dict(recorded("appRoleAssignedTo/8e881353-1735-45af-af21-ee1344582a4d.json"))
    first["@odata.nextLink"] = server.url_for(assigned) + "?$top=999&$skiptoken=a2"
    server.expect_request(assigned, query_string={"$top": "999"}).respond_with_json(first)
    server.expect_request(assigned, query_string={"$top": "999", "$skiptoken": "a2"}).respond_with_json(
        recorded("appRoleAssignedTo/8e881353-1735-45af-af21-ee1344582a4d-page2.json"))
    server.expect_request("/v1.0/oauth2PermissionGrants").respond_with_json(recorded("oauth2PermissionGrants.json"))
    server.expect_request("/beta/reports/servicePrincipalSignInActivities").respond_with_json(
        recorded("signInActivities.json"))
    sales = "/v1.0/groups/a2f4b7a0-0000-4000-8000-00000000c0de/transitiveMembers/microsoft.graph.user/$count"
    server.expect_request(sales, headers={"ConsistencyLevel": "eventual"}).respond_with_data(
        (ENTRA / "groupMemberCount" / "a2f4b7a0-0000-4000-8000-00000000c0de.json").read_bytes(),
        content_type="text/plain")
    # every other app has no assignment
    server.expect_request(f"{SP_PATH}/59e617e5-e447-4adc-8b88-00af644d7c92/appRoleAssignedTo").respond_with_json(
        {"value": []})
    server.expect_request(f"{SP_PATH}/263a5b01-03e5-408e-8557-bab681df104c/appRoleAssignedTo").respond_with_json(
        {"value": []})
