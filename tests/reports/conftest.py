"""Fixtures for the report tests: the demo company's real scan and generated landscapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_landscape import make_result

from auditor.result import ScanResult

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def hostile_result() -> ScanResult:
    """A small landscape whose tool, step, flow, department and organisation names try to break out."""
    return make_result(tools=40, hostile=True, flows=3)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (gitignored), for screenshots and other things a person may want to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
