"""The backstage connector: catalog-info files, the by-query REST API over real HTTP, and exports."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Response

from auditor.errors import InputError
from auditor.model import Inventory
from connectors.backstage import BackstageConnector, BackstageSettings, parse_ref
from connectors.base import ConnectorContext, ConnectorError
from connectors.registry import load

DATA = Path(__file__).parent.parent / "data" / "backstage"
CATALOG = DATA / "catalog"
BY_QUERY = "/api/catalog/entities/by-query"

TOOLS = {
    ("Artist Engagement Portal", "system:default/artist-engagement-portal", "team-a", None),
    ("artist-lookup", "component:default/artist-lookup", "team-a", None),
    ("artists-db", "resource:default/artists-db", "team-a", "database"),
    ("wayback-archive", "component:default/wayback-archive", "team-a", None),
    ("wayback-search", "component:default/wayback-search", "team-a", None),
    ("playback-order", "component:default/playback-order", "guest", None),
}
LINKS = {
    ("artist-lookup", "artists-db", (), True),
    ("wayback-archive", "wayback-search", ("wayback-archive",), False),
}


def connector(base: Path = DATA, **settings: Any) -> BackstageConnector:
    settings.setdefault("retries", 1)
    return BackstageConnector(BackstageSettings(**settings), ConnectorContext("backstage", base))


def tools(inventory: Inventory) -> set[tuple[str, str | None, str | None, str | None]]:
    return {(t.name, t.provenance.source_id, t.owner, t.hints.get("category")) for t in inventory.tools}


def links(inventory: Inventory) -> set[tuple[str, str, tuple[str, ...], bool]]:
    return {(i.source, i.target, i.data, i.bidirectional) for i in inventory.integrations}


def api_entities() -> list[dict[str, Any]]:
    """The catalog descriptors as the catalog API returns them (namespace and uid filled in)."""
    entities = []
    for file in sorted(CATALOG.glob("*.yaml")):
        for number, document in enumerate(yaml.safe_load_all(file.read_text(encoding="utf-8"))):
            if document and document["kind"] in ("Component", "System", "Resource", "API", "Group"):
                metadata = {"namespace": "default", "uid": f"{file.stem}-{number}", **document["metadata"]}
                entities.append({**document, "metadata": metadata})
    return entities


def test_registered_as_an_official_inventory() -> None:
    assert load("backstage") is BackstageConnector and BackstageConnector.sanctioned is True


def test_catalog_files_give_tools_owners_and_integrations() -> None:
    inventory = connector(path="catalog").collect()
    assert tools(inventory) == TOOLS
    assert links(inventory) == LINKS
    team = {t.name: t.departments for t in inventory.tools}
    assert team["artist-lookup"] == ("team-a",) and team["playback-order"] == ()  # a user owns it, not a group
    lookup = next(t for t in inventory.tools if t.name == "artist-lookup")
    assert lookup.provenance.file and lookup.provenance.file.endswith("artist-lookup-component.yaml")
    assert lookup.provenance.line == 1
    assert lookup.hints["backstage_type"] == "service"
    assert lookup.hints["backstage_system"] == "artist-engagement-portal"


def test_by_query_api_with_cursor_pagination(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKSTAGE_TEST_TOKEN", "backstage-static-token-1234")
    entities = api_entities()
    half = len(entities) // 2
    httpserver.expect_request(BY_QUERY, query_string="filter=kind%3Dcomponent&filter=kind%3Dsystem&filter=kind"
                              "%3Dresource&filter=kind%3Dapi&filter=kind%3Dgroup&limit=5").respond_with_json(
        {"items": entities[:half], "totalItems": len(entities), "pageInfo": {"nextCursor": "eyJwYWdlIjoyfQ=="}})
    httpserver.expect_request(BY_QUERY, query_string={"limit": "5", "cursor": "eyJwYWdlIjoyfQ=="}).respond_with_json(
        {"items": entities[half:], "totalItems": len(entities), "pageInfo": {"prevCursor": "eyJwYWdlIjoxfQ=="}})
    inventory = connector(base_url=httpserver.url_for("/"), token_env="BACKSTAGE_TEST_TOKEN", page_size=5).collect()
    assert tools(inventory) == TOOLS and links(inventory) == LINKS
    assert len(httpserver.log) == 2
    assert {r.headers["Authorization"] for r, _ in httpserver.log} == {"Bearer backstage-static-token-1234"}


def test_relations_of_api_answers_count_like_spec_fields(tmp_path: Path) -> None:
    entities = api_entities()
    for entity in entities:  # the API also answers with relations; drop the spec fields to rely on them
        spec = entity.get("spec", {})
        if (entity["kind"], entity["metadata"]["name"]) == ("Component", "wayback-search"):
            spec.pop("consumesApis")
            entity["relations"] = [{"type": "consumesApi", "targetRef": "api:default/wayback-archive"}]
    (tmp_path / "entities.json").write_text(json.dumps({"items": entities}), encoding="utf-8")
    assert links(connector(tmp_path, file="entities.json").collect()) == LINKS


def test_group_by_system_folds_components_into_their_system() -> None:
    inventory = connector(path="catalog", group_by_system=True).collect()
    assert {t.name for t in inventory.tools} == {"Artist Engagement Portal", "wayback-archive", "wayback-search",
                                                 "playback-order"}
    assert links(inventory) == {("wayback-archive", "wayback-search", ("wayback-archive",), False)}


def test_group_display_name_is_the_department(tmp_path: Path) -> None:
    (tmp_path / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: growth}\n"
        "spec: {type: team, profile: {displayName: Growth Marketing}, children: []}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: lead-router, title: Lead Router}\n"
        "spec: {type: service, lifecycle: production, owner: 'group:default/growth'}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: old-cms}\n"
        "spec: {type: website, lifecycle: deprecated, owner: growth}\n", encoding="utf-8")
    [tool] = connector(tmp_path, path="catalog-info.yaml").collect().tools
    assert (tool.name, tool.owner, tool.departments) == ("Lead Router", "Growth Marketing", ("Growth Marketing",))
    assert len(connector(tmp_path, path="catalog-info.yaml", include_deprecated=True).collect().tools) == 2


def test_broken_catalog_file_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((CATALOG / "artists-db-resource.yaml").read_text(), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("kind: Component\nmetadata:\n  name: [unclosed\n", encoding="utf-8")
    (tmp_path / "odd.yaml").write_text("---\n- just\n- a list\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        connector(tmp_path, path=".").collect()
    text = str(caught.value)
    assert "bad.yaml:" in text and "odd.yaml:2: not a Backstage entity" in text


def test_settings_must_name_exactly_one_input() -> None:
    with pytest.raises(ConnectorError, match="set exactly one of 'path', 'base_url' and 'file'"):
        connector().collect()
    with pytest.raises(ConnectorError, match=r"\(got path, base_url\)"):
        connector(path="catalog", base_url="https://backstage.example.com").collect()
    with pytest.raises(ConnectorError, match="catalog file not found"):
        connector(path="missing").collect()


def test_unauthorised_catalog_api_is_a_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(BY_QUERY).respond_with_json(
        {"error": {"name": "AuthenticationError", "message": "Missing credentials"}}, status=401)
    with pytest.raises(ConnectorError, match=r"the API wants a credential \(HTTP 401: Missing credentials\)"):
        connector(base_url=httpserver.url_for("/")).collect()


@pytest.mark.parametrize(("ref", "expected"), [
    ("resource:artists-db", ("resource", "default", "artists-db")),
    ("group:default/team-a", ("group", "default", "team-a")),
    ("user:guest", ("user", "default", "guest")),
    ("team-a", ("group", "default", "team-a")),
    ({"kind": "Group", "namespace": "ops", "name": "SRE"}, ("group", "ops", "sre")),
    ("", None),
])
def test_entity_references(ref: Any, expected: tuple[str, str, str] | None) -> None:
    assert parse_ref(ref, "group") == expected


def test_a_catalog_that_never_answers_times_out_clearly(threaded_server: HTTPServer) -> None:
    def slow(request: Any) -> Response:
        time.sleep(1.5)
        return Response('{"items": []}', 200, content_type="application/json")

    threaded_server.expect_request(BY_QUERY).respond_with_handler(slow)
    with pytest.raises(ConnectorError) as caught:
        connector(base_url=threaded_server.url_for("/"), timeout=0.1, retries=1).collect()  # answers come after 1.5 s
    assert "no answer within 0.1 s (2 attempts)" in str(caught.value)
    assert str(caught.value.where).startswith(threaded_server.url_for(BY_QUERY))
