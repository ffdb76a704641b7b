"""Pausing the cyclic garbage collector while building large acyclic structures.

Parsing a 100,000-app org's JSON pages, indexing a large landscape for the analyses or building the
rows of a Neo4j sync creates millions of small dicts, lists and sets; each full collection would walk
all of them again (superlinear time). Everything built inside is freed by reference counting.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic GC inside the block (re-enabled after, if it was enabled)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
