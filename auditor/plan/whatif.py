"""The what-if engine: re-run the analyses and scores on a changed copy of a landscape and compare.

Both sides are computed fresh by the same code (the "before" side is not read from a stored
report, which an older version may have written), so every difference comes from the scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from auditor.analyses import AnalysisSettings, run_analyses
from auditor.analyses.registry import available
from auditor.errors import raise_if_problems
from auditor.graph import LandscapeGraph
from auditor.jsondata import records, texts
from auditor.model import Finding, JSONValue
from auditor.plan.advice import retiring_map
from auditor.plan.scenario import Scenario, apply_scenario, unknown_tools
from auditor.scoring import compute_scores

SEVERITY_WEIGHT = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


@dataclass(frozen=True)
class Landscape:
    """A landscape with its findings and scores, as the analyses see it."""

    graph: LandscapeGraph
    findings: tuple[Finding, ...]
    scores: Mapping[str, Any]

    @property
    def annual_cost(self) -> float:
        """Total annual spend of the landscape's tools (unknown costs count as 0)."""
        return sum(t.annual_cost or 0.0 for t in self.graph.tools.values())


@dataclass(frozen=True)
class Evaluator:
    """Analyses and scores for landscapes, with one set of settings (``analyses:`` of the config)."""

    settings: AnalysisSettings
    config: Mapping[str, Any] = field(default_factory=dict)
    registry: Mapping[str, str] = field(default_factory=available)  # the analyses, listed once

    def landscape(self, graph: LandscapeGraph, risks: bool = True) -> Landscape:
        """Run the analyses and scores on ``graph``; ``risks=False`` skips simulating each consolidation
        decision's risks (they change no finding, score or cost: the "after" side of a what-if)."""
        settings = self.settings if risks else replace(self.settings, retirement_risks=False)
        findings = run_analyses(graph, settings, self.registry)
        return Landscape(graph, tuple(findings), compute_scores(graph, findings, self.config))

    def whatif(self, base: Landscape, scenario: Scenario) -> WhatIf:
        """What ``scenario`` changes on ``base``; a retired tool's steps move to the tool its decision keeps."""
        raise_if_problems(unknown_tools(base.graph, scenario, "scenario"))
        moves = {**retiring_map(base.findings), **scenario.moves}
        scenario = replace(scenario, moves={t: moves[t] for t in scenario.retire if t in moves})
        return WhatIf(scenario, base, self.landscape(apply_scenario(base.graph, scenario), risks=False))


def brief(finding: Finding) -> dict[str, Any]:
    """A finding's id, type, severity and title (what a what-if or plan lists)."""
    return {"id": finding.id, "type": finding.type, "severity": finding.severity, "title": finding.title}


def _score_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    changes = {}
    for key, old in before.items():
        new = after.get(key, {})
        old_score, new_score = old.get("score"), new.get("score")
        delta = new_score - old_score if old_score is not None and new_score is not None else None
        changes[key] = {"name": old.get("name", key), "before": old_score, "after": new_score, "change": delta}
    return changes


@dataclass(frozen=True)
class WhatIf:
    """The effect of a scenario: findings resolved and created, score and annual cost changes."""

    scenario: Scenario
    before: Landscape
    after: Landscape

    @property
    def resolved(self) -> list[Finding]:
        """Findings of the base landscape that the scenario removes (by stable id)."""
        ids = {f.id for f in self.after.findings}
        return [f for f in self.before.findings if f.id not in ids]

    @property
    def created(self) -> list[Finding]:
        """Findings the scenario brings that the base landscape does not have."""
        ids = {f.id for f in self.before.findings}
        return [f for f in self.after.findings if f.id not in ids]

    @property
    def flows(self) -> dict[str, dict[str, Any]]:
        """Score change per flow id: name, before, after, change."""
        return _score_changes(self.before.scores.get("flows", {}), self.after.scores.get("flows", {}))

    @property
    def layers(self) -> dict[str, dict[str, Any]]:
        """Score change per layer id."""
        return _score_changes(self.before.scores.get("layers", {}), self.after.scores.get("layers", {}))

    @property
    def overall(self) -> dict[str, Any]:
        """Overall score before, after and the change."""
        return _score_changes({"overall": {"score": self.before.scores.get("overall")}},
                              {"overall": {"score": self.after.scores.get("overall")}})["overall"]

    @property
    def risks(self) -> list[Mapping[str, JSONValue]]:
        """What the consolidation decisions say retiring the scenario's tools would break (see decisions)."""
        retired = set(self.scenario.retire)
        return [risk for f in self.before.findings if f.type == "duplicate"
                for risk in records(f.evidence, "risks") if retired & set(texts(risk, "tools"))]

    @property
    def cost_change(self) -> float:
        """Annual cost after minus before (negative: a saving)."""
        return round(self.after.annual_cost - self.before.annual_cost, 2)

    def gain(self) -> float:
        """Severity-weighted findings resolved minus created, plus overall score points (the planner's gain)."""
        weight = sum(SEVERITY_WEIGHT.get(f.severity, 0) for f in self.resolved)
        weight -= sum(SEVERITY_WEIGHT.get(f.severity, 0) for f in self.created)
        return weight + (self.overall["change"] or 0)

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form (``auditor whatif -f json``)."""
        return {
            "scenario": self.scenario.to_data(),
            "risks": self.risks,
            "findings_resolved": [brief(f) for f in self.resolved],
            "findings_created": [brief(f) for f in self.created],
            "overall": self.overall,
            "flows": self.flows,
            "layers": self.layers,
            "annual_cost": {"before": self.before.annual_cost, "after": self.after.annual_cost,
                            "change": self.cost_change},
        }
