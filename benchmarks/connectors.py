"""Benchmark the API connectors' HTTP layer: 100,000 Okta apps over 500 pages from a local server.

Usage::

    .venv/bin/python benchmarks/connectors.py [--apps 100000] [--pages 500] [--runs 3]

A stdlib ``ThreadingHTTPServer`` in a separate process serves pre-built pages of Okta app objects
(the recorded app shape from tests/data/okta, with unique ids and labels) linked by
``Link: rel="next"`` headers, checking the ``SSWS`` token like Okta. The real ``okta`` connector
reads them over HTTP (``assignments: false``: apps only) and transforms them. Printed per run:
seconds for ``get`` (HTTP, JSON parsing, pagination), for ``transform``, in total, and apps/s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
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


def serve(port: int, apps: int, pages: int, ready: Any) -> None:
    """Run the fake Okta until killed (in a child process)."""
    bodies = build_pages(apps, pages, port)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            if self.headers.get("Authorization") != f"SSWS {TOKEN}":
                self.send_error(401)
                return
            query = parse_qs(urlsplit(self.path).query)
            page = int(query.get("after", ["0"])[0])
            body = bodies[page]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if page + 1 < len(bodies):
                self.send_header("Link", f'<http://127.0.0.1:{port}/api/v1/apps?after={page + 1}&limit=200>; '
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


def run_once(port: int) -> tuple[float, float, int]:
    """One read of the whole org: (get seconds, transform seconds, tools reported)."""
    settings = OktaSettings(base_url=f"http://127.0.0.1:{port}", token_env="BENCH_OKTA_TOKEN", assignments=False)
    return timed(OktaConnector(settings, ConnectorContext("okta", Path.cwd())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["BENCH_OKTA_TOKEN"] = TOKEN
    port = free_port()
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(port, args.apps, args.pages, ready), daemon=True)
    server.start()
    try:
        if not ready.wait(120):
            raise SystemExit("the benchmark server did not start")
        per_page = -(-args.apps // args.pages)
        megabytes = len(build_pages(per_page, 1, port)[0]) * args.pages / 1e6
        print(f"okta: {args.apps:,} apps over {args.pages} pages ({per_page} apps, ~{megabytes:.0f} MB of JSON in all) "
              "from a local server (separate process)")
        totals = []
        for run in range(1, args.runs + 1):
            get_s, transform_s, tools = run_once(port)
            total = get_s + transform_s
            totals.append(total)
            assert tools == args.apps, f"expected {args.apps} tools, got {tools}"
            print(f"  run {run}: get {get_s:.2f} s, transform {transform_s:.2f} s, total {total:.2f} s, "
                  f"{args.apps / total:,.0f} apps/s")
        best = min(totals)
        print(f"best {best:.2f} s ({args.apps / best:,.0f} apps/s); median {statistics.median(totals):.2f} s")
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
