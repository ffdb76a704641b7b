"""The scan report puts money, the plan's first actions and "start here" with its fixes on the first screen."""

from __future__ import annotations

import json

import pytest

from reports.registry import render_all


def test_report_json_has_the_money_summary_and_a_plan_that_agree(demo_result, tmp_path):
    render_all(demo_result, tmp_path, ["json"], "en")
    document = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    money, plan = document["summary"]["money"], document["plan"]
    assert money["annual_spend"] == pytest.approx(sum(t["annual_cost"] or 0 for t in document["tools"]))
    assert money["plan_savings"] == plan["annual_savings"] == pytest.approx(
        -sum(a["annual_cost_change"] for a in plan["actions"] if a["kind"] == "retire"))
    unsanctioned = sum(t["annual_cost"] or 0 for t in document["tools"] if not t["sanctioned"])
    assert money["shadow_it_spend"] == pytest.approx(unsanctioned)
    assert 0 < money["duplicate_savings"] <= money["duplicate_spend"] <= money["annual_spend"]


@pytest.mark.parametrize(("lang", "savings", "plan", "fixes", "first_action"), [
    ("en", "Savings if the plan&#39;s retirements are done", "Plan: first actions", "First fixes",
     "Retire クラウドサイン (keep DocuSign eSignature)"),
    ("ja", "計画どおり廃止した場合の削減額", "計画: 最初のアクション", "最初の修正",
     "クラウドサイン を廃止（DocuSign eSignature に統合）"),
])
def test_html_and_markdown_summaries_show_savings_first_actions_and_first_fixes(demo_result, tmp_path, lang, savings,
                                                                                 plan, fixes, first_action):
    render_all(demo_result, tmp_path, ["html", "md"], lang)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    summary = page[page.index('<section id="summary">'):page.index("</section>", page.index('<section id="summary">'))]
    savings_text = f"{demo_result.summary()['money']['plan_savings']:,.0f}"
    for text in (savings, plan, fixes, first_action, savings_text):
        assert text in summary, text
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert first_action in markdown and savings_text in markdown
