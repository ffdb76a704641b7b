"""Consolidation decisions come first: no later advice names a tool a decision retires, unless it says to
move that hand-off first; the keep reason states the facts it used; the risks of a retirement are named."""

from __future__ import annotations

import re

import pytest
from analysis_helpers import flow, graph, link, tool

from auditor.analyses import AnalysisSettings, run_analyses
from auditor.findingspec import english_text
from auditor.graph import LandscapeGraph
from auditor.jsondata import records
from auditor.model import Finding, Step
from auditor.plan.advice import retire_note, retiring_map
from benchmarks.generator import generate

HANDOFF_TYPES = ("missing_integration", "manual_handoff")


def _named(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def _contradictions(landscape: LandscapeGraph, findings: list[Finding]) -> list[tuple[str, str]]:
    """(finding id, retired tool name) for every recommendation naming a retired tool without saying to move
    it to the kept tool first. Hand-off advice must name kept tools only: there the retired tool may appear
    in that one sentence and nowhere else."""
    retiring = retiring_map(findings)
    found = []
    for finding in findings:
        if finding.type == "duplicate":
            continue
        for tool_id, keep in retiring.items():
            name, note = landscape.tools[tool_id].name, english_text(retire_note(landscape, tool_id, keep))
            text = finding.recommendation
            if not _named(name, text):
                continue
            if note not in text or (finding.type in HANDOFF_TYPES and _named(name, text.replace(note, ""))):
                found.append((finding.id, name))
    return found


def test_on_the_demo_no_recommendation_names_a_retired_tool_except_to_move_it_first(demo_result):
    retiring = retiring_map(demo_result.findings)
    assert {"freshdesk", "cloudsign", "powerbi"} <= set(retiring)  # the three contradictions
    assert _contradictions(demo_result.graph, demo_result.findings) == []
    texts = {f.title: f.recommendation for f in demo_result.findings}
    shopify = texts["No integration from 'Check order status' to 'Escalate to e-commerce team' in "
                    "'Issue to resolution'"]
    assert shopify.startswith("Connect Shopify Plus to Zendesk Suite")
    assert "Freshdesk is to be retired for Zendesk Suite" in shopify and "first" in shopify


@pytest.mark.parametrize("seed", range(12))
def test_on_generated_landscapes_no_recommendation_names_a_retired_tool(seed):
    landscape = generate(seed, tools=150, flows=8, steps=9)
    findings = run_analyses(landscape.graph, landscape.settings)
    assert retiring_map(findings), "the generator plants duplicate groups"
    assert _contradictions(landscape.graph, findings) == []


def test_without_decisions_the_check_would_catch_the_contradiction(demo_result):
    # the same analyses with no consolidation decisions name Freshdesk in a connect advice
    settings = AnalysisSettings(disabled=frozenset({"duplicate"}))
    plain = run_analyses(demo_result.graph, settings)
    duplicates = [f for f in demo_result.findings if f.type == "duplicate"]
    assert _contradictions(demo_result.graph, [*plain, *duplicates])


def test_the_keep_reason_states_the_deciding_fact_and_never_claims_integrations_nobody_has():
    tools = [tool("a", category="chat", users=30), tool("b", category="chat", users=12)]
    finding = next(f for f in run_analyses(graph(tools), AnalysisSettings()) if f.type == "duplicate")
    assert finding.evidence["keep"] == "a" and finding.evidence["decided_by"] == "users"
    assert "most users" in finding.recommendation and "users 30" in finding.recommendation
    assert "integrat" not in str(finding.evidence["keep_reason"]).split("(")[0]


def test_when_nothing_tells_the_tools_apart_the_decision_says_so():
    tools = [tool("a", category="chat"), tool("b", category="chat")]
    finding = next(f for f in run_analyses(graph(tools), AnalysisSettings()) if f.type == "duplicate")
    assert finding.evidence["decided_by"] is None
    assert "Nothing tells" in finding.recommendation and "decide with the teams" in finding.recommendation


def test_a_sanctioned_tool_is_kept_over_a_more_integrated_unsanctioned_one():
    tools = [tool("shadow", category="crm", sanctioned=False), tool("crm", category="crm"), tool("x")]
    finding = next(f for f in run_analyses(graph(tools, [link("shadow", "x")]), AnalysisSettings())
                   if f.type == "duplicate")
    assert finding.evidence["keep"] == "crm" and finding.evidence["decided_by"] == "sanctioned"


def test_a_retirement_that_removes_a_required_layer_or_breaks_a_handoff_says_what_to_move_first():
    tools = [tool("crm", layers=("data",)), tool("old", category="bi", layers=("ai_analytics",), sanctioned=False),
             tool("new", category="bi"), tool("erp")]
    steps = [Step("s1", "Sell", tools=("crm",)), Step("s2", "Analyse", tools=("old",), requires=("ai_analytics",)),
             Step("s3", "Book", tools=("erp",))]
    landscape = graph(tools, [link("crm", "old"), link("old", "erp"), link("crm", "new")],
                      [flow("f", *steps)])
    finding = next(f for f in run_analyses(landscape, AnalysisSettings()) if f.type == "duplicate")
    assert finding.evidence["retire"] == ["old"] and finding.evidence["decided_by"] == "sanctioned"
    kinds = {r["kind"] for r in records(finding.evidence, "risks")}
    assert kinds == {"breaks_handoff", "removes_layer"}
    layer = next(r for r in records(finding.evidence, "risks") if r["kind"] == "removes_layer")
    assert layer["required"] == ["ai_analytics"] and "give it another such tool first" in str(layer["move_first"])
    assert "Before retiring:" in finding.recommendation


def test_duplicate_severity_follows_the_saving_and_customer_impact():
    def severity(costs: tuple[float, float], customer: bool = False, in_flow: bool = True) -> str:
        tools = [tool("a", category="c", annual_cost=costs[0]), tool("b", category="c", annual_cost=costs[1])]
        flows = [flow("f", Step("s", "S", tools=("a",), customer_facing=customer))] if in_flow else []
        return next(f for f in run_analyses(graph(tools, flows=flows), AnalysisSettings())
                    if f.type == "duplicate").severity
    assert severity((100, 42_000)) == "high"  # a big saving
    assert severity((100, 200), customer=True) == "high"  # customers feel it
    assert severity((100, 200), in_flow=False) == "low"  # little money, no flow
    assert severity((100, 6_000)) == "medium"
