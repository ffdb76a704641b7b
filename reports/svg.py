"""``svg``: Graphviz diagrams as files (``flow-<id>.svg``, ``departments.svg``, ``integrations.svg``)."""

from __future__ import annotations

from pathlib import Path

from auditor.result import ScanResult
from reports.base import Renderer
from reports.diagrams import draw_all
from reports.i18n import catalogue


class SvgRenderer(Renderer):
    """Writes one SVG per flow plus the departments and integrations maps (needs Graphviz ``dot``)."""

    format = "svg"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        written = []
        for diagram in draw_all(result, catalogue(self.lang)):
            path = out_dir / diagram.name
            path.write_text(diagram.svg, encoding="utf-8")
            written.append(path)
        return written
