"""The HTML report: sections, flow × layer maps, embedded data, escaping, previous-scan badges."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser

from reports_landscape import HOSTILE_NAMES, make_result

from reports.facts import every_flow_handoffs, handoffs
from reports.html import HtmlRenderer
from reports.html_view import embed_json


def _data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="audit-data">(.*?)</script>', page, re.S)
    assert match, "the page embeds its data"
    return json.loads(match.group(1))


class _Collector(HTMLParser):
    """Every start tag with its attributes, and the text, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_demo_page_has_every_section_and_is_self_contained(demo_rendered, demo_result):
    [path] = demo_rendered("html", "en")
    page = path.read_text(encoding="utf-8")
    for section in ("summary", "flows", "findings", "tools", "departments", "duplicates", "landscape"):
        assert f'<section id="{section}">' in page
    parser = _Collector()
    parser.feed(page)
    # no network: nothing loaded from elsewhere
    for tag, attrs in parser.tags:
        assert not attrs.get("src"), (tag, attrs)
        if tag == "link":
            raise AssertionError(f"external resource {attrs}")
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    # the flows are drawn as maps with the demo's steps, the scores are shown
    assert page.count('<table class="flowmap">') == len(demo_result.graph.flows)
    assert "Lead to cash" in page
    assert "Digital-foundation scores" in page and "No scores were computed" not in page
    # diagrams inline (a swimlane per flow and the integration map; departments are a matrix), no XML prolog
    assert page.count("<svg") == len(demo_result.graph.flows) + 1
    assert 'id="department-matrix"' in page
    assert "<?xml" not in page


def test_flow_map_colours_handoffs_from_the_findings(demo_rendered, demo_result):
    [path] = demo_rendered("html", "en")
    page = path.read_text(encoding="utf-8")
    expected = {"missing": 0, "manual": 0}
    for flow in demo_result.graph.flows:
        for handoff in handoffs(demo_result, flow):
            if handoff.status in expected:
                expected[handoff.status] += 1
    missing = {(f.flow, tuple(f.steps)) for f in demo_result.findings if f.type == "missing_integration"}
    manual = {(f.flow, tuple(f.steps)) for f in demo_result.findings if f.type == "manual_handoff"}
    assert expected["missing"] == len(missing) > 0
    assert expected["manual"] == len(manual) > 0  # checked against the findings, not only reports.facts
    assert page.count('class="handoff missing"') == expected["missing"]
    assert page.count('class="handoff manual"') == expected["manual"]


def test_handoff_status_comes_from_findings_by_flow_and_steps():
    result = make_result(tools=30, flows=2, seed=3)
    flow = result.graph.flows[0]
    statuses = {(h.source.id, h.target.id): (h.status, h.finding) for h in handoffs(result, flow)}
    handoff_findings = [f for f in result.findings
                        if f.flow == flow.id and f.type in ("missing_integration", "manual_handoff")]
    # the seed gives this flow both kinds of broken hand-off, so the loop below checks each kind
    assert {f.type for f in handoff_findings} == {"missing_integration", "manual_handoff"}
    for finding in handoff_findings:
        status, finding_id = statuses[tuple(finding.steps)]
        assert status == {"missing_integration": "missing", "manual_handoff": "manual"}[finding.type]
        assert finding_id == finding.id
    marked = {tuple(f.steps) for f in result.findings if f.flow == flow.id and len(f.steps) == 2}
    unmarked = {pair: status for pair, (status, _) in statuses.items() if pair not in marked}
    assert unmarked  # and some hand-offs without a finding, which must not be shown as broken
    assert set(unmarked.values()) <= {"connected", "no_tools"}


def test_every_flows_handoffs_read_at_once_are_each_flows_handoffs(demo_result):
    for result in (demo_result, make_result(tools=120, flows=8, seed=5)):
        together = every_flow_handoffs(result)
        assert together == [handoffs(result, flow) for flow in result.graph.flows]
        assert {h.status for found in together for h in found} >= {"missing", "manual", "connected"}


