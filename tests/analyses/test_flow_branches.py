"""Flows are directed graphs: a step hands off to the steps its ``next`` names, or to the following
step; branches and loops give one hand-off per (step, successor) pair and nothing else changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from analysis_helpers import by_type, flow, graph, link, tool

from auditor.analyses import AnalysisSettings, run_analyses
from auditor.analyses.connectivity import build_connectivity
from auditor.config import load_config
from auditor.errors import InputError
from auditor.graph import LandscapeGraph
from auditor.model import Flow, Step
from auditor.result import ScanResult
from connectors.prepare import scan_config


def _pairs(f: Flow) -> list[tuple[str, str]]:
    return [(a.id, b.id) for a, b in f.handoffs()]


def test_without_next_a_flow_is_the_chain_of_its_steps() -> None:
    f = flow("f", ("a", []), ("b", []), ("c", []))
    assert _pairs(f) == [("a", "b"), ("b", "c")]


def test_next_gives_branches_loops_and_ends() -> None:
    f = Flow("f", "F", (Step("a", "A", next=("c", "b")), Step("b", "B", next=()), Step("c", "C", next=("a",)),
                        Step("d", "D")))
    assert _pairs(f) == [("a", "c"), ("a", "b"), ("c", "a")]


def test_repeated_self_and_unknown_next_ids_give_no_handoff() -> None:
    f = Flow("f", "F", (Step("a", "A", next=("b", "b", "a", "ghost")), Step("b", "B")))
    assert _pairs(f) == [("a", "b")]


def test_a_missing_integration_on_one_branch_only_is_exactly_that_finding() -> None:
    steps = (Step("start", "Start", tools=("a",), next=("yes", "no")), Step("yes", "Yes", tools=("b",), next=()),
             Step("no", "No", tools=("c",), next=("start",)))
    landscape = graph([tool(t) for t in "abc"], [link("a", "b"), link("c", "a")], [Flow("f", "F", steps)])
    found = by_type(run_analyses(landscape, AnalysisSettings()))
    assert found.get("missing_integration") == {("f", "start", "no")}
    assert "manual_handoff" not in found
    states = {h.key: h.state for h in build_connectivity(landscape).handoffs}
    assert states == {("f", "start", "yes"): "connected", ("f", "start", "no"): "missing",
                      ("f", "no", "start"): "connected"}


def test_handoff_position_is_the_index_of_the_step_handing_off() -> None:
    steps = (Step("s1", "S1", tools=("a",), next=("s2", "s3")), Step("s2", "S2", tools=("b",)),
             Step("s3", "S3", tools=("c",)))
    landscape = graph([tool(t) for t in "abc"], [], [Flow("f", "F", steps)])
    missing = {f.steps: f.evidence for f in run_analyses(landscape, AnalysisSettings())
               if f.type == "missing_integration"}
    assert {k: (v["position"], v["rule"]) for k, v in missing.items()} == {
        ("s1", "s2"): (1, "first_handoff"), ("s1", "s3"): (1, "first_handoff"), ("s2", "s3"): (2, "default")}


def test_the_demo_gives_the_same_findings_with_every_next_written_out(demo_result: ScanResult) -> None:
    result = demo_result
    flows = []
    for f in result.graph.flows:
        steps = [dataclasses.replace(s, next=tuple(n.id for n in after))
                 for s, after in zip(f.steps, f.successors(), strict=True)]
        assert all(s.next is None for s in f.steps)
        flows.append(dataclasses.replace(f, steps=tuple(steps)))
    g = result.graph
    explicit = LandscapeGraph.build(list(g.tools.values()), list(g.integrations), flows, "demo", g.journeys, g.kpis)
    settings = AnalysisSettings()
    assert run_analyses(explicit, settings) == run_analyses(g, settings)


LANDSCAPE = """
tools: [{id: a, name: A}, {id: b, name: B}]
flows:
  - id: f
    steps:
      - {id: s1, tools: [a], next: [s2, nowhere]}
      - {id: s2, tools: [b], next: s2}
"""


def test_next_naming_an_unknown_step_or_itself_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "landscape.yaml").write_text(LANDSCAPE, encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text(
        "organization: T\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        scan_config(load_config(tmp_path / "auditor.yaml"))
    text = str(error.value)
    assert "landscape.yaml:6" in text and "unknown next step 'nowhere'" in text
    assert "landscape.yaml:7" in text and "names itself as its next step" in text
