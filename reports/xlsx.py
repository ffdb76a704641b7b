"""``xlsx``: ``audit.xlsx`` with a sheet each for tools, integrations and findings (pandas + openpyxl)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from auditor.result import ScanResult
from reports.base import Renderer
from reports.i18n import catalogue
from reports.tables import findings_frame, integrations_frame, tools_frame

SHEETS = ("tools", "integrations", "findings")
MAX_WIDTH = 60
#: The most characters a worksheet cell holds (Excel's limit; openpyxl would cut the rest with only a Python warning).
CELL_LIMIT = 32_767
CUT_NOTE = " … [cut: {shown} of {total} characters; the full text is in report.json and the CSV files]"

log = logging.getLogger(__name__)


def _finish(sheet: Worksheet, frame: pd.DataFrame) -> None:
    """Header frozen, autofilter on, readable column widths; text never treated as a formula."""
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # a text value starting with '=': keep it text
                cell.data_type = "s"
    for index, column in enumerate(frame.columns, start=1):
        width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)


def _fits(text: str) -> str:
    """``text`` as a cell can hold it: over :data:`CELL_LIMIT` characters it is cut with a note saying so."""
    if len(text) <= CELL_LIMIT:
        return text
    note = CUT_NOTE.format(shown=CELL_LIMIT, total=len(text))
    shown = CELL_LIMIT - len(note)
    return text[:shown] + CUT_NOTE.format(shown=shown, total=len(text))


def _writable(frame: pd.DataFrame, sheet: str = "") -> pd.DataFrame:
    """Control characters a worksheet cannot hold (a name from an API with ``\\x01`` in it) shown as ``\ufffd``;
    text longer than a cell holds cut with a note in the cell and a warning naming the sheet and columns."""
    cut: list[str] = []

    def cell(column: str, value: object) -> object:
        if not isinstance(value, str):
            return value
        if len(value) > CELL_LIMIT:
            cut.append(column)
        return _fits(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))

    frame = frame.apply(lambda series: series.map(lambda value: cell(str(series.name), value)))
    if cut:
        log.warning("audit.xlsx sheet '%s': %d cell(s) longer than %d characters cut (columns: %s); "
                    "the full text is in report.json and the CSV files", sheet, len(cut), CELL_LIMIT,
                    ", ".join(dict.fromkeys(cut)))
    return frame


class XlsxRenderer(Renderer):
    """Writes ``audit.xlsx`` (sheets ``tools``, ``integrations``, ``findings``; same columns as the CSVs)."""

    format = "xlsx"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        cat = catalogue(self.lang)
        frames = dict(zip(SHEETS, (tools_frame(result, cat), integrations_frame(result),
                                   findings_frame(result, cat, self.previous)), strict=True))
        path = out_dir / "audit.xlsx"
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame = _writable(frame, name)
                frame.to_excel(writer, sheet_name=name, index=False)
                _finish(writer.sheets[name], frame)
        return [path]
