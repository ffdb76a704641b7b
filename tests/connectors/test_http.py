"""The shared HTTP layer over real HTTP: pagination styles, retries, time-outs, broken pages, clear errors."""

from __future__ import annotations

import json
import ssl
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from quick_server import QuickStopServer, running
from werkzeug import Request, Response

from connectors.base import ConnectorError
from connectors.http import (
    ApiClient,
    Cursor,
    HeaderAuth,
    LinkHeader,
    NextLink,
    PageToken,
    RetryPolicy,
    Section,
    load_export,
    retry_after,
    safe_url,
)

TOKEN = "00abcSECRETtokenVALUE"


def client(server: HTTPServer, retry: RetryPolicy, **kwargs: Any) -> ApiClient:
    return ApiClient("okta-test", server.url_for("/").rstrip("/"), auth=HeaderAuth("SSWS", TOKEN),
                     token_env="OKTA_TOKEN", retry=retry, **kwargs)


def test_link_header_pagination_reads_every_page_in_order(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    base = httpserver.url_for("/api/v1/apps")
    httpserver.expect_request("/api/v1/apps", query_string="limit=2").respond_with_json(
        [{"id": "a1"}, {"id": "a2"}], headers={"Link": f'<{base}?after=a2&limit=2>; rel="next"'})
    httpserver.expect_request("/api/v1/apps", query_string="after=a2&limit=2").respond_with_json(
        [{"id": "a3"}, {"id": "a4"}], headers={"Link": f'<{base}?limit=2>; rel="self", '
                                                        f'<{base}?after=a4&limit=2>; rel="next"'})
    httpserver.expect_request("/api/v1/apps", query_string="after=a4&limit=2").respond_with_json(
        [{"id": "a5"}], headers={"Link": f'<{base}?after=a4&limit=2>; rel="self"'})
    with client(httpserver, quick_retry) as api:
        ids = [app["id"] for app in api.items("/api/v1/apps", {"limit": 2}, LinkHeader())]
    assert ids == ["a1", "a2", "a3", "a4", "a5"]
    assert all(req.headers["Authorization"] == f"SSWS {TOKEN}" for req, _ in httpserver.log)


def test_odata_next_link_cursor_and_page_token_styles(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    graph = httpserver.url_for("/v1.0/servicePrincipals")
    httpserver.expect_request("/v1.0/servicePrincipals", query_string="").respond_with_json(
        {"value": [{"id": "s1"}], "@odata.nextLink": f"{graph}?$skiptoken=X1"})
    httpserver.expect_request("/v1.0/servicePrincipals", query_string="$skiptoken=X1").respond_with_json(
        {"value": [{"id": "s2"}]})
    httpserver.expect_request("/catalog", query_string="filter=kind%3Dcomponent&limit=1").respond_with_json(
        {"items": [{"n": 1}], "pageInfo": {"nextCursor": "c2"}})
    httpserver.expect_request("/catalog", query_string="limit=1&cursor=c2").respond_with_json(
        {"items": [{"n": 2}], "pageInfo": {}})
    httpserver.expect_request("/users", query_string="customer=my_customer").respond_with_json(
        {"users": [{"u": "a"}], "nextPageToken": "T2"})
    httpserver.expect_request("/users", query_string="customer=my_customer&pageToken=T2").respond_with_json(
        {"users": [{"u": "b"}]})
    with client(httpserver, quick_retry) as api:
        assert [s["id"] for s in api.items("/v1.0/servicePrincipals", None, NextLink())] == ["s1", "s2"]
        backstage = Cursor(keep=("limit",))
        assert [e["n"] for e in api.items("/catalog", {"filter": "kind=component", "limit": 1}, backstage)] == [1, 2]
        google = PageToken(items_path=("users",))
        assert [u["u"] for u in api.items("/users", {"customer": "my_customer"}, google)] == ["a", "b"]


def test_airbyte_style_next_url_in_the_body(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    url = httpserver.url_for("/v1/connections")
    httpserver.expect_request("/v1/connections", query_string="limit=1").respond_with_json(
        {"data": [{"c": 1}], "next": f"{url}?limit=1&offset=1"})
    httpserver.expect_request("/v1/connections", query_string="limit=1&offset=1").respond_with_json(
        {"data": [{"c": 2}], "next": ""})
    with client(httpserver, quick_retry) as api:
        items = api.items("/v1/connections", {"limit": 1}, NextLink(("data",), ("next",)))
        assert [c["c"] for c in items] == [1, 2]


def test_429_with_retry_after_waits_as_asked_then_succeeds(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    arrivals: list[float] = []

    def record(status: int, body: Any, headers: dict[str, str]) -> Any:
        def handler(request: Request) -> Response:
            arrivals.append(time.monotonic())
            return Response(json.dumps(body), status, headers, content_type="application/json")
        return handler

    httpserver.expect_ordered_request("/api/v1/apps").respond_with_handler(
        record(429, {"errorSummary": "API call exceeded rate limit"}, {"Retry-After": "1"}))
    httpserver.expect_ordered_request("/api/v1/apps").respond_with_handler(record(200, [{"id": "a1"}], {}))
    with client(httpserver, quick_retry) as api:
        assert api.get_json("/api/v1/apps") == [{"id": "a1"}]
    assert len(arrivals) == 2
    assert arrivals[1] - arrivals[0] >= 0.9  # the server asked for one second; the 10 ms backoff was not used


def test_500_then_success_is_retried(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    httpserver.expect_ordered_request("/api/v1/apps").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/api/v1/apps").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/api/v1/apps").respond_with_json([{"id": "a1"}])
    with client(httpserver, quick_retry) as api:
        assert api.get_json("/api/v1/apps") == [{"id": "a1"}]
    assert len(httpserver.log) == 3


def test_persistent_500_fails_clearly_after_the_attempts(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_json({"errorSummary": "Internal error"}, status=500)
    with client(httpserver, quick_retry) as api, pytest.raises(ConnectorError) as caught:
        api.get_json("/api/v1/apps", {"limit": 5})
    message = str(caught.value)
    assert "source 'okta-test'" in message
    assert "HTTP 500 after 3 attempts: Internal error" in message
    assert "/api/v1/apps?limit=5" in message
    assert len(httpserver.log) == 3


def test_rate_limit_that_never_lifts_says_so(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_data("", status=429, headers={"Retry-After": "0"})
    with client(httpserver, RetryPolicy(attempts=2, backoff=0.01)) as api, pytest.raises(ConnectorError) as caught:
        api.get_json("/api/v1/apps")
    assert "still rate limited after 2 attempts (HTTP 429)" in str(caught.value)


def _slow_then_fast(delays: list[float]) -> Any:
    def handler(request: Request) -> Response:
        time.sleep(delays.pop(0) if delays else 0)
        return Response(json.dumps([{"id": "a1"}]), 200, content_type="application/json")
    return handler


def test_a_timeout_is_retried(threaded_server: HTTPServer, quick_retry: RetryPolicy) -> None:
    slow_then_fast = _slow_then_fast([2.0])
    arrivals: list[str] = []

    def counted(request: Request) -> Response:
        arrivals.append(request.path)
        return slow_then_fast(request)

    threaded_server.expect_request("/api/v1/apps").respond_with_handler(counted)
    # the first answer comes after 2 s, so it times out; 0.3 s is ample for the retry's local answer
    with client(threaded_server, quick_retry, timeout=0.3) as api:
        assert api.get_json("/api/v1/apps") == [{"id": "a1"}]
    assert arrivals == ["/api/v1/apps", "/api/v1/apps"]  # the timed-out request, then the retry


def test_a_server_that_never_answers_in_time_fails_with_a_hint(threaded_server: HTTPServer) -> None:
    threaded_server.expect_request("/api/v1/apps").respond_with_handler(_slow_then_fast([2.0, 2.0]))
    # both answers come after 2 s: any timeout well below that proves the same
    with client(threaded_server, RetryPolicy(attempts=2, backoff=0.01), timeout=0.1) as api:
        with pytest.raises(ConnectorError) as caught:
            api.get_json("/api/v1/apps")
    assert "no answer within 0.1 s (2 attempts)" in str(caught.value)
    assert caught.value.hint and "timeout" in caught.value.hint


def test_malformed_json_page_names_the_url(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    base = httpserver.url_for("/api/v1/apps")
    httpserver.expect_request("/api/v1/apps", query_string="").respond_with_json(
        [{"id": "a1"}], headers={"Link": f'<{base}?after=a1>; rel="next"'})
    httpserver.expect_request("/api/v1/apps", query_string="after=a1").respond_with_data(
        '[{"id": "a2"', content_type="application/json")
    with client(httpserver, quick_retry) as api, pytest.raises(ConnectorError) as caught:
        list(api.items("/api/v1/apps", None, LinkHeader()))
    assert "not valid JSON" in str(caught.value)
    assert caught.value.where == f"{base}?after=a1"


def test_expired_token_401_names_the_env_var_and_never_the_token(httpserver: HTTPServer,
                                                                 quick_retry: RetryPolicy) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_json(
        {"errorCode": "E0000011", "errorSummary": "Invalid token provided"}, status=401)
    with client(httpserver, quick_retry) as api, pytest.raises(ConnectorError) as caught:
        api.get_json("/api/v1/apps")
    message = str(caught.value)
    assert "token expired or invalid: set env var OKTA_TOKEN (HTTP 401: Invalid token provided)" in message
    assert TOKEN not in message and TOKEN not in repr(caught.value.__dict__)
    assert len(httpserver.log) == 1  # a 401 is not retried


def test_403_and_404_say_what_to_check(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    httpserver.expect_request("/forbidden").respond_with_data("", status=403)
    httpserver.expect_request("/missing").respond_with_data("", status=404)
    with client(httpserver, quick_retry) as api:
        with pytest.raises(ConnectorError, match=r"access denied \(HTTP 403\)") as denied:
            api.get_json("/forbidden")
        with pytest.raises(ConnectorError, match=r"not found \(HTTP 404\)") as missing:
            api.get_json("/missing")
    assert "OKTA_TOKEN" in str(denied.value.hint)
    assert "base_url" in str(missing.value.hint)


def test_connection_refused_fails_clearly(quick_retry: RetryPolicy) -> None:
    server = QuickStopServer()
    server.start()
    url = server.url_for("/")
    server.stop()  # nothing listens on that port any more
    with ApiClient("okta-test", url, retry=quick_retry) as api, pytest.raises(ConnectorError) as caught:
        api.get_json("/api/v1/apps")
    assert "cannot reach the API" in str(caught.value)
    assert "base_url" in str(caught.value.hint)


def self_signed_tls(folder: Path) -> ssl.SSLContext:
    """A server-side TLS context for localhost with a certificate nobody signed."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def test_an_api_whose_certificate_nobody_signed_is_refused(tmp_path: Path, quick_retry: RetryPolicy) -> None:
    with running(ssl_context=self_signed_tls(tmp_path)) as server:
        server.expect_request("/api/v1/apps").respond_with_json([{"id": "a1"}])
        assert server.url_for("/").startswith("https://localhost:")
        for _ in range(2):  # every client verifies, also the ones after the first (they share one TLS context)
            with client(server, quick_retry) as api, pytest.raises(ConnectorError) as caught:
                api.get_json("/api/v1/apps")
            assert "cannot reach the API" in str(caught.value) and "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
        assert server.log == []  # no request got through the refused handshake


def test_next_link_to_another_host_is_not_followed(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    httpserver.expect_request("/api/v1/apps").respond_with_json(
        [{"id": "a1"}], headers={"Link": '<https://evil.example.com/steal?access_token=abc>; rel="next"'})
    with client(httpserver, quick_retry) as api, pytest.raises(ConnectorError) as caught:
        list(api.items("/api/v1/apps", None, LinkHeader()))
    assert "another host" in str(caught.value)
    assert caught.value.where == "https://evil.example.com/steal?access_token=***"
    assert len(httpserver.log) == 1


def test_a_next_link_pointing_back_stops_instead_of_looping(httpserver: HTTPServer, quick_retry: RetryPolicy) -> None:
    base = httpserver.url_for("/api/v1/apps")
    httpserver.expect_request("/api/v1/apps").respond_with_json([{"id": "a1"}],
                                                                headers={"Link": f'<{base}>; rel="next"'})
    with client(httpserver, quick_retry) as api, pytest.raises(ConnectorError, match="repeats a page"):
        list(api.items("/api/v1/apps", None, LinkHeader()))


def test_progress_shows_one_task_per_endpoint_and_removes_it(httpserver: HTTPServer,
                                                            quick_retry: RetryPolicy) -> None:
    from rich.console import Console
    from rich.progress import Progress

    httpserver.expect_request("/api/v1/apps").respond_with_json([{"id": "a1"}, {"id": "a2"}])
    progress = Progress(console=Console(file=open("/dev/null", "w"), force_terminal=True))  # noqa: SIM115
    descriptions: list[str] = []
    with progress, client(httpserver, quick_retry, progress=progress) as api:
        for _ in api.pages("/api/v1/apps", None, LinkHeader(), label="apps"):
            descriptions.extend(task.description for task in progress.tasks)
    assert descriptions == ["okta-test: apps — 1 pages, 2 items"]
    assert progress.tasks == []


def test_safe_url_masks_secrets_and_credentials() -> None:
    assert safe_url("https://user:pw@h.example/x?limit=2&api_key=K&client_secret=S&after=a") == \
        "https://h.example/x?limit=2&api_key=***&client_secret=***&after=a"


def test_retry_after_reads_seconds_dates_and_okta_reset() -> None:
    import httpx

    request = httpx.Request("GET", "https://h.example")
    assert retry_after(httpx.Response(429, headers={"Retry-After": "7"}, request=request)) == 7.0
    dated = httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"}, request=request)
    from datetime import UTC, datetime
    assert retry_after(dated, now=datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)) == 10.0
    reset = httpx.Response(429, headers={"X-Rate-Limit-Reset": "1445412490"}, request=request)
    assert retry_after(reset, now=datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)) == 10.0
    assert retry_after(httpx.Response(429, request=request)) is None


SECTIONS = (Section("apps", LinkHeader()), Section("app_users", LinkHeader(), keyed=True))


def test_offline_export_one_file_with_sections_or_a_bare_page(tmp_path: Path) -> None:
    whole = tmp_path / "okta.json"
    whole.write_text(json.dumps({"apps": [[{"id": "a1"}], [{"id": "a2"}]], "app_users": {"a1": [{"id": "u1"}]}}))
    assert load_export("okta", whole, SECTIONS) == {"apps": [{"id": "a1"}, {"id": "a2"}],
                                                     "app_users": {"a1": [{"id": "u1"}]}}
    bare = tmp_path / "apps.json"
    bare.write_text(json.dumps([{"id": "a1"}]))
    assert load_export("okta", bare, SECTIONS) == {"apps": [{"id": "a1"}], "app_users": {}}


def test_offline_export_folder_of_pages_in_page_order(tmp_path: Path) -> None:
    (tmp_path / "app_users").mkdir()
    for name, body in {"apps.json": [{"id": "a1"}], "apps-page2.json": [{"id": "a2"}],
                       "apps-page10.json": [{"id": "a10"}], "app_users/a1.json": [{"id": "u1"}],
                       "app_users/a1-page2.json": [{"id": "u2"}]}.items():
        (tmp_path / name).write_text(json.dumps(body))
    assert load_export("okta", tmp_path, SECTIONS) == {
        "apps": [{"id": "a1"}, {"id": "a2"}, {"id": "a10"}], "app_users": {"a1": [{"id": "u1"}, {"id": "u2"}]}}


def test_offline_export_errors_name_the_file_and_place(tmp_path: Path) -> None:
    broken = tmp_path / "okta.json"
    broken.write_text('{"apps": [\n  {"id": "a1",}\n]}')
    with pytest.raises(ConnectorError) as caught:
        load_export("okta", broken, SECTIONS)
    assert caught.value.where == f"{broken}:2:15"
    with pytest.raises(ConnectorError, match="export not found"):
        load_export("okta", tmp_path / "nope.json", SECTIONS)
    other = tmp_path / "other.json"
    other.write_text('{"something": 1}')
    with pytest.raises(ConnectorError, match="none of the sections"):
        load_export("okta", other, SECTIONS)


def test_a_url_without_scheme_fails_at_once(quick_retry: RetryPolicy) -> None:
    with ApiClient("okta-test", "acme.okta.com", retry=quick_retry) as api, pytest.raises(ConnectorError) as caught:
        api.get_json("/api/v1/apps")
    assert "cannot reach the API (UnsupportedProtocol" in str(caught.value)
