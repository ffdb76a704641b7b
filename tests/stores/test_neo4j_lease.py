"""The sync lease: two syncs of one organization never interleave (against a real Neo4j server).

No test races on sleeps: a sync holds its lease deterministically by waiting in its progress hook
(called after each committed batch, the hook the failure tests use) until the other side is done.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import GraphDatabase
from neo4j_server import Neo4jTarget, drop_organization, dump_graph, release_lease_by_hand
from test_neo4j_failures import two_scans, write_config
from test_neo4j_store import StoreFactory, document, org, without_tool

from auditor.cli import main
from auditor.result import ScanResult
from auditor.stores.neo4j import Neo4jStore
from auditor.stores.neo4j.lease import MANUAL_RELEASE, LeaseHeld, LeaseLost, take_lease

pytestmark = pytest.mark.neo4j

S3 = ("20261108T070000Z-0003", "2026-11-08T07:00:00+00:00")
HOLD_TIMEOUT = 120.0
ROOT = Path(__file__).resolve().parents[2]


def three_scans(organization: str) -> tuple[ScanResult, ScanResult, ScanResult]:
    """The demo company, then two different landscapes a week later (each without another integrated tool)."""
    first, second = two_scans(organization)
    removed = set(first.graph.tools) - set(second.graph.tools)
    other = next(i.target for i in first.graph.integrations if i.target not in removed)
    third = without_tool(first, other, *S3)
    assert document(third) != document(second)
    return first, second, third



def first_scan_saved(neo4j_store: StoreFactory, name: str) -> tuple[str, Neo4jStore, ScanResult, ScanResult]:
    """A fresh organization, its store with the first of :func:`two_scans` saved, and both scans."""
    organization = org(name)
    first, second = two_scans(organization)
    store = neo4j_store(organization)
    store.save(first)
    return organization, store, first, second

def clean_graph(store: Neo4jStore, target: Neo4jTarget, *results: ScanResult) -> Any:
    """The graph after saving ``results`` one after the other into an emptied organization."""
    drop_organization(target, store.organization)
    for result in results:
        store.save(result)
    return dump_graph(target, store.organization)


def set_lease(target: Neo4jTarget, organization: str, holder: str, *, started: str, expires: str) -> None:
    """Give the organization a lease of another run (``started``/``expires``: Cypher durations from now)."""
    with GraphDatabase.driver(target.uri, auth=target.auth()) as driver:
        driver.execute_query(
            "MERGE (o:Organization {organization: $organization, name: $organization}) "
            "SET o.sync_owner = 'token-of-another-run', o.sync_holder = $holder, "
            "o.sync_started_at = datetime() + duration($started), o.sync_expires_at = datetime() + duration($expires)",
            organization=organization, holder=holder, started=started, expires=expires, database_=target.database)



def server_config(target: Neo4jTarget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, organization: str) -> Path:
    """An ``auditor.yaml`` storing ``organization`` in the test server (password through an env var)."""
    options: dict[str, Any] = {"type": "neo4j", "uri": target.uri, "user": target.user, "database": target.database}
    if target.password:
        monkeypatch.setenv("AUDITOR_TEST_NEO4J_PASSWORD", target.password)
        options["password_env"] = "AUDITOR_TEST_NEO4J_PASSWORD"
    return write_config(tmp_path, options, organization)

def lease_properties(target: Neo4jTarget, organization: str) -> dict[str, Any]:
    """The lease properties present on the organization's node."""
    with GraphDatabase.driver(target.uri, auth=target.auth()) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (o:Organization {organization: $organization, name: $organization}) RETURN properties(o) AS p",
            organization=organization, database_=target.database)
    return {k: v for k, v in records[0]["p"].items() if k.startswith("sync_")} if records else {}


