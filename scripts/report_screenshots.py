"""Write the screenshots of docs/reports.md: the HTML report of a generated 420-tool landscape.

Usage::

    .venv/bin/python scripts/report_screenshots.py [--out docs/img] [--width 1400]

The landscape is ``benchmarks/reports.py``'s generator (seed 7, about 420 tools, flows of 9 steps, the
real analyses and scores); the report is rendered by the HTML renderer and opened in Debian's headless
Chromium (Playwright, as the browser tests do). Three PNG files are written: the summary, the first
flow map and the integration map (fitted to its box, as the page opens it).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.reports import generated  # noqa: E402
from reports.html import HtmlRenderer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SHOTS = (("report-420-summary.png", "#summary"), ("report-420-flow.png", "#flows details.flow"),
         ("report-420-map.png", "#landscape"))
"""File name and the CSS selector of the element it shows."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--tools", type=int, default=420)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        [path] = HtmlRenderer("en").render(generated(args.tools, steps=9), Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-ready]", timeout=60_000)
        page.add_style_tag(content=".top { position: static; }")  # the sticky header would cover the shots
        for name, selector in SHOTS:
            element = page.locator(selector).first
            element.evaluate("el => { if (el.tagName === 'DETAILS') el.open = true; }")  # flows start folded
            element.scroll_into_view_if_needed()
            box = element.bounding_box()
            if not box:
                raise SystemExit(f"{selector} is not shown in the report")
            top = box["y"] + page.evaluate("window.scrollY")  # the clip is in page coordinates
            page.screenshot(path=str(args.out / name), full_page=True,
                            clip={"x": box["x"], "y": top, "width": box["width"], "height": min(box["height"], 1100)})
            print(f"{args.out / name}: {(args.out / name).stat().st_size / 1e3:.0f} kB")
        browser.close()


if __name__ == "__main__":
    main()
