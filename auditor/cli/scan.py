"""``auditor scan`` and ``auditor demo``."""

from __future__ import annotations

import functools
import logging
import sys
from contextlib import nullcontext
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import click

from auditor.cli import progress as progress_display
from auditor.cli.common import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_SOURCE_FAILED,
    config_option,
    counted,
    err_console,
    fail,
    is_quiet,
    load_config_or_exit,
    store_option,
    with_errors,
)
from auditor.cli.registries import FORMAT_CHOICE, LANG_CHOICE
from auditor.config import AuditConfig, StoreConfig
from auditor.document import built_once
from auditor.model import SEVERITIES, severity_rank
from auditor.pipeline import run_scan
from auditor.result import ScanResult
from auditor.stores.base import DamagedScanError, Store
from auditor.stores.registry import open_store
from connectors.prepare import prepare_sources
from reports.i18n import catalogue
from reports.registry import render_all
from reports.scan_summary import print_summary

log = logging.getLogger(__name__)


DEMO_STORE = Path(".auditor/demo.db")


def scan_options(func: Any, out_default: str = "report.out of the config, else audit-report",
                 store_help: str | None = None, formats_default: str = "report.formats of the config",
                 lang_default: str = "report.lang of the config, else en") -> Any:
    """Options shared by ``scan`` and ``demo`` (whose defaults differ: say so in their help)."""
    for option in reversed([
        click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path), default=None,
                     help=f"Report folder (default: {out_default})."),
        click.option("--format", "-f", "formats", multiple=True, type=FORMAT_CHOICE,
                     help=f"Report format; repeat for several (default: {formats_default})."),
        click.option("--lang", type=LANG_CHOICE, default=None,
                     help=f"Report language (default: {lang_default})."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                     help="Exit with code 1 when a finding at or above this severity exists."),
        click.option("--fail-on-new", is_flag=True,
                     help="Only fail on findings new since the previous scan (at or above --fail-on, "
                          "else any severity)."),
        click.option("--strict", is_flag=True, help="Exit with code 3 when a source failed."),
        click.option("--no-save", is_flag=True, help="Do not save the scan in the store."),
        functools.partial(store_option, help_text=store_help) if store_help else store_option,
    ]):
        func = option(func)
    return func


def demo_options(func: Any) -> Any:
    """:func:`scan_options` with the demo's own defaults in the help."""
    return scan_options(func, out_default="audit-report",
                        store_help=f"Embedded store file (default: {DEMO_STORE} in the current folder).",
                        formats_default="json, md and html", lang_default="en")


def execute_scan(config: AuditConfig, out_dir: Path | None, formats: tuple[str, ...], lang: str | None,
                 fail_on: str | None, strict: bool, no_save: bool, store_path: Path | None,
                 fail_on_new: bool = False) -> None:
    """Run a scan, save it, render the reports, print the summary and exit with the contract's code."""
    if store_path is not None:
        config = replace(config, store=StoreConfig("embedded", {"path": str(store_path.resolve())}))
    quiet = is_quiet()
    interactive = not quiet and err_console.is_terminal
    out = out_dir or config.resolve_path(config.report.out)
    if out.exists() and not out.is_dir():
        fail(EXIT_INVALID, f"{out}: the report folder is a file; pass --out a folder")
    # on a terminal, the save's progress on a display of its own, given to the store (a slow one shows it)
    save_display = progress_display.terminal_progress(err_console) if interactive and not no_save else None
    store: Store = open_store(config.store, config.organization, config.base_dir, save_display)
    with store:
        previous = _previous_scan(store)
        # on a terminal, one live display: the scan's stage, and each API connector's page counts
        display = progress_display.terminal_progress(err_console) if interactive else None
        if display is not None:
            display.start()
        try:
            result = run_scan(config, prepare_sources(config, display), store, display)
        finally:
            if display is not None:
                display.stop()
        lang = lang or config.report.lang
        with built_once(result):  # report.json and the store read the same document, built once
            # the reports first: a store that cannot save (read-only, locked) must not cost the user the reports
            written = render_all(result, out, formats or config.report.formats, lang, previous)
            if not no_save:
                with save_display or nullcontext():
                    store.save(result)
    if not quiet:
        print_summary(err_console, result, written, catalogue(lang))
    _exit(result, fail_on, strict, previous, fail_on_new)


def _previous_scan(store: Store) -> ScanResult | None:
    """The latest stored scan, or None; a damaged one is a warning (the new scan must not depend on it)."""
    if not store.scans():
        return None
    try:
        return store.load_light("latest")  # compared by its findings: the rest is read only if asked for
    except DamagedScanError as exc:
        log.warning("%s; comparing with no previous scan", exc)
        return None


def _exit(result: ScanResult, fail_on: str | None, strict: bool, previous: ScanResult | None = None,
          fail_on_new: bool = False) -> None:
    if strict and any(s.status != "ok" for s in result.scan.sources):  # failed or suspect
        sys.exit(EXIT_SOURCE_FAILED)
    if fail_on_new:
        from auditor.diff import newly_failing  # only for --fail-on-new

        failing = newly_failing(previous, result, fail_on)
        if failing:
            since = f"scan {previous.scan.id}" if previous else "no previous scan"
            err_console.print(f"[bold red]{counted(len(failing), 'new finding')}[/] "
                              f"at or above {fail_on or 'info'} ({since}):", highlight=False)
            for finding in failing:
                err_console.print(f"  [{finding.severity}] {finding.id}  {finding.title}", highlight=False,
                                  markup=False)
            sys.exit(EXIT_FINDINGS)
        return
    if fail_on and any(severity_rank(f.severity) >= severity_rank(fail_on) for f in result.findings):
        sys.exit(EXIT_FINDINGS)


@click.command()
@config_option
@scan_options
@with_errors
def scan(config_path: Path, out_dir: Path | None, formats: tuple[str, ...], lang: str | None,
         fail_on: str | None, strict: bool, no_save: bool, store_path: Path | None, fail_on_new: bool) -> None:
    """Scan every source of the config, store the scan and write the reports.

    \b
    Exit codes: 0 done; 1 findings at or above --fail-on (with --fail-on-new: only findings new since
                the previous scan); 2 invalid config or input;
                3 a source failed and --strict was given; 4 other errors (e.g. store unreachable).
    \b
    Example:  auditor scan -c auditor.yaml --out audit-report -f json -f md --fail-on high
    """
    execute_scan(load_config_or_exit(config_path), out_dir, formats, lang, fail_on, strict, no_save, store_path,
                 fail_on_new)


def demo_config_path() -> Path:
    """The bundled demo company's config (works from an installed package)."""
    return Path(str(resources.files("examples").joinpath("demo", "auditor.yaml")))


@click.command()
@demo_options
@with_errors
def demo(out_dir: Path | None, formats: tuple[str, ...], lang: str | None, fail_on: str | None, strict: bool,
         no_save: bool, store_path: Path | None, fail_on_new: bool) -> None:
    """Scan the bundled demo company (no configuration needed) into ./audit-report.

    \b
    Open audit-report/index.html in a browser (report.md and report.json are next to it).
    The scan is saved in .auditor/demo.db, so a second run shows what changed ("new" badges,
    --fail-on-new). It takes about a second: rerun it for another language or format, e.g.
      auditor demo --lang ja -f html --out demo-ja
    To audit your own company, start with 'auditor init'.
    """
    config = load_config_or_exit(demo_config_path())
    execute_scan(config, out_dir or Path("audit-report"), formats, lang, fail_on, strict, no_save,
                 store_path or DEMO_STORE, fail_on_new)
