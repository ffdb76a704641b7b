"""The okta connector over real HTTP (recorded Okta pages), offline exports, and a failing Okta in a scan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from okta_server import OKTA, recorded, serve_okta, with_embedded_groups
from pytest_httpserver import HTTPServer
from werkzeug import Response

from auditor.cli import main
from auditor.config import load_config
from auditor.model import Inventory
from auditor.stores.embedded import EmbeddedStore
from connectors.base import ConnectorContext, ConnectorError
from connectors.okta import OktaConnector, OktaPages, OktaSettings
from connectors.prepare import scan_config
from connectors.registry import load

TOKEN = "00okta-test-token-value-1234"
THIRD_PARTY = {
    ("PaginationTestApp0", "0oas3jx6d5eOkemFd5d7"),
    ("AddBookmarkApp", "0oasf86d7hw9MMcnd4x6"),
    ("AddBookmarkApp", "0oasfbqxfgTBcNop34x6"),
}


def connector(tmp_path: Path = OKTA, **settings: Any) -> OktaConnector:
    settings.setdefault("retries", 2)
    return OktaConnector(OktaSettings(**settings), ConnectorContext("okta", tmp_path))


def rows(inventory: Inventory) -> set[tuple[str, str | None, int | None, tuple[str, ...]]]:
    return {(t.name, t.provenance.source_id, t.users, t.departments) for t in inventory.tools}


@pytest.fixture
def okta_token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OKTA_TEST_TOKEN", TOKEN)
    return TOKEN


def test_registered_as_a_discovery_source() -> None:
    cls = load("okta")
    assert cls is OktaConnector and cls.sanctioned is False


def test_reads_every_page_skips_oktas_own_apps_and_counts_users(httpserver: HTTPServer, okta_token: str) -> None:
    serve_okta(httpserver)
    inventory = connector(base_url=httpserver.url_for("/"), token_env="OKTA_TEST_TOKEN").collect()
    assert rows(inventory) == {
        ("PaginationTestApp0", "0oas3jx6d5eOkemFd5d7", 0, ()),
        ("AddBookmarkApp", "0oasf86d7hw9MMcnd4x6", 2, ()),
        ("AddBookmarkApp", "0oasfbqxfgTBcNop34x6", 0, ("Group-Target-Test", "Group-Target-Test-2")),
    }
    assert all(t.provenance.source == "okta" and t.provenance.type == "okta" and not t.provenance.sanctioned
               for t in inventory.tools)
    assert {t.domains for t in inventory.tools} == {("example.com",)}
    assert all(t.hints["okta_app_name"] == "bookmark" for t in inventory.tools)
    apps_requests = [r for r, _ in httpserver.log if r.path == "/api/v1/apps"]
    assert len(apps_requests) == 3  # three pages followed by their Link headers
    assert {r.headers["Authorization"] for r, _ in httpserver.log} == {f"SSWS {TOKEN}"}
    # Okta's own apps are never asked for their users
    assert not any(r.path.startswith("/api/v1/apps/0oanwlw0") for r, _ in httpserver.log)


def test_offline_folder_export_gives_the_same_apps(tmp_path: Path) -> None:
    inventory = connector(file=str(OKTA)).collect()
    assert {(t.name, t.provenance.source_id) for t in inventory.tools} == THIRD_PARTY
    assert rows(inventory) >= {("AddBookmarkApp", "0oasf86d7hw9MMcnd4x6", 2, ()),
                               ("AddBookmarkApp", "0oasfbqxfgTBcNop34x6", None,
                                ("Group-Target-Test", "Group-Target-Test-2"))}
    assert connector(file=str(OKTA)).is_local()


def test_offline_single_file_export_of_the_apps_list(tmp_path: Path) -> None:
    export = tmp_path / "okta-apps.json"
    export.write_text(json.dumps(recorded("apps.json") + recorded("apps-page2.json")), encoding="utf-8")
    inventory = connector(tmp_path, file="okta-apps.json").collect()
    assert {t.name for t in inventory.tools} == {"PaginationTestApp0", "AddBookmarkApp"}
    assert all(t.users is None for t in inventory.tools)  # no assignments exported: unknown, not zero


def test_department_groups_pattern_picks_and_renames_groups(httpserver: HTTPServer, okta_token: str) -> None:
    serve_okta(httpserver)
    inventory = connector(base_url=httpserver.url_for("/"), token_env="OKTA_TEST_TOKEN",
                          department_groups=r"^Group-Target-Test-(\d+)$").collect()
    assert {t.departments for t in inventory.tools} == {(), ("2",)}


def test_sso_integrations_link_okta_to_each_app(tmp_path: Path) -> None:
    inventory = connector(file=str(OKTA), sso_integrations=True).collect()
    assert {(i.source, i.target, i.kind) for i in inventory.integrations} == {
        ("Okta", "PaginationTestApp0", "sso"), ("Okta", "AddBookmarkApp", "sso")}
    assert "Okta" in {t.name for t in inventory.tools}


def test_inactive_apps_are_skipped_unless_asked(tmp_path: Path) -> None:
    apps = recorded("apps-page2.json")
    apps[0] = {**apps[0], "status": "INACTIVE"}
    (tmp_path / "apps.json").write_text(json.dumps(apps), encoding="utf-8")
    assert {t.name for t in connector(tmp_path, file="apps.json").collect().tools} == {"AddBookmarkApp"}
    assert len(connector(tmp_path, file="apps.json", include_inactive=True).collect().tools) == 2


def test_rate_limited_assignment_page_is_retried(httpserver: HTTPServer, okta_token: str) -> None:
    answers = [Response(json.dumps({"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit"}),
                        429, {"Retry-After": "0"}, content_type="application/json"),
               Response(json.dumps(recorded("app_users/0oasf86d7hw9MMcnd4x6.json")), 200,
                        content_type="application/json")]
    httpserver.expect_request("/api/v1/apps").respond_with_json(recorded("apps-page2.json")[1:])
    httpserver.expect_request("/api/v1/apps/0oasf86d7hw9MMcnd4x6/users").respond_with_handler(
        lambda request: answers.pop(0))
    httpserver.expect_request("/api/v1/apps/0oasf86d7hw9MMcnd4x6/groups").respond_with_json([])
    inventory = connector(base_url=httpserver.url_for("/"), token_env="OKTA_TEST_TOKEN").collect()
    assert rows(inventory) == {("AddBookmarkApp", "0oasf86d7hw9MMcnd4x6", 2, ())}
    assert answers == []


def test_missing_token_variable_and_missing_org_are_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OKTA_NOT_SET", raising=False)
    with pytest.raises(ConnectorError, match="environment variable OKTA_NOT_SET is not set"):
        connector(base_url="https://acme.okta.com", token_env="OKTA_NOT_SET").get()
    with pytest.raises(ConnectorError, match="no Okta org given"):
        connector().get()


def test_bad_department_pattern_is_a_clear_error() -> None:
    with pytest.raises(ConnectorError, match="department_groups"):
        connector(file=str(OKTA), department_groups="(unclosed").collect()


def test_embedded_group_names_win_over_the_groups_list() -> None:
    raw: OktaPages = {"apps": recorded("apps-page3.json"),
                      "app_groups": {"0oasfbqxfgTBcNop34x6": with_embedded_groups(recorded(
                          "app_groups/0oasfbqxfgTBcNop34x6.json"))}}
    assert rows(connector().transform(raw)) == {
        ("AddBookmarkApp", "0oasfbqxfgTBcNop34x6", None, ("Group-Target-Test", "Group-Target-Test-2"))}


# --- a failing Okta inside a whole scan ------------------------------------------------------------

LANDSCAPE = "tools:\n  - {id: crm, name: Salesforce, category: crm, departments: [Sales]}\n"


def write_project(root: Path, okta_url: str) -> Path:
    (root / "landscape.yaml").write_text(LANDSCAPE, encoding="utf-8")
    config = root / "auditor.yaml"
    config.write_text(
        "organization: Acme\nsources:\n"
        "  - {name: landscape, type: landscape, path: landscape.yaml}\n"
        f"  - {{name: okta, type: okta, base_url: '{okta_url}', token_env: OKTA_TEST_TOKEN, retries: 1}}\n",
        encoding="utf-8")
    return config


def expire_token(server: HTTPServer) -> None:
    server.clear()
    server.expect_request("/api/v1/apps").respond_with_json(
        {"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorLink": "E0000011",
         "errorId": "oaeXXXXXXXXXXXXXXXX", "errorCauses": []}, status=401)


def test_expired_token_fails_only_okta_and_keeps_its_last_inventory(httpserver: HTTPServer, okta_token: str,
                                                                   tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, httpserver.url_for("/")))
    store = EmbeddedStore("Acme", tmp_path / "store" / "auditor.db")
    with store:
        serve_okta(httpserver)
        first = scan_config(config, store)
        store.save(first)
        assert [s.status for s in first.scan.sources] == ["ok", "ok"]
        expire_token(httpserver)
        second = scan_config(config, store)
    landscape, okta = second.scan.sources
    assert (landscape.name, landscape.status, landscape.tools) == ("landscape", "ok", 1)
    assert (okta.name, okta.status, okta.carried_over_from) == ("okta", "failed", first.scan.id)
    assert okta.error is not None and TOKEN not in okta.error
    assert "source 'okta': token expired or invalid: set env var OKTA_TEST_TOKEN" in okta.error
    assert f"{httpserver.url_for('/api/v1/apps')}?limit=200" in okta.error
    # nothing Okta reported before is treated as removed
    assert {t.provenance.source_id for t in second.inventories["okta"].tools} == {s for _, s in THIRD_PARTY}


def test_strict_scan_exits_3_when_okta_fails(httpserver: HTTPServer, okta_token: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = write_project(tmp_path, httpserver.url_for("/"))
    expire_token(httpserver)
    runner = CliRunner()
    lenient = runner.invoke(main, ["scan", "-c", str(config), "--out", "out", "--no-save"])
    assert lenient.exit_code == 0, lenient.output
    output = " ".join(lenient.output.split())  # the console wraps long lines
    assert "source failed: source 'okta': token expired or invalid: set env var OKTA_TEST_TOKEN" in output
    assert "[yellow]" not in output
    assert TOKEN not in output
    strict = runner.invoke(main, ["scan", "-c", str(config), "--out", "out", "--no-save", "--strict"])
    assert strict.exit_code == 3
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    statuses = {s["name"]: s["status"] for s in report["scan"]["sources"]}
    assert statuses == {"landscape": "ok", "okta": "failed"}
    assert [t["name"] for t in report["tools"]] == ["Salesforce"]


def test_scan_on_a_terminal_shows_pages_read_per_endpoint(httpserver: HTTPServer, okta_token: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console
    from rich.progress import Progress, TaskID

    import auditor.cli.progress as progress_module
    import auditor.cli.scan as scan_command

    shown: list[str] = []

    class Recording(Progress):
        def update(self, task_id: TaskID, **fields: Any) -> None:
            if fields.get("description"):
                shown.append(str(fields["description"]))
            super().update(task_id, **fields)

    terminal = Console(file=io.StringIO(), force_terminal=True, width=200)
    monkeypatch.setattr(scan_command, "err_console", terminal)
    monkeypatch.setattr(progress_module, "terminal_progress", lambda console: Recording(console=console))
    monkeypatch.chdir(tmp_path)
    serve_okta(httpserver)
    config = write_project(tmp_path, httpserver.url_for("/"))
    result = CliRunner().invoke(main, ["scan", "-c", str(config), "--out", "out", "--no-save"])
    assert result.exit_code == 0, result.output
    assert "reading source okta…" in shown
    assert "okta: apps — 3 pages, 5 items" in shown
    assert "okta: users of 0oasf86d7hw9MMcnd4x6 — 1 pages, 2 items" in shown
