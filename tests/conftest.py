"""Shared pytest fixtures. Keep each fixture family in its own module and import it here."""

from __future__ import annotations

import pytest
from demo_scan import demo_result  # noqa: F401  (the demo company scanned once per session; read only)
from neo4j_server import neo4j_server, neo4j_store  # noqa: F401  (a real Neo4j server; store factory)
from wheel_install import installed_wheel  # noqa: F401  (the package built and installed once per session)

#: Fixtures that start (or reach) the real Neo4j server: a test using one is a ``neo4j`` test whatever its module says.
NEO4J_FIXTURES = frozenset({"neo4j_server", "neo4j_store"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs the Neo4j server ``neo4j``, so ``-m "not neo4j"`` (``make check``) never starts it;
    group the tests of the installed wheel on one pytest-xdist worker, so it is built once."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if NEO4J_FIXTURES & fixtures:
            item.add_marker(pytest.mark.neo4j)
        if "installed_wheel" in fixtures:  # under pytest-xdist (--dist loadgroup) one worker builds the wheel once
            item.add_marker(pytest.mark.xdist_group("installed_wheel"))

