"""CSV and Excel: documented columns, round trip with pandas, formulas defused, Japanese texts."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
from reports_landscape import make_result

from reports.csv_report import CsvRenderer
from reports.tables import FINDING_COLUMNS, INTEGRATION_COLUMNS, LIST_SEPARATOR, TOOL_COLUMNS
from reports.xlsx import XlsxRenderer

FORMULA = '=HYPERLINK("http://example.invalid","click")'


def _read_csv(path):
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)


def test_csv_round_trip_on_the_demo(demo_rendered, demo_result):
    written = demo_rendered("csv", "en")
    folder = written[0].parent
    assert sorted(p.name for p in written) == ["findings.csv", "integrations.csv", "tools.csv"]
    tools = _read_csv(folder / "tools.csv")
    assert tuple(tools.columns) == TOOL_COLUMNS
    assert list(tools["id"]) == list(demo_result.graph.tools)
    assert list(tools["name"]) == [t.name for t in demo_result.graph.tools.values()]  # Japanese names intact
    by_id = tools.set_index("id")
    for tool in demo_result.graph.tools.values():
        assert by_id.loc[tool.id, "layers"] == LIST_SEPARATOR.join(tool.layers)
        assert by_id.loc[tool.id, "annual_cost"] == ("" if tool.annual_cost is None else str(float(tool.annual_cost)))
    integrations = _read_csv(folder / "integrations.csv")
    assert tuple(integrations.columns) == INTEGRATION_COLUMNS
    assert list(integrations["key"]) == [i.key for i in demo_result.graph.integrations]
    findings = _read_csv(folder / "findings.csv")
    assert tuple(findings.columns) == FINDING_COLUMNS
    assert sorted(findings["id"]) == sorted(f.id for f in demo_result.findings)
    first = demo_result.findings[0]
    row = findings.set_index("id").loc[first.id]
    assert json.loads(row["evidence"]) == json.loads(json.dumps(dict(first.evidence)))
    assert row["title"] == first.title and row["new"] == ""


def test_xlsx_has_one_sheet_per_table_matching_the_csvs(demo_rendered):
    csvs = demo_rendered("csv", "en")[0].parent
    [path] = demo_rendered("xlsx", "en")
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    assert list(sheets) == ["tools", "integrations", "findings"]
    tables = (("tools", TOOL_COLUMNS, "id"), ("integrations", INTEGRATION_COLUMNS, "key"),
              ("findings", FINDING_COLUMNS, "id"))
    for name, columns, key in tables:
        assert tuple(sheets[name].columns) == columns
        csv = _read_csv(csvs / f"{name}.csv")
        assert list(sheets[name][key]) == list(csv[key])
        assert sheets[name].shape == csv.shape
    book = openpyxl.load_workbook(path)
    assert book["findings"].freeze_panes == "A2"
    assert book["tools"].auto_filter.ref


def test_spreadsheet_formulas_in_names_stay_text(hostile_result, tmp_path):
    CsvRenderer("en").render(hostile_result, tmp_path)
    [path] = XlsxRenderer("en").render(hostile_result, tmp_path)
    tools = _read_csv(tmp_path / "tools.csv")
    assert "'" + FORMULA in set(tools["name"])
    assert FORMULA not in set(tools["name"])
    book = openpyxl.load_workbook(path)
    cells = [c for row in book["tools"].iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
    assert any(c.value == FORMULA for c in cells)  # Excel keeps the exact name, as text
    names = set(pd.read_excel(path, sheet_name="tools", dtype=str)["name"])
    assert "line one\nline two" in names and "<script>alert('xss')</script>" in names


def test_new_column_marks_findings_absent_from_the_previous_scan(tmp_path):
    result = make_result(tools=30, flows=2)
    previous = make_result(tools=30, flows=2)
    previous.findings[:] = result.findings[:5]
    CsvRenderer("en", previous).render(result, tmp_path)
    findings = _read_csv(tmp_path / "findings.csv").set_index("id")
    old = {f.id for f in result.findings[:5]}
    assert {i for i, v in findings["new"].items() if v == "True"} == {f.id for f in result.findings} - old
    assert {i for i, v in findings["new"].items() if v == "False"} == old


def test_japanese_finding_texts_in_csv(demo_rendered):
    findings = _read_csv(demo_rendered("csv", "ja")[0].parent / "findings.csv")
    missing = findings[findings["type"] == "missing_integration"]
    assert len(missing) and all("連携がありません" in t for t in missing["title"])
    assert all(r for r in findings["recommendation"])
