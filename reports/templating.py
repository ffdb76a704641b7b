"""The jinja2 environment for report templates (packaged in reports/templates/)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from auditor.money import format_money


def md_cell(value: object) -> str:
    """Text safe in a Markdown table cell or line: pipes escaped, newlines flattened, no raw HTML tags."""
    return (str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")
            .replace("<", "&lt;").replace(">", "&gt;"))


@cache
def environment() -> Environment:
    """Templates from the installed ``reports`` package; autoescape on for HTML."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "htm", "xml", "svg", "html.j2", "xml.j2", "svg.j2"],
                                     default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["money"] = format_money
    env.filters["mdcell"] = md_cell
    return env
