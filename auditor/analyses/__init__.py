"""Analyses over the landscape graph; :func:`run_analyses` runs every enabled one."""

from __future__ import annotations

from auditor.analyses.base import AnalysisSettings
from auditor.analyses.registry import available, load
from auditor.gcpause import gc_paused
from auditor.graph import LandscapeGraph
from auditor.model import Finding, severity_rank


def run_analyses(graph: LandscapeGraph, settings: AnalysisSettings) -> list[Finding]:
    """Run every registered, enabled analysis; findings sorted by severity (worst first), then id."""
    findings: list[Finding] = []
    with gc_paused():  # large acyclic indexes: see auditor.gcpause
        for analysis_id in available():
            if analysis_id in settings.disabled:
                continue
            findings.extend(load(analysis_id).run(graph, settings))
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.type, f.id))


__all__ = ["AnalysisSettings", "run_analyses"]
