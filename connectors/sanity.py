"""Records no source should report, dropped with a warning instead of reaching the graph.

A tool without a name (an ETL connection whose source has no type), an integration of a tool with itself
(``x → x``), and a ``via`` naming one of the integration's own endpoints are mistakes in the data: they are
counted and reported per source, never guessed into something else.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

from auditor.model import Inventory

log = logging.getLogger(__name__)


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def tidy(inventory: Inventory, source: str) -> Inventory:
    """``inventory`` without nameless tools, self-integrations and ``via`` equal to an endpoint (each counted in a
    warning naming ``source``); the same object when nothing had to go."""
    dropped: Counter[str] = Counter()
    tools = []
    for tool in inventory.tools:
        if tool.name.strip():
            tools.append(tool)
        else:
            dropped["tool(s) without a name skipped"] += 1
    integrations = []
    for record in inventory.integrations:
        if not (record.source.strip() and record.target.strip()):
            dropped["integration(s) with a nameless endpoint skipped"] += 1
        elif _same(record.source, record.target):
            dropped["integration(s) of a tool with itself skipped"] += 1
        elif record.via and (_same(record.via, record.source) or _same(record.via, record.target)):
            dropped["'via' naming the integration's own endpoint removed"] += 1
            integrations.append(replace(record, via=None))
        else:
            integrations.append(record)
    if not dropped:
        return inventory
    for reason, count in sorted(dropped.items()):
        log.warning("source '%s': %d %s", source, count, reason)
    return replace(inventory, tools=tuple(tools), integrations=tuple(integrations))
