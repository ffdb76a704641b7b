"""Edge cases of the definitions: cycles, self-integrations, shared tools, empty flows, tools in no
flow, bidirectional edges, middleware chains; plus severities, evidence and stable ids."""

from __future__ import annotations

import random

from analysis_helpers import by_type, flow, graph, link, tool

from auditor.analyses import AnalysisSettings, run_analyses
from auditor.analyses.bottleneck import bottlenecks
from auditor.analyses.connectivity import build_connectivity
from auditor.model import Step

SETTINGS = AnalysisSettings()


def findings(landscape, settings=SETTINGS):
    return run_analyses(landscape, settings)


def handoff_types(landscape) -> dict[str, set]:
    found = by_type(findings(landscape))
    return {t: found.get(t, set()) for t in ("missing_integration", "manual_handoff")}


def test_a_cycle_connects_both_ways_round_the_loop():
    g = graph([tool("a"), tool("b"), tool("c")], [link("a", "b"), link("b", "c"), link("c", "a")],
              [flow("f", ("s1", ["c"]), ("s2", ["b"]))])
    assert handoff_types(g) == {"missing_integration": set(), "manual_handoff": set()}


def test_a_self_integration_connects_nothing_and_is_no_integration():
    g = graph([tool("a", departments=("Sales",)), tool("b", departments=("Sales",))], [link("a", "a")],
              [flow("f", ("s1", ["a"]), ("s2", ["b"]))])
    found = by_type(findings(g))
    assert found["missing_integration"] == {("f", "s1", "s2")}
    assert ("tool", "a", frozenset({"no_integration"})) in found["silo"]


def test_a_tool_shared_by_consecutive_steps_connects_them():
    g = graph([tool("x"), tool("y"), tool("z")], [], [flow("f", ("s1", ["x", "y"]), ("s2", ["x", "z"]))])
    assert handoff_types(g)["missing_integration"] == set()


def test_a_shared_tool_carrying_two_handoffs_alone_is_a_bottleneck():
    g = graph([tool("x"), tool("y"), tool("z"), tool("w")], [],
              [flow("f", ("s1", ["x", "y"]), ("s2", ["x", "z"]), ("s3", ["x", "w"]))])
    found = by_type(findings(g))
    assert found["bottleneck"] == {("x", frozenset({("f", "s1", "s2"), ("f", "s2", "s3")}))}


def test_removing_a_step_s_only_tool_is_a_coverage_gap_not_a_bottleneck():
    g = graph([tool("a"), tool("b"), tool("c")], [link("a", "b"), link("b", "c")],
              [flow("f", ("s1", ["a"]), ("s2", ["b"]), ("s3", ["c"]))])
    assert "bottleneck" not in by_type(findings(g))


def test_empty_flows_and_one_step_flows_have_no_handoff_findings():
    g = graph([tool("a")], [], [flow("empty"), flow("single", ("s1", ["a"]))])
    found = by_type(findings(g))
    assert "missing_integration" not in found and "manual_handoff" not in found


def test_a_tool_in_no_flow_can_still_be_a_silo_and_shadow_it():
    g = graph([tool("lonely", departments=("HR",), sanctioned=False)], [], [])
    found = by_type(findings(g))
    assert found["silo"] == {("tool", "lonely", frozenset({"no_integration"})), ("department", "HR")}
    assert found["shadow_it"] == {("lonely",)}


def test_a_bidirectional_integration_counts_both_ways():
    tools = [tool("a"), tool("b")]
    steps = flow("f", ("s1", ["a"]), ("s2", ["b"]))
    assert handoff_types(graph(tools, [link("b", "a", bidirectional=True)], [steps]))["missing_integration"] == set()
    one_way = findings(graph(tools, [link("b", "a")], [steps]))
    missing = [f for f in one_way if f.type == "missing_integration"]
    assert len(missing) == 1 and missing[0].evidence["nearest"]["kind"] == "reverse_path"


