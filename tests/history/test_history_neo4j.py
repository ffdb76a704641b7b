"""History on the Neo4j store (real server): diff, latest/previous, --fail-on-new and pruning use only the Store
interface, so they give the same answers as on the embedded store."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from history_fixtures import V1, V2, Project

from auditor.cli import main
from auditor.cli.scans import scans_to_prune
from auditor.diff import diff
from auditor.result import ScanResult
from auditor.stores.neo4j.store import Neo4jStore

pytestmark = pytest.mark.neo4j


def _store(target, organization: str) -> Neo4jStore:  # type: ignore[no-untyped-def]
    return Neo4jStore(organization, uri=target.uri, user=target.user, password=target.password or None,
                      database=target.database)


def _as(result: ScanResult, organization: str, scan_id: str, started_at: str) -> ScanResult:
    scan = replace(result.scan, id=scan_id, organization=organization, started_at=started_at)
    return ScanResult(scan, result.graph, result.findings, result.inventories, result.scores, result.extra)


def test_diff_of_scans_stored_in_neo4j_equals_the_in_memory_diff(neo4j_server, project: Project) -> None:
    organization = f"history-{uuid.uuid4().hex[:8]}"
    old = _as(project.scan(V1, save=False), organization, "20261101T070000Z-aaaa", "2026-11-01T07:00:00+00:00")
    new = _as(project.scan(V2, save=False), organization, "20261108T070000Z-bbbb", "2026-11-08T07:00:00+00:00")
    with _store(neo4j_server, organization) as store:
        store.save(old)
        store.save(new)
        assert diff(store.load("previous"), store.load("latest")) == diff(old, new)
        assert diff(store.load("latest"), store.load("latest")).is_empty


def test_pruning_a_neo4j_store_keeps_the_newest(neo4j_server, project: Project) -> None:
    organization = f"history-{uuid.uuid4().hex[:8]}"
    base = project.scan(V1, save=False)
    ids = [f"2026110{day}T070000Z-cccc" for day in range(1, 5)]
    with _store(neo4j_server, organization) as store:
        for day, scan_id in enumerate(ids, start=1):
            store.save(_as(base, organization, scan_id, f"2026-11-0{day}T07:00:00+00:00"))
        for info in scans_to_prune(store.scans(), 2):
            store.delete(info.id)
        assert [s.id for s in store.scans()] == ids[-2:]
        assert [f.id for f in store.load("previous").findings] == [f.id for f in base.findings]


def test_history_commands_on_a_neo4j_config(neo4j_server, project: Project, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    organization = f"history-{uuid.uuid4().hex[:8]}"
    store: dict[str, object] = {"type": "neo4j", "uri": neo4j_server.uri, "user": neo4j_server.user,
                                "database": neo4j_server.database}
    if neo4j_server.password:
        monkeypatch.setenv("HISTORY_NEO4J_PASSWORD", neo4j_server.password)
        store["password_env"] = "HISTORY_NEO4J_PASSWORD"
    config = yaml.safe_load(project.config.read_text(encoding="utf-8"))
    config.update(organization=organization, store=store)
    project.config.write_text(yaml.safe_dump(config), encoding="utf-8")

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["-q", *args], catch_exceptions=False)
        return result.exit_code, result.stdout

    # the baseline is saved a week earlier: scans within one second have no defined order in this store
    with _store(neo4j_server, organization) as saved:
        saved.save(_as(project.scan(V1, save=False), organization, "20261101T070000Z-dddd",
                       "2026-11-01T07:00:00+00:00"))
    project.write(V2)
    assert run("scan", "-c", str(project.config), "--out", "r2", "--fail-on", "high", "--fail-on-new")[0] == 1
    code, out = run("diff", "-c", str(project.config), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert {t["id"] for t in data["tools_added"]} == {"bi"}
    assert {i["key"] for i in data["integrations_broken"]} == {"erp->ftp:file"}
    assert run("scans", "prune", "-c", str(project.config), "--keep", "1")[0] == 0
    listed = json.loads(run("scans", "list", "-c", str(project.config), "--json")[1])
    assert [s["tools"] for s in listed] == [4]
