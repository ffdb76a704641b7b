"""Write a scan's rows into Neo4j: batched ``UNWIND … MERGE`` in managed write transactions.

* Unchanged elements (same content hash as in the database) are only re-tagged; new or changed
  ones are merged with all their properties.
* Batches adapt their size to a target duration per transaction; a batch that hits a server
  memory limit is split in two and retried, and later batches start smaller.
* Transient errors (deadlocks, leader switches, a lost connection) are retried with back-off
  for up to ``max_retry_time`` seconds (see :meth:`GraphSync.write`).
* Stale elements (of this organization only, not tagged with the current update tag) are deleted
  in bounded batches by :meth:`GraphSync.cleanup`, which the store calls only after a full sync.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError

from auditor.stores.base import StoreError
from auditor.stores.neo4j import schema as s
from auditor.stores.neo4j.rows import GraphRows, Row

log = logging.getLogger(__name__)

#: ``(event, detail)`` callback, e.g. ``("batch", "Tool 2000")`` after each committed batch.
SyncProgress = Callable[[str, str], None]

_MEMORY_MARKERS = ("MemoryLimit", "OutOfMemory", "MemoryPool")


class BatchTooLarge(Exception):
    """The server refused a batch for lack of memory (raised inside the transaction function)."""


def is_memory_error(exc: Neo4jError) -> bool:
    """Whether a server error means the transaction ran out of (transaction or heap) memory."""
    code = exc.code or ""
    return any(marker in code for marker in _MEMORY_MARKERS)


@dataclass
class SyncStats:
    """What a sync did: elements written in full, elements only re-tagged, deletions, timings."""

    written: int = 0
    touched: int = 0
    deleted: int = 0
    batches: int = 0
    splits: int = 0
    retries: int = 0
    seconds: float = 0.0
    per_kind: dict[str, int] = field(default_factory=dict)

    @property
    def elements(self) -> int:
        """Graph elements synced (written or confirmed unchanged)."""
        return self.written + self.touched


def no_progress(event: str, detail: str) -> None:
    """Default progress callback: debug log only."""
    log.debug("%s: %s", event, detail)


class GraphSync:
    """Sync engine for one organization in one database."""

    def __init__(self, driver: Driver, database: str, organization: str, *, batch_size: int = 2000,
                 min_batch: int = 1, max_batch: int = 20000, target_seconds: float = 1.0,
                 delete_batch: int = 5000, max_retry_time: float = 30.0,
                 progress: SyncProgress = no_progress) -> None:
        self.driver = driver
        self.database = database
        self.organization = organization
        self.batch_size = batch_size
        self.min_batch = min_batch
        self.max_batch = max_batch
        self.target_seconds = target_seconds
        self.delete_batch = delete_batch
        self.max_retry_time = max_retry_time
        self.progress = progress
        self.stats = SyncStats()
        self.tag = ""
        #: kind → element ids that the last :meth:`sync` found in the database but not in the scan.
        self.stale: dict[str, list[str]] = {}

    # --- transactions ---------------------------------------------------------------------------

    def write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one query in a write transaction, retried on transient errors until ``max_retry_time``.

        This is a managed transaction with its own retry policy rather than the driver's
        ``execute_write``: a memory-limit error (a *transient* error for the driver, retried with
        back-off for up to the retry time) raises :class:`BatchTooLarge` at once, so the caller
        splits the batch instead of waiting.
        """
        deadline = time.monotonic() + self.max_retry_time
        delay = 0.2
        while True:
            try:
                with self.driver.session(database=self.database) as session, session.begin_transaction() as tx:
                    records = [record.data() for record in tx.run(query, params)]
                    tx.commit()
                    return records
            except (Neo4jError, DriverError) as exc:
                if isinstance(exc, Neo4jError) and is_memory_error(exc):
                    raise BatchTooLarge(str(exc)) from exc
                if not exc.is_retryable() or time.monotonic() + delay > deadline:
                    raise
                log.info("transient Neo4j error, retrying in %.1fs: %s", delay, exc)
                self.stats.retries += 1
                time.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 5.0)

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one query in a managed read transaction."""

        def work(tx: Any) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]

        with self.driver.session(database=self.database) as session:
            return session.execute_read(work)

    # --- batches --------------------------------------------------------------------------------

    def run_batches(self, query: str, rows: Sequence[Any], kind: str,
                    fallback: str | None = None) -> list[dict[str, Any]]:
        """Write ``rows`` in adaptive batches; returns every record the batches returned.

        ``fallback`` reruns a batch whose ``CREATE`` met an existing element (a concurrent writer)
        as ``MERGE``.
        """
        records: list[dict[str, Any]] = []
        index = 0
        while index < len(rows):
            chunk = rows[index:index + self.batch_size]
            started = time.perf_counter()
            try:
                records.extend(self._write_chunk(query, chunk, kind))
            except Neo4jError as exc:
                if fallback is None or exc.code != "Neo.ClientError.Schema.ConstraintValidationFailed":
                    raise
                records.extend(self._write_chunk(fallback, chunk, kind))
            self._adapt(len(chunk), time.perf_counter() - started)
            index += len(chunk)
        return records

    def _write_chunk(self, query: str, chunk: Sequence[Any], kind: str) -> list[dict[str, Any]]:
        try:
            records = self.write(query, rows=list(chunk), organization=self.organization, tag=self.tag)
        except BatchTooLarge as exc:
            if len(chunk) <= 1:
                raise StoreError(f"Neo4j ran out of memory writing a single {kind} element: {exc}") from exc
            half = len(chunk) // 2
            self.stats.splits += 1
            self.batch_size = max(self.min_batch, half)
            log.info("batch of %d %s rows too large for the server, splitting", len(chunk), kind)
            return self._write_chunk(query, chunk[:half], kind) + self._write_chunk(query, chunk[half:], kind)
        self.stats.batches += 1
        self.progress("batch", f"{kind} {len(chunk)}")
        return records

    def _adapt(self, size: int, seconds: float) -> None:
        """Grow the batch when it was quick and full, shrink it when it was slow."""
        if size >= self.batch_size and seconds < self.target_seconds / 2:
            self.batch_size = min(self.max_batch, self.batch_size * 2)
        elif seconds > self.target_seconds * 2:
            self.batch_size = max(self.min_batch, self.batch_size // 2)

    # --- the sync -------------------------------------------------------------------------------

    def ensure_constraints(self) -> None:
        """Create the uniqueness constraints (and their indexes) if they do not exist."""
        for statement in s.constraint_statements():
            self.write(statement)

    def sync(self, rows: GraphRows, tag: str) -> SyncStats:
        """Write every row with update tag ``tag`` (nodes first, then relationships)."""
        self.tag = tag
        self.stale = {}
        started = time.perf_counter()
        try:
            for node in s.NODES:
                self._sync_kind(node.label, rows.nodes.get(node.label, []), s.existing_nodes(node),
                                (s.touch_nodes(node), s.create_nodes(node), s.merge_nodes(node)))
            for rel in s.RELATIONSHIPS:
                self._sync_kind(rel.name, rows.rels.get(rel.name, []), s.existing_rels(rel),
                                (s.touch_rels(rel), s.create_rels(rel), s.merge_rels(rel)))
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j sync of scan {tag} failed: {exc}") from exc
        self.stats.seconds += time.perf_counter() - started
        return self.stats

    def _sync_kind(self, kind: str, rows: list[Row], existing_query: str, queries: tuple[str, str, str]) -> None:
        """Sync one label or relationship kind.

        A row's hash covers its identity and properties, so a row whose hash is already in the
        database is unchanged: it is only re-tagged, by element id. The other rows are created
        (when the organization has none of this kind yet) or merged. Elements whose hash matched
        no row are remembered as stale candidates for :meth:`cleanup`.
        """
        touch_query, create_query, merge_query = queries
        self.stats.per_kind[kind] = len(rows)
        found = self.read(existing_query, organization=self.organization)
        existing: dict[str, str] = dict(zip(found[0]["hashes"], found[0]["ids"], strict=True)) if found else {}
        unchanged_ids: list[str] = []
        unchanged_rows: list[Row] = []
        other: list[Row] = []
        for row in rows:
            element_id = existing.pop(row["h"], None)
            if element_id is None:
                other.append(row)
            else:
                unchanged_ids.append(element_id)
                unchanged_rows.append(row)
        self.stale[kind] = list(existing.values())
        for start in range(0, len(unchanged_ids), self.max_batch):
            ids = unchanged_ids[start:start + self.max_batch]
            touched = self.run_batches(touch_query, ids, kind)
            if sum(int(r["found"]) for r in touched) != len(ids):  # deleted meanwhile: write them again
                other.extend(unchanged_rows[start:start + self.max_batch])
            else:
                self.stats.touched += len(ids)
        if other:
            if not found or not found[0]["ids"]:
                self.run_batches(create_query, other, kind, fallback=merge_query)
            else:
                self.run_batches(merge_query, other, kind)
            self.stats.written += len(other)

    def cleanup(self, tag: str) -> int:
        """Delete this organization's elements not tagged ``tag``, ``delete_batch`` at a time.

        After :meth:`sync` with the same tag, only the stale candidates it found are visited (by
        element id); otherwise every label and relationship kind is swept by tag.
        """
        deleted = 0
        known = self.tag == tag
        try:
            for rel in s.RELATIONSHIPS:
                if not known:
                    deleted += self._delete_all(s.stale_rels(rel), tag)
                elif self.stale.get(rel.name):
                    deleted += self._delete_ids(s.delete_rels(rel), self.stale[rel.name], tag)
            for node in reversed(s.NODES):
                if not known:
                    deleted += self._delete_all(s.stale_nodes(node), tag)
                elif self.stale.get(node.label):
                    deleted += self._delete_ids(s.delete_nodes(node), self.stale[node.label], tag)
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j cleanup after scan {tag} failed: {exc}") from exc
        self.stats.deleted += deleted
        return deleted

    def _delete_ids(self, query: str, ids: list[str], tag: str) -> int:
        total = 0
        for start in range(0, len(ids), self.delete_batch):
            records = self.write(query, rows=ids[start:start + self.delete_batch], organization=self.organization,
                                 tag=tag)
            total += int(records[0]["deleted"]) if records else 0
        return total

    def _delete_all(self, query: str, tag: str) -> int:
        total = 0
        while True:
            records = self.write(query, organization=self.organization, tag=tag, limit=self.delete_batch)
            count = int(records[0]["deleted"]) if records else 0
            total += count
            if count < self.delete_batch:
                return total
