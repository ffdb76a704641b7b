"""Analyses over the landscape graph; :func:`run_analyses` runs every enabled one."""

from __future__ import annotations

import logging
from dataclasses import replace

from auditor.analyses.base import AnalysisError, AnalysisSettings
from auditor.analyses.registry import available, load
from auditor.errors import AuditorError
from auditor.gcpause import gc_paused
from auditor.graph import LandscapeGraph
from auditor.model import Finding, severity_rank
from auditor.plan.advice import retiring_map

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
    """Run every registered, enabled analysis; findings sorted by severity (worst first), then id.

    ``duplicate`` runs first: its consolidation decisions (which tool each group keeps) reach the other
    analyses as ``settings.retiring``, so their advice names kept tools only.
    """
    findings: list[Finding] = []
    enabled = [a for a in available() if a not in settings.disabled]
    with gc_paused():  # large acyclic indexes: see auditor.gcpause
        if "duplicate" in enabled:
            findings.extend(_run_one("duplicate", graph, settings))
            settings = replace(settings, retiring=retiring_map(findings))
        for analysis_id in enabled:
            if analysis_id != "duplicate":
                findings.extend(_run_one(analysis_id, graph, settings))
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.type, f.id))


__all__ = ["AnalysisSettings", "run_analyses"]
