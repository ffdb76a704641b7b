"""What every fuzzed input must give: a valid result or a located :class:`AuditorError`, nothing else."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from auditor.errors import AuditorError, InputError
from auditor.model import Inventory
from auditor.serialize import to_data
from connectors.base import UNREADABLE_RECORD, ConnectorError

#: Generated inputs run per kind (printed at the end of the run).
RUNS: Counter[str] = Counter()
#: Per kind, inputs whose source failed on a record of an unplanned shape (not skipped record by record yet).
UNPLANNED: Counter[str] = Counter()


def check_located(error: AuditorError) -> None:
    """An error names its place: every problem a file, a connector error its source."""
    if isinstance(error, InputError):
        assert error.problems and all(p.file for p in error.problems), error
    elif isinstance(error, ConnectorError):
        assert error.source, error
    assert str(error).strip(), repr(error)


def check_inventory(inventory: Inventory) -> None:
    """A valid inventory: JSON without NaN or infinities, numbers in range, every tool named."""
    text = json.dumps(to_data(inventory), allow_nan=False)
    assert text
    for tool in inventory.tools:
        assert tool.name and tool.name.strip(), tool
        assert tool.annual_cost is None or 0 <= abs(tool.annual_cost) <= 1e15, tool
        assert tool.users is None or 0 <= tool.users <= 1e15, tool


def outcome(kind: str, produce: Callable[[], Any], check: Callable[[Any], None] = lambda _: None) -> str:
    """Run ``produce``; a result must pass ``check``, an :class:`AuditorError` must be located; anything
    else propagates (and fails the test with the input Hypothesis shrank)."""
    RUNS[kind] += 1
    try:
        result = produce()
    except AuditorError as error:
        check_located(error)
        if UNREADABLE_RECORD in str(error):
            UNPLANNED[kind] += 1
        return "error"
    check(result)
    return "ok"
