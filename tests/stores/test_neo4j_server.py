"""The Neo4j test server itself: it answers over Bolt and is the Community 5.26 line."""

import pytest
from neo4j import GraphDatabase
from neo4j_server import Neo4jTarget

pytestmark = pytest.mark.neo4j


def test_server_answers_cypher_over_bolt(neo4j_server: Neo4jTarget) -> None:
    with GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth()) as driver:
        records, _, _ = driver.execute_query("RETURN 41 + $one AS x", one=1, database_=neo4j_server.database)
        components, _, _ = driver.execute_query("CALL dbms.components() YIELD versions RETURN versions")
    assert records[0]["x"] == 42
    assert components[0]["versions"][0].startswith("5.")
