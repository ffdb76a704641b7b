"""report.md shows the resolution review list and the tools inferred from capabilities."""

from __future__ import annotations

from reports.registry import render_all


def test_review_list_and_inferred_tools_appear_in_both_languages(demo_result, tmp_path):
    result = demo_result
    render_all(result, tmp_path / "en", ["md"], "en")
    render_all(result, tmp_path / "ja", ["md"], "ja")
    english = (tmp_path / "en" / "report.md").read_text(encoding="utf-8")
    japanese = (tmp_path / "ja" / "report.md").read_text(encoding="utf-8")
    assert ("| MICROSOFT*SUBSCRIPTION | card-spend | names only a vendor that has several products | "
            "**m365, teams, powerbi** · ") in english
    assert "| Issue to resolution | Escalate to e-commerce team | ticketing | Freshdesk |" in english  # by name
    assert "| 5 | Escalate to e-commerce team | E-commerce | Freshdesk* |" in english
    assert "## 名寄せ" in japanese and "### 要確認" in japanese
    # a hand-off from a step whose tools were inferred (Freshdesk) is read with those tools; Freshdesk is
    # retired for Zendesk Suite, so the advice names the kept tool and says to move the step first
    # (the demo's steps have Japanese names: examples/demo/landscape/flows.yaml, names: {ja: …})
    assert ("統合が済めば両ステップとも Zendesk Suite を使うため、「EC チームへのエスカレーション」から"
            "「解決と回答」への新たな連携は不要です。"
            "Freshdesk は Zendesk Suite への統合で廃止予定です。") in japanese


def test_html_report_has_the_resolution_section(demo_result, tmp_path):
    result = demo_result
    render_all(result, tmp_path, ["html"], "en")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<section id="resolution">' in page
    assert "<td>MICROSOFT*SUBSCRIPTION</td><td>card-spend</td>" in page
    assert "<td>Issue to resolution</td><td>Escalate to e-commerce team</td><td>ticketing</td>" in page
