"""Fixtures for the plan tests: the bundled demo scanned once per module, and an evaluator for it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from auditor.analyses import AnalysisSettings
from auditor.config import load_config
from auditor.plan.whatif import Evaluator, Landscape
from auditor.result import ScanResult, scan_category_titles

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT, ROOT / "tests" / "analyses"):  # benchmarks.generator and analysis_helpers
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

DEMO = ROOT / "examples" / "demo" / "auditor.yaml"


@pytest.fixture(scope="module")
def demo_evaluator(demo_result: ScanResult) -> Evaluator:
    """An evaluator with the demo config's analysis settings."""
    config = load_config(DEMO)
    settings = AnalysisSettings.from_config(config.analyses, config.report.currency,
                                            scan_category_titles(demo_result.extra))
    return Evaluator(settings, config.analyses)


@pytest.fixture(scope="module")
def demo_base(demo_result: ScanResult, demo_evaluator: Evaluator) -> Landscape:
    """The demo landscape with its findings and scores."""
    return demo_evaluator.landscape(demo_result.graph)
