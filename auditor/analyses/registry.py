"""Registry of analyses: explicit lazy import strings keyed by finding type.

Third-party plugins add entries through the ``auditor.analyses`` entry-point group.
"""

from __future__ import annotations

from auditor.analyses.base import Analysis
from auditor.plugins import load_object, with_entry_points

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
    return with_entry_points(ANALYSES, "auditor.analyses")


def load(analysis_id: str) -> Analysis:
    """Instantiate the analysis registered as ``analysis_id``."""
    analysis: Analysis = load_object(available()[analysis_id])()
    return analysis
