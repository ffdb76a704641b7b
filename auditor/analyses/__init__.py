"""Analyses over the landscape graph; :func:`run_analyses` runs every enabled one."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from auditor.analyses.base import Analysis, AnalysisError, AnalysisSettings
from auditor.analyses.registry import available
from auditor.errors import AuditorError
from auditor.gcpause import gc_paused
from auditor.graph import LandscapeGraph
from auditor.model import Finding, severity_rank
from auditor.plan.advice import retiring_map
from auditor.plugins import load_object

log = logging.getLogger(__name__)


def _run_one(analysis_id: str, import_string: str, graph: LandscapeGraph,
             settings: AnalysisSettings) -> list[Finding]:
    """Findings of one analysis; an unexpected crash (e.g. of a plugin) becomes an AnalysisError naming it."""
    try:
        analysis: Analysis = load_object(import_string)()
        return list(analysis.run(graph, settings))
    except AuditorError:
        raise
    except Exception as exc:
        log.debug("analysis %s crashed", analysis_id, exc_info=True)
        raise AnalysisError(f"analysis '{analysis_id}' ({import_string}) failed: "
                            f"{type(exc).__name__}: {exc}; run with -v for the traceback, or disable it "
                            f"with 'analyses: {{disabled: [{analysis_id}]}}' in the config") from exc


def run_analyses(graph: LandscapeGraph, settings: AnalysisSettings,
                 registry: Mapping[str, str] | None = None) -> list[Finding]:
    """Run every registered, enabled analysis; findings sorted by severity (worst first), then id.

    ``duplicate`` runs first: its consolidation decisions (which tool each group keeps) reach the other
    analyses as ``settings.retiring``, so their advice names kept tools only. ``registry`` (id → import
    string) defaults to :func:`available`; callers that run the analyses many times pass it once.
    """
    findings: list[Finding] = []
    registry = available() if registry is None else registry  # listing entry points is slow
    enabled = [a for a in registry if a not in settings.disabled]
    with gc_paused():  # large acyclic indexes: see auditor.gcpause
        if "duplicate" in enabled:
            findings.extend(_run_one("duplicate", registry["duplicate"], graph, settings))
            settings = replace(settings, retiring=retiring_map(findings))
        for analysis_id in enabled:
            if analysis_id != "duplicate":
                findings.extend(_run_one(analysis_id, registry[analysis_id], graph, settings))
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.type, f.id))


__all__ = ["AnalysisSettings", "run_analyses"]
