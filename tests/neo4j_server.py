"""A real Neo4j server for the tests.

If ``NEO4J_URI`` is set, the tests use that server (with ``NEO4J_USER``,
``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``). Otherwise a Neo4j Community server
built from Maven Central (``scripts/neo4j-test-server.sh``) is started on a free
loopback port with a temporary data directory, and stopped at the end of the
session. The tests never skip: if the server cannot start, every test that needs
it errors with the server's log.

Every test works inside its own organization, so the tests also run against a
shared server without touching anything else in it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "neo4j-test-server.sh"
READY_MARK = "NEO4J_READY"
START_TIMEOUT = float(os.environ.get("NEO4J_TEST_START_TIMEOUT", "180"))


@dataclass(frozen=True)
class Neo4jTarget:
    """Where the tests' Neo4j answers, and how to log in."""

    uri: str
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"

    def auth(self) -> tuple[str, str] | None:
        """Driver auth tuple, or None when the server runs without authentication."""
        return (self.user, self.password) if self.password else None


class Neo4jTestServer:
    """A Neo4j Community process started from ``scripts/neo4j-test-server.sh``."""

    def __init__(self, home: Path, heap: str | None = None, conf: tuple[str, ...] = (),
                 password: str | None = None) -> None:
        self.home = home
        self.password = password
        self.heap = heap
        self.conf = conf
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = home / "server.log"
        self.startup_seconds = 0.0

    @property
    def uri(self) -> str:
        """Bolt URI of the running server."""
        return f"bolt://127.0.0.1:{self.port}"

    def target(self) -> Neo4jTarget:
        """Where this server answers, with its credentials."""
        return Neo4jTarget(self.uri, password=self.password or "")

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's output, for error messages."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    def start(self, port: int | None = None) -> None:
        """Start the server (on ``port``, else a free one) and wait until Bolt answers; RuntimeError otherwise."""
        fetch = subprocess.run([str(SCRIPT), "fetch"], capture_output=True, text=True, check=False)
        if fetch.returncode != 0:
            raise RuntimeError(f"could not fetch the Neo4j test server:\n{fetch.stdout}\n{fetch.stderr}")
        self.home.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        args = [str(SCRIPT), "run", "--home", str(self.home / "dbms"), "--port", str(self.port)]
        for item in self.conf:
            args += ["--conf", item]
        if self.password:
            args += ["--password", self.password]
        env = dict(os.environ)
        if self.heap:
            env["NEO4J_TEST_HEAP"] = self.heap
        started = time.monotonic()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = started + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Neo4j test server exited with {self.process.returncode} before it was ready:\n"
                    + self.log_tail()
                )
            if READY_MARK in self.log_tail(100_000):
                break
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError(f"Neo4j test server not ready after {START_TIMEOUT:.0f}s:\n{self.log_tail()}")
        wait_for_bolt(self.target(), timeout=30)
        self.startup_seconds = time.monotonic() - started

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 30 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self, same_port: bool = False) -> None:
        """Start the server again on the same data directory (on the same port if asked)."""
        self.stop()
        self.start(self.port if same_port else None)


def free_port() -> int:
    """A TCP port that is free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_bolt(target: Neo4jTarget, timeout: float) -> None:
    """Wait until a query over Bolt succeeds; raise RuntimeError after ``timeout`` seconds."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with GraphDatabase.driver(target.uri, auth=target.auth()) as driver:
                driver.execute_query("RETURN 1", database_=target.database)
            return
        except (ServiceUnavailable, Neo4jError, OSError) as exc:
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"Neo4j at {target.uri} does not answer over Bolt: {last}")


def target_from_env() -> Neo4jTarget | None:
    """The server named by NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE, if any."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return Neo4jTarget(
        uri=uri,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jTarget]:
    """The Neo4j the tests use: ``NEO4J_URI`` if set, else a test server started for the session."""
    external = target_from_env()
    if external is not None:
        wait_for_bolt(external, timeout=30)
        yield external
        return
    server = Neo4jTestServer(tmp_path_factory.mktemp("neo4j"))
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(f"the Neo4j test server did not start (tests need it, they do not skip): {exc}")
    try:
        yield Neo4jTarget(server.uri)
    finally:
        server.stop()


# --- helpers for the Neo4j store tests ---------------------------------------------------------------

def dump_graph(target: Neo4jTarget, organization: str, *, ignore: tuple[str, ...] = ()) -> tuple[set[Any], set[Any]]:
    """Every node and relationship of one organization as comparable tuples (all properties).

    Nodes are ``(labels, properties)``, relationships ``(start, type, properties, end)`` where
    start/end are the end nodes' labels and key properties; ``ignore`` drops properties by name.
    """
    from neo4j import GraphDatabase

    def clean(props: dict[str, Any]) -> frozenset[Any]:
        return frozenset((k, tuple(v) if isinstance(v, list) else v) for k, v in props.items() if k not in ignore)

    with GraphDatabase.driver(target.uri, auth=target.auth()) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n {organization: $organization}) RETURN labels(n) AS labels, properties(n) AS p",
            organization=organization, database_=target.database)
        rels, _, _ = driver.execute_query(
            "MATCH (a {organization: $organization})-[r]->(b) "
            "RETURN labels(a) AS al, properties(a) AS ap, type(r) AS t, properties(r) AS p, "
            "labels(b) AS bl, properties(b) AS bp",
            organization=organization, database_=target.database)

    def ident(labels: list[str], props: dict[str, Any]) -> tuple[Any, ...]:
        keys = ("organization", "id", "name", "flow")
        return (tuple(sorted(labels)), tuple((k, props.get(k)) for k in keys))

    node_set = {(tuple(sorted(r["labels"])), clean(r["p"])) for r in nodes}
    rel_set = {(ident(r["al"], r["ap"]), r["t"], clean(r["p"]), ident(r["bl"], r["bp"])) for r in rels}
    assert len(node_set) == len(nodes), "duplicate nodes in the graph"
    assert len(rel_set) == len(rels), "duplicate relationships in the graph"
    return node_set, rel_set


def drop_organization(target: Neo4jTarget, organization: str) -> None:
    """Delete every node (and relationship) of one organization."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(target.uri, auth=target.auth()) as driver:
        driver.execute_query("MATCH (n {organization: $organization}) DETACH DELETE n",
                             organization=organization, database_=target.database)


def release_lease_by_hand(target: Neo4jTarget, organization: str) -> None:
    """Release an organization's sync lease with the Cypher docs/neo4j.md gives for a crashed run."""
    from neo4j import GraphDatabase

    from auditor.stores.neo4j.lease import MANUAL_RELEASE

    with GraphDatabase.driver(target.uri, auth=target.auth()) as driver:
        driver.execute_query(MANUAL_RELEASE, organization=organization, database_=target.database)


@pytest.fixture()
def neo4j_store(neo4j_server: Neo4jTarget) -> Iterator[Callable[..., Any]]:
    """Factory of Neo4j stores on the test server; each test's organizations are dropped afterwards."""
    from auditor.stores.neo4j import Neo4jStore

    made: list[Any] = []

    def make(organization: str, **options: Any) -> Any:
        store = Neo4jStore(organization, neo4j_server.uri, neo4j_server.user, neo4j_server.password or None,
                           neo4j_server.database, **options)
        made.append(store)
        return store

    yield make
    for store in made:
        drop_organization(neo4j_server, store.organization)
        store.close()
