"""``auditor validate`` warns about categories the taxonomy does not know, with the nearest ids."""

from __future__ import annotations

from click.testing import CliRunner

from auditor.cli import main

LANDSCAPE = """\
tools:
  - {id: desk, name: Our Desk, category: Help desk}
  - {id: parcel, name: Parcel Hub, category: parcel-robots}
  - {id: poll, name: Poll Box, category: surveyy}
"""


def test_validate_lists_unknown_categories_with_the_nearest_taxonomy_ids(make_project):
    config = make_project(LANDSCAPE)
    result = CliRunner().invoke(main, ["validate", "-c", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "not in the taxonomy" in line]
    assert len(warnings) == 2 and "Help desk" not in result.output  # a synonym is no warning
    (survey,) = [w for w in warnings if "'surveyy'" in w]
    assert "landscape.yaml:4: tool 'poll'" in survey and "nearest: voc" in survey
    assert any("'parcel-robots'" in w for w in warnings)
