"""Shared pytest fixtures. Keep each fixture family in its own module and import it here."""

from neo4j_server import neo4j_server, neo4j_store  # noqa: F401  (a real Neo4j server; store factory)
