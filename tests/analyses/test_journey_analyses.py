"""The journey analyses on small landscapes: each rule, each loop break, and what they leave alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from analysis_helpers import by_type, tool

from auditor.analyses.base import AnalysisSettings
from auditor.analyses.kpi_tree_gap import KpiTreeGapAnalysis
from auditor.analyses.open_loop import OpenLoopAnalysis
from auditor.analyses.unmeasurable_kpi import UnmeasurableKpiAnalysis
from auditor.graph import LandscapeGraph
from auditor.journeys.loop import kpi_checks, loop_of
from auditor.jsondata import records
from auditor.model import Finding, Flow, Integration, Journey, Kpi, Step

SETTINGS = AnalysisSettings()


def edge(a: str, b: str, *data: str, kind: str = "api", via: str | None = None) -> Integration:
    return Integration(a, b, kind, via, tuple(data), False, ("test",))


def landscape(integrations: list[Integration], kpis: Sequence[Kpi] = (), steps: list[Step] | None = None,
              journeys: bool = True) -> LandscapeGraph:
    """Tools: survey (a touchpoint tool), dwh (data), bi (ai_analytics), mail (automation, back office)."""
    tools = [tool("survey"), tool("dwh", layers=("data",)), tool("bi", layers=("ai_analytics",)),
             tool("mail", layers=("automation",)), tool("mw")]
    steps = steps or [Step("ask", "Ask", tools=("survey",), customer_facing=True),
                      Step("send", "Send", tools=("mail",))]
    return LandscapeGraph.build(tools, integrations, [Flow("help", "Get help", tuple(steps))], "test",
                                [Journey("rel", "Relationship", ("help",))] if journeys else [], list(kpis))


def run(graph: LandscapeGraph) -> list[Finding]:
    analyses = (UnmeasurableKpiAnalysis, OpenLoopAnalysis, KpiTreeGapAnalysis)
    return [f for a in analyses for f in a().run(graph, SETTINGS)]


CSAT = Kpi("csat", "CSAT", "touchpoint", flow="help", step="ask", data=("csat",), computed_in="bi")


def test_a_kpi_is_measurable_over_integrations_that_carry_its_data():
    graph = landscape([edge("survey", "dwh", "csat"), edge("dwh", "bi", "csat", via="mw")], [CSAT])
    check = kpi_checks(graph)["csat"]
    assert check.status == "measurable" and check.words[0].path == ("survey", "dwh", "mw", "bi")
    assert not by_type(run(graph)).get("unmeasurable_kpi")


def test_integrations_listing_no_data_may_carry_it_unconfirmed_and_without_a_finding():
    graph = landscape([edge("survey", "dwh", "csat"), edge("dwh", "bi")], [CSAT])
    assert kpi_checks(graph)["csat"].status == "unconfirmed"
    assert not by_type(run(graph)).get("unmeasurable_kpi")


def test_data_that_stops_on_the_way_is_no_path_and_says_where_it_stops():
    for last in (edge("dwh", "bi", "dashboard"), edge("dwh", "bi", "csat", kind="manual")):
        graph = landscape([edge("survey", "dwh", "csat"), last], [CSAT])
        (finding,) = [f for f in run(graph) if f.type == "unmeasurable_kpi"]
        assert finding.evidence["rule"] == "no_path" and finding.severity == "medium"
        assert records(finding.evidence, "data")[0]["stops_at"] == ["dwh"]
        assert "it stops at DWH" in finding.title


def test_no_tool_of_the_anchor_producing_the_word_is_no_producer():
    graph = landscape([edge("survey", "dwh", "other"), edge("dwh", "bi", "csat")], [CSAT])
    (finding,) = [f for f in run(graph) if f.type == "unmeasurable_kpi"]
    assert (finding.evidence["rule"], finding.severity) == ("no_producer", "high")


def test_a_touchpoint_kpi_computed_in_its_own_steps_tool_is_measured_in_place_a_journey_kpi_is_not():
    touch = Kpi("t", "T", "touchpoint", flow="help", step="ask", data=("csat",), computed_in="survey")
    goal = Kpi("g", "G", "journey", flow="help", data=("csat",), computed_in="mail")
    graph = landscape([edge("survey", "dwh", "csat")], [touch, goal])
    checks = kpi_checks(graph)
    assert checks["t"].status == "measurable" and checks["g"].words[0].state == "no_path"
    assert kpi_checks(landscape([edge("mail", "dwh", "csat")], [goal]))["g"].status == "measurable"  # produces it


def test_loop_closed_back_to_the_touchpoint_or_to_an_automation_of_the_journey():
    for back in ("survey", "mail"):
        graph = landscape([edge("survey", "dwh"), edge("dwh", "bi"), edge("bi", back)])
        assert loop_of(graph, graph.flows[0]).broken is None
        assert [f.type for f in run(graph)] == ["kpi_tree_gap"]  # the journey has no relationship KPI


def test_each_loop_break_is_named_where_it_is():
    cases = {
        "cannot_measure": [edge("survey", "dwh", kind="manual"), edge("dwh", "bi"), edge("bi", "survey")],
        "cannot_learn": [edge("survey", "dwh"), edge("bi", "survey")],
        "cannot_act": [edge("survey", "dwh"), edge("dwh", "bi"), edge("bi", "dwh")],
    }
    for expected, integrations in cases.items():
        findings = [f for f in run(landscape(integrations)) if f.type == "open_loop"]
        assert [(f.flow, f.evidence["break"]) for f in findings] == [("help", expected)]
    no_touchpoint = landscape([], steps=[Step("ask", "Ask", tools=("survey",))])
    (finding,) = [f for f in run(no_touchpoint) if f.type == "open_loop"]
    assert finding.evidence["break"] == "cannot_measure" and "no touchpoint with a tool" in finding.title


def test_kpi_tree_gaps():
    goal = Kpi("g", "G", "journey", flow="help", data=("x",), computed_in="bi")
    touch = Kpi("t", "T", "touchpoint", flow="help", step="ask", data=("x",), computed_in="survey")
    top = Kpi("r", "R", "relationship", journey="rel", data=("x",), computed_in="bi")
    found = by_type(run(landscape([], [goal, touch]))).get("kpi_tree_gap")
    assert found == {("t", "contributes_to_nothing"), ("g", "not_fed"), ("rel", "no_relationship_kpi")}
    tree = [replace(goal, contributes_to="r"), replace(touch, contributes_to="g"), top]
    assert not by_type(run(landscape([], tree))).get("kpi_tree_gap")


def test_without_journeys_and_kpis_nothing_is_found():
    graph = landscape([edge("survey", "dwh")], journeys=False)
    assert run(graph) == []
