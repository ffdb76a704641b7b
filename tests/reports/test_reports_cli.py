"""`auditor demo` / `auditor report` write every format, and re-render a stored scan without rescanning."""

from __future__ import annotations

import json

from click.testing import CliRunner

from auditor.cli import main
from auditor.cli.scan import demo_config_path

FORMATS = ("json", "md", "html", "svg", "csv", "xlsx")
EXPECTED = {"report.json", "report.md", "index.html", "tools.csv", "integrations.csv", "findings.csv", "audit.xlsx",
            "departments.svg", "integrations.svg"}


def _formats() -> list[str]:
    return [arg for f in FORMATS for arg in ("-f", f)]


def test_demo_then_report_re_renders_every_format_in_japanese(demo_scanned_twice, demo_store, tmp_path):
    runner = CliRunner()
    store = demo_store  # `auditor demo` ran twice into it, writing report.json each time
    scan_id = json.loads((demo_scanned_twice / "two" / "report.json").read_text(encoding="utf-8"))["scan"]["id"]
    out = tmp_path / "again"
    done = runner.invoke(main, ["report", "-c", str(demo_config_path()), "--store-path", str(store),
                                "--out", str(out), "--lang", "ja", *_formats()])
    assert done.exit_code == 0, done.output
    names = {p.name for p in out.iterdir()}
    assert EXPECTED <= names
    assert {"flow-lead-to-cash.svg", "flow-order-to-delivery.svg", "flow-issue-to-resolution.svg"} <= names
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["scan"]["id"] == scan_id
    assert "## サマリー" in (out / "report.md").read_text(encoding="utf-8")
    assert '<html lang="ja">' in (out / "index.html").read_text(encoding="utf-8")


def test_second_scan_marks_nothing_new_and_report_of_previous_works(demo_scanned_twice, demo_store, tmp_path):
    page = (demo_scanned_twice / "two" / "index.html").read_text(encoding="utf-8")  # the second `auditor demo`'s
    assert '"hasPrevious":true' in page and '"new":true' not in page
    first = json.loads((demo_scanned_twice / "one" / "report.json").read_text(encoding="utf-8"))["scan"]["id"]
    done = CliRunner().invoke(main, ["report", "-c", str(demo_config_path()), "--store-path",
                                     str(demo_store), "--scan", "previous", "--out",
                                     str(tmp_path / "prev"), "-f", "html", "-f", "json"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "prev" / "index.html").exists()
    assert json.loads((tmp_path / "prev" / "report.json").read_text(encoding="utf-8"))["scan"]["id"] == first
