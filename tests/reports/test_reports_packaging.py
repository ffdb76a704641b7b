"""A non-editable install ships the report templates, assets and language catalogues."""

from __future__ import annotations

from pathlib import Path

from wheel_install import InstalledWheel


def test_installed_wheel_writes_every_format_in_japanese(installed_wheel: InstalledWheel, tmp_path: Path) -> None:
    assert len(installed_wheel.wheels) == 1
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = ("import sys, reports; from auditor.cli import main; print(reports.__file__, file=sys.stderr); "
            "main(['demo', '--out', 'r', '--lang', 'ja', '-f', 'html', '-f', 'md', '-f', 'csv', '-f', 'xlsx'])")
    done = installed_wheel.run(code, work)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0].startswith(str(installed_wheel.site))  # the installed copy, not the source
    page = (work / "r" / "index.html").read_text(encoding="utf-8")
    assert "デジタル基盤監査" in page and "<style>" in page and "function T(" in page
    assert "## サマリー" in (work / "r" / "report.md").read_text(encoding="utf-8")
    assert (work / "r" / "audit.xlsx").stat().st_size > 0
