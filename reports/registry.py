"""Registry of report formats: explicit lazy import strings keyed by format id.

Third-party plugins add formats through the ``auditor.renderers`` entry-point group (name = the format id
used with ``-f`` and in ``report.formats``, value = a :class:`~reports.base.Renderer` subclass); built-ins
win a name clash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from auditor.plugins import load_object, with_entry_points
from auditor.result import ScanResult
from reports.base import Renderer, RenderError

RENDERERS: dict[str, str] = {
    "json": "reports.json_report:JsonRenderer",
    "md": "reports.markdown:MarkdownRenderer",
    "html": "reports.html:HtmlRenderer",
    "svg": "reports.svg:SvgRenderer",
    "csv": "reports.csv_report:CsvRenderer",
    "xlsx": "reports.xlsx:XlsxRenderer",
}


def available() -> dict[str, str]:
    """Every format id with its renderer's import string, built-ins first, then plugins."""
    return with_entry_points(RENDERERS, "auditor.renderers")


def load(format_id: str, known: Mapping[str, str] | None = None) -> type[Renderer]:
    """The renderer class for ``format_id`` (RenderError if unknown); ``known`` defaults to :func:`available`."""
    known = available() if known is None else known
    if format_id not in known:
        raise RenderError(f"unknown report format '{format_id}'; known: {', '.join(known)}")
    cls: type[Renderer] = load_object(known[format_id])
    return cls


def render_all(result: ScanResult, out_dir: Path, formats: Iterable[str], lang: str = "en",
               previous: ScanResult | None = None) -> list[Path]:
    """Render every requested format into ``out_dir`` (``json`` is always written)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    known = available()
    for format_id in dict.fromkeys(["json", *formats]):
        written.extend(load(format_id, known)(lang, previous).render(result, out_dir))
    return written
