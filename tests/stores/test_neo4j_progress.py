"""Progress of a Neo4j sync: the phases the store reports, and the CLI display (shown only on a terminal)."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import GraphDatabase
from neo4j_server import Neo4jTarget, drop_organization
from rich.console import Console
from rich.progress import Progress, TaskID
from test_neo4j_failures import write_config
from test_neo4j_store import StoreFactory, org

import auditor.cli.progress as progress_module
import auditor.cli.scan as scan_command
from auditor.cli import main
from auditor.config import DEFAULT_FORMATS
from auditor.stores.base import STALE_PHASE
from auditor.stores.neo4j import schema as s
from auditor.stores.neo4j.sync import node_phase, rel_phase
from benchmarks.neo4j_sync import generate

pytestmark = pytest.mark.neo4j

Event = tuple[str, int, int | None]
WRITE_ORDER = [node_phase(n.label) for n in s.NODES] + [rel_phase(r.name) for r in s.RELATIONSHIPS]


def graph_counts(target: Neo4jTarget, organization: str) -> dict[str, int]:
    """Elements of the organization's landscape in the database, by progress phase."""
    rel_names = {(r.type, r.start.label, r.end.label): r.name for r in s.RELATIONSHIPS}
    with GraphDatabase.driver(target.uri, auth=target.auth()) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n {organization: $organization}) RETURN labels(n)[0] AS label, count(*) AS n",
            organization=organization, database_=target.database)
        rels, _, _ = driver.execute_query(
            "MATCH (a {organization: $organization})-[r]->(b) "
            "RETURN type(r) AS type, labels(a)[0] AS start, labels(b)[0] AS end, count(*) AS n",
            organization=organization, database_=target.database)
    counts = {node_phase(r["label"]): r["n"] for r in nodes if r["label"] not in ("Organization", "Scan")}
    counts.update({rel_phase(rel_names[(r["type"], r["start"], r["end"])]): r["n"] for r in rels})
    return counts


def check_phases(events: list[Event]) -> dict[str, int]:
    """Every phase starts at 0, only goes up, never passes its total and ends at it; returns the totals."""
    by_phase: dict[str, list[Event]] = {}
    for event in events:
        by_phase.setdefault(event[0], []).append(event)
    totals = {}
    for phase, seen in by_phase.items():
        total = seen[0][2]
        assert total is not None and total > 0, phase
        assert seen[0][1] == 0, f"{phase} does not start at 0: {seen}"
        assert all(t == total for _, _, t in seen), f"{phase} changed its total: {seen}"
        done = [d for _, d, _ in seen]
        assert done == sorted(set(done)), f"{phase} went backwards or repeated: {done}"
        assert done[-1] == total, f"{phase} stopped at {done[-1]} of {total}"
        totals[phase] = total
    return totals


def test_a_sync_reports_each_phase_up_to_its_total_and_the_totals_are_the_rows_written(
        neo4j_store: StoreFactory, neo4j_server: Neo4jTarget) -> None:
    organization = org("Progress")
    first = generate(300, organization, "20260101T000000Z-0001")
    events: list[Event] = []
    shown = Recording()
    Recording.shown = []
    store = neo4j_store(organization, batch_size=400, max_batch=400, display=shown,
                        on_progress=lambda phase, done, total: events.append((phase, done, total)))

    store.save(first)
    stats = store.last_stats
    assert stats is not None and stats.batches > 10
    # the display given to the constructor showed the save, and its lines are gone afterwards
    assert f"neo4j: {stats.written:,}/{stats.written:,} rows written" in Recording.shown
    assert shown.tasks == []
    totals = check_phases(events)
    in_graph = graph_counts(neo4j_server, organization)
    assert totals == in_graph  # one phase per label and relationship kind that has elements, no stale removal
    assert set(totals) == {p for p in WRITE_ORDER if p in in_graph} and STALE_PHASE not in totals
    assert totals[node_phase("Tool")] == 300 and totals[rel_phase("integrates_with")] == 3000
    assert sum(totals.values()) == stats.written and stats.touched == 0
    written_order = list(dict.fromkeys(phase for phase, done, _ in events if done > 0))
    assert written_order == [p for p in WRITE_ORDER if p in totals]  # nodes before relationships
    assert len(events) > 2 * len(totals)  # big phases advance over several transactions

    # a week later: 50 tools gone; unchanged elements are re-tagged, the stale ones removed
    second = generate(250, organization, "20260108T000000Z-0002")
    events.clear()
    store.save(second)
    stats = store.last_stats
    assert stats is not None
    totals = check_phases(events)
    after = graph_counts(neo4j_server, organization)
    stale = totals.pop(STALE_PHASE)
    assert totals == after  # every row written (or re-tagged), every stale element gone
    assert sum(totals.values()) == stats.written + stats.touched and stats.touched > 0
    # stale candidates: the first scan's elements no row of the second one matched (changed ones included,
    # which the merge re-tags, so that fewer are deleted)
    assert stale == sum(in_graph.values()) - stats.touched
    assert 0 < stats.deleted <= stale
    assert events[-1][0] == STALE_PHASE