def test_a_middleware_chain_is_an_integration_path_and_its_middleware_can_break_it():
    tools = [tool(t) for t in ("a", "b", "m1", "x", "m2", "a2", "b2")]
    chain = [link("a", "x", via="m1"), link("x", "b", via="m2")]
    flows = [flow("f", ("s1", ["a", "a2"]), ("s2", ["b", "b2"])), flow("g", ("s1", ["a", "a2"]), ("s2", ["b", "b2"]))]
    found = by_type(findings(graph(tools, chain, flows)))
    assert "missing_integration" not in found
    two = frozenset({("f", "s1", "s2"), ("g", "s1", "s2")})
    assert found["bottleneck"] == {(t, two) for t in ("a", "b", "m1", "x", "m2")}


def test_removing_an_endpoint_removes_the_whole_integration_including_its_middleware_hops():
    # b2 → m exists only as part of "b2 → c via m": removing c (a tool of s2, not on the path
    # a → b2 → m → b) cuts that hop too, so c breaks the hand-off
    tools = [tool(t) for t in ("a", "a2", "b", "b2", "c", "m")]
    integrations = [link("b2", "c", via="m"), link("m", "b"), link("a", "b2")]
    flows = [flow("f", ("s1", ["a", "a2"]), ("s2", ["b", "c"]))]
    landscape = graph(tools, integrations, flows)
    conn = build_connectivity(landscape)
    broken = {t: [h.key for h in hs] for t, hs in bottlenecks(conn).items()}
    assert broken == {t: [("f", "s1", "s2")] for t in ("a", "b2", "m", "c")}


def test_manual_links_make_a_manual_handoff_not_a_missing_integration():
    tools = [tool("a"), tool("b"), tool("x")]
    steps = flow("f", ("s1", ["a"]), ("s2", ["b"]))
    mixed = findings(graph(tools, [link("a", "x", "api"), link("x", "b", "manual")], [steps]))
    assert [f.type for f in mixed if f.type in ("missing_integration", "manual_handoff")] == ["manual_handoff"]
    manual = next(f for f in mixed if f.type == "manual_handoff")
    assert manual.evidence["path"] == ["a", "x", "b"] and manual.evidence["manual_links"] == ["x->b:manual"]


def test_missing_integration_evidence_names_both_steps_both_tool_sets_and_the_nearest_route():
    tools = [tool("a", departments=("Sales",)), tool("b", departments=("Legal",)),
             tool("c", departments=("Legal",))]
    steps = flow("f", Step("s1", "Quote", "Sales", ("a",)), Step("s2", "Sign", "Legal", ("b",), customer_facing=True))
    [finding] = [f for f in findings(graph(tools, [link("a", "c")], [steps])) if f.type == "missing_integration"]
    evidence = finding.evidence
    assert (evidence["from_step"], evidence["to_step"]) == ("s1", "s2")
    assert (evidence["from_tools"], evidence["to_tools"]) == (["a"], ["b"])
    assert evidence["nearest"]["kind"] == "path_to_department" and evidence["nearest"]["path"] == ["a", "c"]
    assert finding.severity == "high" and evidence["rule"] == "customer_facing"
    assert finding.steps == ("s1", "s2") and finding.flow == "f" and set(finding.departments) == {"Sales", "Legal"}
    assert "Sign" in finding.recommendation and "Customers" in finding.recommendation


def test_handoff_severity_rules_and_their_configuration():
    tools = [tool(t) for t in "abcd"]
    steps = flow("f", ("s1", ["a"]), ("s2", ["b"]), ("s3", ["c"]), Step("s4", "S4", tools=("d",), customer_facing=True))
    g = graph(tools, [], [steps])
    severities = {f.steps: f.severity for f in findings(g) if f.type == "missing_integration"}
    assert severities == {("s1", "s2"): "high", ("s2", "s3"): "medium", ("s3", "s4"): "high"}
    custom = AnalysisSettings(severity={"missing_integration": {"default": "low", "first_handoff": "critical"}})
    severities = {f.steps: f.severity for f in findings(g, custom) if f.type == "missing_integration"}
    assert severities == {("s1", "s2"): "critical", ("s2", "s3"): "low", ("s3", "s4"): "low"}  # default: every rule
    flat = AnalysisSettings(severity={"missing_integration": "info"})
    assert {f.severity for f in findings(g, flat) if f.type == "missing_integration"} == {"info"}


