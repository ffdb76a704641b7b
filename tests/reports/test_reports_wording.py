"""Wording of the reports in both languages (issue #16's small things): names not ids, the language's
list separator, translated diagram edge labels, natural Japanese, no "new" badge beside 0 new, the CLI
summary in the report's language, flow and step names in Japanese (the bilingual demo)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.graph import LandscapeGraph
from auditor.model import Integration, Scan, Tool
from auditor.result import ScanResult
from auditor.stores.embedded import EmbeddedStore
from reports.diagrams import integrations_diagram
from reports.html import HtmlRenderer
from reports.i18n import catalogue
from reports.registry import render_all


def _page_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="audit-data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_japanese_integration_map_translates_edge_labels():
    tools = [Tool("a", "Salesforce"), Tool("b", "Snowflake"), Tool("c", "Fivetran"), Tool("d", "Excel")]
    graph = LandscapeGraph.build(tools, [Integration("a", "b", "etl", via="c"), Integration("a", "d", "manual"),
                                         Integration("b", "d", "api")], [], "Org")
    result = ScanResult(Scan("s", "Org", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"), graph, [])
    japanese = integrations_diagram(result, catalogue("ja")).source
    assert "label=<Fivetran 経由の ETL>" in japanese and "label=<手作業>" in japanese and "label=<API>" in japanese
    assert "etl via" not in japanese and "<manual>" not in japanese and "<api>" not in japanese
    english = integrations_diagram(result, catalogue("en")).source
    assert "label=<etl via Fivetran>" in english and "label=<manual>" in english


def test_japanese_lists_use_the_japanese_separator(demo_rendered, demo_result):
    [path] = demo_rendered("md", "ja")
    markdown = path.read_text(encoding="utf-8")
    several = next(t for t in demo_result.graph.tools.values() if len(t.departments) > 1)
    assert "、".join(several.departments) in markdown
    assert ", ".join(several.departments) not in markdown
    [page] = demo_rendered("html", "ja")
    assert _page_data(page.read_text(encoding="utf-8"))["separator"] == "、"
    [page] = demo_rendered("html", "en")
    assert _page_data(page.read_text(encoding="utf-8"))["separator"] == ", "


def test_findings_and_start_here_name_flows_and_steps_not_ids(demo_rendered, demo_result):
    [path] = demo_rendered("md", "en")
    markdown = path.read_text(encoding="utf-8")
    finding = next(f for f in demo_result.findings if f.type == "missing_integration")
    flow = demo_result.graph.flow(finding.flow)
    names = {s.id: s.name for s in flow.steps}
    assert f"Flow {flow.name} · Steps {' → '.join(names[s] for s in finding.steps)}" in markdown
    assert f"Flow `{flow.id}`" not in markdown
    start = demo_result.scores["start_here"][0]
    also = [demo_result.graph.flow(f).name for f in start["also_helps"]]
    assert start["why"].endswith(f"also serve {', '.join(also)}.")
    bottleneck = next(f for f in demo_result.findings if f.type == "bottleneck")
    named = ", ".join(demo_result.graph.flow(f).name for f in bottleneck.evidence["flows"])
    assert f"hand-offs in {named} stop working" in bottleneck.recommendation


def test_japanese_start_here_and_customer_advice_read_naturally(demo_rendered, demo_result):
    [path] = demo_rendered("md", "ja")
    markdown = path.read_text(encoding="utf-8")
    start = demo_result.scores["start_here"][0]
    # the score now and the points repairing hand-offs and coverage adds (scoring.py: gain)
    assert f"スコアは現在の {start['score']} 点から {start['gain']} 点上がります" in markdown
    assert "ポイント上がります" not in markdown
    assert "この断絶は顧客に直接影響します。" in markdown and "お客様が直接感じます" not in markdown


def test_no_new_badge_beside_zero_new_findings(demo_result, tmp_path):
    [page] = HtmlRenderer("en", previous=demo_result).render(demo_result, tmp_path)
    summary = page.read_text(encoding="utf-8").split('<section id="summary">')[1].split("</section>")[0]
    assert "0 new since the previous scan" in summary and 'class="badge new"' not in summary
    earlier = replace(demo_result, findings=demo_result.findings[1:])
    [page] = HtmlRenderer("en", previous=earlier).render(demo_result, tmp_path)
    summary = page.read_text(encoding="utf-8").split('<section id="summary">')[1].split("</section>")[0]
    assert '<span class="badge new">new</span> 1 new since the previous scan' in summary


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_cli_scan_summary_speaks_the_report_language(lang, tmp_path, demo_result):
    s = demo_result.summary()
    sev = s["findings_by_severity"]
    high, medium, low = sev["high"] + sev["critical"], sev["medium"], sev["low"]
    expected = (f"Sakura Retail KK: ツール {s['tools']} 件、連携 {s['integrations']} 件、フロー {s['flows']} 件 → "
                f"指摘 {s['findings']} 件（高 {high}、中 {medium}、低 {low}）" if lang == "ja" else
                f"Sakura Retail KK: {s['tools']} tools, {s['integrations']} integrations, {s['flows']} flows → "
                f"{s['findings']} findings (high {high}, medium {medium}, low {low})")
    done = CliRunner().invoke(main, ["demo", "--lang", lang, "--out", str(tmp_path / "out"), "-f", "md",
                                     "--no-save", "--store-path", str(tmp_path / "s.db")])
    assert done.exit_code == 0, done.output
    assert expected in done.output
    wrote = "出力: " if lang == "ja" else "wrote "
    assert f"{wrote}{tmp_path / 'out' / 'report.md'}" in done.output


def test_japanese_reports_show_the_demo_flows_and_steps_by_their_japanese_names(demo_result, tmp_path):
    assert ("ja", "リードから入金まで") in demo_result.graph.flow("lead-to-cash").names
    render_all(demo_result, tmp_path / "ja", ["md", "html", "svg", "csv"], "ja")
    render_all(demo_result, tmp_path / "en", ["md"], "en")
    markdown = (tmp_path / "ja" / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "ja" / "index.html").read_text(encoding="utf-8")
    data = _page_data(page)
    assert {f["name"] for f in data["flows"]} == {"リードから入金まで", "受注から配送まで", "問い合わせから解決まで"}
    page = page.split('<script type="application/json"')[0]  # the findings' evidence keeps the recorded names
    for text in (markdown, page, (tmp_path / "ja" / "flow-lead-to-cash.svg").read_text(encoding="utf-8")):
        assert "リードから入金まで" in text and "受注登録" in text
        assert "Lead to cash" not in text and "Enter order" not in text
    # finding titles too
    assert "「リードから入金まで」で「見積」から「契約締結」へのデータ連携がありません" in markdown
    # start here names the flow in Japanese
    assert "「問い合わせから解決まで」の受け渡しとカバレッジを修復すると" in markdown
    english = (tmp_path / "en" / "report.md").read_text(encoding="utf-8")
    assert "Lead to cash" in english and "リードから入金まで" not in english
    # report.json keeps the names as the source wrote them, with the translations next to them
    document = json.loads((tmp_path / "ja" / "report.json").read_text(encoding="utf-8"))
    flow = next(f for f in document["flows"] if f["id"] == "lead-to-cash")
    assert flow["name"] == "Lead to cash" and flow["names"] == [["ja", "リードから入金まで"]]
    assert flow["steps"][0]["names"] == [["ja", "リード獲得"]]


def test_names_survive_the_embedded_store(demo_result, tmp_path):
    with EmbeddedStore(demo_result.scan.organization, tmp_path / "s.db") as store:
        store.save(demo_result)
        loaded = store.load("latest")
    assert [(f.names, [s.names for s in f.steps]) for f in loaded.graph.flows] == \
        [(f.names, [s.names for s in f.steps]) for f in demo_result.graph.flows]


def test_a_name_that_is_not_text_is_a_located_error(tmp_path):
    (tmp_path / "landscape.yaml").write_text(
        "tools: [{name: A}]\nflows:\n  - id: f\n    names: {ja: 7}\n    steps: [{id: s, tools: [A]}]\n",
        encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text(
        "organization: X\nsources:\n  - {name: it, type: landscape, path: landscape.yaml}\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["validate", "-c", str(tmp_path / "auditor.yaml")])
    assert done.exit_code == 2, done.output
    assert "landscape.yaml:4" in done.output and "flows[0].names.ja" in done.output


@pytest.mark.parametrize("format_id", ["text", "md", "html"])
def test_diff_speaks_japanese_with_lang_ja(demo_result, tmp_path, format_id):
    before = replace(demo_result, findings=demo_result.findings[1:], scan=replace(demo_result.scan, id="before"))
    render_all(before, tmp_path / "before", [], "en")
    render_all(demo_result, tmp_path / "after", [], "en")
    out = tmp_path / f"changes.{format_id}"
    done = CliRunner().invoke(main, ["diff", str(tmp_path / "before" / "report.json"),
                                     str(tmp_path / "after" / "report.json"), "--lang", "ja", "-f", format_id,
                                     "-o", str(out)])
    assert done.exit_code == 0, done.output
    text = out.read_text(encoding="utf-8")
    ja = catalogue("ja")
    opened = demo_result.findings[0]
    japanese_title = localise_in_japanese(demo_result, opened)
    assert japanese_title != opened.title and japanese_title in text.replace("&#34;", '"').replace("&#39;", "'")
    for words in (ja("Findings"), "への変更", "指摘: 新規 1、解消 0"):
        assert words in text.replace("**", ""), words  # Markdown puts the numbers in bold
    assert "findings opened" not in text and "Changes from" not in text
    assert f"{ja.severity(opened.severity)}" in text


def localise_in_japanese(result, finding) -> str:
    from reports.finding_text import localise
    from reports.languages import in_language

    shown = in_language(result, "ja")
    return localise(next(f for f in shown.findings if f.id == finding.id), catalogue("ja")).title


def test_markdown_lists_tools_by_name(demo_rendered, demo_result):
    [path] = demo_rendered("md", "en")
    markdown = path.read_text(encoding="utf-8")
    names = [t.name for t in demo_result.graph.tools.values()]
    positions = [markdown.index(f"\n| {name}") for name in sorted(names, key=str.casefold)]
    assert positions == sorted(positions) and sorted(names, key=str.casefold) != names
