"""The store's save progress on a terminal: a rich display fed by :class:`~auditor.stores.base.SaveProgress`.

Shown only when :func:`auditor.cli.scan.execute_scan` runs interactively (stderr is a terminal and
``-q`` was not given), on the same transient rich ``Progress`` that shows the scan's stage and the API
connectors' pages (:func:`terminal_progress`, a :class:`~auditor.progress.ProgressDisplay`). It names
the store by its type (``neo4j``), never by its URI, so no credentials can show.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from auditor.progress import ProgressDisplay
from auditor.stores.base import STALE_PHASE, Store


def terminal_progress(console: Console) -> Progress:
    """A rich ``Progress`` (spinner, description, counts) for ``console``; start it with ``with``."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=console, transient=True)


def describe(phase: str) -> str:
    """A phase as people read it: ``nodes:Tool`` → ``Tool nodes``, ``stale`` → ``stale removal``."""
    group, _, name = phase.partition(":")
    if not name:
        return "stale removal" if phase == STALE_PHASE else phase
    return f"{name} {group}"


class RichSaveProgress:
    """A :class:`~auditor.stores.base.SaveProgress` on a rich ``Progress``.

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


@contextmanager
def save_progress(store: Store, label: str, console: Any) -> Iterator[None]:
    """While the block runs, show ``store``'s save progress on ``console``; with ``console`` None, nothing.

    The store's previous ``on_progress`` is put back afterwards, and the display is transient: it
    leaves nothing on the terminal (and never goes to report files).
    """
    if console is None:
        yield
        return
    display = terminal_progress(console)
    previous = store.on_progress
    with display:
        store.on_progress = RichSaveProgress(display, label)
        try:
            yield
        finally:
            store.on_progress = previous
