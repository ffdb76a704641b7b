"""Fixtures shared by the connector tests: real local HTTP servers and quick retry settings.

* ``httpserver`` (from pytest-httpserver) serves recorded pages over real HTTP on localhost: one server per
  session (``make_httpserver``, overridden here so that it too stops at once), cleared before each test;
* ``threaded_server`` does the same but answers requests concurrently, for slow-answer (timeout) tests;
  it is a fresh server per test (a slow answer may still be running when the test ends) that stops at
  once (:func:`quick_server.running`);
* ``quick_retry`` is a retry policy with short backoffs, so error tests do not wait long.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from quick_server import running

from connectors.http import RetryPolicy


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """pytest-httpserver's session server (behind ``httpserver``), stopping at once at the session's end."""
    with running() as server:
        yield server


@pytest.fixture
def threaded_server() -> Iterator[HTTPServer]:
    """A pytest-httpserver that handles each request in its own thread (a slow answer blocks no other)."""
    with running(threaded=True) as server:
        yield server


@pytest.fixture
def quick_retry() -> RetryPolicy:
    """Three attempts, 10 ms first backoff, Retry-After honoured up to 5 s."""
    return RetryPolicy(attempts=3, backoff=0.01, max_wait=5.0)