def test_two_concurrent_syncs_of_one_organization_exactly_one_wins(neo4j_store: StoreFactory,
                                                                    neo4j_server: Neo4jTarget) -> None:
    organization = org("Race")
    first, second, third = three_scans(organization)
    neo4j_store(organization).save(first)
    loser_done = threading.Event()

    def hold_until_the_loser_is_done(event: str, detail: str) -> None:
        if event == "batch":  # only the winner writes batches; it keeps its lease until the other one failed
            assert loser_done.wait(HOLD_TIMEOUT), "the other sync neither failed nor finished"

    stores = {result.scan.id: neo4j_store(organization, batch_size=5, max_batch=5,
                                          progress=hold_until_the_loser_is_done) for result in (second, third)}
    start = threading.Barrier(2)
    outcomes: dict[str, BaseException | None] = {}

    def run(result: ScanResult) -> None:
        start.wait()
        try:
            stores[result.scan.id].save(result)
            outcomes[result.scan.id] = None
        except BaseException as exc:  # noqa: BLE001 - recorded and asserted below
            outcomes[result.scan.id] = exc
            loser_done.set()

    threads = [threading.Thread(target=run, args=(result,)) for result in (second, third)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HOLD_TIMEOUT * 2)
    assert len(outcomes) == 2
    winners = [result for result in (second, third) if outcomes[result.scan.id] is None]
    losers = [outcomes[result.scan.id] for result in (second, third) if outcomes[result.scan.id] is not None]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    error = losers[0]
    assert isinstance(error, LeaseHeld), repr(error)
    message = str(error)
    assert f"organization '{organization}'" in message
    assert f"{socket.gethostname()} (pid {os.getpid()}), since 20" in message
    assert re.search(r"expires at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", message)
    assert "docs/neo4j.md#the-sync-lease" in message and "bolt://" not in message

    winner = winners[0]
    store = stores[winner.scan.id]
    assert [s.id for s in store.scans()] == [first.scan.id, winner.scan.id]
    assert lease_properties(neo4j_server, organization) == {}
    assert document(store.load("latest")) == document(winner)
    raced = dump_graph(neo4j_server, organization)
    assert raced == clean_graph(neo4j_store(organization), neo4j_server, first, winner)


