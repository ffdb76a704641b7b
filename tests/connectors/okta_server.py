"""Serve the recorded Okta pages (tests/data/okta) from a local pytest-httpserver, as Okta would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Response

OKTA = Path(__file__).parent.parent / "data" / "okta"
APP_PAGES = ("apps.json", "apps-page2.json", "apps-page3.json")


def recorded(name: str) -> Any:
    """A recorded body from tests/data/okta/."""
    return json.loads((OKTA / name).read_text(encoding="utf-8"))


def with_embedded_groups(assignments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The recorded app-groups page as ``?expand=group`` returns it (group profile embedded)."""
    profiles = {g["id"]: g for g in recorded("groups.json")}
    return [{**a, "_embedded": {"group": profiles[a["id"]]}} for a in assignments]


def serve_okta(server: HTTPServer) -> None:
    """Apps over three pages linked with ``Link: rel="next"``; users and groups of every app."""
    base = server.url_for("/api/v1/apps")
    after = None
    apps: list[dict[str, Any]] = []
    for number, name in enumerate(APP_PAGES):
        page = recorded(name)
        apps.extend(page)
        query = "limit=200" if after is None else f"after={after}&limit=200"
        headers = [("Link", f'<{base}?{query}>; rel="self"')]  # two Link headers, as Okta sends them
        if number + 1 < len(APP_PAGES):
            headers.append(("Link", f'<{base}?after={page[-1]["id"]}&limit=200>; rel="next"'))
        server.expect_request("/api/v1/apps", query_string=query).respond_with_response(
            Response(json.dumps(page), 200, headers, content_type="application/json"))
        after = page[-1]["id"]
    users = {"0oasf86d7hw9MMcnd4x6": recorded("app_users/0oasf86d7hw9MMcnd4x6.json")}
    groups = {"0oasfbqxfgTBcNop34x6": with_embedded_groups(recorded("app_groups/0oasfbqxfgTBcNop34x6.json"))}
    for app in apps:
        server.expect_request(f"/api/v1/apps/{app['id']}/users").respond_with_json(users.get(app["id"], []))
        server.expect_request(f"/api/v1/apps/{app['id']}/groups").respond_with_json(groups.get(app["id"], []))
