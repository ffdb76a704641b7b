"""The HTML report's tables and cards in real headless Chromium: sorting by a header click (numbers as
numbers), tools by name, money cards that fit at 1280 px, and printing every row of every table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from reports_landscape import make_result
from test_reports_browser import CHROMIUM, _open

from auditor.graph import LandscapeGraph
from auditor.model import Scan, Tool
from auditor.result import ScanResult
from reports.html import HtmlRenderer

pytestmark = pytest.mark.browser

SCAN = Scan("s", "Org", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", currency="JPY")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        yield instance
        instance.close()


def _column(page, table: str, index: int) -> list[str]:
    return page.eval_on_selector_all(f"#{table} tbody tr.row td:nth-child({index})",
                                     "cells => cells.map(c => c.textContent.trim())")


def _amount(text: str) -> float:
    return float(text.split()[0].replace(",", "")) if text else float("nan")


def test_tools_are_listed_by_name_and_sort_by_a_header_click_numbers_as_numbers(browser, tmp_path):
    costs = {"Zendesk": 9_000.0, "asana": 10_000.0, "Box": 200_000.0, "10 Tool": 30_000.0, "9 Tool": None}
    tools = [Tool(f"t{i}", name, annual_cost=cost) for i, (name, cost) in enumerate(costs.items())]
    result = ScanResult(SCAN, LandscapeGraph.build(tools, [], [], "Org"), [])
    [path] = HtmlRenderer("en").render(result, tmp_path)
    page = _open(browser, path, [])
    # by name, not by id; "9 Tool" before "10 Tool", case does not matter
    assert _column(page, "tools-table", 1) == ["9 Tool", "10 Tool", "asana", "Box", "Zendesk"]
    header = page.locator("#tools-table th", has_text="Annual cost")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert [_amount(t) for t in _column(page, "tools-table", 5)][:4] == [9_000, 10_000, 30_000, 200_000]
    assert _column(page, "tools-table", 5)[-1] == ""  # unknown cost last
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert [_amount(t) for t in _column(page, "tools-table", 5)][:4] == [200_000, 30_000, 10_000, 9_000]
    page.locator("#tools-table th", has_text="Tool").first.click()
    assert _column(page, "tools-table", 1) == ["9 Tool", "10 Tool", "asana", "Box", "Zendesk"]


def test_findings_sort_by_severity_and_by_title(browser, tmp_path):
    result = make_result(tools=40, flows=3)
    [path] = HtmlRenderer("en").render(result, tmp_path)
    page = _open(browser, path, [])
    page.locator("#findings-table th", has_text="Finding").click()
    titles = _column(page, "findings-table", 3)
    assert titles == sorted(titles, key=str.casefold)[:len(titles)] and len(titles) == min(50, len(result.findings))
    page.locator("#findings-table th", has_text="Severity").click()  # ascending: info first
    order = ["Info", "Low", "Medium", "High", "Critical"]
    shown = [order.index(s) for s in _column(page, "findings-table", 1)]
    assert shown == sorted(shown)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_money_cards_fit_their_box_at_1280_px(browser, demo_result, tmp_path, lang):
    # the case: "17,400,000 JPY" showed as "…JF" at 1280 px
    factor = 17_400_000 / demo_result.summary()["annual_cost"]
    tools = [replace(t, annual_cost=t.annual_cost * factor if t.annual_cost else t.annual_cost)
             for t in demo_result.graph.tools.values()]
    graph = LandscapeGraph.build(tools, demo_result.graph.integrations, demo_result.graph.flows,
                                 demo_result.graph.organization)
    result = replace(demo_result, scan=replace(demo_result.scan, currency="JPY"), graph=graph)
    [path] = HtmlRenderer(lang).render(result, tmp_path)
    page = _open(browser, path, [], width=1280)
    cards = page.eval_on_selector_all(".card .num", """nums => nums.map(n => ({text: n.textContent.trim(),
        overflow: n.scrollWidth - n.clientWidth, card: n.closest('.card').getBoundingClientRect().right,
        right: Math.max(...Array.from(n.getClientRects()).map(r => r.right))}))""")
    assert any(c["text"] == "17,400,000 JPY" for c in cards), cards
    assert [c for c in cards if c["overflow"] > 0 or c["right"] > c["card"]] == []


def test_printing_draws_every_row_and_unfolds_every_section(browser, tmp_path):
    result = make_result(tools=300, flows=8)
    assert len(result.findings) > 50 and len(result.graph.tools) > 50
    [path] = HtmlRenderer("en").render(result, tmp_path)
    page = _open(browser, path, [])
    rows = "#{} tbody tr.row"
    assert page.locator(rows.format("findings-table")).count() == 50
    assert page.locator("details:not([open])").count() > 0  # more than six flows: folded on screen
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator(rows.format("findings-table")).count() == len(result.findings)
    # each finding with its recommendation under it (what a click opens on screen)
    with_advice = [f for f in result.findings if f.recommendation]
    assert with_advice and page.locator("#findings-table tr.print-detail").count() == len(with_advice)
    assert page.locator(rows.format("tools-table")).count() == len(result.graph.tools)
    assert page.locator("details:not([open])").count() == 0
    assert page.locator("#executive").is_visible() and not page.locator(".top").is_visible()
    # A4 landscape less the margins is about 1,050 CSS px wide: nothing may stick out of it
    page.set_viewport_size({"width": 1050, "height": 740})
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('main svg, table.flowmap, table.ex-map'))
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 1)
        .map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.locator("main svg").count() > 3 and wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1050
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator(rows.format("findings-table")).count() == 50
    assert page.locator("#findings-table tr.print-detail").count() == 0
    assert page.locator("details:not([open])").count() > 0
    assert not page.locator("#executive").is_visible()
