"""Views that scale (issue #16) without a browser: the department matrix, the grouped landscape map, unique
SVG ids in the page, the matrix in report.md. The geometry is checked in Chromium by
test_reports_views_browser.py."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

from reports_landscape import make_result

from auditor.graph import LandscapeGraph
from auditor.model import LAYERS, Integration, Scan, Tool
from auditor.result import ScanResult
from reports.department_matrix import HEAT_LEVELS, department_matrix, home_departments
from reports.diagrams import TOOL_LIMIT, inline, integrations_diagram
from reports.i18n import catalogue

SVG = "{http://www.w3.org/2000/svg}"


def _result(tools: list[Tool], integrations: list[Integration]) -> ScanResult:
    graph = LandscapeGraph.build(tools, integrations, [], "Matrix Co")
    return ScanResult(Scan("m", "Matrix Co", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"), graph, [])


def _tool(tool_id: str, *departments: str, owner: str | None = None) -> Tool:
    return Tool(id=tool_id, name=tool_id.upper(), departments=departments, owner=owner, sources=("s",))


def test_the_matrix_counts_each_direction_manual_share_and_what_it_cannot_place():
    result = _result(
        [_tool("crm", "Sales"), _tool("erp", "Finance"), _tool("bi", "Sales", "Finance"), _tool("orphan"),
         _tool("wiki", owner="IT")],
        [Integration("crm", "erp", "api", sources=("s",)),
         Integration("crm", "erp", "manual", sources=("s",)),
         Integration("erp", "wiki", "file", bidirectional=True, sources=("s",)),
         Integration("bi", "crm", "api", sources=("s",)),
         Integration("orphan", "crm", "api", sources=("s",))])
    matrix = department_matrix(result)
    assert matrix.departments == ["Finance", "IT", "Sales"]  # the owner counts as a department
    sales_finance = matrix.cell("Sales", "Finance")
    assert (sales_finance.count, sales_finance.manual, sales_finance.manual_share) == (2, 1, 0.5)
    assert matrix.cell("Finance", "IT").count == 1 and matrix.cell("IT", "Finance").count == 1  # ⇄ both ways
    # bi is used by Sales and Finance: its integration to crm counts from each
    assert matrix.cell("Sales", "Sales").count == 1 and matrix.cell("Finance", "Sales").count == 1
    assert matrix.cell("Sales", "IT").count == 0 and matrix.cell("Sales", "IT").heat == 0
    assert matrix.unplaced == 1  # orphan has no department: counted, not dropped silently
    assert sales_finance.heat == HEAT_LEVELS  # the busiest pair of different departments
    assert matrix.totals_out == {"Sales": 2, "Finance": 2, "IT": 1}


def test_the_matrix_counts_as_the_definition_says_on_a_generated_landscape():
    result = make_result(tools=400, flows=3, seed=11)
    tools = result.graph.tools
    homes = {t.id: home_departments(t) for t in tools.values()}
    expected: Counter = Counter()
    expected_manual: Counter = Counter()
    for i in result.graph.integrations:  # the definition, pair by pair, with sets
        pairs = {(a, b) for a in homes.get(i.source, []) for b in homes.get(i.target, [])}
        pairs |= {(b, a) for a, b in pairs} if i.bidirectional else set()
        expected.update(pairs)
        expected_manual.update(pairs if i.kind == "manual" else ())
    matrix = department_matrix(result)
    assert {pair: (c.count, c.manual) for pair, c in matrix.cells.items()} == {
        pair: (count, expected_manual[pair]) for pair, count in expected.items()}
    assert any(len(h) > 1 for h in homes.values()) and any(i.bidirectional for i in result.graph.integrations)
    assert matrix.unplaced == sum(1 for i in result.graph.integrations
                                  if not homes.get(i.source) or not homes.get(i.target))


def test_a_large_landscape_map_has_a_node_per_department_and_layer_and_says_1_tool():
    result = make_result(tools=TOOL_LIMIT + 60, flows=3)
    lonely = Tool(id="lonely", name="Lonely", departments=("Zeta",), sources=("s",))
    graph = LandscapeGraph.build([*result.graph.tools.values(), lonely], result.graph.integrations, [], "G")
    big = ScanResult(result.scan, graph, [])
    source = integrations_diagram(big, catalogue("en")).source
    assert "Lonely" not in source and "Tool 00001" not in source
    assert "<br/>1 tool>" in source and not re.search(r"(?<![\d,])1 tools", source)
    first_layer = {t.id: next((la for la in LAYERS if la in t.layers), "none") for t in graph.tools.values()}
    assert source.count('class="group') == len({(t.departments[0], first_layer[t.id]) for t in graph.tools.values()})


def test_the_svg_ids_of_inline_diagrams_get_their_prefix():
    svg = '<?xml?>\n<svg><g id="graph0"><g id="node1" class="node"><a href="#node1" fill="url(#g1)"/></g></g></svg>'
    assert inline(svg, "d3-") == ('<svg><g id="d3-graph0"><g id="d3-node1" class="node">'
                                  '<a href="#d3-node1" fill="url(#d3-g1)"/></g></g></svg>')
    assert inline(svg) == svg[svg.index("<svg"):]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1


def test_the_demo_page_has_no_duplicate_ids_and_shows_the_matrix(demo_rendered, demo_result):
    [path] = demo_rendered("html", "ja")
    page = path.read_text(encoding="utf-8")
    parser = _Ids()
    parser.feed(page)
    assert parser.ids and [i for i, n in parser.ids.items() if n > 1] == []
    assert page.count("<svg") == len(demo_result.graph.flows) + 1
    assert "部門間の連携" in page and 'class="matrix"' in page


def test_report_md_has_the_department_table(demo_rendered, demo_result):
    [path] = demo_rendered("md", "en")
    text = path.read_text(encoding="utf-8")
    section = text[text.index("## Integrations between departments"):text.index("## Tools")]
    matrix = department_matrix(demo_result)
    rows = [line for line in section.splitlines() if line.startswith("| **")]
    assert len(rows) == len(matrix.departments)
    manual = [(a, b) for a in matrix.departments for b in matrix.departments if matrix.cell(a, b).manual]
    assert manual  # the demo has manual integrations between departments, shown in brackets
    a, b = manual[0]
    row = next(r for r in rows if r.startswith(f"| **{a}**"))
    cell = row.split("|")[2 + matrix.departments.index(b)].strip()
    assert cell == f"{matrix.cell(a, b).count} ({matrix.cell(a, b).manual})"


def test_the_svg_files_carry_the_classes_the_page_uses(demo_rendered):
    root = ET.parse(demo_rendered("svg", "en")[0].parent / "integrations.svg").getroot()
    classes = [g.get("class") or "" for g in root.iter(f"{SVG}g")]
    assert any(re.fullmatch(r"node tool n-t\d+( unsanctioned)?", c) for c in classes)
    assert any(re.fullmatch(r"edge kind-manual from-t\d+ to-t\d+", c) for c in classes)


def test_hostile_department_names_stay_text_in_the_matrix(hostile_rendered):
    [path] = hostile_rendered("html", "en")
    page = path.read_text(encoding="utf-8")
    matrix = page[page.index('id="department-matrix"'):]
    matrix = matrix[:matrix.index("</table>")]
    assert "<b>R&D</b>" not in matrix and "&lt;b&gt;R&amp;D&lt;/b&gt;" in matrix
    [md] = hostile_rendered("md", "en")
    assert "&lt;b&gt;R&D&lt;/b&gt;" in md.read_text(encoding="utf-8")
