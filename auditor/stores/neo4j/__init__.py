"""Neo4j store: the landscape as a shared graph (see docs/neo4j.md).

``store: {type: neo4j, uri: bolt://host:7687, user: neo4j, password_env: NEO4J_PASSWORD, database: neo4j}``
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from auditor.progress import ProgressDisplay
from auditor.stores.neo4j.store import Neo4jStore, open_neo4j_store


def open_store(organization: str, options: Mapping[str, Any], base_dir: Path,
               display: ProgressDisplay | None = None) -> Neo4jStore:
    """Registry factory: the Neo4j store named by the config's ``store:`` options, showing its saves on ``display``."""
    del base_dir  # a server store has no local files
    return open_neo4j_store(organization, options, display)


__all__ = ["Neo4jStore", "open_neo4j_store", "open_store"]
