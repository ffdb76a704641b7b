"""``auditor report``: re-render a stored scan without rescanning."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from auditor.cli.common import (
    config_option,
    err_console,
    is_quiet,
    load_config_or_exit,
    store_option,
    with_errors,
)
from auditor.cli.registries import FORMAT_CHOICE, LANG_CHOICE
from auditor.cli.scans import print_scans
from auditor.config import StoreConfig
from auditor.stores.registry import open_store
from reports.registry import render_all


@click.command()
@config_option
@store_option
@click.option("--scan", "scan_ref", default="latest", show_default=True,
              help="Scan id (or unique prefix), 'latest' or 'previous'.")
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Report folder (default: report.out of the config).")
@click.option("--format", "-f", "formats", multiple=True, type=FORMAT_CHOICE,
              help="Report format; repeat for several (default: report.formats of the config).")
@click.option("--lang", type=LANG_CHOICE, default=None, help="Report language.")
@click.option("--list", "list_scans", is_flag=True, help="List the stored scans instead.")
@with_errors
def report(config_path: Path, store_path: Path | None, scan_ref: str, out_dir: Path | None,
           formats: tuple[str, ...], lang: str | None, list_scans: bool) -> None:
    """Re-render a stored scan in any format, or list stored scans with --list.

    \b
    Example:  auditor report -c auditor.yaml --scan latest -f html --out audit-report
    """
    config = load_config_or_exit(config_path)
    if store_path is not None:
        config = replace(config, store=StoreConfig("embedded", {"path": str(store_path.resolve())}))
    with open_store(config.store, config.organization, config.base_dir) as store:
        if list_scans:
            print_scans(store.scans())
            return
        scan_id = store.resolve_id(scan_ref)
        result = store.load(scan_id)
        ids = [s.id for s in store.scans()]
        position = ids.index(scan_id)
        previous = store.load(ids[position - 1]) if position > 0 else None
    out = out_dir or config.resolve_path(config.report.out)
    written = render_all(result, out, formats or config.report.formats, lang or config.report.lang, previous)
    if not is_quiet():
        for path in written:
            err_console.print(f"  wrote {path}", highlight=False)
