"""Pausing the cyclic garbage collector while building large acyclic structures.

Parsing a 100,000-app org's JSON pages, indexing a large landscape for the analyses or building the
rows of a Neo4j sync creates millions of small dicts, lists and sets; each full collection would walk
all of them again (superlinear time). Everything built inside is freed by reference counting.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # blocks inside gc_paused, over every thread
_was_enabled = False  # the collector's state when the outermost block began


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic GC inside the block; re-enabled (if it was) when the last such block ends.

    Nested and concurrent blocks (e.g. connector pages parsed by several worker threads) share one pause:
    the collector stays off until every thread has left its block, then returns to its state before the
    first one began.
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
