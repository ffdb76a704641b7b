"""The embedded store: SQLite under ``.auditor/`` next to the config (the default)."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from auditor.document import document_of
from auditor.gcpause import gc_paused
from auditor.jsontext import compact_texts, dataclass_text, dumps_compact
from auditor.model import Finding, Inventory
from auditor.result import LazyScanResult, ScanResult, from_document
from auditor.serialize import from_data, to_data
from auditor.stores.base import ScanInfo, Store, StoreError, guarded_read

SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    id TEXT PRIMARY KEY, organization TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
    tools INTEGER NOT NULL, integrations INTEGER NOT NULL, findings INTEGER NOT NULL,
    failed_sources INTEGER NOT NULL, head TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS scans_org ON scans (organization, started_at);
CREATE TABLE IF NOT EXISTS tools (scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (scan_id, id));
CREATE TABLE IF NOT EXISTS integrations (scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (scan_id, key));
CREATE TABLE IF NOT EXISTS flows (scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (scan_id, id));
CREATE TABLE IF NOT EXISTS findings (scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (scan_id, id));
CREATE TABLE IF NOT EXISTS sources (scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    name TEXT NOT NULL, status TEXT NOT NULL, error TEXT, inventory TEXT, PRIMARY KEY (scan_id, name));
"""

#: The tables and index :data:`SCHEMA` creates (a store holding them all needs no write to be opened).
_SCHEMA_NAMES = frozenset(re.findall(r"CREATE (?:TABLE|INDEX) IF NOT EXISTS (\w+)", SCHEMA))
_PARTS = ("tools", "integrations", "flows", "findings")


def _inventory_text(inventory: Inventory) -> str:
    """The stored text of a source's inventory: orjson straight from the records when the one float they hold
    (a tool's ``annual_cost``; tests/stores/test_inventory_text.py keeps it the only one) is finite everywhere,
    else (or when orjson cannot write it) the exact way, ``to_data`` then ``dumps_compact`` (NaN kept as NaN)."""
    if all(t.annual_cost is None or math.isfinite(t.annual_cost) for t in inventory.tools):
        fast = dataclass_text(inventory)
        if fast is not None:
            return fast
    return _dump(to_data(inventory))


def _dump(value: Any) -> str:
    return dumps_compact(value)  # key order kept: `auditor report` renders as `scan` did


#: Seconds a read or write waits for another process's lock on the file before giving up.
LOCK_TIMEOUT = 30.0


