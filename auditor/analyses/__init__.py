"""Analyses over the landscape graph; :func:`run_analyses` runs every enabled one."""

from __future__ import annotations

import logging

from auditor.analyses.base import AnalysisError, AnalysisSettings
from auditor.analyses.registry import available, load
from auditor.errors import AuditorError
from auditor.gcpause import gc_paused
from auditor.graph import LandscapeGraph
from auditor.model import Finding, severity_rank

log = logging.getLogger(__name__)


def _run_one(analysis_id: str, graph: LandscapeGraph, settings: AnalysisSettings) -> list[Finding]:
    """Findings of one analysis; an unexpected crash (e.g. of a plugin) becomes an AnalysisError naming it."""
    try:
        return list(load(analysis_id).run(graph, settings))
    except AuditorError:
        raise
    except Exception as exc:
        log.debug("analysis %s crashed", analysis_id, exc_info=True)
        raise AnalysisError(f"analysis '{analysis_id}' ({available()[analysis_id]}) failed: "
                            f"{type(exc).__name__}: {exc}; run with -v for the traceback, or disable it "
                            f"with 'analyses: {{disabled: [{analysis_id}]}}' in the config") from exc


def run_analyses(graph: LandscapeGraph, settings: AnalysisSettings) -> list[Finding]:
    """Run every registered, enabled analysis; findings sorted by severity (worst first), then id."""
    findings: list[Finding] = []
    with gc_paused():  # large acyclic indexes: see auditor.gcpause
        for analysis_id in available():
            if analysis_id in settings.disabled:
                continue
            findings.extend(_run_one(analysis_id, graph, settings))
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.type, f.id))


__all__ = ["AnalysisSettings", "run_analyses"]
