"""``report.json``: the machine-readable report (schemas/report.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.document import document_of
from auditor.result import ScanResult
from reports.base import Renderer


class JsonRenderer(Renderer):
    """Writes ``report.json``."""

    format = "json"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        path = out_dir / "report.json"
        path.write_text(json.dumps(document_of(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return [path]
