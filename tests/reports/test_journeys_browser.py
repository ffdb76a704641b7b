"""The journey view of the HTML report in real headless Chromium: en and ja, KPIs coloured by measurability,
each loop with its break marked, start here; the console stays clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_reports_browser import _open, browser  # noqa: F401 - the module-scoped Chromium fixture

from auditor.result import ScanResult
from reports.html import HtmlRenderer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "title", "cannot_act"), [("en", "Journeys and KPIs", "cannot act"),
                                                          ("ja", "ジャーニーと KPI", "施策に戻せない")])
def test_the_demo_journey_view(browser, demo_result: ScanResult, tmp_path: Path, artifacts: Path,  # noqa: F811
                               lang: str, title: str, cannot_act: str) -> None:
    [path] = HtmlRenderer(lang).render(demo_result, tmp_path)
    errors: list[str] = []
    page = _open(browser, path, errors)
    assert page.inner_text("#journeys h2") == title
    assert page.locator("nav a[href='#journeys']").count() == 1
    view = page.locator("#journeys")
    # the KPI tree: ten KPIs, one that cannot be measured, nested under its parent
    levels, tree = view.locator(".jtwo > div").nth(0), view.locator(".jtwo > div").nth(1)
    assert tree.locator(".kpi").count() == 10 and levels.locator(".kpi").count() == 6  # six touchpoint KPIs
    unmeasurable = tree.locator(".kpi.kpi-unmeasurable")
    assert unmeasurable.all_inner_texts() == ["Time to resolution"]
    assert unmeasurable.evaluate("e => getComputedStyle(e).borderTopColor") != \
        tree.locator(".kpi.kpi-measurable").first.evaluate("e => getComputedStyle(e).borderTopColor")
    assert tree.locator("li:has(> .kpi:text('Time to resolution')) li .kpi").all_inner_texts() == [
        "Chatbot containment rate", "First reply time"]
    # the loops: two broken before the action stage, one running
    loops = view.locator(".loopbox")
    assert [loops.nth(i).get_attribute("data-break") for i in range(loops.count())] == [
        "cannot_act", "cannot_act", ""]
    first = loops.nth(0)
    assert first.locator(".arrow.broken").count() == 1 and first.locator(".stage.unreached").count() == 1
    assert cannot_act in first.inner_text()
    assert loops.nth(2).locator(".arrow.broken").count() == 0
    assert view.locator("ol.ranked li").count() == 2
    view.scroll_into_view_if_needed()
    view.screenshot(path=str(artifacts / f"report-journeys-{lang}.png"))
    assert errors == []
