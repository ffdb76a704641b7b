"""gc_paused: one pause shared by nested and concurrent blocks."""

from __future__ import annotations

import gc
import threading

from auditor.gcpause import gc_paused


def test_nested_blocks_keep_the_collector_off_until_the_outermost_ends():
    assert gc.isenabled()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_threads_keep_it_off_until_the_last_one_leaves():
    first_inside, second_inside, first_left = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with gc_paused():
            first_inside.set()
            second_inside.wait(5)
        first_left.set()

    def second() -> None:
        first_inside.wait(5)
        with gc_paused():
            second_inside.set()
            first_left.wait(5)
            seen.append(gc.isenabled())  # the first thread has left; this one is still parsing

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled():
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_block_built_is_moved_to_the_oldest_generation_so_no_young_collection_walks_it():
    assert gc.isenabled()
    gc.collect()  # every count at 0: after the block, at most one young collection can run before we look
    with gc_paused():
        built = [[i] for i in range(1000)]
    gc.disable()  # looking must not move anything
    try:
        assert any(o is built for o in gc.get_objects(generation=2))
    finally:
        gc.enable()


def test_objects_frozen_on_purpose_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            built = [[i] for i in range(100)]
        # Not unfrozen (the count would be 0) and what the block built not frozen (it would grow by >= 100). Not
        # "== frozen": a frozen object freed meanwhile (e.g. by a thread an earlier test left) lowers the count.
        assert 0 < gc.get_freeze_count() <= frozen
        assert len(built) == 100
    finally:
        gc.unfreeze()
