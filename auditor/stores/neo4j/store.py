"""The Neo4j store: the landscape as a shared graph, one organization beside the others.

Saving a scan, step by step (each step is one or more committed transactions):

0. the organization's sync lease is taken (:mod:`auditor.stores.neo4j.lease`): if another live
   sync holds it, the save fails with :class:`~auditor.stores.neo4j.lease.LeaseHeld` and writes
   nothing; every later write transaction renews it, and it is released at the end (also after a
   failure);
1. the ``Scan`` node is written with ``status: 'syncing'`` and a compressed snapshot, and the
   organization is marked ``syncing_scan``;
2. the landscape is synced with the scan id as update tag (:mod:`auditor.stores.neo4j.sync`);
3. only then the scan becomes ``complete`` and the organization's ``current_scan``;
4. stale elements of the organization are deleted in bounded batches, and scans that never
   completed are dropped.

Progress of steps 2 and 4, ``(phase, done, total)``: shown on the ``display`` given to the constructor
(a :class:`~auditor.progress.ProgressDisplay`, through :class:`~auditor.stores.save_display.SaveDisplay`),
and heard by the constructor's ``on_progress`` (a :class:`~auditor.stores.base.SaveProgress`, for tests and
benchmarks) — both given at construction, never set from outside.

Deleting a scan (``auditor scans prune``) does not take the lease: it removes only that
``Scan`` node (never landscape elements) and ``scans()`` lists only complete scans, so it cannot
touch the scan being synced. Reading never needs the lease.

A sync interrupted anywhere leaves the previous scan loadable (from its snapshot; the graph
reader only trusts the graph when no sync is pending) and the next save converges to the same
graph as an uninterrupted one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError

from auditor.gcpause import gc_paused
from auditor.model import Inventory
from auditor.progress import ProgressDisplay
from auditor.result import ScanResult
from auditor.stores.base import SaveProgress, ScanInfo, Store, StoreError
from auditor.stores.neo4j.lease import (
    LEASE_SECONDS,
    MANUAL_RELEASE,
    SyncLease,
    release_lease,
    take_lease,
    when,
)
from auditor.stores.neo4j.read import (
    from_snapshot,
    read_graph,
    unpack,
    unpack_inventories,
)
from auditor.stores.neo4j.rows import GraphRows, scan_rows
from auditor.stores.neo4j.snapshot import build_snapshot
from auditor.stores.neo4j.sync import GraphSync, SyncProgress, SyncStats, no_progress
from auditor.stores.save_display import SaveDisplay

log = logging.getLogger(__name__)

DEFAULT_URI = "bolt://localhost:7687"


class Neo4jStore(Store):
    """Store scans of one organization in a Neo4j database (self-hosted or Aura).

    ``lease_seconds`` is how long the sync lease lives without renewal (see
    :mod:`auditor.stores.neo4j.lease`); a killed sync blocks the organization that long.
    """

    def __init__(self, organization: str, uri: str = DEFAULT_URI, user: str = "neo4j", password: str | None = None,
                 database: str = "neo4j", *, batch_size: int = 2000, max_batch: int = 20000,
                 connection_timeout: float = 10.0, max_retry_time: float = 30.0, progress: SyncProgress = no_progress,
                 on_progress: SaveProgress | None = None, driver: Driver | None = None,
                 lease_seconds: float = LEASE_SECONDS, display: ProgressDisplay | None = None) -> None:
        super().__init__(organization)
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self.max_batch = max_batch
        self.max_retry_time = max_retry_time
        self.progress = progress
        self._on_progress = on_progress
        self._display = display
        #: what hears the running save's progress (set by :meth:`save` for its duration)
        self._hearing: SaveProgress | None = None
        self.last_stats: SyncStats | None = None
        self.lease_seconds = lease_seconds
        #: the sync lease while :meth:`save` holds it (every write transaction then renews it)
        self._lease: SyncLease | None = None
        try:
            self.driver = driver or GraphDatabase.driver(
                uri, auth=(user, password) if password else None, connection_timeout=connection_timeout,
                max_transaction_retry_time=max_retry_time, notifications_min_severity="OFF")
        except (ConfigurationError, ValueError) as exc:
            raise StoreError(f"invalid Neo4j store settings (uri {uri!r}): {exc}") from exc
        try:
            self.driver.verify_connectivity()
        except Exception as exc:
            self.driver.close()
            if isinstance(exc, AuthError):
                raise StoreError(f"Neo4j at {uri} refused the credentials of user '{user}': {exc.message}") from exc
            if isinstance(exc, DriverError | Neo4jError | OSError):
                raise StoreError(f"cannot reach Neo4j at {uri} (database '{database}'): {exc}") from exc
            raise
        self._constraints_ready = False

    def engine(self) -> GraphSync:
        """A sync engine for this organization."""
        return GraphSync(self.driver, self.database, self.organization, batch_size=self.batch_size,
                         max_batch=self.max_batch, max_retry_time=self.max_retry_time,
                         progress=self.progress, on_progress=self._hearing, lease=self._lease)

    def close(self) -> None:
        self.driver.close()

    def _call(self, what: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (DriverError, Neo4jError, OSError) as exc:
            raise StoreError(f"Neo4j at {self.uri}: {what} failed: {exc}") from exc

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._call("reading", self.engine().read, query, organization=self.organization,
                                                **params)
        return rows

    def _write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._call("writing", self.engine().write, query, organization=self.organization,
                                                **params)
        return rows

    # --- saving ---------------------------------------------------------------------------------

    def save(self, result: ScanResult) -> None:
        """Sync the scan into the graph; see the module docstring for the steps."""
        shown = SaveDisplay(self._display, "neo4j") if self._display is not None else None
        self._hearing = _both(self._on_progress, shown)
        try:
            with gc_paused():
                self._save(result)
        finally:
            self._hearing = None
            if shown is not None:
                shown.close()

    def _save(self, result: ScanResult) -> None:
        if not self._constraints_ready:
            self._call("creating constraints", self.engine().ensure_constraints)
            self._constraints_ready = True
        rows = scan_rows(result)
        head, document, inventories = build_snapshot(result, rows)
        self._lease = self._call("taking the sync lease", take_lease, self.driver, self.database, self.organization,
                                 self.lease_seconds)
        try:
            self._sync(result, rows, head, document, inventories)
        finally:
            lease, self._lease = self._lease, None
            self._release(lease)

    def _release(self, lease: SyncLease) -> None:
        """Release the lease; a failure to do so (the server gone) is logged, never raised over the sync's outcome."""
        try:
            if not release_lease(self.driver, self.database, lease):
                log.warning("the sync lease of organization '%s' was no longer ours to release", self.organization)
        except (DriverError, Neo4jError, OSError) as exc:
            log.warning("could not release the sync lease of organization '%s' (%s): it expires on its own "
                        "%.0f s after the last write, or release it by hand (docs/neo4j.md#the-sync-lease)",
                        self.organization, exc, lease.seconds)

    def _sync(self, result: ScanResult, rows: GraphRows, head: bytes, document: bytes, inventories: bytes) -> None:
        """Steps 1 to 4 of the module docstring, under the lease."""
        engine = self.engine()
        scan = result.scan
        summary = result.summary()
        self._write(
            "MERGE (o:Organization {organization: $organization, name: $organization}) "
            "SET o.syncing_scan = $id "
            "MERGE (n:Scan {organization: $organization, id: $id}) "
            "SET n.status = 'syncing', n.started_at = $started_at, n.finished_at = $finished_at, "
            "n.tools = $tools, n.integrations = $integrations, n.findings = $findings, n.failed_sources = $failed",
            id=scan.id, started_at=scan.started_at, finished_at=scan.finished_at, tools=summary["tools"],
            integrations=summary["integrations"], findings=summary["findings"], failed=summary["sources_failed"])
        stats = engine.sync(rows, scan.id)
        self._write(
            "MATCH (o:Organization {organization: $organization, name: $organization}) "
            "MATCH (n:Scan {organization: $organization, id: $id}) "
            "SET n.head = $head, n.snapshot = $snapshot, n.inventories = $inventories, "
            "n.status = 'complete', o.current_scan = $id, o.syncing_scan = null",
            id=scan.id, head=head, snapshot=document, inventories=inventories)
        engine.cleanup(scan.id)
        self._write("MATCH (n:Scan {organization: $organization}) WHERE n.status <> 'complete' DETACH DELETE n")
        self.last_stats = stats

    # --- reading --------------------------------------------------------------------------------

    def scans(self) -> list[ScanInfo]:
        rows = self._read(
            "MATCH (n:Scan {organization: $organization, status: 'complete'}) "
            "RETURN n.id AS id, n.started_at AS started_at, n.tools AS tools, n.integrations AS integrations, "
            "n.findings AS findings, n.failed_sources AS failed ORDER BY started_at, id")
        return [ScanInfo(r["id"], self.organization, r["started_at"], r["tools"], r["integrations"], r["findings"],
                         r["failed"]) for r in rows]

    def release_sync_lease(self) -> str | None:
        """Remove the organization's sync lease whoever holds it (``auditor scans unlock``).

        A scan still syncing under that lease stops at its next write (its renewal finds the lease gone).
        """
        held = self.state()
        if held["sync_holder"] is None and held["sync_expires_at"] is None:
            return None
        self._write(MANUAL_RELEASE)
        return (f"{held['sync_holder'] or 'unknown'}, since {held['sync_started_at']}, "
                f"expiring at {held['sync_expires_at']}")

    def state(self) -> Mapping[str, Any]:
        """The organization node: ``current_scan`` (in the graph), ``syncing_scan`` (pending) and the sync lease.

        The lease keys are ``sync_holder`` (host and pid), ``sync_started_at`` and ``sync_expires_at``
        (ISO 8601 text), all None when no sync holds it.
        """
        rows = self._read("MATCH (o:Organization {organization: $organization, name: $organization}) "
                          "RETURN o.current_scan AS current_scan, o.syncing_scan AS syncing_scan, "
                          "o.sync_holder AS sync_holder, o.sync_started_at AS sync_started_at, "
                          "o.sync_expires_at AS sync_expires_at")
        keys = ("current_scan", "syncing_scan", "sync_holder", "sync_started_at", "sync_expires_at")
        state: dict[str, Any] = dict(rows[0]) if rows else dict.fromkeys(keys)
        for key in ("sync_started_at", "sync_expires_at"):
            state[key] = when(state[key]) if state[key] is not None else None
        return state

    def _load(self, scan_id: str) -> ScanResult:
        rows = self._read(
            "MATCH (n:Scan {organization: $organization, id: $id, status: 'complete'}) "
            "RETURN n.head AS head, n.snapshot AS snapshot, n.inventories AS inventories", id=scan_id)
        if not rows:
            raise StoreError(f"scan '{scan_id}' not found in Neo4j at {self.uri} for '{self.organization}'")
        state = self.state()
        if state["current_scan"] == scan_id and not state["syncing_scan"]:
            return self.load_graph(scan_id, rows[0]["head"], rows[0]["inventories"])
        return from_snapshot(rows[0]["snapshot"], rows[0]["head"], rows[0]["inventories"])

    def load_graph(self, scan_id: str, head: bytes | None = None, inventories: bytes | None = None) -> ScanResult:
        """Rebuild a scan from the graph's elements tagged with ``scan_id`` (not from its snapshot)."""
        if head is None:
            rows = self._read("MATCH (n:Scan {organization: $organization, id: $id}) "
                              "RETURN n.head AS head, n.inventories AS inventories", id=scan_id)
            if not rows:
                raise StoreError(f"scan '{scan_id}' not found in Neo4j at {self.uri} for '{self.organization}'")
            head, inventories = rows[0]["head"], rows[0]["inventories"]
        result: ScanResult = self._call("reading the graph", read_graph, self.engine().read, self.organization,
                                        scan_id, unpack(head), inventories)
        return result

    def delete(self, scan_id: str) -> None:
        self._write("MATCH (n:Scan {organization: $organization, id: $id}) DETACH DELETE n "
                    "WITH 1 AS done MATCH (o:Organization {organization: $organization, name: $organization}) "
                    "WHERE o.current_scan = $id SET o.current_scan = null", id=scan_id)

    def last_inventory(self, source_name: str) -> tuple[str, Inventory] | None:
        rows = self._read(
            "MATCH (n:Scan {organization: $organization, status: 'complete'}) "
            "RETURN n.id AS id, n.inventories AS inventories ORDER BY n.started_at DESC, n.id DESC")
        for row in rows:
            inventories = unpack_inventories(row["inventories"])
            if source_name in inventories:
                return row["id"], inventories[source_name]
        return None


def _both(first: SaveProgress | None, second: SaveProgress | None) -> SaveProgress | None:
    """One :class:`SaveProgress` telling both (either may be None)."""
    if first is None or second is None:
        return first or second
    one, other = first, second

    def tell(phase: str, done: int, total: int | None) -> None:
        one(phase, done, total)
        other(phase, done, total)

    return tell


def open_neo4j_store(organization: str, options: Mapping[str, Any],
                     display: ProgressDisplay | None = None) -> Neo4jStore:
    """Build the store from ``store:`` options: ``uri``, ``user``, ``password_env``, ``database``; its saves
    show their progress on ``display``."""
    known = {"uri", "user", "password_env", "database", "batch_size"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise StoreError(f"unknown neo4j store option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    password_env = options.get("password_env")
    password = None
    if password_env:
        password = os.environ.get(str(password_env))
        if password is None:
            raise StoreError(f"store.password_env names the environment variable '{password_env}', which is not set")
    return Neo4jStore(organization, uri=str(options.get("uri", DEFAULT_URI)), user=str(options.get("user", "neo4j")),
                      password=password, database=str(options.get("database", "neo4j")),
                      batch_size=int(options.get("batch_size", 2000)), display=display)
