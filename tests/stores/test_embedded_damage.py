"""The embedded store under damage and contention: errors name the scan or the file, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.stores.base import DamagedScanError, StoreError
from auditor.stores.embedded import EmbeddedStore
from connectors.prepare import scan_config


def project(root: Path) -> Path:
    (root / "main.yaml").write_text("tools:\n  - {id: crm, name: CRM}\n", encoding="utf-8")
    (root / "extra.yaml").write_text("tools:\n  - {id: bi, name: BI tool}\n", encoding="utf-8")
    (root / "auditor.yaml").write_text(
        "organization: X\nsources:\n  - {name: main, type: landscape, path: main.yaml}\n"
        "  - {name: extra, type: landscape, path: extra.yaml}\n", encoding="utf-8")
    return root / "auditor.yaml"


def test_a_locked_store_while_falling_back_is_a_store_error_not_a_lost_traceback(tmp_path: Path) -> None:
    config = load_config(project(tmp_path))
    with EmbeddedStore("X", tmp_path / "s.db") as store:
        store.save(scan_config(config, store))
    (tmp_path / "extra.yaml").unlink()  # the source fails: the scan reads its last good inventory
    # the other connection holds its lock until the end, so SQLite waits the whole timeout whatever it is: a short
    # one gives the same "database is locked" sooner (0.2 s waited on nothing before)
    with EmbeddedStore("X", tmp_path / "s.db", lock_timeout=0.02) as store:
        other = sqlite3.connect(tmp_path / "s.db")
        other.execute("BEGIN EXCLUSIVE")  # meanwhile another process takes the file
        try:
            with pytest.raises(StoreError, match="cannot read the last good inventory of 'extra'.*database is locked"):
                scan_config(config, store)
        finally:
            other.rollback()
            other.close()


def test_a_damaged_last_inventory_is_named_and_the_scan_goes_on_without_it(tmp_path: Path) -> None:
    config = load_config(project(tmp_path))
    with EmbeddedStore("X", tmp_path / "s.db") as store:
        first = scan_config(config, store)
        store.save(first)
        with sqlite3.connect(tmp_path / "s.db") as db:
            db.execute("UPDATE sources SET inventory = '{\"tools\": 7}' WHERE name = 'extra'")
        with pytest.raises(DamagedScanError, match=f"stored scan {first.scan.id} is damaged"):
            store.last_inventory("extra")
        (tmp_path / "extra.yaml").unlink()
        second = scan_config(config, store)
    assert [(s.name, s.status, s.carried_over_from) for s in second.scan.sources] == [
        ("main", "ok", None), ("extra", "failed", None)]
