"""The HTML report in real headless Chromium (Debian's ``chromium``, driven by Playwright).

Opens the report from disk, checks the console stays clean, filters findings, opens a tool panel and
saves screenshots into tests/artifacts/. A 10,000-tool report must open and draw its tables; the
time it takes is printed (not asserted).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from reports_landscape import make_result

from reports.html import HtmlRenderer

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium (installed by `make system`); never a downloaded browser build."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is missing: run `make system` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _open(browser, path: Path, errors: list[str], width: int = 1400):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))  # type: ignore[func-returns-value]
    page.on("request", lambda request: errors.append(f"request: {request.url}")
            if not request.url.startswith(("file:", "data:", "about:")) else None)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    return page


def _count(page, table: str) -> int:
    return int(page.get_attribute(f"#{table} .count", "data-count"))


def test_demo_report_filters_findings_and_opens_a_tool_panel(browser, demo_result, tmp_path, artifacts):
    [path] = HtmlRenderer("en").render(demo_result, tmp_path)
    errors: list[str] = []
    page = _open(browser, path, errors)
    page.screenshot(path=str(artifacts / "report-summary.png"))
    total = _count(page, "findings-table")
    assert total == len(demo_result.findings)
    assert page.locator("#findings-table tbody tr.row").count() == min(total, 50)

    page.select_option("#f-type", "missing_integration")
    expected = sum(1 for f in demo_result.findings if f.type == "missing_integration")
    page.wait_for_selector(f"#findings-table .count[data-count='{expected}']")
    assert 0 < expected < total
    assert page.locator("#findings-table tbody tr.row").count() == expected
    page.locator("#findings-table tbody tr.row").first.click()
    assert page.locator("#findings-table tr.detail").count() == 1

    page.select_option("#f-type", "")
    page.fill("#f-search", "Zendesk")
    # the search looks at a finding's title, recommendation, tool names and departments, case-blind
    tools = demo_result.graph.tools
    mentions = sum(1 for f in demo_result.findings if "zendesk" in " ".join(
        [f.title, f.recommendation or "", *(tools[t].name for t in f.tools), *f.departments]).lower())
    assert 0 < mentions < total
    page.wait_for_selector(f"#findings-table .count[data-count='{mentions}']")
    assert page.locator("#findings-table tbody tr.row").count() == min(mentions, 50)
    page.locator("#findings").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "report-findings.png"))

    page.locator("#flows .chip[data-tool='salesforce']").first.click()
    page.wait_for_selector("#panel:not([hidden])")
    assert page.get_attribute("#panel", "data-tool-open") == "salesforce"
    panel = page.inner_text("#panel")
    assert "Salesforce Sales Cloud" in panel and "Integrations out" in panel and "it-inventory" in panel
    assert "Lead to cash › Qualify opportunity" in panel
    assert re.search(r"\b[\d,]+ USD\b", panel)  # amounts carry the demo's reporting currency
    page.screenshot(path=str(artifacts / "report-tool-panel.png"))
    page.keyboard.press("Escape")
    assert page.locator("#panel").is_hidden()

    page.locator("#flows").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "report-flows.png"))

    handoff = page.locator("#flows td.handoff.missing").first
    finding_id = handoff.get_attribute("data-finding")
    finding = next(f for f in demo_result.findings if f.id == finding_id)
    handoff.click()
    in_flow = sum(1 for f in demo_result.findings if f.type == finding.type and f.flow == finding.flow)
    page.wait_for_selector(f"#findings-table .count[data-count='{in_flow}']")
    assert page.input_value("#f-flow") == finding.flow and page.input_value("#f-type") == finding.type
    assert errors == []


def test_hostile_names_run_no_script_in_the_browser(browser, hostile_result, tmp_path):
    [path] = HtmlRenderer("en").render(hostile_result, tmp_path)
    errors: list[str] = []
    page = _open(browser, path, errors)
    page.fill("#t-search", "alert")
    # the tool search looks at name, vendor, category and departments, case-blind
    tools = hostile_result.graph.tools.values()
    matching = sum(1 for t in tools if "alert" in " ".join(
        [t.name, t.vendor or "", t.category or "", *t.departments]).lower())
    assert 0 < matching < len(tools)
    page.wait_for_selector(f"#tools-table .count[data-count='{matching}']")
    assert "<script>alert('xss')</script>" in page.inner_text("#tools-table")
    page.locator("#tools-table tbody tr.row").first.click()
    page.wait_for_selector("#panel:not([hidden])")
    assert page.locator("#panel img").count() == 0 and page.locator("#panel script").count() == 0
    assert errors == []  # no dialog opened, no error, nothing fetched


def test_ten_thousand_tools_open_and_draw_their_tables(browser, tmp_path, artifacts):
    result = make_result(tools=10_000)
    started = time.perf_counter()
    [path] = HtmlRenderer("en").render(result, tmp_path)
    rendered = time.perf_counter() - started
    errors: list[str] = []
    started = time.perf_counter()
    page = _open(browser, path, errors)
    opened = time.perf_counter() - started
    assert _count(page, "tools-table") == 10_000
    assert page.locator("#tools-table tbody tr.row").count() == 50
    assert _count(page, "findings-table") == len(result.findings)
    started = time.perf_counter()
    page.fill("#t-search", "Tool 0999")
    page.wait_for_selector("#tools-table .count[data-count='10']")
    searched = time.perf_counter() - started
    page.locator("#tools").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "report-10k-tools.png"))
    page.fill("#flow-search", "Flow 123")
    page.wait_for_selector("#flows details.flow[hidden]", state="attached")
    assert page.locator("#flows details.flow:not([hidden])").count() == 1
    assert errors == []
    print(f"\n10k tools: render {rendered:.2f} s, page ready {opened:.2f} s, search {searched:.2f} s, "
          f"index.html {path.stat().st_size / 1e6:.1f} MB")


def test_a_missing_integration_on_a_branch_is_listed_under_the_flow_map_and_filters_findings(browser, tmp_path,
                                                                                            artifacts):
    from auditor.config import load_config
    from connectors.prepare import scan_config

    golden = Path(__file__).resolve().parents[1] / "data" / "analyses" / "branching-flow" / "landscape.yaml"
    text = golden.read_text(encoding="utf-8")  # the same flow with Pay written before Clarify
    text = text.replace("      - {id: pay, tools: [bank]}\n", "").replace(
        "      - {id: clarify,", "      - {id: pay, tools: [bank], next: []}\n      - {id: clarify,")
    (tmp_path / "landscape.yaml").write_text(text, encoding="utf-8")
    config = tmp_path / "auditor.yaml"
    config.write_text("organization: Branches\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n",
                      encoding="utf-8")
    result = scan_config(load_config(config))
    (tmp_path / "out").mkdir()
    HtmlRenderer().render(result, tmp_path / "out")
    errors: list[str] = []
    page = _open(browser, tmp_path / "out" / "index.html", errors)
    branches = page.locator("#flows ul.branches li")
    assert branches.all_inner_texts() == ["2. approve ➜ 4. clarify: missing", "4. clarify ➜ 2. approve: connected"]
    assert page.locator("#flows td.handoff").count() == 3  # gaps 1→2, 2→3 and 3→4 (Pay ends: none)
    assert page.locator("#flows td.handoff.none").count() == 1
    page.locator("#flows").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "report-flow-branches.png"))
    branches.first.click()
    page.wait_for_selector("#findings-table .count[data-count='1']")
    assert page.input_value("#f-flow") == "invoice" and page.input_value("#f-type") == "missing_integration"
    assert errors == []
