"""``pdf``: ``report.pdf``, the HTML report printed by headless Chromium (A4 landscape).

The page is the one ``html`` writes; its print stylesheet adds the executive first page, shows every
row of every table and unfolds every section (the page's script does that on ``beforeprint``, which
this renderer fires before printing). Chromium is driven through Playwright (``pip install
'auditor[pdf]'``); the browser is the system's Chromium (``chromium`` on the PATH, e.g. Debian's
package) or the one named by ``AUDITOR_CHROMIUM``, else Playwright's own download.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from auditor.result import ScanResult
from reports.base import Renderer, RenderError
from reports.html import HtmlRenderer

CHROMIUM_ENV = "AUDITOR_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 300_000
"""How long the page may take to load and print (a 10,000-tool report draws every row)."""
FOOTER = ('<div style="font-size:8px;width:100%;text-align:right;padding-right:12mm;color:#66788a">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
INSTALL_HINT = ("install it with `pip install 'auditor[pdf]'` (or `make venv`) and a Chromium "
                "(`apt-get install chromium`, or `playwright install chromium`)")


def chromium_path() -> str | None:
    """The Chromium to print with: ``$AUDITOR_CHROMIUM``, else the first Chromium on the PATH, else None."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        if not Path(named).is_file():
            raise RenderError(f"{CHROMIUM_ENV}={named}: no such file (the Chromium used for -f pdf)")
        return named
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _sync_playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RenderError(f"-f pdf needs Playwright, which is not installed: {INSTALL_HINT}") from exc
    return sync_playwright


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    """Open ``html_path`` in headless Chromium and print it to ``pdf_path`` (A4 landscape, backgrounds on)."""
    sync_playwright = _sync_playwright()
    from playwright.sync_api import Error as PlaywrightError

    executable = chromium_path()
    try:
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
            except PlaywrightError as exc:
                where = executable or "Playwright's Chromium"
                raise RenderError(f"-f pdf could not start Chromium ({where}): {_first_line(exc)}; "
                                  f"{INSTALL_HINT}") from exc
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(html_path.resolve().as_uri())
                page.wait_for_selector("body[data-ready]")
                page.emulate_media(media="print")
                page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
                page.pdf(path=str(pdf_path), format="A4", landscape=True, print_background=True,
                         prefer_css_page_size=True, display_header_footer=True, header_template="<span></span>",
                         footer_template=FOOTER)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise RenderError(f"-f pdf: Chromium could not print {html_path.name}: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class PdfRenderer(Renderer):
    """Writes ``report.pdf``: the HTML report with its executive first page, printed by Chromium."""

    format = "pdf"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        _sync_playwright()  # a missing extra is told before any work
        path = out_dir / "report.pdf"
        with tempfile.TemporaryDirectory(prefix="auditor-pdf-") as work:
            [html_path] = HtmlRenderer(self.lang, self.previous).render(result, Path(work))
            print_pdf(html_path, path)
        return [path]
