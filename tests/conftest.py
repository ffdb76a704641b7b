"""Shared pytest fixtures. Keep each fixture family in its own module and import it here."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
from demo_scan import demo_result  # noqa: F401  (the demo company scanned once per session; read only)
from neo4j_server import neo4j_server, neo4j_store  # noqa: F401  (a real Neo4j server; store factory)
from wheel_install import installed_wheel  # noqa: F401  (the package built and installed once per session)

#: Fixtures that start (or reach) the real Neo4j server: a test using one is a ``neo4j`` test whatever its module says.
NEO4J_FIXTURES = frozenset({"neo4j_server", "neo4j_store"})

#: Test files named so hold only ``neo4j`` or ``browser`` tests (checked below whenever they are collected): a run that
#: deselects both (``make check``, the first half of ``make test``) does not even import them (Neo4j's driver and
#: Playwright cost each pytest-xdist worker ~0.65 s of CPU to import).
SERVER_ONLY_FILES = ("test_*neo4j*.py", "test_*browser*.py")
WITHOUT_SERVERS = "not neo4j and not browser"


def _server_only(path: Path) -> bool:
    return any(fnmatch(path.name, pattern) for pattern in SERVER_ONLY_FILES)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip the server-only files when the run's ``-m`` is exactly :data:`WITHOUT_SERVERS` (else: no opinion)."""
    if config.getoption("markexpr", "") == WITHOUT_SERVERS and collection_path.is_file() \
            and _server_only(collection_path):
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs the Neo4j server ``neo4j``, so ``-m "not neo4j"`` (``make check``) never starts it;
    refuse a test that is neither in a server-only file; group the tests of the installed wheel on one
    pytest-xdist worker, so it is built once."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if NEO4J_FIXTURES & fixtures:
            item.add_marker(pytest.mark.neo4j)
        if _server_only(item.path) and not (item.get_closest_marker("neo4j") or item.get_closest_marker("browser")):
            raise pytest.UsageError(f"{item.nodeid} needs neither Neo4j nor a browser, but its file's name says it "
                                    f"does ({', '.join(SERVER_ONLY_FILES)}): `make check` would never run it; move it")
        if "installed_wheel" in fixtures:  # under pytest-xdist (--dist loadgroup) one worker builds the wheel once
            item.add_marker(pytest.mark.xdist_group("installed_wheel"))


@pytest.fixture(scope="session", autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The pre-built catalog cache in a folder of this test run, never the user's ``~/.cache/auditor`` (the CLI
    subprocesses the tests start inherit it); a test that sets ``AUDITOR_CACHE_DIR`` itself still wins."""
    base = tmp_path_factory.getbasetemp()
    # pytest-xdist's workers share their run's folder: the cache is built once per run (its writes are atomic)
    cache = base.parent / "auditor-cache" if os.environ.get("PYTEST_XDIST_WORKER") else base / "auditor-cache"
    cache.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDITOR_CACHE_DIR", str(cache))
        yield


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Collect the session's garbage once (a finalizer's unraisable exception is still reported), then freeze what
    is left alive: pytest's five closing collections (``gc_collect_harder``) each walked every cached catalog,
    scan and matcher of the worker again (~0.3 s each) and now only walk what the session's end itself makes."""
    gc.collect()
    gc.freeze()
