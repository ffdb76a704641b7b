"""The one progress protocol: a live display of tasks that the CLI passes in and everything else reports on.

A :class:`ProgressDisplay` is what a ``rich.progress.Progress`` already is (the CLI passes one in on a
terminal; tests and scheduled jobs pass None): the pipeline shows its stage on one task, an API
connector adds one task per endpoint with its page count, the Neo4j store's save one per phase (through
its :class:`~auditor.stores.base.SaveProgress` adapter). Nobody probes it with ``hasattr``: it is
given by constructors (``run_scan(..., progress=)``, ``ConnectorContext.progress``) or it is None.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)


class ProgressDisplay(Protocol):
    """A live display of tasks, each a line with a description and a count (``rich.progress.Progress``)."""

    def add_task(self, description: str, *, total: float | None = ..., completed: int = ...) -> Any:
        """Show a new task; returns its handle."""

    def update(self, task_id: Any, *, total: float | None = ..., completed: float | None = ...,
               advance: float | None = ..., description: str | None = ...) -> None:
        """Change a task's description or counts."""

    def remove_task(self, task_id: Any) -> None:
        """Stop showing a task."""


class StageLine:
    """The scan's own line on a display: ``reading source okta…``, ``running analyses…`` (and a debug log)."""

    def __init__(self, display: ProgressDisplay | None) -> None:
        self._display = display
        self._task = display.add_task("scanning…", total=None) if display is not None else None

    def __call__(self, event: str, detail: str) -> None:
        """``event`` is ``source`` (reading one) or ``stage`` (``resolve``, ``analyses``, ``plan``)."""
        log.debug("%s: %s", event, detail)
        if self._display is not None:
            self._display.update(self._task, description=f"{'reading source' if event == 'source' else 'running'} "
                                                         f"{detail}…")
