"""A 429 pauses every worker of a client until the reset time, over real HTTP (threaded server).

Sixteen items are read four at a time; one item's first answer is a 429, sent once the other three
first requests have arrived. The server records when each request arrives: after the 429, no request
may arrive before the reset time the server named (the three in flight are answered a little later,
so their workers come back only after the client has seen the 429). A 5xx keeps its per-request
backoff and pauses nobody else.

An Okta reset is a whole epoch second, named when the 429 goes out: the next whole second at least
:data:`MIN_WAIT` away, so the test waits no longer than that proof needs.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from connectors.http import ApiClient, RetryPolicy, map_ordered
from connectors.http.client import RateLimitPause

ITEMS = 16
THROTTLED = 3
SLOW = 0.25  # seconds the first requests answer after the special one
#: Shortest wait an Okta reset names: clearly longer than SLOW, so that workers that ignored the
#: pause would come back (at about SLOW after the 429) before the reset and fail the test.
MIN_WAIT = 0.5
#: The special answer's status and headers, or a function of when it is sent that returns them.
First = tuple[int, dict[str, str]] | Callable[[float], tuple[int, dict[str, str]]]


class Server:
    """Answers ``/items/<n>``; the first call of item 3 gets ``first``, sent at ``special_at``
    (``first(special_at)`` when it is a function).

    The special answer goes out once the four first requests have arrived (they were all sent before
    any 429 was known, so nothing could hold them back); the three others are answered :data:`SLOW`
    seconds after it, which gives the client time to see the 429 before their workers send again.
    """

    def __init__(self, server: HTTPServer, first: First) -> None:
        self.seen = threading.Condition()
        self.arrivals: list[tuple[float, int]] = []
        self.first = first
        self.special_at: float | None = None
        server.expect_request(re.compile(r"^/items/\d+$")).respond_with_handler(self.answer)

    def answer(self, request: Request) -> Response:
        number = int(request.path.rsplit("/", 1)[1])
        with self.seen:
            self.arrivals.append((time.time(), number))
            self.seen.notify_all()
            first_batch = self.special_at is None
            special = first_batch and number == THROTTLED
            if special:
                self.seen.wait_for(lambda: len(self.arrivals) >= 4, timeout=5)
                self.special_at = time.time()
                self.seen.notify_all()
            elif first_batch:
                self.seen.wait_for(lambda: self.special_at is not None, timeout=5)
        if special:
            assert self.special_at is not None
            status, headers = self.first(self.special_at) if callable(self.first) else self.first
            return Response(json.dumps({"error": {"code": "TooManyRequests"}}), status, headers,
                            content_type="application/json")
        time.sleep(SLOW if first_batch else 0.02)
        return Response(json.dumps({"n": number}), 200, content_type="application/json")

    def after_special(self) -> list[float]:
        """Arrival times of the requests that came after the special answer."""
        assert self.special_at is not None
        return sorted(t for t, _ in self.arrivals if t > self.special_at)


def read_all(server: HTTPServer) -> list[object]:
    retry = RetryPolicy(attempts=3, backoff=0.01, max_wait=5.0)
    with ApiClient("rate-test", server.url_for("/").rstrip("/"), retry=retry) as api:
        return map_ordered(lambda n: api.get_json(f"/items/{n}"), range(ITEMS), 4)


def test_retry_after_pauses_every_worker_until_the_reset(threaded_server: HTTPServer) -> None:
    tenant = Server(threaded_server, (429, {"Retry-After": "1"}))
    assert read_all(threaded_server) == [{"n": n} for n in range(ITEMS)]
    assert tenant.special_at is not None
    reset = tenant.special_at + 1.0
    later = tenant.after_special()
    assert len(later) == ITEMS - 4 + 1  # the items not started yet, and the throttled one again
    assert later[0] >= reset  # nothing reached the server between the 429 and the reset time


def okta_reset(sent_at: float) -> int:
    """The whole epoch second a 429 sent at ``sent_at`` names as its reset: at least MIN_WAIT later."""
    return math.ceil(sent_at + MIN_WAIT)


def test_okta_reset_time_pauses_every_worker(threaded_server: HTTPServer) -> None:
    # Okta names the reset as epoch seconds, without Retry-After
    tenant = Server(threaded_server, lambda sent_at: (429, {"X-Rate-Limit-Remaining": "0",
                                                            "X-Rate-Limit-Reset": str(okta_reset(sent_at))}))
    assert read_all(threaded_server) == [{"n": n} for n in range(ITEMS)]
    assert tenant.special_at is not None
    reset = okta_reset(tenant.special_at)
    later = tenant.after_special()
    assert len(later) == ITEMS - 4 + 1
    assert later[0] >= reset - 0.005  # (clock resolution)


def test_a_server_error_backs_off_alone(threaded_server: HTTPServer) -> None:
    tenant = Server(threaded_server, (503, {"Retry-After": "1"}))
    assert read_all(threaded_server) == [{"n": n} for n in range(ITEMS)]
    assert tenant.special_at is not None
    retried = [t for t, n in tenant.arrivals if n == THROTTLED and t > tenant.special_at]
    assert len(retried) == 1 and retried[0] - tenant.special_at >= 0.9  # its own wait is unchanged
    others = [t for t, n in tenant.arrivals if n != THROTTLED and tenant.special_at < t < retried[0]]
    assert len(others) >= 4  # meanwhile the other workers kept going


def test_a_later_429_never_shortens_the_pause() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pause = RateLimitPause(clock=lambda: now[0], sleep=sleep)
    pause.wait()
    assert slept == []
    pause.throttled(5)
    pause.throttled(1)
    assert pause.remaining() == pytest.approx(5)
    pause.wait()
    assert now[0] == pytest.approx(105) and pause.remaining() == 0
