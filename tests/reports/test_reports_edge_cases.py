"""Every format renders degenerate landscapes: empty, a flow without steps, dangling references."""

from __future__ import annotations

import pytest

from auditor.graph import LandscapeGraph
from auditor.model import Finding, Flow, Integration, Scan, Step, Tool
from auditor.result import ScanResult
from reports.registry import RENDERERS, render_all

SCAN = Scan("edge", "Edge Org", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00", tool_version="test")


def _result(tools=(), integrations=(), flows=(), findings=()) -> ScanResult:
    return ScanResult(SCAN, LandscapeGraph.build(tools, integrations, flows, "Edge Org"), list(findings))


CASES = {
    "empty": _result(),
    "flow without steps and a step without tools": _result(
        tools=[Tool("a", "A")], flows=[Flow("empty", "Empty"), Flow("one", "One", (Step("s", "S"),))]),
    "dangling references": _result(
        tools=[Tool("a", "A", layers=("data",))],
        integrations=[Integration("a", "ghost", "api", via="nowhere")],
        flows=[Flow("f", "F", (Step("s1", "S1", tools=("a", "ghost")), Step("s2", "S2", tools=("phantom",))))],
        findings=[Finding("missing_integration-x", "missing_integration", "high", "No integration", tools=("ghost",),
                          flow="f", steps=("s1", "s2")),
                  Finding("silo-y", "silo", "low", "Silo", flow="unknown-flow", steps=("zz",), evidence={"scope": 3})]),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_format_renders(case, lang, tmp_path):
    # pdf prints this same page through Chromium: tests/reports/test_reports_pdf_browser.py (a browser test)
    written = render_all(CASES[case], tmp_path, [f for f in RENDERERS if f != "pdf"], lang)
    names = {p.name for p in written}
    assert {"report.json", "report.md", "index.html", "tools.csv", "audit.xlsx", "integrations.svg"} <= names
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<section id=\"findings\">" in page


def test_xlsx_cell_over_the_limit_is_cut_visibly_and_warned(tmp_path, caplog):
    """Excel holds 32,767 characters per cell: longer text is cut with a note in the cell and a warning."""
    from openpyxl import load_workbook

    from reports.xlsx import CELL_LIMIT, XlsxRenderer

    # a finding naming 250 long-named tools: ~40,000 characters (the cell's length matters, not the tool count)
    many = tuple(f"t{i:03d}-" + "x" * 155 for i in range(250))
    result = _result(tools=[Tool(t, t.upper()) for t in many],
                     findings=[Finding("silo-big", "silo", "low", "Silo of many", tools=many)])
    with caplog.at_level("WARNING", logger="reports.xlsx"):
        XlsxRenderer().render(result, tmp_path)
    sheet = load_workbook(tmp_path / "audit.xlsx")["findings"]
    longest = max((c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)), key=len)
    assert len(longest) <= CELL_LIMIT
    assert longest.endswith("characters; the full text is in report.json and the CSV files]")
    assert "[cut: " in longest
    assert any("sheet 'findings'" in r.getMessage() and "cut" in r.getMessage() for r in caplog.records)