def test_embedded_json_reads_back_as_the_data_whichever_encoder_wrote_it():
    plain = {"tools": [{"id": "a", "name": "Ünïcode 「営業」", "cost": 1234.5, "tiny": 1e-05}], "rows": [[0, -1, 2]]}
    assert json.loads(embed_json(plain)) == plain  # orjson
    odd = {"big": 2**70, "keys": {1: "int key"}}  # orjson refuses both: the standard library writes them
    assert json.loads(embed_json(odd)) == {"big": 2**70, "keys": {"1": "int key"}}


def test_embedded_json_cannot_close_its_script_tag():
    text = embed_json({"name": "</script><script>alert(1)</script>", "amp": "a & b", "sep": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>", "amp": "a & b", "sep": "\u2028"}


def test_hostile_names_never_reach_the_page_as_markup(hostile_rendered):
    [path] = hostile_rendered("html", "en")
    page = path.read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "<b>R&D" not in page and "<i>Evil" not in page
    assert page.count("<script") == 2  # the data block and our own script
    parser = _Collector()
    parser.feed(page)
    assert sum(1 for tag, _ in parser.tags if tag == "script") == 2
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    text = "".join(parser.text)
    # the names are shown as text in the server-rendered flow maps and title
    assert "<i>Evil</i> & Co" in text
    assert "<script>alert('xss')</script>" in text
    # and they travel intact to the script through the data block
    data = _data(page)
    names = {t["name"] for t in data["tools"]}
    for hostile in HOSTILE_NAMES:
        assert hostile in names


def test_templates_do_not_evaluate_data(hostile_rendered):
    [path] = hostile_rendered("html", "en")
    page = path.read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in page
    assert "{% raw %}" in page


def test_new_since_previous_scan_flags_only_new_findings(demo_rendered, demo_result, tmp_path):
    kept = demo_result.findings[: len(demo_result.findings) // 2]
    previous = replace(demo_result, findings=kept)
    [path] = HtmlRenderer("en", previous).render(demo_result, tmp_path)
    data = _data(path.read_text(encoding="utf-8"))
    flagged = {f["id"] for f in data["findings"] if f.get("new")}
    assert flagged == {f.id for f in demo_result.findings} - {f.id for f in kept}
    gone = replace(demo_result, findings=demo_result.findings[1:])
    [path] = HtmlRenderer("en", demo_result).render(gone, tmp_path)
    assert "0 new since the previous scan, 1 resolved" in path.read_text(encoding="utf-8")
    assert data["hasPrevious"] is True
    [path] = demo_rendered("html", "en")  # the demo without a previous scan
    data = _data(path.read_text(encoding="utf-8"))
    assert not any(f.get("new") for f in data["findings"]) and data["hasPrevious"] is False


def test_missing_or_odd_scores_render(tmp_path):
    cases = [({}, "No scores were computed in this scan."), ({"overall": 55.5}, "56"),
             ({"flows": {"flow-000": {"score": 40, "parts": {"a": 0.5}}}}, "a 50%"),
             ({"start_here": ["flow-000", {"flow": "flow-001", "score": 10, "why": "because"}]}, "because"),
             ({"weird": "text", "nested": {"x": {"y": "z"}}, "list": [1, 2]}, "Digital-foundation scores")]
    for scores, shown in cases:
        result = make_result(tools=20, flows=2, scores=scores)
        [path] = HtmlRenderer("en").render(result, tmp_path)
        page = path.read_text(encoding="utf-8")
        assert '<section id="summary">' in page
        assert shown in page, scores


def test_japanese_page_has_japanese_headings_and_findings(demo_rendered):
    [path] = demo_rendered("html", "ja")
    page = path.read_text(encoding="utf-8")
    assert '<html lang="ja">' in page
    for heading in ("サマリー", "デジタル基盤スコア", "指摘事項", "ツール", "部門", "重複ツールと支出", "全体マップ"):
        assert heading in page
    data = _data(page)
    titles = [f["title"] for f in data["findings"] if f["type"] == "missing_integration"]
    assert titles and all("連携がありません" in t for t in titles)
    assert data["ui"]["Findings"] == "指摘事項"
