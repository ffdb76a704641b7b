"""A pytest-httpserver that stops at once: for the tests that need a server of their own.

pytest-httpserver's thread runs werkzeug's ``serve_forever()`` with socketserver's default poll of
0.5 s, so each ``stop()`` waited up to half a second for the loop to notice the shutdown request.
Polling every 10 ms makes a stop take about that long; what the server serves is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pytest_httpserver import HTTPServer

#: Seconds between the server loop's checks for a shutdown request.
POLL_INTERVAL = 0.01


class QuickStopServer(HTTPServer):
    """An ``HTTPServer`` whose ``stop()`` returns within about :data:`POLL_INTERVAL` seconds."""

    def thread_target(self) -> None:
        """Serve until stopped, checking for the stop every :data:`POLL_INTERVAL` seconds."""
        assert self.server is not None
        self.server.serve_forever(poll_interval=POLL_INTERVAL)


@contextmanager
def running(**options: Any) -> Iterator[QuickStopServer]:
    """A started :class:`QuickStopServer` (``options`` as ``HTTPServer`` takes them), cleared and stopped after."""
    server = QuickStopServer(**options)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()
