"""The Neo4j store when things go wrong: a killed sync, a crashed server, memory limits, no server."""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from neo4j_server import (
    Neo4jTarget,
    Neo4jTestServer,
    drop_organization,
    dump_graph,
    free_port,
    release_lease_by_hand,
)
from test_neo4j_store import demo_result, document, org, without_tool

from auditor.cli import main
from auditor.graph import LandscapeGraph
from auditor.model import Integration, Scan, SourceStatus, Tool
from auditor.result import ScanResult
from auditor.stores.base import StoreError
from auditor.stores.neo4j import Neo4jStore, open_neo4j_store
from auditor.stores.neo4j.lease import LeaseHeld

pytestmark = pytest.mark.neo4j

S2 = ("20261108T070000Z-0002", "2026-11-08T07:00:00+00:00")
OWN_PASSWORD = "test pw with 'quotes' and ✓"

CHILD = textwrap.dedent("""
    import pickle, sys
    from auditor.stores.neo4j import Neo4jStore
    with open(sys.argv[1], "rb") as handle:
        result, uri = pickle.load(handle)
    def progress(event, detail):
        print(event, detail, flush=True)
    store = Neo4jStore(result.scan.organization, uri, batch_size=2, max_batch=2, progress=progress)
    store.save(result)
    print("DONE", flush=True)
""")


def two_scans(organization: str) -> tuple[ScanResult, ScanResult]:
    """The demo company, then the same company a week later with one integrated tool gone."""
    first = demo_result(organization)
    second = without_tool(first, next(i.source for i in first.graph.integrations), *S2)
    return first, second


def clean_run(store: Neo4jStore, target: Neo4jTarget, first: ScanResult, second: ScanResult) -> Any:
    """The graph after saving both scans without interruption; the organization is emptied afterwards."""
    store.save(first)
    store.save(second)
    graph = dump_graph(target, store.organization)
    drop_organization(target, store.organization)
    return graph


@pytest.mark.parametrize("kill_after", [3, 120])
def test_a_sync_killed_midway_keeps_the_previous_scan_and_a_rerun_converges(
        kill_after: int, neo4j_store: Any, neo4j_server: Neo4jTarget, tmp_path: Path) -> None:
    organization = org("Killed")
    first, second = two_scans(organization)
    store = neo4j_store(organization)
    expected = clean_run(store, neo4j_server, first, second)

    store.save(first)
    job = tmp_path / "job.pickle"
    job.write_bytes(pickle.dumps((second, neo4j_server.uri)))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(job)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    batches = 0
    for line in child.stdout:
        batches += line.startswith("batch ")
        assert not line.startswith("DONE"), "the sync finished before it could be killed"
        if batches == kill_after:
            child.send_signal(signal.SIGKILL)
            break
    assert child.wait(timeout=30) == -signal.SIGKILL

    # the interrupted sync left the previous scan whole and is not listed as a scan
    assert [s.id for s in store.scans()] == [first.scan.id]
    assert store.state()["syncing_scan"] == second.scan.id
    assert document(store.load("latest")) == document(first)
    # the killed run still holds the sync lease: a rerun writes nothing until it expires or is released
    with pytest.raises(LeaseHeld, match=rf"\(pid {child.pid}\), since .* expires at "):
        store.save(second)
    assert [s.id for s in store.scans()] == [first.scan.id]
    release_lease_by_hand(neo4j_server, organization)
    # running the same scan again converges to the graph of an uninterrupted run
    store.save(second)
    assert dump_graph(neo4j_server, organization) == expected
    assert document(store.load("latest")) == document(second)


