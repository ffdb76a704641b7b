"""Every saved query of schemas/neo4j-saved-queries.cypher runs on a real graph and finds what it names."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j_server import Neo4jTarget

from auditor.analyses.registry import finding_types
from auditor.cli.scan import demo_config_path
from auditor.config import load_config
from auditor.stores.neo4j import schema
from connectors.prepare import scan_config

pytestmark = pytest.mark.neo4j

QUERIES = Path(__file__).resolve().parents[2] / "schemas" / "neo4j-saved-queries.cypher"


def saved_queries() -> list[tuple[str, str]]:
    """(name, query) pairs: blocks separated by blank lines, named by their first comment line."""
    found = []
    for block in re.split(r"\n\s*\n", QUERIES.read_text(encoding="utf-8")):
        lines = block.strip().splitlines()
        code = [line for line in lines if not line.lstrip().startswith("//")]
        if not code:
            continue
        name = lines[0].lstrip("/ ").strip()
        found.append((name, "\n".join(code).strip().rstrip(";")))
    return found


def test_the_file_has_one_query_per_finding_type() -> None:
    names = [name for name, _ in saved_queries()]
    for finding_type in finding_types():
        assert any(name.startswith(f"Finding {finding_type}:") for name in names), finding_type


def test_the_generated_constraints_cover_every_label() -> None:
    statements = schema.constraint_statements()
    assert len(statements) == len(schema.ALL_NODES)
    assert all("IF NOT EXISTS" in s and "n.organization" in s for s in statements)


def test_the_constraints_file_is_the_generated_one() -> None:
    path = QUERIES.with_name("neo4j-constraints.cypher")
    assert path.read_text(encoding="utf-8") == schema.constraints_file()


def test_the_constraints_file_runs_twice_on_the_server(neo4j_server: Neo4jTarget) -> None:
    statements = [line.rstrip(";") for line in schema.constraints_file().splitlines()
                  if line and not line.startswith("//")]
    with GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth()) as driver:
        for _ in range(2):
            for statement in statements:
                driver.execute_query(statement, database_=neo4j_server.database)
        records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names",
                                             database_=neo4j_server.database)
    assert {f"auditor_{node.label.lower()}_key" for node in schema.ALL_NODES} <= set(records[0]["names"])


@pytest.fixture(scope="module")
def demo_graph(neo4j_server: Neo4jTarget) -> Iterator[str]:
    from auditor.stores.neo4j import Neo4jStore

    organization = f"Queries-{uuid.uuid4().hex[:8]}"
    result = scan_config(replace(load_config(demo_config_path()), organization=organization))
    with Neo4jStore(organization, neo4j_server.uri, neo4j_server.user, neo4j_server.password or None,
                    neo4j_server.database) as store:
        store.save(result)
    yield organization
    with GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth()) as driver:
        driver.execute_query("MATCH (n {organization: $organization}) DETACH DELETE n", organization=organization,
                             database_=neo4j_server.database)


@pytest.mark.parametrize(("name", "query"), saved_queries(), ids=[name for name, _ in saved_queries()])
def test_saved_query_runs_and_finds_rows(name: str, query: str, demo_graph: str, neo4j_server: Neo4jTarget) -> None:
    with GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth()) as driver:
        records, _, _ = driver.execute_query(query, organization=demo_graph, database_=neo4j_server.database)
    assert records, f"saved query '{name}' returned nothing on the demo company"
    if name.startswith("Finding "):
        finding_type = name.split()[1].rstrip(":")
        assert {r["f"]["type"] for r in records} == {finding_type}
        assert all(r["c"] is not None for r in records)