def test_a_live_lease_blocks_writes_is_exit_4_in_the_cli_and_can_be_released_by_hand(
        neo4j_store: StoreFactory, neo4j_server: Neo4jTarget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    organization, store, first, second = first_scan_saved(neo4j_store, "Held")
    set_lease(neo4j_server, organization, "build-7 (pid 4242)", started="-PT2M", expires="PT8M")
    before = dump_graph(neo4j_server, organization)
    with pytest.raises(LeaseHeld, match=r"build-7 \(pid 4242\), since 20") as caught:
        store.save(second)
    assert "nothing was written" in str(caught.value)
    assert dump_graph(neo4j_server, organization) == before  # the lease and the earlier scan untouched

    config = server_config(neo4j_server, tmp_path, monkeypatch, organization)
    scanned = CliRunner().invoke(main, ["scan", "-c", str(config), "--out", str(tmp_path / "out")])
    assert scanned.exit_code == 4, scanned.output
    assert "is being synced by another auditor scan" in " ".join(scanned.output.split())
    assert dump_graph(neo4j_server, organization) == before

    docs = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    assert MANUAL_RELEASE in docs  # the release the docs give is the one tested here
    release_lease_by_hand(neo4j_server, organization)
    store.save(second)
    assert [s.id for s in store.scans()] == [first.scan.id, second.scan.id]


def test_an_expired_lease_is_taken_over_with_an_info_line(neo4j_store: StoreFactory, neo4j_server: Neo4jTarget,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    organization, store, first, second = first_scan_saved(neo4j_store, "Expired")
    set_lease(neo4j_server, organization, "crashed-host (pid 99)", started="-PT30M", expires="-PT1S")
    with caplog.at_level(logging.INFO, logger="auditor.stores.neo4j.lease"):
        store.save(second)
    assert any("took over the expired sync lease" in r.getMessage() and "crashed-host (pid 99)" in r.getMessage()
               for r in caplog.records)
    assert lease_properties(neo4j_server, organization) == {}
    assert document(store.load("latest")) == document(second)
    assert dump_graph(neo4j_server, organization) == clean_graph(store, neo4j_server, first, second)


def test_a_lease_of_another_organization_does_not_block(neo4j_store: StoreFactory,
                                                        neo4j_server: Neo4jTarget) -> None:
    holding, other = org("Holding"), org("Other")
    other_result = two_scans(other)[0]
    other_store = neo4j_store(other)
    synced_meanwhile: list[str] = []

    def sync_the_other_organization(event: str, detail: str) -> None:
        if event == "batch" and not synced_meanwhile:  # our lease is held right now
            assert lease_properties(neo4j_server, holding)["sync_owner"]
            other_store.save(other_result)
            synced_meanwhile.append(other)

    holding_result = two_scans(holding)[0]
    store = neo4j_store(holding, batch_size=5, max_batch=5, progress=sync_the_other_organization)
    store.save(holding_result)
    assert synced_meanwhile == [other]
    assert document(other_store.load("latest")) == document(other_result)
    assert document(store.load("latest")) == document(holding_result)
    assert lease_properties(neo4j_server, holding) == {} and lease_properties(neo4j_server, other) == {}


def test_the_lease_is_released_after_a_failing_sync(neo4j_store: StoreFactory, neo4j_server: Neo4jTarget) -> None:
    organization, store, first, second = first_scan_saved(neo4j_store, "Failing")
    batches = 0

    def fail_after_some_batches(event: str, detail: str) -> None:
        nonlocal batches
        batches += event == "batch"
        if batches == 3:
            assert lease_properties(neo4j_server, organization)["sync_owner"]
            raise RuntimeError("injected failure mid-sync")

    failing = neo4j_store(organization, batch_size=2, max_batch=2, progress=fail_after_some_batches)
    with pytest.raises(RuntimeError, match="injected failure"):
        failing.save(second)
    assert lease_properties(neo4j_server, organization) == {}
    assert document(store.load("latest")) == document(first)
    store.save(second)  # not blocked
    assert dump_graph(neo4j_server, organization) == clean_graph(store, neo4j_server, first, second)


def test_a_sync_whose_expired_lease_was_taken_over_stops_writing(neo4j_store: StoreFactory,
                                                                 neo4j_server: Neo4jTarget,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    organization = org("Stalled")
    first, second, third = three_scans(organization)
    neo4j_store(organization).save(first)
    taker = neo4j_store(organization)
    batches = 0

    def stall_and_lose_the_lease(event: str, detail: str) -> None:
        nonlocal batches
        batches += event == "batch"
        if batches == 2:  # as if this sync stalled past its lease time and another scan took over
            with GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth()) as driver:
                driver.execute_query(
                    "MATCH (o:Organization {organization: $organization, name: $organization}) "
                    "SET o.sync_expires_at = datetime() - duration('PT1S')",
                    organization=organization, database_=neo4j_server.database)
            taker.save(third)

    stalled = neo4j_store(organization, batch_size=2, max_batch=2, progress=stall_and_lose_the_lease)
    with caplog.at_level(logging.WARNING, logger="auditor.stores.neo4j.store"), \
            pytest.raises(LeaseLost, match="taken over by another run"):
        stalled.save(second)
    assert any("no longer ours" in r.getMessage() for r in caplog.records)
    assert [s.id for s in taker.scans()] == [first.scan.id, third.scan.id]
    assert document(taker.load("latest")) == document(third)
    assert dump_graph(neo4j_server, organization) == clean_graph(taker, neo4j_server, first, third)


@pytest.mark.parametrize("node_exists", [False, True])
def test_racing_takes_of_one_lease_have_exactly_one_winner(node_exists: bool, neo4j_store: StoreFactory,
                                                           neo4j_server: Neo4jTarget) -> None:
    organization = org("Takes")
    store = neo4j_store(organization)
    store.engine().ensure_constraints()
    if node_exists:
        store.engine().write("MERGE (o:Organization {organization: $organization, name: $organization})",
                             organization=organization)
    racers = 8
    start = threading.Barrier(racers)
    won: list[str] = []
    held: list[LeaseHeld] = []

    def take() -> None:
        start.wait()
        try:
            won.append(take_lease(store.driver, store.database, organization).token)
        except LeaseHeld as exc:
            held.append(exc)

    threads = [threading.Thread(target=take) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HOLD_TIMEOUT)
    assert len(won) == 1 and len(held) == racers - 1
    assert lease_properties(neo4j_server, organization)["sync_owner"] == won[0]
    assert "sync_lock" not in lease_properties(neo4j_server, organization)


def test_scans_unlock_releases_a_left_behind_lease_and_says_whose(
        neo4j_store: StoreFactory, neo4j_server: Neo4jTarget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    organization, store, first, second = first_scan_saved(neo4j_store, "Unlock")
    set_lease(neo4j_server, organization, "cron-host (pid 777)", started="-PT1M", expires="PT9M")
    config = server_config(neo4j_server, tmp_path, monkeypatch, organization)
    unlocked = CliRunner().invoke(main, ["scans", "unlock", "-c", str(config)])
    output = " ".join(unlocked.output.split())
    assert unlocked.exit_code == 0, output
    assert f"released the sync lease of '{organization}' held by cron-host (pid 777), since 20" in output
    assert neo4j_server.uri not in output
    assert lease_properties(neo4j_server, organization) == {}
    store.save(second)  # no longer blocked
    again = CliRunner().invoke(main, ["scans", "unlock", "-c", str(config)])
    assert again.exit_code == 0 and f"no sync lease is held for '{organization}' (neo4j store)" in again.output


def test_the_embedded_store_has_no_lease_to_unlock(tmp_path: Path) -> None:
    config = tmp_path / "auditor.yaml"
    config.write_text("organization: Solo\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n",
                      encoding="utf-8")
    unlocked = CliRunner().invoke(main, ["scans", "unlock", "-c", str(config)])
    assert unlocked.exit_code == 0 and "no sync lease is held for 'Solo' (embedded store)" in unlocked.output
