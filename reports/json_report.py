"""``report.json``: the machine-readable report (schemas/report.schema.json)."""

from __future__ import annotations

from pathlib import Path

from auditor.document import document_of
from auditor.jsontext import indented_utf8
from auditor.result import ScanResult
from reports.base import Renderer


class JsonRenderer(Renderer):
    """Writes ``report.json``."""

    format = "json"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        path = out_dir / "report.json"
        # the text json.dumps(ensure_ascii=False, indent=2) writes, without its slow pure-Python encoder
        text = indented_utf8(document_of(result))  # before opening: an unwritable value leaves no empty file
        with path.open("wb") as handle:
            handle.write(text)
            handle.write(b"\n")
        return [path]
