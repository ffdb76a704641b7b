"""A store's save progress on a :class:`~auditor.progress.ProgressDisplay` (the one progress protocol).

A store whose saves take long (Neo4j) receives the display in its constructor and, for each save,
feeds a :class:`SaveDisplay` with its :class:`~auditor.stores.base.SaveProgress` events. The display
names the store by its type (``neo4j``), never by its URI, so no credentials can show.
"""

from __future__ import annotations

from typing import Any

from auditor.progress import ProgressDisplay
from auditor.stores.base import STALE_PHASE


def describe(phase: str) -> str:
    """A phase as people read it: ``nodes:Tool`` → ``Tool nodes``, ``stale`` → ``stale removal``."""
    group, _, name = phase.partition(":")
    if not name:
        return "stale removal" if phase == STALE_PHASE else phase
    return f"{name} {group}"


class SaveDisplay:
    """A :class:`~auditor.stores.base.SaveProgress` shown on a :class:`~auditor.progress.ProgressDisplay`.

    One line counts the rows written against the totals announced so far (``neo4j: 12,000/185,000 rows
    written``); one line per running phase (a label, a relationship kind, the stale removal) shows its
    own count and total, and goes when the phase is done.
    """

    def __init__(self, progress: ProgressDisplay, label: str) -> None:
        self._progress = progress
        self._label = label
        self._phases: dict[str, tuple[int, int | None]] = {}
        self._tasks: dict[str, Any] = {}
        self._overall = progress.add_task(f"{label}: preparing the sync…", total=None)

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        """Record ``done`` of ``total`` rows of ``phase`` and refresh the lines."""
        self._phases[phase] = (done, total)
        finished = total is not None and done >= total
        task = self._tasks.get(phase)
        if finished:
            if task is not None:
                self._progress.remove_task(self._tasks.pop(phase))
        elif done > 0:
            of = f"/{total:,}" if total is not None else ""
            text = f"{self._label}: {describe(phase)} {done:,}{of}"
            if task is None:
                self._tasks[phase] = self._progress.add_task(text, total=total, completed=done)
            else:
                self._progress.update(task, description=text, total=total, completed=done)
        if phase == STALE_PHASE:
            return
        rows = sum(d for p, (d, _) in self._phases.items() if p != STALE_PHASE)
        known = sum(t if t is not None else d for p, (d, t) in self._phases.items() if p != STALE_PHASE)
        self._progress.update(self._overall, description=f"{self._label}: {rows:,}/{known:,} rows written",
                              total=known, completed=rows)

    def close(self) -> None:
        """Remove this save's lines from the display (the save is over)."""
        for task in (*self._tasks.values(), self._overall):
            self._progress.remove_task(task)
        self._tasks.clear()
