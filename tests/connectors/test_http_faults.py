"""A misbehaving API over real HTTP: every fault fails the source with a clear error, never a traceback,
never an "ok" source with nothing in it, never a hang."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from okta_server import serve_okta
from pytest_httpserver import HTTPServer
from quick_server import running
from werkzeug import Request, Response

from auditor.config import AuditConfig, load_config
from auditor.result import ScanResult
from auditor.stores.embedded import EmbeddedStore
from connectors.base import ConnectorContext, ConnectorError
from connectors.http import ApiClient, HeaderAuth, LinkHeader, NextLink, RetryPolicy, load_export
from connectors.okta import SECTIONS, OktaConnector, OktaSettings
from connectors.prepare import scan_config

TOKEN = "00faultSECRETtokenVALUE"


@pytest.fixture
def other_server() -> Iterator[HTTPServer]:
    """A second local server: "another origin" (another port)."""
    with running() as server:
        yield server


def client(server: HTTPServer, **kwargs: object) -> ApiClient:
    return ApiClient("okta", server.url_for("/").rstrip("/"), auth=HeaderAuth("SSWS", TOKEN),
                     token_env="OKTA_TOKEN", retry=RetryPolicy(attempts=2, backoff=0.01), **kwargs)  # type: ignore[arg-type]


def read_apps(api: ApiClient) -> list[object]:
    with api:
        return list(api.items("/api/v1/apps", {"limit": 200}, LinkHeader(), label="apps"))


@pytest.mark.parametrize("body", [{}, None, "apps", {"value": []}])
def test_a_body_that_is_not_a_list_fails_instead_of_reading_as_no_apps(httpserver: HTTPServer, body: object) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_json(body)
    with pytest.raises(ConnectorError, match=r"source 'okta': the answer is not a page of items: expected a list "
                                             r"of items at the body"):
        read_apps(client(httpserver))


def test_a_graph_page_without_its_value_list_fails(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1.0/servicePrincipals").respond_with_json({"@odata.context": "x"})
    with client(httpserver) as api, pytest.raises(ConnectorError, match="expected a list of items at value"):
        list(api.items("/v1.0/servicePrincipals", None, NextLink()))


def test_a_redirect_to_another_origin_is_not_used_and_gets_no_token(httpserver: HTTPServer,
                                                                     other_server: HTTPServer) -> None:
    other_server.expect_request("/api/v1/apps").respond_with_json([{"id": "evil", "label": "Not ours"}])
    httpserver.expect_request("/api/v1/apps").respond_with_response(
        Response(status=302, headers={"Location": other_server.url_for("/api/v1/apps")}))
    with pytest.raises(ConnectorError, match="the API redirected to another host; its answer is not used"):
        read_apps(client(httpserver))
    assert [req.headers.get("Authorization") for req, _ in other_server.log] == [None]


def test_a_redirect_loop_fails_the_source(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_response(
        Response(status=302, headers={"Location": "/api/v1/apps"}))
    with pytest.raises(ConnectorError, match="the API redirects without end"):
        read_apps(client(httpserver))


def test_a_broken_gzip_body_fails_the_source(httpserver: HTTPServer) -> None:
    broken = gzip.compress(b'[{"id": "a1"}]')[:-8] + b"garbage!"
    httpserver.expect_request("/api/v1/apps").respond_with_response(
        Response(broken, 200, {"Content-Encoding": "gzip", "Content-Type": "application/json"}))
    with pytest.raises(ConnectorError, match="the answer cannot be decoded"):
        read_apps(client(httpserver))


def test_an_invalid_url_in_a_link_header_fails_the_source(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_json(
        [{"id": "a1"}], headers={"Link": '<http://[::1/api?after=a1>; rel="next"'})
    with pytest.raises(ConnectorError, match="the next-page link is not a valid URL"):
        read_apps(client(httpserver))


def endless_pages(request: Request) -> Response:
    """Every page links to a new next page."""
    after = int(request.args.get("after", "0"))
    return Response(json.dumps([{"id": f"a{after}"}]), 200, content_type="application/json",
                    headers={"Link": f'<{request.base_url}?after={after + 1}>; rel="next"'})


def test_a_pagination_that_never_ends_stops_at_the_page_cap(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_handler(endless_pages)
    with pytest.raises(ConnectorError, match="pagination did not end after 25 pages"):
        read_apps(client(httpserver, max_pages=25))
    assert len(httpserver.log) == 25


def test_a_pagination_past_the_deadline_stops(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_handler(endless_pages)
    with pytest.raises(ConnectorError, match=r"reading took longer than the deadline of 0 s \(0 pages read\)"):
        read_apps(client(httpserver, deadline=0.0))


def test_a_misnamed_export_file_in_a_folder_fails_instead_of_reading_as_empty(tmp_path: Path) -> None:
    (tmp_path / "app.json").write_text('[{"id": "a1"}]', encoding="utf-8")
    with pytest.raises(ConnectorError, match=r"the export folder has no apps.json \(found: app.json\)"):
        load_export("okta", tmp_path, SECTIONS)


def test_an_export_holding_an_object_for_its_list_fails(tmp_path: Path) -> None:
    (tmp_path / "apps.json").write_text('{"apps": {}}', encoding="utf-8")
    with pytest.raises(ConnectorError, match="the export is not a list of items"):
        load_export("okta", tmp_path / "apps.json", SECTIONS)


# --- in a whole scan: the source fails alone and keeps its last good inventory ---------------------------------


def write_project(root: Path, url: str, token_env: str | None) -> Path:
    (root / "landscape.yaml").write_text("tools:\n  - {id: crm, name: Salesforce}\n", encoding="utf-8")
    env = f", token_env: {token_env}" if token_env else ""
    (root / "auditor.yaml").write_text(
        "organization: Acme\nsources:\n  - {name: landscape, type: landscape, path: landscape.yaml}\n"
        f"  - {{name: okta, type: okta, base_url: '{url}', retries: 0, assignments: false{env}}}\n", encoding="utf-8")
    return root / "auditor.yaml"


def good_scan_then(server: HTTPServer, store: EmbeddedStore, config: AuditConfig,
                   body: object) -> tuple[ScanResult, ScanResult]:
    """A saved scan with the recorded Okta apps, then a scan where the apps endpoint answers ``body``."""
    serve_okta(server)
    first = scan_config(config, store)
    store.save(first)
    server.clear()
    server.expect_request("/api/v1/apps").respond_with_json(body)
    return first, scan_config(config, store)


@pytest.mark.parametrize("body", [{}, None])
def test_a_wrong_body_keeps_the_last_inventory_and_nothing_reads_as_removed(
        httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: object) -> None:
    monkeypatch.setenv("OKTA_TOKEN", TOKEN)
    config = load_config(write_project(tmp_path, httpserver.url_for("/"), None))
    with EmbeddedStore("Acme", tmp_path / "s.db") as store:
        first, second = good_scan_then(httpserver, store, config, body)
    okta = second.scan.sources[1]
    assert (okta.status, okta.carried_over_from) == ("failed", first.scan.id)
    assert set(second.graph.tools) == set(first.graph.tools)


def test_one_odd_record_fails_its_source_only(httpserver: HTTPServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_TOKEN", TOKEN)
    config = load_config(write_project(tmp_path, httpserver.url_for("/"), None))
    httpserver.expect_request("/api/v1/apps").respond_with_json(
        [{"id": "0oa1", "name": "slack", "label": "Slack", "status": "ACTIVE", "settings": ["odd"],
          "_links": []}, "a string, not an app"])
    result = scan_config(config)
    statuses = {s.name: (s.status, s.error) for s in result.scan.sources}
    assert statuses["landscape"] == ("ok", None)
    assert "crm" in result.graph.tools
    status, error = statuses["okta"]
    assert status == "failed"
    assert "source 'okta': a record has a shape this connector cannot read (AttributeError" in (error or "")


def test_a_token_from_the_default_variable_is_masked_when_the_api_echoes_it(
        httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_TOKEN", TOKEN + "\n")  # a trailing newline: sent stripped, masked either way
    config = load_config(write_project(tmp_path, httpserver.url_for("/"), None))
    httpserver.expect_request("/api/v1/apps").respond_with_json(
        {"errorSummary": f"Invalid token {TOKEN}"}, status=401)
    result = scan_config(config)
    error = result.scan.sources[1].error or ""
    assert "Invalid token ***" in error and TOKEN not in error


def test_okta_offline_settings_keep_their_defaults() -> None:
    settings = OktaSettings(file="x.json")
    connector = OktaConnector(settings, ConnectorContext("okta", Path(".")))
    assert (connector.settings.max_pages, connector.settings.deadline) == (10_000, 3600.0)


def test_an_empty_answer_where_the_last_scan_had_apps_is_suspect_and_keeps_them(
        httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_TOKEN", TOKEN)
    config = load_config(write_project(tmp_path, httpserver.url_for("/"), None))
    with EmbeddedStore("Acme", tmp_path / "s.db") as store:
        first, second = good_scan_then(httpserver, store, config, [])
        store.save(second)
        third = scan_config(config, store)  # the suspect scan's empty answer is not a "last good" inventory
    okta_tools = len(first.inventories["okta"].tools)
    for later in (second, third):
        okta = later.scan.sources[1]
        assert (okta.status, okta.carried_over_from) == ("suspect", first.scan.id)
        assert okta.error == (f"source 'okta': returned no tools where scan {first.scan.id} had {okta_tools}; that "
                              "scan's inventory is kept (set suspect_if_empty: 0 on the source if it is really "
                              "empty now)")
        assert set(later.graph.tools) == set(first.graph.tools)


def test_an_answer_with_a_lone_surrogate_fails_the_source_naming_the_field(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_data(
        '[{"id": "a1", "label": "Sl\\ud800ack"}]', content_type="application/json")
    with pytest.raises(ConnectorError, match=r"the answer holds a lone surrogate .* at \[0\]\.label"):
        read_apps(client(httpserver))


def test_an_answer_nested_too_deeply_fails_the_source(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_data("[" * 100_000 + "]" * 100_000,
                                                                content_type="application/json")
    with pytest.raises(ConnectorError, match="the answer is nested too deeply to read"):
        read_apps(client(httpserver))


def test_an_answer_sent_a_byte_at_a_time_stops_at_the_deadline(threaded_server: HTTPServer) -> None:
    def drip(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b"["
            for _ in range(200):
                time.sleep(0.05)
                yield b" "
            yield b"]"
        return Response(body(), 200, content_type="application/json")

    threaded_server.expect_request("/api/v1/apps").respond_with_handler(drip)
    with pytest.raises(ConnectorError, match=r"deadline of 0.5 s \(an answer still arriving\)"):
        read_apps(client(threaded_server, deadline=0.5))
