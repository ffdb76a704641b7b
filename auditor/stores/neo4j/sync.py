"""Write a scan's rows into Neo4j: batched ``UNWIND … MERGE`` in managed write transactions.

* Unchanged elements (same content hash as in the database) are only re-tagged; new ones are
  created and changed ones merged with all their properties.
* The rows of all kinds are packed into transactions of about ``batch_size`` rows, a size that
  adapts to a target duration per transaction; a transaction that hits a server memory limit is
  split in two and retried, and later ones start smaller.
* Transient errors (deadlocks, leader switches, a lost connection) are retried with back-off
  for up to ``max_retry_time`` seconds (see :meth:`GraphSync.transaction`).
* Stale elements (of this organization only, not tagged with the current update tag) are deleted
  in bounded batches by :meth:`GraphSync.cleanup`, which the store calls only after a full sync.
* With a sync lease (:mod:`auditor.stores.neo4j.lease`), every write transaction first renews it
  and writes nothing if another sync has taken it over.
* Progress: the optional ``on_progress`` (a :class:`~auditor.stores.base.SaveProgress`) hears
  ``(phase, done, total)`` per label (``nodes:Tool``), relationship kind (``relationships:uses``)
  and for the stale removal (``stale``), after each committed transaction.
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

from auditor.stores.base import STALE_PHASE, SaveProgress, StoreError
from auditor.stores.neo4j import schema as s
from auditor.stores.neo4j.lease import SyncLease
from auditor.stores.neo4j.rows import GraphRows, Row

log = logging.getLogger(__name__)

#: ``(event, detail)`` callback, e.g. ``("batch", "Tool 1200, Flow 100")`` after each committed transaction
#: (a low-level hook; a display wants ``on_progress``, see :func:`node_phase`).
SyncProgress = Callable[[str, str], None]

def node_phase(label: str) -> str:
    """The ``on_progress`` phase of the nodes of one label, e.g. ``nodes:Tool``."""
    return f"nodes:{label}"


def rel_phase(kind: str) -> str:
    """The ``on_progress`` phase of one relationship kind (``RelSchema.name``), e.g. ``relationships:uses``."""
    return f"relationships:{kind}"

_MEMORY_MARKERS = ("MemoryLimit", "OutOfMemory", "MemoryPool")


class BatchTooLarge(Exception):
    """The server refused a transaction for lack of memory (internal: the sync splits it)."""


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


@dataclass
class _Step:
    """Rows of one kind for one query; touch steps keep the rows to rewrite if an element vanished.

    ``phase`` is the progress phase the rows count towards (None: rows already counted once).
    """

    kind: str
    query: str
    rows: list[Any]
    fallback: str | None = None
    rewrite: str | None = None
    rewrite_rows: list[Row] = field(default_factory=list)
    found: int = 0
    phase: str | None = None


def no_progress(event: str, detail: str) -> None:
    """Default progress callback: debug log only."""
    log.debug("%s: %s", event, detail)


class GraphSync:
    """Sync engine for one organization in one database."""

    def __init__(self, driver: Driver, database: str, organization: str, *, batch_size: int = 2000,
                 min_batch: int = 1, max_batch: int = 20000, target_seconds: float = 1.0,
                 delete_batch: int = 5000, max_retry_time: float = 30.0,
                 progress: SyncProgress = no_progress, on_progress: SaveProgress | None = None,
                 lease: SyncLease | None = None) -> None:
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
        self.on_progress = on_progress
        #: the organization's sync lease, checked and renewed at the start of every write transaction
        self.lease = lease
        #: phase → [rows done, rows in total] of the current :meth:`sync`.
        self.phases: dict[str, list[int]] = {}
        self._cleaned = 0
        self._cleanup_total: int | None = None
        self.stats = SyncStats()
        self.tag = ""
        self.has_data = True
        #: kind → element ids that the last :meth:`sync` found in the database but not in the scan.
        self.stale: dict[str, list[str]] = {}

    # --- transactions ---------------------------------------------------------------------------

    def write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one query in a write transaction (see :meth:`transaction`)."""
        return self.transaction([(query, params)])[0]

    def transaction(self, statements: Sequence[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        """Run queries in one write transaction, retried on transient errors until ``max_retry_time``.

        This is a managed transaction with its own retry policy rather than the driver's
        ``execute_write``: a memory-limit error (a *transient* error for the driver, retried with
        back-off for up to the retry time) raises :class:`BatchTooLarge` at once, so the caller
        splits the batch instead of waiting. With a :attr:`lease`, the transaction first renews it
        and is rolled back with :class:`~auditor.stores.neo4j.lease.LeaseLost` if it is no longer ours.
        """
        deadline = time.monotonic() + self.max_retry_time
        delay = 0.2
        while True:
            try:
                with self.driver.session(database=self.database) as session, session.begin_transaction() as tx:
                    if self.lease is not None:
                        self.lease.check(tx)
                    results = [[record.data() for record in tx.run(query, params)] for query, params in statements]
                    tx.commit()
                    return results
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

    def _adapt(self, size: int, seconds: float) -> None:
        """Grow the batch when it was quick and full, shrink it when it was slow."""
        if size >= self.batch_size and seconds < self.target_seconds / 2:
            self.batch_size = min(self.max_batch, self.batch_size * 2)
        elif seconds > self.target_seconds * 2:
            self.batch_size = max(self.min_batch, self.batch_size // 2)

    # --- the sync -------------------------------------------------------------------------------

    def ensure_constraints(self) -> None:
        """Create the uniqueness constraints (and their indexes) that do not exist yet."""
        present = {r["name"] for r in self.read("SHOW CONSTRAINTS YIELD name RETURN name")}
        for node, statement in zip(s.ALL_NODES, s.constraint_statements(), strict=True):
            if s.constraint_name(node) not in present:
                self.write(statement)

    def sync(self, rows: GraphRows, tag: str) -> SyncStats:
        """Write every row with update tag ``tag`` (nodes first, then relationships).

        A row's hash covers its identity and properties, so a row whose hash is already in the
        database is unchanged: it is only re-tagged, by element id. The other rows are created
        (when the organization has none of that kind yet) or merged. Elements whose hash matched
        no row are remembered as stale candidates for :meth:`cleanup`. The steps of all kinds are
        packed into transactions of about ``batch_size`` rows (small kinds share one).
        """
        self.tag = tag
        self.stale = {}
        self.phases = {}
        started = time.perf_counter()
        kinds: list[tuple[str, str, list[Row], str, tuple[str, str, str]]] = [
            (node.label, node_phase(node.label), rows.nodes.get(node.label, []), s.existing_nodes(node),
             (s.touch_nodes(node), s.create_nodes(node), s.merge_nodes(node))) for node in s.NODES]
        kinds += [(rel.name, rel_phase(rel.name), rows.rels.get(rel.name, []), s.existing_rels(rel),
                   (s.touch_rels(rel), s.create_rels(rel), s.merge_rels(rel))) for rel in s.RELATIONSHIPS]
        try:
            self.has_data = bool(self.read(s.any_landscape(), organization=self.organization)[0]["found"])
            existing = self._existing([query for *_, query, _ in kinds]) if self.has_data else [{}] * len(kinds)
            steps: list[_Step] = []
            for (kind, phase, kind_rows, _, queries), found in zip(kinds, existing, strict=True):
                steps.extend(self._plan_kind(kind, phase, kind_rows, found, queries))
            for phase, (_, total) in self.phases.items():
                self._report(phase, 0, total)
            self.run_steps(steps)
            retry = [_Step(step.kind, step.rewrite, step.rewrite_rows) for step in steps
                     if step.rewrite and step.found != len(step.rows)]  # deleted meanwhile: write them again
            self.run_steps(retry)
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j sync of scan {tag} failed: {exc}") from exc
        for step in steps:
            if step.rewrite:
                self.stats.touched += len(step.rows) if step.found == len(step.rows) else 0
            else:
                self.stats.written += len(step.rows)
        self.stats.written += sum(len(step.rows) for step in retry)
        self.stats.seconds += time.perf_counter() - started
        return self.stats

    def _existing(self, queries: list[str]) -> list[dict[str, str]]:
        """For each kind: content hash → element id of the organization's elements (one read transaction)."""

        def work(tx: Any) -> list[dict[str, str]]:
            maps = []
            for query in queries:
                record = tx.run(query, organization=self.organization).single()
                maps.append(dict(zip(record["hashes"], record["ids"], strict=True)) if record else {})
            return maps

        with self.driver.session(database=self.database) as session:
            return session.execute_read(work)

    def _plan_kind(self, kind: str, phase: str, rows: list[Row], existing: dict[str, str],
                   queries: tuple[str, str, str]) -> list[_Step]:
        touch_query, create_query, merge_query = queries
        self.stats.per_kind[kind] = len(rows)
        if rows:
            self.phases[phase] = [0, len(rows)]
        had_any = bool(existing)
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
        steps = []
        if unchanged_ids:
            steps.append(_Step(kind, touch_query, unchanged_ids, rewrite=merge_query, rewrite_rows=unchanged_rows,
                               phase=phase))
        if other:
            steps.append(_Step(kind, merge_query, other, phase=phase) if had_any
                         else _Step(kind, create_query, other, fallback=merge_query, phase=phase))
        return steps

    def run_steps(self, steps: Sequence[_Step]) -> None:
        """Run the steps in order, packed into transactions of about ``batch_size`` rows."""
        pending: list[tuple[_Step, list[Any]]] = []
        size = 0
        for step in steps:
            index = 0
            while index < len(step.rows):
                take = min(self.batch_size - size, len(step.rows) - index)
                pending.append((step, step.rows[index:index + take]))
                size += take
                index += take
                if size >= self.batch_size:
                    self._flush(pending)
                    pending, size = [], 0
        if pending:
            self._flush(pending)

    def _flush(self, pending: list[tuple[_Step, list[Any]]]) -> None:
        size = sum(len(chunk) for _, chunk in pending)
        started = time.perf_counter()
        try:
            try:
                results = self.transaction([(step.query, self._params(chunk)) for step, chunk in pending])
            except Neo4jError as exc:
                if exc.code != "Neo.ClientError.Schema.ConstraintValidationFailed" or not any(
                        step.fallback for step, _ in pending):
                    raise
                # a concurrent writer created some of these elements: merge instead of create
                results = self.transaction([(step.fallback or step.query, self._params(chunk))
                                            for step, chunk in pending])
        except BatchTooLarge as exc:
            self._split(pending, size, exc)
            return
        for (step, _), records in zip(pending, results, strict=True):
            if step.rewrite:
                step.found += sum(int(r["found"]) for r in records)
        self.stats.batches += 1
        self.progress("batch", ", ".join(f"{step.kind} {len(chunk)}" for step, chunk in pending))
        for step, chunk in pending:
            if step.phase is not None:
                counts = self.phases[step.phase]
                counts[0] += len(chunk)
                self._report(step.phase, counts[0], counts[1])
        self._adapt(size, time.perf_counter() - started)

    def _report(self, phase: str, done: int, total: int | None) -> None:
        if self.on_progress is not None:
            self.on_progress(phase, done, total)

    def _split(self, pending: list[tuple[_Step, list[Any]]], size: int, exc: BatchTooLarge) -> None:
        """Retry a transaction the server had no memory for as two halves; later ones start smaller."""
        if size <= 1:
            kind = pending[0][0].kind if pending else "?"
            raise StoreError(f"Neo4j ran out of memory writing a single {kind} element: {exc}") from exc
        self.stats.splits += 1
        self.batch_size = max(self.min_batch, size // 2)
        log.info("transaction of %d rows too large for the server, splitting", size)
        if len(pending) > 1:
            middle = len(pending) // 2
            halves = [pending[:middle], pending[middle:]]
        else:
            step, chunk = pending[0]
            middle = len(chunk) // 2
            halves = [[(step, chunk[:middle])], [(step, chunk[middle:])]]
        for half in halves:
            self._flush(half)

    def _params(self, chunk: list[Any]) -> dict[str, Any]:
        return {"rows": chunk, "organization": self.organization, "tag": self.tag}

    def cleanup(self, tag: str) -> int:
        """Delete this organization's elements not tagged ``tag``, ``delete_batch`` at a time.

        After :meth:`sync` with the same tag, only the stale candidates it found are visited (by
        element id); otherwise every label and relationship kind is swept by tag.
        """
        deleted = 0
        known = self.tag == tag
        self._cleaned = 0
        self._cleanup_total = sum(len(ids) for ids in self.stale.values()) if known else None
        if self._cleanup_total:
            self._report(STALE_PHASE, 0, self._cleanup_total)
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
        if not known and deleted:
            self._report(STALE_PHASE, deleted, deleted)
        self.stats.deleted += deleted
        return deleted

    def _delete_ids(self, query: str, ids: list[str], tag: str) -> int:
        total = 0
        for start in range(0, len(ids), self.delete_batch):
            chunk = ids[start:start + self.delete_batch]
            records = self.write(query, rows=chunk, organization=self.organization, tag=tag)
            total += int(records[0]["deleted"]) if records else 0
            self._cleaned += len(chunk)
            self._report(STALE_PHASE, self._cleaned, self._cleanup_total)
        return total

    def _delete_all(self, query: str, tag: str) -> int:
        total = 0
        while True:
            records = self.write(query, organization=self.organization, tag=tag, limit=self.delete_batch)
            count = int(records[0]["deleted"]) if records else 0
            total += count
            self._cleaned += count
            if count:
                self._report(STALE_PHASE, self._cleaned, None)
            if count < self.delete_batch:
                return total
