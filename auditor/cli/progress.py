"""The terminal's progress display: a transient rich ``Progress`` (a :class:`~auditor.progress.ProgressDisplay`).

Shown only when :func:`auditor.cli.scan.execute_scan` runs interactively (stderr is a terminal and
``-q`` was not given): one shows the scan's stage and the API connectors' pages, another, passed to the
store's constructor, the save's progress (:class:`auditor.stores.save_display.SaveDisplay`).
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


def terminal_progress(console: Console) -> Progress:
    """A rich ``Progress`` (spinner, description, counts) for ``console``; start it with ``with``."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=console, transient=True)
