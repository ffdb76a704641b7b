"""Without Graphviz ``dot``: the HTML report still renders (and says why diagrams are absent), ``svg`` fails clearly."""

from __future__ import annotations

import pytest

from reports import diagrams
from reports.base import RenderError
from reports.html import HtmlRenderer
from reports.svg import SvgRenderer


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH where no ``dot`` program can be found, and no drawing kept from an earlier test of the session."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(diagrams, "_last", [])


def test_html_renders_without_diagrams_and_says_so(no_dot, demo_result, tmp_path):
    [path] = HtmlRenderer("en").render(demo_result, tmp_path)
    page = path.read_text(encoding="utf-8")
    assert "Diagrams are not included: Graphviz &#39;dot&#39; is not installed" in page
    assert "<svg" not in page
    assert page.count('<table class="flowmap">') == len(demo_result.graph.flows)


def test_svg_format_fails_with_a_clear_error(no_dot, demo_result, tmp_path):
    with pytest.raises(RenderError, match="Graphviz 'dot' is not installed .*make system"):
        SvgRenderer("en").render(demo_result, tmp_path)
