"""Scan order and retention in the store: 'latest' is the scan saved last, pruning keeps the newest N."""

from __future__ import annotations

from dataclasses import replace

import pytest
from history_fixtures import V1, Project

from auditor.cli.scans import scans_to_prune
from auditor.result import ScanResult
from auditor.stores.base import ScanInfo


def _as(result: ScanResult, scan_id: str, started_at: str) -> ScanResult:
    """The same landscape under another scan id and start time."""
    return ScanResult(replace(result.scan, id=scan_id, started_at=started_at), result.graph, result.findings,
                      result.inventories, result.scores, result.extra)


def test_scans_saved_within_the_same_second_keep_their_saving_order(project: Project) -> None:
    base = project.scan(V1, save=False)
    second = "2026-11-20T08:00:00+00:00"
    with project.store() as store:
        # ids whose random suffix sorts against the saving order
        for scan_id in ("20261120T080000Z-ffff", "20261120T080000Z-8000", "20261120T080000Z-0000"):
            store.save(_as(base, scan_id, second))
        assert [s.id for s in store.scans()] == ["20261120T080000Z-ffff", "20261120T080000Z-8000",
                                                 "20261120T080000Z-0000"]
        assert store.resolve_id("latest") == "20261120T080000Z-0000"
        assert store.resolve_id("previous") == "20261120T080000Z-8000"


def _info(scan_id: str) -> ScanInfo:
    return ScanInfo(scan_id, "o", scan_id, 0, 0, 0)


@pytest.mark.parametrize(("count", "keep", "deleted"), [
    (5, 2, ["s0", "s1", "s2"]),
    (5, 5, []),
    (3, 10, []),
    (4, 1, ["s0", "s1", "s2"]),
])
def test_scans_to_prune_are_all_but_the_newest(count: int, keep: int, deleted: list[str]) -> None:
    infos = [_info(f"s{i}") for i in range(count)]
    assert [i.id for i in scans_to_prune(infos, keep)] == deleted


def test_keeping_zero_scans_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        scans_to_prune([_info("s0")], 0)


def test_pruning_through_the_store_keeps_the_newest_and_their_data(project: Project) -> None:
    base = project.scan(V1, save=False)
    ids = [f"2026111{day}T080000Z-abcd" for day in range(1, 7)]
    with project.store() as store:
        for day, scan_id in enumerate(ids, start=1):
            store.save(_as(base, scan_id, f"2026-11-1{day}T08:00:00+00:00"))
        for info in scans_to_prune(store.scans(), 2):
            store.delete(info.id)
        assert [s.id for s in store.scans()] == ids[-2:]
        kept = store.load("previous")
        assert kept.scan.id == ids[-2]
        assert [f.id for f in kept.findings] == [f.id for f in base.findings]
        assert set(kept.graph.tools) == set(base.graph.tools)
