"""Amounts carry the reporting currency (report.currency → scan.currency) in every format."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace

from auditor.analyses import AnalysisSettings, run_analyses
from auditor.money import format_money
from auditor.result import to_document
from reports.finding_text import localise
from reports.i18n import catalogue
from reports.markdown import MarkdownRenderer
from reports.registry import render_all


def test_format_money():
    assert format_money(1234567.8) == "1,234,568"
    assert format_money(1234567.8, "JPY") == "1,234,568 JPY"
    assert format_money(None, "JPY") == ""


def test_the_demo_reports_amounts_in_its_currency(demo_result, tmp_path):
    assert demo_result.scan.currency == "USD"
    document = to_document(demo_result)
    assert document["scan"]["currency"] == "USD"
    total = format_money(demo_result.summary()["annual_cost"], "USD")
    [md] = MarkdownRenderer("en").render(demo_result, tmp_path)
    assert f"| Known annual spend | {total} |" in md.read_text(encoding="utf-8")
    duplicate = next(f for f in demo_result.findings if f.type == "duplicate" and f.evidence["total_annual_cost"])
    assert re.search(r"save up to [\d,]+ USD a year", duplicate.recommendation)
    ja = localise(duplicate, catalogue("ja")).recommendation
    assert re.search(r"[\d,]+ USD", ja), ja
    render_all(demo_result, tmp_path, ("csv", "html"), "en", None)
    with (tmp_path / "tools.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["currency"] for r in rows if r["annual_cost"]} == {"USD"}
    assert {r["currency"] for r in rows if not r["annual_cost"]} <= {""}
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    amount = format_money(demo_result.summary()["annual_cost"])
    assert f'<div class="num">{amount} <span class="unit">USD</span></div>' in html
    found = re.search(r'<script type="application/json" id="audit-data">(.*?)</script>', html, re.S)
    assert found
    data = json.loads(found[1])
    assert data["currency"] == "USD"


def test_without_a_reporting_currency_amounts_have_no_code(demo_result, tmp_path):
    plain = replace(demo_result, scan=replace(demo_result.scan, currency=None))
    [md] = MarkdownRenderer("en").render(plain, tmp_path)
    total = format_money(plain.summary()["annual_cost"])
    assert f"| Known annual spend | {total} |" in md.read_text(encoding="utf-8")
    findings = run_analyses(plain.graph, AnalysisSettings())
    duplicate = next(f for f in findings if f.type == "duplicate" and f.evidence["total_annual_cost"])
    assert re.search(r"save up to [\d,]+ a year", duplicate.recommendation)
