"""Page progress on the scan's :class:`~auditor.progress.ProgressDisplay` when there is one; silent otherwise.

``ConnectorContext.progress`` is either None (tests, scheduled jobs, ``--quiet``) or the display the
CLI started; :class:`PageProgress` adds one task per endpoint ("okta: apps — 12 pages, 2,400 items")
and removes it when the endpoint is done.
"""

from __future__ import annotations

from typing import Any

from auditor.progress import ProgressDisplay


class PageProgress:
    """Counts pages and items per endpoint on ``progress`` if given."""

    def __init__(self, progress: ProgressDisplay | None, source: str) -> None:
        self._progress = progress
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

