"""Registry of analyses: explicit lazy import strings keyed by finding type.

Third-party plugins add entries through the ``auditor.analyses`` entry-point group.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from auditor.analyses.base import Analysis

ANALYSES: dict[str, str] = {
    "missing_integration": "auditor.analyses.missing_integration:MissingIntegrationAnalysis",
    "manual_handoff": "auditor.analyses.manual_handoff:ManualHandoffAnalysis",
    "silo": "auditor.analyses.silo:SiloAnalysis",
    "duplicate": "auditor.analyses.duplicate:DuplicateAnalysis",
    "coverage_gap": "auditor.analyses.coverage:CoverageGapAnalysis",
    "shadow_it": "auditor.analyses.shadow_it:ShadowItAnalysis",
    "bottleneck": "auditor.analyses.bottleneck:BottleneckAnalysis",
}


def available() -> dict[str, str]:
    """Every analysis id with its import string, built-ins first, then plugins."""
    found = dict(ANALYSES)
    for entry in entry_points(group="auditor.analyses"):
        found.setdefault(entry.name, entry.value)
    return found


def load(analysis_id: str) -> Analysis:
    """Instantiate the analysis registered as ``analysis_id``."""
    module_name, _, attr = available()[analysis_id].partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    analysis: Analysis = cls()
    return analysis
