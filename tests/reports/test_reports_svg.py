"""Graphviz diagrams: one per flow plus departments and integrations; labels escaped; big landscapes collapsed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reports_landscape import HOSTILE_NAMES, make_result

from auditor.model import Flow
from reports.diagrams import TOOL_LIMIT, ZERO_WIDTH_SPACE, flow_file_names, text
from reports.svg import SvgRenderer

SVG = "{http://www.w3.org/2000/svg}"


def _texts(path) -> list[str]:
    root = ET.parse(path).getroot()  # well-formed XML, or this raises
    return ["".join(node.itertext()).replace(ZERO_WIDTH_SPACE, "") for node in root.iter(f"{SVG}text")]


def test_demo_diagrams_are_written_per_flow(demo_rendered, demo_result):
    written = demo_rendered("svg", "en")
    folder = written[0].parent
    names = {p.name for p in written}
    assert names == {*(f"flow-{f.id}.svg" for f in demo_result.graph.flows), "departments.svg", "integrations.svg"}
    lead = _texts(folder / "flow-lead-to-cash.svg")
    assert "Flow: Lead to cash" in lead
    assert any("Capture lead" in t for t in lead)


def test_no_generated_dot_ids_show_as_tooltips(demo_rendered, demo_result):
    written = demo_rendered("svg", "en")
    assert len(written) == len(demo_result.graph.flows) + 2  # every diagram is checked: flows + 2 overviews
    for path in written:
        root = ET.parse(path).getroot()
        assert not list(root.iter(f"{SVG}title")), path.name  # were %3, s0, s0->s1, cluster_d3: ids, not names
        assert [g for g in root.iter(f"{SVG}g") if "node" in (g.get("class") or "").split()]


def test_flow_edges_are_styled_by_handoff_status(demo_rendered, demo_result):
    svg = (demo_rendered("svg", "en")[0].parent / "flow-lead-to-cash.svg").read_text(encoding="utf-8")
    missing = sum(1 for f in demo_result.findings if f.type == "missing_integration" and f.flow == "lead-to-cash")
    manual = sum(1 for f in demo_result.findings if f.type == "manual_handoff" and f.flow == "lead-to-cash")
    assert missing and svg.count('stroke="#c62828" stroke-width="2.4" stroke-dasharray') == missing
    assert manual and svg.count('<path fill="none" stroke="#ef6c00"') == manual


def test_label_text_is_escaped_for_html_like_labels():
    assert text('a"b<c>{d}|e') == "a&quot;b&lt;c&gt;{d}|e"
    assert text("one\ntwo") == "one<br/>two"
    assert text("bell\x07 & tab") == "bell &amp; tab"
    assert text("x" * 100, limit=10) == "x" * 9 + "…"
    assert text("a\\N") == "a\\" + ZERO_WIDTH_SPACE + "N"  # Graphviz would put the node id in place of \N


def test_hostile_names_render_in_every_diagram(hostile_result, tmp_path):
    written = SvgRenderer("en").render(hostile_result, tmp_path)
    shown = [t for path in written for t in _texts(path)]
    for name in HOSTILE_NAMES:
        first_line = name.split("\n")[0][:30]  # long names are shortened with …
        assert any(first_line in t for t in shown), name
    assert any(t == "line two" for t in shown)  # a newline in a name is a line break
    assert any('a"b<c>{d}|e' == t for t in shown)
    assert any("back\\slash \\N \\G \\l" in t for t in shown)  # Graphviz escapes are not expanded
    for path in written:
        content = path.read_text(encoding="utf-8")
        assert "<script" not in content and "<img" not in content


def test_flow_file_names_are_safe_and_unique():
    flows = [Flow("../etc/passwd", "a"), Flow("a b", "b"), Flow("a-b", "c"), Flow("", "d")]
    names = flow_file_names(flows)
    assert len(set(names)) == 4
    assert all("/" not in n and n.startswith("flow-") and n.endswith(".svg") for n in names)


def test_large_landscape_is_collapsed_and_says_so(tmp_path):
    result = make_result(tools=TOOL_LIMIT + 200, flows=3)
    SvgRenderer("en").render(result, tmp_path)
    landscape = " ".join(_texts(tmp_path / "integrations.svg"))
    assert f"{TOOL_LIMIT + 200:,} tools: one node per department and layer" in landscape
    assert "Tool 00001" not in landscape
    departments = " ".join(_texts(tmp_path / "departments.svg"))
    assert "one node per department" in departments


def test_japanese_diagram_labels(demo_rendered):
    folder = demo_rendered("svg", "ja")[0].parent
    assert "フロー: Lead to cash" in _texts(folder / "flow-lead-to-cash.svg")
    assert "連携の全体像" in " ".join(_texts(folder / "integrations.svg"))
