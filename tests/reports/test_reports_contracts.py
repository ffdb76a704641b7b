"""The first screen of the Markdown and HTML reports shows renewals in the next 90 days and licence use,
read from report.json's ``contracts`` section, in English and Japanese (dates relative to today)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.pipeline import run_scan
from auditor.result import ScanResult
from reports.registry import render_all


def _landscape(today: date) -> str:
    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()
    return f"""\
tools:
  - {{id: crm, name: Sales CRM, category: crm, departments: [Sales], annual_cost: 12000,
     renewal_date: {day(10)}, licences: 50, users: 20}}
  - {{id: wiki, name: Team Wiki, category: wiki, departments: [Sales], contract_end: {day(40)},
     licences: 100, users: 95}}
  - {{id: erp, name: Far ERP, category: erp, departments: [Finance], annual_cost: 90000, renewal_date: {day(200)}}}
  - {{id: past, name: Lapsed Chat, category: chat, departments: [Finance], renewal_date: {day(-5)}, licences: 30}}
  - {{id: board, name: Idea Board, category: whiteboard, departments: [Finance], licences: 10, users: 2}}
"""


@pytest.fixture(scope="module")
def contracts_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """A scan of a landscape with renewal dates around today and licences, some under-used."""
    folder = tmp_path_factory.mktemp("contracts")
    (folder / "landscape.yaml").write_text(_landscape(datetime.now(UTC).date()), encoding="utf-8")
    (folder / "auditor.yaml").write_text("organization: T\nreport: {currency: EUR}\n"
                                         "sources:\n  - {name: l, type: landscape, path: landscape.yaml}\n",
                                         encoding="utf-8")
    return run_scan(load_config(folder / "auditor.yaml"))


def _days(result: ScanResult, tool: str) -> int:
    as_of = date.fromisoformat(result.extra["contracts"]["as_of"])
    item = result.graph.tools[tool]
    return (date.fromisoformat(item.renewal_date or item.contract_end or "") - as_of).days


def _md_rows(markdown: str, heading: str) -> list[list[str]]:
    part = markdown[markdown.index(f"### {heading}"):]
    part = part[:part.index("\n#", 1)]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in part.splitlines()
            if line.startswith("| ") and "---" not in line][1:]


def _html_rows(page: str, kind: str) -> list[list[str]]:
    rows = re.findall(rf'<tr class="{kind}[^"]*">(.*?)</tr>', page, flags=re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
            for row in rows]


TEXTS = {
    "en": {"renewal": "Renewal", "end": "Contract end", "unknown": "unknown", "low": "under 80%",
           "cost_unknown": "cost unknown", "renewals": "Renewals and contract ends", "licences": "Licence use",
           "called_out": "2 tools use less than 80% of their licences.",
           "saving": "Their unused seats cost 7,200 EUR a year (tools with a known cost)."},
    "ja": {"renewal": "更新", "end": "契約終了", "unknown": "不明", "low": "80% 未満", "cost_unknown": "費用不明",
           "renewals": "更新と契約終了", "licences": "ライセンス利用状況",
           "called_out": "2 ツールがライセンスの 80% 未満しか使っていません。",
           "saving": "未使用ライセンスに年間 7,200 EUR を支払っています（費用が分かっているツールのみ）。"},
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_md_and_html_show_renewals_in_90_days_and_licence_use(contracts_result: ScanResult, tmp_path: Path,
                                                              lang: str) -> None:
    text = TEXTS[lang]
    crm, wiki = contracts_result.graph.tools["crm"], contracts_result.graph.tools["wiki"]
    renewals = [["Sales CRM", text["renewal"], crm.renewal_date, str(_days(contracts_result, "crm")), "12,000 EUR"],
                ["Team Wiki", text["end"], wiki.contract_end, str(_days(contracts_result, "wiki")), text["unknown"]]]
    licences = [["Idea Board", "10", "2", f"20% {text['low']}", text["cost_unknown"]],
                ["Sales CRM", "50", "20", f"40% {text['low']}", "7,200 EUR"],
                ["Team Wiki", "100", "95", "95%", ""],
                ["Lapsed Chat", "30", text["unknown"], text["unknown"], ""]]
    render_all(contracts_result, tmp_path, ["md", "html"], lang)

    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert _md_rows(markdown.replace("**", ""), text["renewals"]) == renewals
    assert _md_rows(markdown.replace("**", ""), text["licences"]) == licences
    assert text["called_out"] in markdown and text["saving"] in markdown

    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    summary = page[page.index('<section id="summary">'):page.index("</section>", page.index('<section id="summary">'))]
    assert _html_rows(summary, "renewal") == renewals
    assert _html_rows(summary, "licence") == licences
    assert text["called_out"] in summary and text["saving"] in summary
    assert text["renewals"] in summary and text["licences"] in summary


def test_reports_without_contract_facts_show_no_contracts_section(demo_result: ScanResult, tmp_path: Path) -> None:
    assert "contracts" not in demo_result.extra
    render_all(demo_result, tmp_path, ["md", "html"], "en")
    assert "## Contracts" not in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert 'id="contracts"' not in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_dates_known_but_none_due_says_so(contracts_result: ScanResult, tmp_path: Path) -> None:
    result = ScanResult(contracts_result.scan, contracts_result.graph, contracts_result.findings,
                        extra={**contracts_result.extra,
                               "contracts": {**contracts_result.extra["contracts"], "renewals_next_90_days": []}})
    render_all(result, tmp_path, ["md", "html"], "en")
    for name in ("report.md", "index.html"):
        assert "None (4 tools have a renewal date or contract end)." in (tmp_path / name).read_text(encoding="utf-8")
