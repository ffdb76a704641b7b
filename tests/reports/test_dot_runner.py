"""Drawing many diagrams with few ``dot`` processes: the same drawings as one process per diagram."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter

import graphviz
import pytest
from reports_landscape import make_result

from reports import dot_runner
from reports.diagrams import flow_diagram, flow_file_names
from reports.dot_runner import DiagramError, Job, clusters_in_order, draw, draw_batch, draw_many, split_documents
from reports.i18n import catalogue

SVG = "{http://www.w3.org/2000/svg}"


def _flow_jobs(result) -> list[Job]:
    cat = catalogue("en")
    return [(name, flow_diagram(result, flow, cat))
            for name, flow in zip(flow_file_names(result.graph.flows), result.graph.flows, strict=True)]


def _shape(svg: str) -> tuple:
    """What a reader sees: the size, the texts, and the nodes, edges and clusters by their class and id."""
    root = ET.fromstring(svg)
    texts = Counter("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    groups = Counter((g.get("id"), g.get("class")) for g in root.iter(f"{SVG}g"))
    return root.get("width"), root.get("height"), root.get("viewBox"), texts, groups


@pytest.fixture(scope="module")
def many_flows():
    """Twelve flows (branches, loops, lanes) and three with hostile names."""
    return [*_flow_jobs(make_result(tools=300, flows=12, seed=3)), *_flow_jobs(make_result(tools=40, flows=3,
                                                                                              hostile=True))]


@pytest.fixture(scope="module")
def many_batched(many_flows):
    """:func:`many_flows` drawn by one ``dot`` process (once per module: the tests below only read the drawings)."""
    return draw_batch(many_flows)


@pytest.fixture
def dot_runs(monkeypatch) -> list[int]:
    """Two workers; each real ``dot`` run's number of graphs is appended to the list returned."""
    runs: list[int] = []
    real_run = subprocess.run

    def counting_run(args, **kwargs):
        runs.append(kwargs["input"].count(b"digraph {"))
        return real_run(args, **kwargs)

    monkeypatch.setattr(dot_runner.subprocess, "run", counting_run)
    monkeypatch.setattr(dot_runner, "workers", lambda: 2)
    return runs


def test_a_batch_draws_what_one_process_per_diagram_draws(many_flows, many_batched):
    alone = [draw(name, graph) for name, graph in many_flows]
    batched = many_batched
    assert [d.name for d in batched] == [name for name, _ in many_flows]
    for one, together in zip(alone, batched, strict=True):
        assert _shape(together.svg) == _shape(one.svg), one.name
        assert together.svg.count("<svg") == 1 and together.svg.rstrip().endswith("</svg>")


def test_reused_process_artefacts_are_removed(many_batched):
    for diagram in many_batched:
        assert "page0" not in diagram.svg and '<g id="graph0" class="graph"' in diagram.svg
        assert "<title>" not in diagram.svg and "<!-- Title:" not in diagram.svg  # generated ids, not names


def test_the_demo_flows_batched_equal_the_demo_flows_alone(demo_result):
    jobs = _flow_jobs(demo_result)
    for one, together in zip((draw(*job) for job in jobs), draw_batch(jobs), strict=True):
        assert _shape(together.svg) == _shape(one.svg), one.name


def test_a_failing_graph_in_a_batch_is_named_and_the_others_are_not_blamed(many_flows):
    broken = graphviz.Digraph(body=["\tthis is not { dot\n"])
    with pytest.raises(DiagramError, match="Graphviz failed drawing broken.svg"):
        draw_batch([*many_flows[:3], ("broken.svg", broken), *many_flows[3:5]])


def test_output_that_does_not_split_into_one_document_per_graph_is_not_used():
    assert split_documents("Warning: something\n<?xml version='1.0'?><svg/>") == []
    assert split_documents('<?xml a?><svg>1</svg>\n<?xml b?><svg>2</svg>\n') == ['<?xml a?><svg>1</svg>\n',
                                                                               '<?xml b?><svg>2</svg>\n']


def test_identical_graphs_are_drawn_once_and_every_name_gets_its_drawing(many_flows, dot_runs):
    (name, graph), other = many_flows[0], many_flows[1]
    drawn = draw_many([("big.svg", other[1])], [(name, graph), ("copy.svg", graph.copy()), other])
    assert [d.name for d in drawn] == ["big.svg", name, "copy.svg", other[0]]
    assert drawn[1].svg == drawn[2].svg and drawn[0].svg == drawn[3].svg
    assert sorted(dot_runs) == [1, 1]  # the overview alone, one flow: the copy and the overview's twin are not redrawn


def test_flows_are_spread_over_the_workers(many_flows, dot_runs):
    drawn = draw_many([], many_flows)
    assert len(drawn) == len(many_flows) and sorted(dot_runs) == [7, 8]
    assert not re.search(r"<!-- Title|page0", "".join(d.svg for d in drawn))


def test_cluster_boxes_are_put_back_in_their_order():
    box = '<g id="clust{n}" class="cluster">\n<polygon points="{n}"/>\n<text>lane {n}</text>\n</g>\n'
    head, tail = '<svg>\n<g id="graph0" class="graph">\n', '<g id="node1" class="node">\n</g>\n</g>\n</svg>\n'
    shuffled = head + "".join(box.format(n=n) for n in (3, 1, 10, 2)) + tail
    assert clusters_in_order(shuffled) == head + "".join(box.format(n=n) for n in (1, 2, 3, 10)) + tail
    with_a_gap = head + box.format(n=2) + "<text>between</text>\n" + box.format(n=1) + tail
    assert clusters_in_order(with_a_gap) == with_a_gap  # not a run of boxes: left as dot wrote it
    nested = head + box.format(n=2).replace("<polygon", '<g id="a_clust2"><a><polygon') + box.format(n=1) + tail
    assert clusters_in_order(nested) == nested  # a box holding a link group is not one this knows
