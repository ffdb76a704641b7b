"""A store's save progress on the one progress protocol (no Neo4j needed: the events are fed by hand)."""

from __future__ import annotations

from typing import Any

from auditor.stores.base import STALE_PHASE
from auditor.stores.save_display import SaveDisplay, describe


class Lines:
    """A :class:`~auditor.progress.ProgressDisplay` that keeps the lines it shows."""

    def __init__(self) -> None:
        self.lines: dict[int, str] = {}
        self.shown: list[str] = []
        self.added = 0

    def add_task(self, description: str, *, total: float | None = None, completed: int = 0) -> Any:
        self.added += 1
        task = self.added
        self.lines[task] = description
        self.shown.append(description)
        return task

    def update(self, task_id: Any, *, total: float | None = None, completed: float | None = None,
               advance: float | None = None, description: str | None = None) -> None:
        if description is not None:
            self.lines[task_id] = description
            self.shown.append(description)

    def remove_task(self, task_id: Any) -> None:
        del self.lines[task_id]


def test_phases_show_a_line_each_while_running_and_the_overall_count_stays():
    display = Lines()
    save = SaveDisplay(display, "neo4j")
    assert list(display.lines.values()) == ["neo4j: preparing the sync…"]
    save("nodes:Tool", 0, 300)
    save("nodes:Tool", 100, 300)
    assert sorted(display.lines.values()) == ["neo4j: 100/300 rows written", "neo4j: Tool nodes 100/300"]
    save("nodes:Tool", 300, 300)
    save("relationships:uses", 0, 50)
    save("relationships:uses", 50, 50)
    assert list(display.lines.values()) == ["neo4j: 350/350 rows written"]
    save(STALE_PHASE, 0, 7)
    save(STALE_PHASE, 3, 7)
    assert "neo4j: stale removal 3/7" in display.lines.values()
    save.close()
    assert display.lines == {}
    assert not any("bolt" in line for line in display.shown)


def test_phase_names_read_as_words():
    assert describe("nodes:Tool") == "Tool nodes"
    assert describe("relationships:integrates_with") == "integrates_with relationships"
    assert describe(STALE_PHASE) == "stale removal"
