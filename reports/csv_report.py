"""``csv``: ``tools.csv``, ``integrations.csv`` and ``findings.csv`` (UTF-8 with BOM, for spreadsheets)."""

from __future__ import annotations

from pathlib import Path

from auditor.result import ScanResult
from reports.base import Renderer
from reports.i18n import catalogue
from reports.tables import defuse_formulas, findings_frame, integrations_frame, tools_frame


class CsvRenderer(Renderer):
    """Writes one CSV per table; cells that would start a formula are prefixed with ``'``."""

    format = "csv"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        cat = catalogue(self.lang)
        frames = {
            "tools.csv": tools_frame(result, cat),
            "integrations.csv": integrations_frame(result),
            "findings.csv": findings_frame(result, cat, self.previous),
        }
        written = []
        for name, frame in frames.items():
            path = out_dir / name
            defuse_formulas(frame).to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
        return written