def big_result(organization: str, tools: int = 1000) -> ScanResult:
    """Many tools with long names and ten integrations each: batches of thousands need real memory."""
    items = [Tool(id=f"tool-{i:05d}", name=f"Tool {i:05d} " + "x" * 200, category="crm", layers=("data",),
                  departments=("Sales",), sources=("inventory",)) for i in range(tools)]
    integrations = [Integration(f"tool-{i:05d}", f"tool-{(i + k) % tools:05d}", "api", data=("customer",) * 5)
                    for i in range(tools) for k in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89)]
    scan = Scan("20261101T070000Z-big1", organization, "2026-11-01T07:00:00+00:00", "2026-11-01T07:00:01+00:00",
                (SourceStatus("inventory", "landscape", "ok", tools=tools),))
    return ScanResult(scan, LandscapeGraph.build(items, integrations, [], organization), [])


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jTestServer]:
    """A second test server of our own (it gets killed), with a 16 MiB per-transaction memory limit and
    authentication on."""
    server = Neo4jTestServer(tmp_path_factory.mktemp("neo4j-own"), conf=("db.memory.transaction.max=16m",),
                             password=OWN_PASSWORD)
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(f"the second Neo4j test server did not start: {exc}")
    yield server
    server.stop()


def test_batches_too_large_for_the_server_memory_limit_are_split(own_server: Neo4jTestServer) -> None:
    organization = org("Memory")
    result = big_result(organization)
    with Neo4jStore(organization, own_server.uri, password=OWN_PASSWORD, batch_size=20000) as store:
        store.save(result)
        stats = store.last_stats
        assert stats is not None and stats.splits > 0
        assert document(store.load_graph(result.scan.id)) == document(result)


def test_a_server_crash_mid_sync_is_a_store_error_and_a_rerun_after_restart_converges(
        own_server: Neo4jTestServer) -> None:
    organization = org("Crash")
    first, second = two_scans(organization)
    target = own_server.target()
    with Neo4jStore(organization, own_server.uri, password=OWN_PASSWORD) as store:
        expected = clean_run(store, target, first, second)
        store.save(first)

    batches = 0

    def crash_after_some_batches(event: str, detail: str) -> None:
        nonlocal batches
        batches += event == "batch"
        if batches == 10:
            own_server.kill()

    crashing = Neo4jStore(organization, own_server.uri, password=OWN_PASSWORD, batch_size=2, max_batch=2,
                          max_retry_time=2, progress=crash_after_some_batches)
    with pytest.raises(StoreError, match="Neo4j"):
        crashing.save(second)
    crashing.close()

    own_server.start()
    target = own_server.target()
    with Neo4jStore(organization, own_server.uri, password=OWN_PASSWORD) as store:
        assert [s.id for s in store.scans()] == [first.scan.id]
        assert document(store.load("latest")) == document(first)
        # the crashed sync could not release its lease (the server was gone): it holds until released or expired
        assert store.state()["sync_holder"] is not None
        release_lease_by_hand(target, organization)
        store.save(second)
        assert dump_graph(target, organization) == expected


def test_a_server_restart_during_a_sync_is_retried_and_the_sync_completes(own_server: Neo4jTestServer) -> None:
    organization = org("Restart")
    first, second = two_scans(organization)
    target = own_server.target()
    with Neo4jStore(organization, own_server.uri, password=OWN_PASSWORD) as store:
        expected = clean_run(store, target, first, second)
        store.save(first)
    restarted: list[threading.Thread] = []
    batches = 0

    def restart_after_some_batches(event: str, detail: str) -> None:
        nonlocal batches
        batches += event == "batch"
        if batches == 10 and not restarted:
            own_server.kill()
            thread = threading.Thread(target=own_server.start, kwargs={"port": own_server.port})
            thread.start()
            restarted.append(thread)

    with Neo4jStore(organization, own_server.uri, password=OWN_PASSWORD, batch_size=2, max_batch=2, max_retry_time=180,
                    progress=restart_after_some_batches) as store:
        store.save(second)
        restarted[0].join()
        assert store.last_stats is not None and store.last_stats.retries > 0
        assert dump_graph(target, organization) == expected
        assert document(store.load("latest")) == document(second)


def test_wrong_credentials_are_a_clear_store_error(own_server: Neo4jTestServer) -> None:
    with pytest.raises(StoreError, match="refused the credentials of user 'neo4j'") as caught:
        Neo4jStore("Anyone", own_server.uri, password="not the password")
    assert "not the password" not in str(caught.value)


