"""Digital-foundation scores and the start-here list; the demo shows every finding type."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from analysis_helpers import flow, graph, link, tool

from auditor.analyses import AnalysisSettings, run_analyses
from auditor.analyses.registry import finding_types
from auditor.model import Step
from auditor.result import to_document
from auditor.scoring import compute_scores, half_up, weights_from

ROOT = Path(__file__).resolve().parents[2]


def _scores(landscape, config=None):
    return compute_scores(landscape, run_analyses(landscape, AnalysisSettings()), config)


def test_flow_score_follows_the_documented_formula():
    tools = [tool("a", layers=("data",), annual_cost=100.0), tool("b", annual_cost=300.0)]
    steps = flow("f", Step("s1", "S1", tools=("a",), requires=("data",)),
                 Step("s2", "S2", tools=("b",), requires=("data",)), Step("s3", "S3", tools=("a",)))
    scores = _scores(graph(tools, [link("a", "b", "manual")], [steps]))["flows"]["f"]
    # hand-offs: manual (0.5) and b → a missing (0) → 0.25; coverage: 1, 0, 1 → 2/3; no duplicates → 1
    assert scores["parts"] == {"connectivity": 0.25, "coverage": 0.667, "efficiency": 1.0}
    assert scores["score"] == half_up(100 * (0.5 * 0.25 + 0.3 * 2 / 3 + 0.2 * 1.0)) == 53
    assert scores["handoffs"] == {"connected": 0, "manual": 1, "missing": 1, "undefined": 0}


def test_duplicate_spend_lowers_efficiency_of_flows_and_layers():
    tools = [tool("a", category="crm", layers=("data",), annual_cost=100.0),
             tool("b", category="crm", layers=("data",), annual_cost=300.0)]
    g = graph(tools, [link("a", "b")], [flow("f", ("s1", ["a"]), ("s2", ["b"]))])
    scores = _scores(g)
    keep = next(f for f in run_analyses(g, AnalysisSettings()) if f.type == "duplicate").evidence["keep"]
    assert keep == "a"  # tie on integrations and users: the first listed stays; b (300 of 400) is retired
    assert scores["flows"]["f"]["parts"]["efficiency"] == 0.25
    assert scores["layers"]["data"]["parts"]["efficiency"] == 0.25


def test_weights_are_configurable_and_normalised():
    assert weights_from({"score_weights": {"connectivity": 2, "coverage": 1, "efficiency": 1}}) == {
        "connectivity": 0.5, "coverage": 0.25, "efficiency": 0.25}
    g = graph([tool("a"), tool("b")], [], [flow("f", ("s1", ["a"]), ("s2", ["b"]))])
    only_connectivity = _scores(g, {"score_weights": {"coverage": 0, "efficiency": 0}})
    assert only_connectivity["flows"]["f"]["score"] == 0


def test_layer_scores_count_integrated_tools_and_covered_steps():
    tools = [tool("crm", layers=("data",), departments=("Sales",)), tool("bi", layers=("ai_analytics",),
                                                                         departments=("Sales",)),
             tool("ml", layers=("ai_analytics",), departments=("Data",))]
    steps = flow("f", Step("s1", "S1", tools=("crm",), requires=("data", "ai_analytics")))
    layers = _scores(graph(tools, [link("crm", "bi"), link("ml", "crm")], [steps]))["layers"]
    assert layers["ai_analytics"]["parts"]["connectivity"] == 0.5  # bi fed by crm; ml only sends
    assert layers["ai_analytics"]["parts"]["coverage"] == 0.0
    assert layers["data"]["parts"] == {"connectivity": 1.0, "coverage": 1.0, "efficiency": 1.0}


def test_start_here_ranks_by_gain_and_skips_empty_and_healthy_flows():
    tools = [tool(t) for t in "abcdef"]
    flows = [flow("healthy", ("s1", ["a"]), ("s2", ["b"])),
             flow("half", ("s1", ["c"]), ("s2", ["d"]), ("s3", ["c"])),
             flow("broken", ("s1", ["e"]), ("s2", ["f"])),
             flow("empty")]
    landscape = graph(tools, [link("a", "b"), link("c", "d")], flows)
    findings = run_analyses(landscape, AnalysisSettings())
    scores = compute_scores(landscape, findings)
    assert [e["flow"] for e in scores["start_here"]] == ["broken", "half"]
    assert [e["rank"] for e in scores["start_here"]] == [1, 2]
    assert scores["flows"]["empty"]["score"] is None
    # 'broken' has one hand-off (s1 → s2, e and f never integrated): score 50, so repairing it gains 50,
    # and the fix to start with is that hand-off's missing-integration finding
    broken = [f.id for f in findings if f.type == "missing_integration" and f.flow == "broken"
              and f.steps == ("s1", "s2")]
    assert len(broken) == 1
    assert scores["start_here"][0]["gain"] == 50 and scores["start_here"][0]["first_fixes"] == broken
    # 'half' has s1 → s2 connected (c → d) and s2 → s3 missing (d never sends to c)
    half = [f.id for f in findings if f.type == "missing_integration" and f.flow == "half"
            and f.steps == ("s2", "s3")]
    assert len(half) == 1 and scores["start_here"][1]["first_fixes"] == half


def test_demo_report_has_every_finding_type_scores_and_matches_the_schema(demo_result):
    result = demo_result  # scan_config(load_config(the demo's auditor.yaml)), once per session (read only)
    assert {f.type for f in result.findings} == set(finding_types())
    document = json.loads(json.dumps(to_document(result), ensure_ascii=False))
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    scores = document["summary"]["scores"]
    assert set(scores["layers"]) == {"data", "ai_analytics", "automation"}
    assert scores["start_here"] and scores["start_here"][0]["rank"] == 1
