"""Registry of analyses: explicit lazy import strings keyed by finding type.

Third-party plugins add entries through the ``auditor.analyses`` entry-point group. Each analysis
declares the finding types it emits (:class:`~auditor.findingspec.FindingSpec`); :func:`finding_specs`
collects them, so a new finding type is its module plus one line here (and optional translations).
"""

from __future__ import annotations

import logging
from functools import cache

from auditor.analyses.base import Analysis
from auditor.findingspec import FindingSpec
from auditor.plugins import load_object, with_entry_points

log = logging.getLogger(__name__)

ANALYSES: dict[str, str] = {
    "missing_integration": "auditor.analyses.missing_integration:MissingIntegrationAnalysis",
    "manual_handoff": "auditor.analyses.manual_handoff:ManualHandoffAnalysis",
    "silo": "auditor.analyses.silo:SiloAnalysis",
    "duplicate": "auditor.analyses.duplicate:DuplicateAnalysis",
    "coverage_gap": "auditor.analyses.coverage:CoverageGapAnalysis",
    "shadow_it": "auditor.analyses.shadow_it:ShadowItAnalysis",
    "bottleneck": "auditor.analyses.bottleneck:BottleneckAnalysis",
    "unmeasurable_kpi": "auditor.analyses.unmeasurable_kpi:UnmeasurableKpiAnalysis",
    "open_loop": "auditor.analyses.open_loop:OpenLoopAnalysis",
    "kpi_tree_gap": "auditor.analyses.kpi_tree_gap:KpiTreeGapAnalysis",
}


def available() -> dict[str, str]:
    """Every analysis id with its import string, built-ins first, then plugins."""
    return with_entry_points(ANALYSES, "auditor.analyses")


def load(analysis_id: str) -> Analysis:
    """Instantiate the analysis registered as ``analysis_id``."""
    analysis: Analysis = load_object(available()[analysis_id])()
    return analysis


@cache
def finding_specs() -> dict[str, FindingSpec]:
    """Every registered finding type's spec by type id: built-ins in registry order, then plugins'."""
    specs: dict[str, FindingSpec] = {}
    for analysis_id, import_string in available().items():
        try:
            analysis: type[Analysis] = load_object(import_string)
        except Exception:  # a broken plugin: running it reports the error (see run_analyses)
            log.warning("analysis '%s' (%s) cannot be loaded; its finding types are unknown", analysis_id,
                        import_string, exc_info=True)
            continue
        for spec in analysis.finding_specs():
            specs.setdefault(spec.type, spec)
    return specs


def finding_types() -> tuple[str, ...]:
    """Every registered finding type id (built-ins first, in registry order)."""
    return tuple(finding_specs())
