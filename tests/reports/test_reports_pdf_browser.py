"""``-f pdf``: the report printed by real headless Chromium, read back with pypdf.

On paper every row of every table must be there (the screen shows 50 per page), with the executive
first page in front; Japanese prints with the CJK fonts `make system` installs. A Chromium that cannot
be found or started is a clear error (exit code 4), never a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from auditor.cli import main
from benchmarks.reports import generated
from reports.base import RenderError
from reports.finding_text import localise
from reports.i18n import catalogue
from reports.pdf import CHROMIUM_ENV, PdfRenderer

pytestmark = pytest.mark.browser


def _text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _squeezed(text: str) -> str:
    """Text without white space (the PDF wraps long titles inside table cells)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def landscape_420():
    """A generated 420-tool landscape (benchmarks/generator.py) with the real analyses and scores."""
    return generated(420)


def test_pdf_of_420_tools_holds_every_finding_title_recommendation_and_tool(landscape_420, tmp_path):
    result = landscape_420
    [path] = PdfRenderer("en").render(result, tmp_path)
    assert path.name == "report.pdf" and path.read_bytes().startswith(b"%PDF-")
    pages = _text(path)
    text = _squeezed("\n".join(pages))
    cat = catalogue("en")
    assert len(result.findings) > 50 and len(result.graph.tools) > 50  # more than the screen's one page of rows
    texts = [localise(f, cat) for f in result.findings]
    assert [t.title for t in texts if _squeezed(t.title) not in text] == []
    # on paper each finding's recommendation is printed under it
    assert [t.recommendation for t in texts if t.recommendation and _squeezed(t.recommendation) not in text] == []
    assert [t.name for t in result.graph.tools.values() if _squeezed(t.name) not in text] == []


def test_pdf_starts_with_the_executive_page(demo_result, tmp_path):
    [path] = PdfRenderer("en").render(demo_result, tmp_path)
    first = _squeezed(_text(path)[0])
    start = demo_result.scores["start_here"][0]
    for expected in ("Digital-foundation audit: Sakura Retail KK", "Savings if the plan's retirements are done",
                     f"Start here: {start['name']}", "First fixes", "Hand-off to the next step",
                     *(step.name for step in demo_result.graph.flow(start["flow"]).steps)):
        assert _squeezed(expected) in first, expected
    assert _squeezed(f"{demo_result.summary()['money']['plan_savings']:,.0f}") in first


def test_japanese_pdf_prints_japanese_text_with_a_cjk_font(demo_result, tmp_path):
    [path] = PdfRenderer("ja").render(demo_result, tmp_path)
    reader = PdfReader(path)
    first = _squeezed(reader.pages[0].extract_text())
    title = catalogue("ja")("Digital-foundation audit: {organization}", organization="Sakura Retail KK")
    assert _squeezed(title) in first
    assert _squeezed(catalogue("ja")("First fixes")) in first
    assert "ツール" in first  # Japanese words of the page, not only of the title
    # Chromium embeds the OpenType CJK font as Type3 fonts: their descriptors name it
    fonts: set[str] = set()
    for page in reader.pages[:2]:
        resources: Any = page["/Resources"]
        for font in dict(resources.get_object().get("/Font") or {}).values():
            descriptor = dict(font.get_object()).get("/FontDescriptor")
            if descriptor is not None:
                fonts.add(str(dict(descriptor.get_object()).get("/FontName")))
    assert any("CJK" in name for name in fonts), fonts


def test_a_chromium_that_does_not_exist_is_a_clear_error(demo_result, tmp_path, monkeypatch):
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    with pytest.raises(RenderError, match="AUDITOR_CHROMIUM=.*no such file"):
        PdfRenderer("en").render(demo_result, tmp_path)


def test_a_chromium_that_cannot_start_exits_4_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv(CHROMIUM_ENV, "/bin/false")
    outcome = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "out"), "-f", "pdf", "-f", "md",
                                        "--no-save", "--store-path", str(tmp_path / "s.db")])
    assert outcome.exit_code == 4, outcome.output
    assert "could not start Chromium (/bin/false)" in outcome.output
    assert "Traceback" not in outcome.output
    # pdf is printed last: the formats that need no browser are written all the same
    assert (tmp_path / "out" / "report.md").exists() and (tmp_path / "out" / "report.json").exists()


def test_without_playwright_pdf_is_a_clear_error_not_a_traceback(tmp_path):
    """Run in a fresh interpreter where importing Playwright fails, as on an install without auditor[pdf]."""
    code = ("import sys; sys.modules['playwright'] = None; sys.modules['playwright.sync_api'] = None\n"
            "from auditor.cli import main\n"
            f"main(['demo', '--out', {str(tmp_path / 'out')!r}, '-f', 'pdf', '--no-save', "
            f"'--store-path', {str(tmp_path / 's.db')!r}])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 4, done.stderr
    assert "-f pdf needs Playwright" in done.stderr and "auditor[pdf]" in done.stderr
    assert "Traceback" not in done.stderr
