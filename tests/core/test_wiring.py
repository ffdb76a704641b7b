"""The core is wired from outside: prepared sources and one progress display passed in; `Store` keeps only
what every store does."""

from __future__ import annotations

import shutil
from typing import Any

from click.testing import CliRunner
from rich.console import Console

from auditor.cli import main
from auditor.cli.progress import terminal_progress
from auditor.cli.scan import demo_config_path
from auditor.config import load_config
from auditor.pipeline import run_scan
from auditor.stores.base import Store
from auditor.stores.embedded import EmbeddedStore
from connectors.prepare import prepare_sources


class Recording:
    """A :class:`~auditor.progress.ProgressDisplay` that keeps every description it is shown."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.tasks: set[int] = set()

    def add_task(self, description: str, *, total: float | None = None, completed: int = 0) -> int:
        self.shown.append(description)
        self.tasks.add(len(self.shown))
        return len(self.shown)

    def update(self, task_id: Any, *, total: float | None = None, completed: float | None = None,
               advance: float | None = None, description: str | None = None) -> None:
        assert task_id in self.tasks
        if description:
            self.shown.append(description)

    def remove_task(self, task_id: Any) -> None:
        self.tasks.remove(task_id)


def test_run_scan_reads_only_the_sources_it_is_given_and_shows_its_stages():
    config = load_config(demo_config_path())
    prepared = prepare_sources(config)
    display = Recording()
    result = run_scan(config, prepared[:1], display=display)
    assert [s.name for s in result.scan.sources] == [prepared[0].config.name]
    assert display.shown == ["scanning…", f"reading source {prepared[0].config.name}…", "running resolve…",
                             "running analyses…", "running plan…"]


def test_the_terminal_display_is_a_progress_display():
    display = terminal_progress(Console(force_terminal=False))
    with display:
        task = display.add_task("x", total=None)
        display.update(task, description="y")
        display.remove_task(task)
    assert display.tasks == []


def test_the_store_interface_has_no_neo4j_lease_and_unlock_says_the_embedded_store_holds_none(tmp_path):
    assert not hasattr(Store, "release_sync_lease")
    assert not hasattr(EmbeddedStore, "release_sync_lease")
    demo = tmp_path / "demo"
    shutil.copytree(demo_config_path().parent, demo)
    result = CliRunner().invoke(main, ["scans", "unlock", "-c", str(demo / "auditor.yaml")])
    assert result.exit_code == 0, result.output
    assert "no sync lease is held for" in " ".join(result.output.split())
    assert "(embedded store)" in " ".join(result.output.split())
