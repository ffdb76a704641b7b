"""``report.md``: a readable summary of the scan."""

from __future__ import annotations

from pathlib import Path

from auditor.model import LAYER_TITLES
from auditor.result import ScanResult
from reports.base import Renderer
from reports.templating import environment


class MarkdownRenderer(Renderer):
    """Writes ``report.md`` from ``templates/report.md.j2``."""

    format = "md"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        template = environment().get_template("report.md.j2")
        path = out_dir / "report.md"
        path.write_text(template.render(result=result, summary=result.summary(), graph=result.graph,
                                        layer_titles=LAYER_TITLES), encoding="utf-8")
        return [path]
