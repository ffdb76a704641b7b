"""Timing shared by the connector benchmarks."""

from __future__ import annotations

import time
from typing import Any

from connectors.base import Connector


def timed(connector: Connector[Any]) -> tuple[float, float, int]:
    """One ``get`` then ``transform``: (get seconds, transform seconds, tools reported)."""
    started = time.perf_counter()
    raw = connector.get()
    got = time.perf_counter()
    inventory = connector.transform(raw)
    done = time.perf_counter()
    return got - started, done - got, len(inventory.tools)
