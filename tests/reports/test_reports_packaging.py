"""A non-editable install ships the report templates, assets and language catalogues."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_installed_wheel_writes_every_format_in_japanese(tmp_path):
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheel_dir), str(ROOT)], check=True)
    [wheel] = wheel_dir.glob("auditor-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = ("import sys, reports; from auditor.cli import main; print(reports.__file__, file=sys.stderr); "
            "main(['demo', '--out', 'r', '--lang', 'ja', '-f', 'html', '-f', 'md', '-f', 'csv', '-f', 'xlsx'])")
    done = subprocess.run([sys.executable, "-c", code], cwd=work, env={**os.environ, "PYTHONPATH": str(target)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0].startswith(str(target))  # the installed copy, not the source tree
    page = (work / "r" / "index.html").read_text(encoding="utf-8")
    assert "デジタル基盤監査" in page and "<style>" in page and "function T(" in page
    assert "## サマリー" in (work / "r" / "report.md").read_text(encoding="utf-8")
    assert (work / "r" / "audit.xlsx").stat().st_size > 0
