"""Category names in the HTML report, in real headless Chromium: tools table, its search, tool panel, duplicates.

Uses the browser and page helpers of test_reports_browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_reports_browser import _open, browser  # noqa: F401 - the module's Chromium fixture

from auditor.result import ScanResult
from reports.html import HtmlRenderer
from reports.i18n import catalogue

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_tools_are_found_and_shown_by_category_title(browser, demo_result: ScanResult,  # noqa: F811
                                                     tmp_path: Path, lang: str) -> None:
    [path] = HtmlRenderer(lang).render(demo_result, tmp_path)
    errors: list[str] = []
    page = _open(browser, path, errors)
    title = catalogue(lang).category("cdp", demo_result.category_titles())
    cdp = sorted(t.name for t in demo_result.graph.tools.values() if t.category == "cdp")
    assert len(cdp) == 2 and title != "cdp"

    page.fill("#t-search", title.upper())  # the display name finds the category's tools, case-blind
    page.wait_for_selector(f"#tools-table .count[data-count='{len(cdp)}']")
    rows = page.locator("#tools-table tbody tr.row")
    assert sorted(rows.locator("td:nth-child(1) .chip").all_inner_texts()) == cdp
    assert rows.locator("td:nth-child(2)").all_inner_texts() == [title, title]

    page.fill("#t-search", "marketing-automation")  # the id still matches
    expected = sum(1 for t in demo_result.graph.tools.values() if t.category == "marketing-automation")
    page.wait_for_selector(f"#tools-table .count[data-count='{expected}']")

    page.fill("#t-search", cdp[0])
    page.wait_for_selector("#tools-table .count[data-count='1']")
    page.locator("#tools-table tbody tr.row").first.click()
    page.wait_for_selector("#panel:not([hidden])")
    assert title in page.locator("#panel-body dd").all_inner_texts()

    groups = page.locator("#duplicates-table tbody tr.row td:nth-child(1)").all_inner_texts()
    assert title in groups and "cdp" not in groups
    assert errors == []
