"""Shared pytest fixtures. Keep each fixture family in its own module and import it here."""

from __future__ import annotations

import pytest
from neo4j_server import neo4j_server, neo4j_store  # noqa: F401  (a real Neo4j server; store factory)

#: Fixtures that start (or reach) the real Neo4j server: a test using one is a ``neo4j`` test whatever its module says.
NEO4J_FIXTURES = frozenset({"neo4j_server", "neo4j_store"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs the Neo4j server ``neo4j``, so ``-m "not neo4j"`` (``make check``) never starts it."""
    for item in items:
        if NEO4J_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)
