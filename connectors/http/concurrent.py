"""Bounded concurrency for per-item API calls (each app's assignments …) over one shared client.

:func:`map_ordered` runs a function over items on at most ``concurrency`` worker threads and returns
the results **in input order**, whatever order the calls finish in, so a connector's output is the
same as a sequential read. The first failure stops the run: calls not yet started are cancelled, the
ones in flight are waited for (each is bounded by the client's timeout and retries), and the failure
is raised; nothing partial is returned. ``concurrency`` 1 runs sequentially on the calling thread.

Sharing one :class:`~connectors.http.client.ApiClient` between the workers is safe: httpx's
``Client`` can be shared between threads (its connection pool is locked), every request has its own
retry controller, a 429's ``Retry-After`` / ``X-Rate-Limit-Reset`` pauses every worker of the client
until the reset time (:class:`~connectors.http.client.RateLimitPause`), credentials are renewed once
under a lock, and the rich progress display locks its own updates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Most worker threads a source may use, whatever its ``concurrency`` setting says.
MAX_CONCURRENCY = 32


def workers(concurrency: int, items: int) -> int:
    """Threads to use: ``concurrency`` bounded to 1 … :data:`MAX_CONCURRENCY` and to the number of items."""
    return max(1, min(concurrency, MAX_CONCURRENCY, items))


def map_ordered(function: Callable[[T], R], items: Iterable[T], concurrency: int,
                thread_name: str = "api") -> list[R]:
    """``[function(item) for item in items]`` with up to ``concurrency`` calls at once, in input order.

    The first exception raised by a call is re-raised (when several calls fail, the one of the
    earliest item among them); calls not started by then are cancelled and the running ones are
    waited for, so no worker outlives this function.
    """
    todo = list(items)
    count = workers(concurrency, len(todo))
    if count == 1:
        return [function(item) for item in todo]
    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix=thread_name)
    try:
        futures = [pool.submit(function, item) for item in todo]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        if any(_failed(future) for future in done):
            for future in futures:
                future.cancel()
            wait(futures)  # the calls in flight finish (each bounded by timeout and retries)
            error = next(future.exception() for future in futures if _failed(future))
            assert error is not None
            raise error
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _failed(future: Future[Any]) -> bool:
    """A finished call that raised (``future`` must be done)."""
    return not future.cancelled() and future.exception() is not None