@contextmanager
def _store_errors(what: str) -> Iterator[None]:
    """``sqlite3.Error`` (locked, read-only, damaged file) → :class:`StoreError` saying ``what`` failed."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"{what}: {exc}") from exc


class EmbeddedStore(Store):
    """SQLite file store; each scan is written in one transaction."""

    def __init__(self, organization: str, path: Path, lock_timeout: float = LOCK_TIMEOUT) -> None:
        super().__init__(organization)
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # another process writing: SQLite retries for up to lock_timeout seconds, then a StoreError (exit 4)
            self._db = sqlite3.connect(path, timeout=lock_timeout)
            self._db.execute("PRAGMA foreign_keys = ON")
            present = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master")}
            if not _SCHEMA_NAMES <= present:  # one transaction (was one per statement, each synced to disk)
                self._db.executescript(f"BEGIN IMMEDIATE;{SCHEMA}COMMIT;")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the embedded store at {path}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def save(self, result: ScanResult) -> None:
        with gc_paused():  # every row is a new string, and the inventories' dicts: see auditor.gcpause
            self._save(result)

    def _save(self, result: ScanResult) -> None:
        document = document_of(result)  # read only: report.json may share it (auditor.document)
        head = {k: v for k, v in document.items() if k not in _PARTS}
        summary = document["summary"]
        scan = result.scan
        texts = {table: compact_texts(document[table]) for table in _PARTS}
        rows: dict[str, list[tuple[Any, ...]]] = {
            table: [(scan.id, i, item[key], text)
                    for i, (item, text) in enumerate(zip(document[table], texts[table], strict=True))]
            for table, key in (("tools", "id"), ("integrations", "key"), ("flows", "id"))
        }
        failed = {s.name for s in scan.sources if s.status != "ok"}  # failed or suspect: not a good inventory
        try:
            with self._db:
                self._db.execute(
                    "INSERT INTO scans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (scan.id, self.organization, scan.started_at, scan.finished_at, summary["tools"],
                     summary["integrations"], summary["findings"], summary["sources_failed"], _dump(head)),
                )
                for table in ("tools", "integrations", "flows"):
                    self._db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?)", rows[table])
                self._db.executemany(
                    "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)",
                    [(scan.id, i, f["id"], f["type"], f["severity"], text)
                     for i, (f, text) in enumerate(zip(document["findings"], texts["findings"], strict=True))],
                )
                self._db.executemany(
                    "INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
                    [(scan.id, s.name, s.status, s.error,
                      None if s.name in failed or s.name not in result.inventories
                      else _inventory_text(result.inventories[s.name]))
                     for s in scan.sources],
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot save scan {scan.id} to {self.path}: {exc}") from exc

    def scans(self) -> list[ScanInfo]:
        # started_at has one-second resolution and ids end in random hex: scans saved within the same
        # second are ordered by insertion (rowid), so 'latest' is always the scan saved last.
        with _store_errors(f"cannot list the scans in {self.path}"):
            rows = self._db.execute(
                "SELECT id, organization, started_at, tools, integrations, findings, failed_sources FROM scans "
                "WHERE organization = ? ORDER BY started_at, rowid", (self.organization,)).fetchall()
        return [ScanInfo(*row) for row in rows]

    def _load(self, scan_id: str) -> ScanResult:
        with _store_errors(f"cannot read scan {scan_id} from {self.path}"), gc_paused():
            return self._read_scan(scan_id)

    def _read_scan(self, scan_id: str) -> ScanResult:
        document = json.loads(self._head(scan_id))
        for table in _PARTS:
            document[table] = [json.loads(r[0]) for r in self._db.execute(
                f"SELECT data FROM {table} WHERE scan_id = ? ORDER BY position", (scan_id,))]
        result = from_document(document)
        for name, inventory in self._db.execute(
                "SELECT name, inventory FROM sources WHERE scan_id = ? AND inventory IS NOT NULL", (scan_id,)):
            result.inventories[name] = from_data(Inventory, json.loads(inventory))
        return result

    def load_light(self, reference: str = "latest") -> ScanResult:
        """The scan's head and findings now; its tools, integrations, flows and inventories on first use."""
        scan_id = self.resolve_id(reference)
        return guarded_read(scan_id, lambda: self._load_light(scan_id))

    def _load_light(self, scan_id: str) -> ScanResult:
        with _store_errors(f"cannot read scan {scan_id} from {self.path}"), gc_paused():
            head = json.loads(self._head(scan_id))
            findings = [from_data(Finding, json.loads(r[0])) for r in self._db.execute(
                "SELECT data FROM findings WHERE scan_id = ? ORDER BY position", (scan_id,))]
            return LazyScanResult(head, findings, lambda: guarded_read(scan_id, lambda: self._load(scan_id)))

    def _head(self, scan_id: str) -> str:
        row = self._db.execute("SELECT head FROM scans WHERE id = ? AND organization = ?",
                               (scan_id, self.organization)).fetchone()
        if row is None:
            raise StoreError(f"scan '{scan_id}' not found in {self.path}")
        head: str = row[0]
        return head

    def delete(self, scan_id: str) -> None:
        with self._db, _store_errors(f"cannot delete scan {scan_id} from {self.path}"):
            self._db.execute("DELETE FROM scans WHERE id = ? AND organization = ?", (scan_id, self.organization))

    def last_inventory(self, source_name: str) -> tuple[str, Inventory] | None:
        with _store_errors(f"cannot read the last good inventory of '{source_name}' from {self.path}"):
            row = self._last_inventory_row(source_name)
        if row is None:
            return None
        return guarded_read(row[0], lambda: (row[0], from_data(Inventory, json.loads(row[1]))))

    def _last_inventory_row(self, source_name: str) -> tuple[str, str] | None:
        row: tuple[str, str] | None = self._db.execute(
            "SELECT s.scan_id, s.inventory FROM sources s JOIN scans c ON c.id = s.scan_id "
            "WHERE c.organization = ? AND s.name = ? AND s.inventory IS NOT NULL "
            "ORDER BY c.started_at DESC, c.rowid DESC LIMIT 1", (self.organization, source_name)).fetchone()
        return row
