"""The journey view of the reports: Markdown (en, ja) from the demo, the same view re-rendered from a stored scan,
a KPI name that tries to break out, and nothing at all for a scan without journeys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from auditor.graph import LandscapeGraph
from auditor.result import ScanResult, from_document, to_document
from reports.html import HtmlRenderer
from reports.journey_view import journey_view
from reports.markdown import MarkdownRenderer


def test_markdown_journey_view_in_english_and_japanese(demo_rendered: Callable[[str, str], list[Path]]) -> None:
    [english] = demo_rendered("md", "en")
    text = english.read_text(encoding="utf-8")
    section = text[text.index("## Journeys and KPIs"):text.index("## Sources")]
    assert "Measurement readiness: **84**" in section
    assert "- ❌ **Time to resolution** (individual journey; cannot be measured; computed in Tableau Cloud; " \
           "`ticket` does not reach it)" in section
    assert "  - ✅ **Repeat purchase rate**" in section and "    - ✅ **Checkout abandonment**" in section
    assert "| **Order to delivery** ❌ cannot act |" in section and "| **Lead to cash** ✅ the loop runs |" in section
    assert "1. **Order to delivery** — cannot act; readiness 83; To close it: connect Tableau Cloud → Shopify Plus" \
        in section
    [japanese] = demo_rendered("md", "ja")
    text = japanese.read_text(encoding="utf-8")
    section = text[text.index("## ジャーニーと KPI"):]
    assert "計測準備度: **84**" in section and "施策に戻せない" in section and "計測できない" in section
    assert "Tableau Cloud → Shopify Plus を連携" in section


def test_the_view_is_the_same_from_a_stored_scan(demo_result: ScanResult) -> None:
    again = from_document(to_document(demo_result))
    assert journey_view(again) == journey_view(demo_result) is not None


def test_a_scan_without_journeys_has_no_journey_section(demo_result: ScanResult, tmp_path: Path) -> None:
    g = demo_result.graph
    bare = replace(demo_result, graph=LandscapeGraph.build(g.tools.values(), g.integrations, g.flows, g.organization),
                   extra={k: v for k, v in demo_result.extra.items() if k != "measurement"})
    assert journey_view(bare) is None
    [md] = MarkdownRenderer("en").render(bare, tmp_path)
    assert "Journeys and KPIs" not in md.read_text(encoding="utf-8")


def test_a_kpi_name_with_markup_stays_text_in_html(demo_result: ScanResult, tmp_path: Path) -> None:
    g = demo_result.graph
    kpis = [replace(k, name="<script>alert(1)</script>") if k.id == "csat" else k for k in g.kpis]
    hostile = replace(demo_result, graph=LandscapeGraph.build(g.tools.values(), g.integrations, g.flows,
                                                              g.organization, g.journeys, kpis))
    [page] = HtmlRenderer("en").render(hostile, tmp_path)
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
