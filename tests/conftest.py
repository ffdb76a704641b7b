"""Shared pytest fixtures. Keep each fixture family in its own module and import it here."""

from neo4j_server import neo4j_server  # noqa: F401  (session fixture: a real Neo4j server)
