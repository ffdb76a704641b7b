"""The HTML diff page in real headless Chromium: readable sections, hostile names shown as text, never run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from history_fixtures import V1, V2, Project
from playwright.sync_api import Browser, sync_playwright

from auditor.cli import main

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.pwned=1">'


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Chromium is missing: run 'make system'"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


def test_the_diff_page_shows_every_section_and_runs_no_injected_markup(project: Project, tmp_path: Path,
                                                                       browser: Browser) -> None:
    runner = CliRunner()
    project.write(V1.replace("name: FTP drop,", f"name: '{HOSTILE}',"))
    assert runner.invoke(main, ["-q", "scan", "-c", str(project.config)]).exit_code == 0
    project.write(V2)
    assert runner.invoke(main, ["-q", "scan", "-c", str(project.config)]).exit_code == 0
    out = tmp_path / "changes.html"
    result = runner.invoke(main, ["diff", "-c", str(project.config), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output

    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(out.as_uri())
    headings = page.locator("h2").all_inner_texts()
    assert headings[:3] == ["Tools", "Integrations", "Findings"]
    removed = page.locator("#tools tr", has_text="removed").all_inner_texts()
    assert any(HOSTILE in row for row in removed)
    assert page.locator("#tools img").count() == 0
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("#integrations tr", has_text="erp->bi:api").locator(".tag").inner_text() == "created"
    assert errors == []
    page.close()
