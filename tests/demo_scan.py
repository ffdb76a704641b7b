"""The bundled demo company scanned once per test session (a scan takes about a second; dozens of tests read it).

The scan is shared, so no test may change it: tests that need a changed landscape build their own (or copy with
``dataclasses.replace``). The fixture checks this: at the end of the session the scan's report document must be
what it was when it was made, else the session ends with an error naming the shared scan.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest

from auditor.cli.scan import demo_config_path
from auditor.config import load_config
from auditor.result import ScanResult, to_document
from connectors.prepare import scan_config


def _digest(result: ScanResult) -> str:
    text = json.dumps(to_document(result), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(scope="session")
def demo_result() -> Iterator[ScanResult]:
    """The bundled demo company, scanned by the real pipeline (analyses and scores included, not saved); read only."""
    result = scan_config(load_config(demo_config_path()))
    before = _digest(result)
    yield result
    assert _digest(result) == before, "a test changed the shared demo scan (tests/demo_scan.py): copy it instead"
