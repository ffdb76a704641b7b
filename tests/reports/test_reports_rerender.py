"""`auditor report` re-renders a stored scan exactly as `auditor scan` rendered it; Markdown structure."""

from __future__ import annotations

from click.testing import CliRunner

from auditor.analyses.registry import finding_types
from auditor.cli import main
from auditor.cli.scan import demo_config_path
from reports.html_view import page_data
from reports.i18n import catalogue
from reports.registry import render_all


def test_report_of_the_stored_scan_is_the_same_as_the_scan_s_own(demo_scanned_twice, demo_store, tmp_path):
    # `auditor demo` ran twice into the store: the second scan has a previous one, so "new since" counts are in
    # both renderings of it (the second run's own in two/, the re-rendering below)
    done = CliRunner().invoke(main, ["report", "-c", str(demo_config_path()), "--store-path", str(demo_store),
                                     "--out", str(tmp_path / "again"), "-f", "md", "-f", "html"])
    assert done.exit_code == 0, done.output
    for name in ("report.md", "index.html"):
        # the store used to sort every key: layers came back as AI / analytics, Automation, Data
        # and score details in alphabetical order; finding-type labels followed set order
        assert (tmp_path / "again" / name).read_text(encoding="utf-8") == \
            (demo_scanned_twice / "two" / name).read_text(encoding="utf-8"), name


def test_html_page_data_lists_finding_types_in_their_fixed_order(demo_result):
    labels = page_data(demo_result, catalogue("en"), None)["labels"]["types"]
    assert list(labels) == list(finding_types())  # was set order: the page changed from one run to the next


def test_markdown_formula_is_its_own_paragraph(demo_result, tmp_path):
    render_all(demo_result, tmp_path, ["md"], "en")
    lines = (tmp_path / "report.md").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Formula: `"))
    assert lines[at - 1] == "" and lines[at + 1] == ""  # not glued onto the last "Start here" item