def test_cli_reads_the_password_from_the_variable_named_in_the_config(own_server: Neo4jTestServer, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    organization = org("Auth")
    store = {"type": "neo4j", "uri": own_server.uri, "user": "neo4j", "password_env": "AUDITOR_TEST_NEO4J_PW"}
    config = write_config(tmp_path, store, organization)
    try:
        monkeypatch.setenv("AUDITOR_TEST_NEO4J_PW", OWN_PASSWORD)
        scanned = CliRunner().invoke(main, ["-q", "scan", "-c", str(config), "--out", str(tmp_path / "ok")])
        assert scanned.exit_code == 0, scanned.output
        with Neo4jStore(organization, own_server.uri, password=OWN_PASSWORD) as saved:
            assert len(saved.scans()) == 1
        monkeypatch.setenv("AUDITOR_TEST_NEO4J_PW", "wrong password")
        refused = CliRunner().invoke(main, ["scan", "-c", str(config), "--out", str(tmp_path / "no")])
        assert refused.exit_code == 4
        assert "refused the credentials" in refused.output and "wrong password" not in refused.output
        assert not (tmp_path / "no").exists()
    finally:
        drop_organization(own_server.target(), organization)


def test_an_unreachable_server_is_a_clear_store_error() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match=f"cannot reach Neo4j at {uri}"):
        Neo4jStore("Nobody", uri, connection_timeout=2)


def test_store_options_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITOR_TEST_NO_SUCH_VAR", raising=False)
    with pytest.raises(StoreError, match="AUDITOR_TEST_NO_SUCH_VAR"):
        open_neo4j_store("Org", {"uri": "bolt://127.0.0.1:1", "password_env": "AUDITOR_TEST_NO_SUCH_VAR"})
    with pytest.raises(StoreError, match="unknown neo4j store option.*passwd"):
        open_neo4j_store("Org", {"uri": "bolt://127.0.0.1:1", "passwd": "x"})


def write_config(tmp_path: Path, store: dict[str, Any], organization: str) -> Path:
    """A copy of the starter landscape with a neo4j ``store:`` section."""
    landscape = Path(__file__).resolve().parents[2] / "examples" / "starter" / "landscape.yaml"
    (tmp_path / "landscape.yaml").write_text(landscape.read_text(encoding="utf-8"), encoding="utf-8")
    config = {"organization": organization, "sources": [{"name": "inventory", "type": "landscape",
                                                         "path": "landscape.yaml"}], "store": store}
    path = tmp_path / "auditor.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_cli_with_the_server_down_exits_4_with_the_uri_and_writes_nothing(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    config = write_config(tmp_path, {"type": "neo4j", "uri": uri}, "Down")
    result = CliRunner().invoke(main, ["scan", "-c", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 4
    assert f"cannot reach Neo4j at {uri}" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_scan_report_and_diff_work_from_neo4j(neo4j_server: Neo4jTarget, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    organization = f"CLI-{uuid.uuid4().hex[:8]}"
    store: dict[str, Any] = {"type": "neo4j", "uri": neo4j_server.uri, "user": neo4j_server.user,
                             "database": neo4j_server.database}
    if neo4j_server.password:
        monkeypatch.setenv("AUDITOR_TEST_NEO4J_PASSWORD", neo4j_server.password)
        store["password_env"] = "AUDITOR_TEST_NEO4J_PASSWORD"
    config = write_config(tmp_path, store, organization)
    runner = CliRunner()
    try:
        for _ in range(2):
            scanned = runner.invoke(main, ["-q", "scan", "-c", str(config), "--out", str(tmp_path / "scan")])
            assert scanned.exit_code == 0, scanned.output
        reported = runner.invoke(main, ["-q", "report", "-c", str(config), "--scan", "latest", "-f", "json",
                                        "--out", str(tmp_path / "report")])
        assert reported.exit_code == 0, reported.output
        fresh = yaml.safe_load((tmp_path / "scan" / "report.json").read_text(encoding="utf-8"))
        again = yaml.safe_load((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
        assert again["findings"] == fresh["findings"] and again["tools"] == fresh["tools"]
        diffed = runner.invoke(main, ["-q", "diff", "-c", str(config)])
        assert diffed.exit_code == 0, diffed.output
    finally:
        drop_organization(neo4j_server, organization)
