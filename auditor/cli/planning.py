"""What ``auditor whatif`` and ``auditor plan`` share: load a landscape (stored scan or fresh scan),
build the evaluator, and write an output format."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from auditor.analyses import AnalysisSettings
from auditor.cli.common import err_console, is_quiet, load_config_or_exit, out_console
from auditor.config import AuditConfig, StoreConfig
from auditor.money import format_money
from auditor.pipeline import run_scan
from auditor.plan.whatif import Evaluator, Landscape
from auditor.result import ScanResult
from auditor.stores.registry import open_store
from connectors.prepare import prepare_sources

FORMATS = ("text", "json", "md", "html")


def signed(value: float | None) -> str:
    """``+7``, ``-3``, ``0``; ``—`` when unknown."""
    if value is None:
        return "—"
    return f"{value:+g}" if value else "0"


def landscape_options(func: Any) -> Any:
    """``--scan``/``--fresh``/``--store-path``/``--format``/``--out``, shared by whatif and plan."""
    for option in reversed([
        click.option("--scan", "scan_ref", default="latest", show_default=True,
                     help="Stored scan to start from: id (or unique prefix), 'latest' or 'previous'."),
        click.option("--fresh", is_flag=True, help="Scan the sources now (not saved) instead of using a stored scan."),
        click.option("--store-path", type=click.Path(path_type=Path), default=None,
                     help="Embedded store file (default: .auditor/auditor.db next to the config)."),
        click.option("--format", "-f", "format_id", type=click.Choice(FORMATS), default="text", show_default=True,
                     help="Output format."),
        click.option("--out", "-o", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Write to this file instead of the terminal."),
    ]):
        func = option(func)
    return func


def load_landscape(config_path: Path, scan_ref: str, fresh: bool,
                   store_path: Path | None) -> tuple[AuditConfig, ScanResult]:
    """The config and the scan to start from: a fresh scan, or a stored one (the store is only read)."""
    config = load_config_or_exit(config_path)
    if store_path is not None:
        config = replace(config, store=StoreConfig("embedded", {"path": str(store_path.resolve())}))
    if fresh:
        return config, run_scan(config, prepare_sources(config))
    with open_store(config.store, config.organization, config.base_dir) as store:
        return config, store.load(store.resolve_id(scan_ref))


def evaluator_for(config: AuditConfig, result: ScanResult) -> tuple[Evaluator, Landscape]:
    """An evaluator with the config's analysis settings, and the scan's landscape analysed afresh."""
    settings = AnalysisSettings.from_config(config.analyses, config.report.currency, result.category_titles())
    evaluator = Evaluator(settings, config.analyses)
    return evaluator, evaluator.landscape(result.graph)


def render_template(name: str, currency: str | None, **context: Any) -> str:
    """Render ``reports/templates/<name>`` with the signed-number helpers."""
    from reports.templating import environment  # jinja2: only when a template is rendered

    return environment().get_template(name).render(
        currency=currency, signed=signed,
        signed_money=functools.partial(signed_money, currency=currency), **context)


def signed_money(value: float, currency: str | None = None) -> str:
    """``-4,800 USD``, ``+0``: an amount change with its sign."""
    if not value:
        return "0"
    return ("+" if value > 0 else "-") + format_money(abs(value), currency)


def write_output(format_id: str, out_file: Path | None, data: Callable[[], Any], text: Callable[[], str],
                 template: Callable[[str], str]) -> None:
    """Write one format to ``out_file`` or the terminal (``md``/``html`` from ``template(ext)``)."""
    if format_id == "json":
        rendered = json.dumps(data(), indent=2, ensure_ascii=False) + "\n"
    elif format_id == "text":
        rendered = text()
    else:
        rendered = template(format_id)
    if out_file is None:
        if format_id == "text":
            out_console.print(rendered, highlight=False, markup=False, end="")
        else:
            click.echo(rendered, nl=False)
        return
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(rendered, encoding="utf-8")
    if not is_quiet():
        err_console.print(f"  wrote {out_file}", highlight=False)
