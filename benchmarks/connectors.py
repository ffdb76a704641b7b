"""Benchmark the API connectors' HTTP layer: 100,000 Okta apps over 500 pages from a local server,
and per-app assignment calls one after the other vs. concurrently.

Usage::

    .venv/bin/python benchmarks/connectors.py [--apps 100000] [--pages 500] [--runs 3]
    .venv/bin/python benchmarks/connectors.py --assignments 1000 [--delay-ms 20] [--concurrency 1 4] [--runs 3]

A stdlib ``ThreadingHTTPServer`` in a separate process serves pre-built pages of Okta app objects
(the recorded app shape from tests/data/okta, with unique ids and labels) linked by
``Link: rel="next"`` headers, checking the ``SSWS`` token like Okta. The real ``okta`` connector
reads them over HTTP and transforms them. Printed per run: seconds for ``get`` (HTTP, JSON parsing,
pagination), for ``transform``, in total, and apps/s.

Without ``--assignments`` the connector reads the apps only (``assignments: false``). With
``--assignments N`` the org has N apps (200 per page) and every app's ``/users`` and ``/groups``
answer after a fixed ``--delay-ms`` (a stand-in for a real API's latency); the connector reads them
with each ``--concurrency`` value in turn, and the raw results of every value must be identical.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import timed  # noqa: E402
from connectors.base import ConnectorContext  # noqa: E402
from connectors.okta import OktaConnector, OktaSettings  # noqa: E402

TEMPLATE = Path(__file__).resolve().parent.parent / "tests" / "data" / "okta" / "apps-page2.json"
TOKEN = "benchmark-token-0000"


def build_pages(apps: int, pages: int, port: int) -> list[bytes]:
    """``pages`` JSON bodies holding ``apps`` app objects in total."""
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))[1]
    per_page = -(-apps // pages)
    bodies = []
    for page in range(pages):
        items = []
        for n in range(page * per_page, min(apps, (page + 1) * per_page)):
            app = dict(template, id=f"0oa{n:017d}", label=f"Benchmark App {n}", name=f"app_{n % 997}")
            app["settings"] = {"app": {"url": f"https://app{n % 5000}.example.com/login"}}
            items.append(app)
        bodies.append(json.dumps(items).encode())
    return bodies


def assignment_body(path: str) -> bytes:
    """An app's users (two, with departments) or groups (one, embedded) for ``/api/v1/apps/{id}/{kind}``."""
    number = int(path.split("/")[-2][3:])
    if path.endswith("/users"):
        body: list[Any] = [{"id": f"00u{number}-{n}", "profile": {"department": f"Dept {(number + n) % 7}"}}
                           for n in range(2)]
    else:
        body = [{"id": f"00g{number % 40}", "_embedded": {"group": {"profile": {"name": f"Team {number % 40}"}}}}]
    return json.dumps(body).encode()


def serve(port: int, apps: int, pages: int, ready: Any, delay: float = 0.0) -> None:
    """Run the fake Okta until killed (in a child process); assignment calls answer after ``delay`` s."""
    bodies = build_pages(apps, pages, port)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

        def do_GET(self) -> None:  # noqa: N802
            if self.headers.get("Authorization") != f"SSWS {TOKEN}":
                self.send_error(401)
                return
            url = urlsplit(self.path)
            if url.path != "/api/v1/apps":  # /api/v1/apps/{id}/users or /groups
                time.sleep(delay)
                self.answer(assignment_body(url.path))
                return
            page = int(parse_qs(url.query).get("after", ["0"])[0])
            self.answer(bodies[page], page + 1 if page + 1 < len(bodies) else None)

        def answer(self, body: bytes, next_page: int | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if next_page is not None:
                self.send_header("Link", f'<http://127.0.0.1:{port}/api/v1/apps?after={next_page}&limit=200>; '
                                         'rel="next"')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    ready.set()
    server.serve_forever()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def okta_connector(port: int, **settings: Any) -> OktaConnector:
    """The real ``okta`` connector aimed at the local server."""
    values = {"base_url": f"http://127.0.0.1:{port}", "token_env": "BENCH_OKTA_TOKEN", **settings}
    return OktaConnector(OktaSettings(**values), ConnectorContext("okta", Path.cwd()))


def run_once(port: int) -> tuple[float, float, int]:
    """One read of the whole org: (get seconds, transform seconds, tools reported)."""
    return timed(okta_connector(port, assignments=False))


def measure_apps(port: int, apps: int, pages: int, runs: int) -> None:
    """The apps-only benchmark: ``runs`` reads of ``apps`` apps over ``pages`` pages."""
    per_page = -(-apps // pages)
    megabytes = len(build_pages(per_page, 1, port)[0]) * pages / 1e6
    print(f"okta: {apps:,} apps over {pages} pages ({per_page} apps, ~{megabytes:.0f} MB of JSON in all) "
          "from a local server (separate process)")
    totals = []
    for run in range(1, runs + 1):
        get_s, transform_s, tools = run_once(port)
        total = get_s + transform_s
        totals.append(total)
        assert tools == apps, f"expected {apps} tools, got {tools}"
        print(f"  run {run}: get {get_s:.2f} s, transform {transform_s:.2f} s, total {total:.2f} s, "
              f"{apps / total:,.0f} apps/s")
    best = min(totals)
    print(f"best {best:.2f} s ({apps / best:,.0f} apps/s); median {statistics.median(totals):.2f} s")


def measure_assignments(port: int, apps: int, delay_ms: float, levels: list[int], runs: int) -> None:
    """``runs`` reads of ``apps`` apps with their users and groups at each concurrency in ``levels``."""
    calls = 2 * apps
    print(f"okta: {apps:,} apps with assignments ({calls:,} calls of /users and /groups, each answered after "
          f"{delay_ms:g} ms) from a local server (separate process)")
    reference: str | None = None
    for level in levels:
        totals = []
        for run in range(1, runs + 1):
            connector = okta_connector(port, concurrency=level)
            started = time.perf_counter()
            raw = connector.get()
            got = time.perf_counter()
            tools = len(connector.transform(raw).tools)
            total = time.perf_counter() - started
            assert tools == apps, f"expected {apps} tools, got {tools}"
            dumped = json.dumps(raw)
            reference = reference or dumped
            assert dumped == reference, f"concurrency {level} read something else than concurrency {levels[0]}"
            totals.append(total)
            print(f"  concurrency {level}, run {run}: get {got - started:.2f} s, total {total:.2f} s, "
                  f"{calls / (got - started):,.0f} calls/s")
        print(f"concurrency {level}: best {min(totals):.2f} s, median {statistics.median(totals):.2f} s")
    print("raw results identical at every concurrency")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--assignments", type=int, default=0, metavar="APPS",
                        help="instead: APPS apps with their users and groups (per-app calls)")
    parser.add_argument("--delay-ms", type=float, default=20.0, help="latency of each assignment call")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4], help="concurrency values to compare")
    args = parser.parse_args()
    os.environ["BENCH_OKTA_TOKEN"] = TOKEN
    port = free_port()
    apps, pages = (args.assignments, -(-args.assignments // 200)) if args.assignments else (args.apps, args.pages)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(port, apps, pages, ready, args.delay_ms / 1000),
                                     daemon=True)
    server.start()
    try:
        if not ready.wait(120):
            raise SystemExit("the benchmark server did not start")
        if args.assignments:
            measure_assignments(port, apps, args.delay_ms, args.concurrency, args.runs)
        else:
            measure_apps(port, apps, pages, args.runs)
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
