"""Page progress on a rich ``Progress`` when the scan runs on a terminal; silent otherwise.

``ConnectorContext.progress`` is either None (tests, scheduled jobs, ``--quiet``) or a
``rich.progress.Progress`` the CLI started; :class:`PageProgress` adds one task per endpoint
("okta: apps — 12 pages, 2,400 items") and removes it when the endpoint is done.
"""

from __future__ import annotations

from typing import Any


class PageProgress:
    """Counts pages and items per endpoint on ``progress`` (a rich ``Progress``) if given."""

    def __init__(self, progress: Any, source: str) -> None:
        self._progress = progress if hasattr(progress, "add_task") else None
        self._source = source

    def start(self, label: str) -> Any:
        """Begin an endpoint; returns a handle for :meth:`page` and :meth:`done`."""
        if self._progress is None:
            return None
        return self._progress.add_task(f"{self._source}: {label}", total=None)

    def page(self, handle: Any, label: str, pages: int, items: int) -> None:
        """One more page read (``pages`` and ``items`` are running totals)."""
        if self._progress is not None and handle is not None:
            self._progress.update(handle, advance=1,
                                  description=f"{self._source}: {label} — {pages} pages, {items:,} items")

    def done(self, handle: Any) -> None:
        """The endpoint is finished."""
        if self._progress is not None and handle is not None:
            self._progress.remove_task(handle)


def terminal_progress(console: Any) -> Any:
    """A rich ``Progress`` (spinner, description, counts) for ``console``; start it with ``with``."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=console, transient=True)