class Recording(Progress):
    """A rich ``Progress`` that keeps every description it was asked to show."""

    shown: list[str] = []

    def add_task(self, description: str, *args: Any, **kwargs: Any) -> TaskID:
        Recording.shown.append(description)
        return super().add_task(description, *args, **kwargs)

    def update(self, task_id: TaskID, **fields: Any) -> None:
        if fields.get("description"):
            Recording.shown.append(str(fields["description"]))
        super().update(task_id, **fields)


def neo4j_config(tmp_path: Path, target: Neo4jTarget, organization: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The starter landscape with a Neo4j store that starts with one-row transactions (so phases take several)."""
    store: dict[str, Any] = {"type": "neo4j", "uri": target.uri, "user": target.user, "database": target.database,
                             "batch_size": 1}
    if target.password:
        monkeypatch.setenv("AUDITOR_TEST_NEO4J_PASSWORD", target.password)
        store["password_env"] = "AUDITOR_TEST_NEO4J_PASSWORD"
    return write_config(tmp_path, store, organization)


@pytest.fixture()
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Descriptions shown on any terminal progress display the CLI opens."""
    Recording.shown = []
    monkeypatch.setattr(progress_module, "terminal_progress", lambda console: Recording(console=console))
    return Recording.shown


def test_scan_on_a_terminal_shows_the_sync_progress_without_the_uri(
        neo4j_server: Neo4jTarget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: list[str]) -> None:
    organization = f"CLI-{uuid.uuid4().hex[:8]}"
    config = neo4j_config(tmp_path, neo4j_server, organization, monkeypatch)
    monkeypatch.setattr(scan_command, "err_console", Console(file=io.StringIO(), force_terminal=True, width=200))
    try:
        result = CliRunner().invoke(main, ["scan", "-c", str(config), "--out", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        counts = graph_counts(neo4j_server, organization)
    finally:
        drop_organization(neo4j_server, organization)
    elements = sum(counts.values())
    assert elements > 20
    assert f"neo4j: {elements:,}/{elements:,} rows written" in recorded
    # the first transaction holds one row: a line for the first label, which has more than one node
    assert recorded.index(f"neo4j: Layer nodes 1/{counts[node_phase('Layer')]}") < recorded.index(
        f"neo4j: {elements:,}/{elements:,} rows written")
    phase_lines = [re.fullmatch(r"neo4j: \w+ (nodes|relationships) (\d+)/(\d+)", line) for line in recorded]
    unfinished = [(int(m[2]), int(m[3])) for m in phase_lines if m]
    assert len(unfinished) >= 3 and all(0 < done < total for done, total in unfinished)
    assert not any(neo4j_server.uri in line or "bolt" in line for line in recorded)
    reports = [r for r in (tmp_path / "out").iterdir() if r.suffix in (".json", ".md", ".html", ".csv")]
    # the config asks for no formats, so the default ones were written, and each of them is checked
    assert DEFAULT_FORMATS and {r.suffix for r in reports} == {f".{f}" for f in DEFAULT_FORMATS}
    for report in reports:
        assert "rows written" not in report.read_text(encoding="utf-8"), report


@pytest.mark.parametrize("terminal, options", [(False, []), (True, ["-q"])], ids=["piped", "quiet on a terminal"])
def test_scan_shows_no_sync_progress_when_piped_or_quiet(
        neo4j_server: Neo4jTarget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: list[str],
        terminal: bool, options: list[str]) -> None:
    organization = f"CLI-{uuid.uuid4().hex[:8]}"
    config = neo4j_config(tmp_path, neo4j_server, organization, monkeypatch)
    screen = io.StringIO()
    if terminal:
        monkeypatch.setattr(scan_command, "err_console", Console(file=screen, force_terminal=True, width=200))
    try:
        result = CliRunner().invoke(main, [*options, "scan", "-c", str(config), "--out", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        saved = graph_counts(neo4j_server, organization)
    finally:
        drop_organization(neo4j_server, organization)
    assert sum(saved.values()) > 20  # the sync did run
    assert recorded == []  # no progress display was opened
    assert "rows written" not in result.output and "nodes" not in result.output
    assert screen.getvalue() == ""
    if not terminal:
        assert "wrote" in result.output  # not quiet: the summary is printed, only the progress is not
    assert saved[node_phase("Tool")] == 2  # the starter landscape's two tools
