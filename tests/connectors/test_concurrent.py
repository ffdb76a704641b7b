"""map_ordered: bounded per-item calls on a thread pool, results in input order, first failure stops the run."""

from __future__ import annotations

import threading
import time

import pytest

from connectors.http.concurrent import MAX_CONCURRENCY, map_ordered, workers


def test_results_keep_the_input_order_whatever_finishes_first() -> None:
    def slow_first(n: int) -> int:
        time.sleep((10 - n) * 0.002)  # later items finish first
        return n * n

    assert map_ordered(slow_first, range(10), 4) == [n * n for n in range(10)]
    assert map_ordered(slow_first, range(10), 1) == [n * n for n in range(10)]
    assert map_ordered(slow_first, [], 4) == []


def test_at_most_concurrency_calls_run_at_once() -> None:
    lock = threading.Lock()
    running = peak = 0

    def call(n: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.01)
        with lock:
            running -= 1
        return n

    assert map_ordered(call, range(20), 3) == list(range(20))
    assert 1 < peak <= 3


def test_concurrency_one_runs_on_the_calling_thread() -> None:
    assert set(map_ordered(lambda _: threading.current_thread().name, range(5), 1)) == {
        threading.current_thread().name}


def test_workers_are_bounded() -> None:
    assert workers(0, 10) == 1 and workers(-3, 10) == 1
    assert workers(4, 2) == 2 and workers(4, 0) == 1
    assert workers(1000, 1000) == MAX_CONCURRENCY


def test_first_failure_is_raised_the_rest_cancelled_and_no_thread_left() -> None:
    started: list[int] = []

    def call(n: int) -> int:
        started.append(n)
        if n == 2:
            raise ValueError("item 2 failed")
        time.sleep(0.01)
        return n

    with pytest.raises(ValueError, match="item 2 failed"):
        map_ordered(call, range(200), 4, thread_name="unit-map")
    assert len(started) < 200  # calls not started when item 2 failed were cancelled
    assert not [t for t in threading.enumerate() if t.name.startswith("unit-map")]


def test_when_several_fail_the_earliest_items_error_is_raised() -> None:
    def call(n: int) -> int:
        if n in (1, 3):
            time.sleep(0.05 if n == 1 else 0)  # item 3 fails first
            raise ValueError(f"item {n}")
        return n

    with pytest.raises(ValueError, match="item 1"):
        map_ordered(call, range(4), 4)