def test_department_silo_needs_no_shared_tool_and_no_outside_integration():
    tools = [tool("h1", departments=("HR",)), tool("h2", departments=("HR",)), tool("s", departments=("Sales",)),
             tool("t", departments=("Sales", "Support"))]
    internal = [link("h1", "h2"), link("h2", "s", "manual")]
    assert ("department", "HR") in by_type(findings(graph(tools, internal)))["silo"]
    outside = internal + [link("h2", "s", "etl")]
    assert ("department", "HR") not in by_type(findings(graph(tools, outside)))["silo"]
    silos = by_type(findings(graph(tools, outside)))["silo"]
    assert ("department", "Sales") not in silos and ("department", "Support") not in silos


def test_layer_silo_is_analytics_no_data_tool_reaches():
    tools = [tool("crm", layers=("data",)), tool("bi", layers=("ai_analytics",)), tool("ml", layers=("ai_analytics",)),
             tool("cdp", layers=("data", "ai_analytics")), tool("etl")]
    g = graph(tools, [link("crm", "bi", via="etl"), link("ml", "crm"), link("crm", "ml", "manual")])
    layer = {s for s in by_type(findings(g))["silo"] if "no_data_feed" in s[-1]}
    assert layer == {("tool", "ml", frozenset({"no_data_feed"}))}


def test_ids_are_stable_across_input_order_and_unrelated_additions():
    tools = [tool(t, departments=("D",)) for t in ("a", "b", "c", "m")] + [tool("d", category="crm"),
                                                                             tool("e", category="CRM")]
    integrations = [link("a", "b", via="m"), link("b", "c", "manual")]
    flows = [flow("f", ("s1", ["a"]), ("s2", ["b"]), ("s3", ["c"]), ("s4", ["d"]))]
    before = {f.id: f for f in findings(graph(tools, integrations, flows))}
    rng = random.Random(3)
    shuffled_tools, shuffled_links = tools[:] + [tool("new", departments=("Other",))], integrations[:]
    rng.shuffle(shuffled_tools)
    rng.shuffle(shuffled_links)
    extra_flow = flow("other", ("x1", ["new"]), ("x2", ["a"]))
    after = {f.id: f for f in findings(graph(shuffled_tools, shuffled_links, [extra_flow, *flows]))}
    assert set(before) <= set(after)
    assert all(after[i].type == before[i].type and after[i].title == before[i].title for i in before)


def test_duplicates_group_normalised_categories_and_products_and_respect_allowed_categories():
    tools = [tool("a", category="Marketing Automation"), tool("b", category="marketing_automation"),
             tool("c", category="chat"), tool("d", category="Chat"),
             tool("e", catalog_id="salesforce"), tool("f", catalog_id="salesforce")]
    found = by_type(findings(graph(tools), AnalysisSettings(allowed_duplicate_categories=frozenset({"CHAT"}))))
    assert found["duplicate"] == {("category", "marketing-automation"), ("product", "salesforce")}


def test_coverage_gap_reports_missing_layers_and_steps_without_tools():
    tools = [tool("a", layers=("data",))]
    steps = flow("f", Step("s1", "S1", tools=("a",), requires=("data", "automation")), Step("s2", "S2"))
    gaps = {f.steps[0]: f.evidence for f in findings(graph(tools, [], [steps])) if f.type == "coverage_gap"}
    assert gaps["s1"]["missing_layers"] == ["automation"] and gaps["s2"]["no_tools"] is True


def test_the_shared_engine_is_built_once_per_graph_and_does_not_keep_graphs_alive():
    import gc

    from auditor.analyses import connectivity as engine

    g = graph([tool("a"), tool("b")], [link("a", "b")], [flow("f", ("s1", ["a"]), ("s2", ["b"]))])
    assert engine.connectivity(g) is engine.connectivity(g)
    key = id(g)
    del g
    gc.collect()
    assert key not in engine._CACHE
