"""``auditor scans``: list stored scans, prune old ones (retention), check and delete damaged ones."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from auditor.cli.common import (
    EXIT_ERROR,
    config_option,
    counted,
    err_console,
    fail,
    is_quiet,
    load_config_or_exit,
    out_console,
    store_option,
    with_errors,
)
from auditor.config import StoreConfig
from auditor.stores.base import DamagedScanError, ScanInfo, Store
from auditor.stores.registry import open_store


def _open(config_path: Path, store_path: Path | None) -> Store:
    config = load_config_or_exit(config_path)
    if store_path is not None:
        config = replace(config, store=StoreConfig("embedded", {"path": str(store_path.resolve())}))
    return open_store(config.store, config.organization, config.base_dir)


def scans_to_prune(scans: list[ScanInfo], keep: int) -> list[ScanInfo]:
    """The scans ``prune --keep N`` deletes: all but the newest ``keep`` (``scans`` is oldest first)."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    return scans[:-keep] if len(scans) > keep else []


@click.group("scans")
def scans() -> None:
    """List the stored scans of the configured organization, or prune old ones.

    \b
    Examples:  auditor scans list
               auditor scans prune --keep 12
               auditor scans check              (read every stored scan back; name the damaged ones)
               auditor scans delete 20261125T0930
    """


@scans.command("list")
@config_option
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@with_errors
def list_command(config_path: Path, store_path: Path | None, as_json: bool) -> None:
    """List stored scans, oldest first (the last one is 'latest', the one before it 'previous')."""
    with _open(config_path, store_path) as store:
        infos = store.scans()
    if as_json:
        click.echo(json.dumps([asdict(i) for i in infos], indent=2, ensure_ascii=False))
        return
    print_scans(infos)


def print_scans(infos: list[ScanInfo]) -> None:
    """Print stored scans as a table, oldest first, ids never shortened, 'latest'/'previous' marked."""
    if not infos:
        err_console.print("no scans stored yet; run 'auditor scan'")
        return
    show_failed = any(i.failed_sources for i in infos)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column("scan", no_wrap=True, min_width=max(len(i.id) for i in infos))
    table.add_column("started (UTC)", no_wrap=True)
    for title in ("tools", "integrations", "findings", *(("failed",) if show_failed else ())):
        table.add_column(title, justify="right")
    table.add_column("", no_wrap=True)
    for position, info in enumerate(infos):
        tag = "latest" if position == len(infos) - 1 else "previous" if position == len(infos) - 2 else ""
        counts = [info.tools, info.integrations, info.findings, *((info.failed_sources,) if show_failed else ())]
        table.add_row(info.id, info.started_at[:16].replace("T", " "), *map(str, counts), tag)
    # piped or redirected: the whole table (rich would squeeze it into 80 columns)
    console = out_console
    if not console.is_terminal:
        console = Console(width=Measurement.get(console, console.options.update_width(1000), table).maximum)
    console.print(table)


@scans.command("prune")
@config_option
@store_option
@click.option("--keep", type=click.IntRange(min=1), required=True,
              help="How many of the newest scans to keep (at least 1).")
@click.option("--dry-run", is_flag=True, help="Only show which scans would be deleted.")
@with_errors
def prune_command(config_path: Path, store_path: Path | None, keep: int, dry_run: bool) -> None:
    """Delete all but the newest N scans.

    \b
    Example:  auditor scans prune --keep 12     (keep about three months of weekly scans)
    """
    with _open(config_path, store_path) as store:
        doomed = scans_to_prune(store.scans(), keep)
        for info in doomed:
            if not dry_run:
                store.delete(info.id)
            if not is_quiet():
                err_console.print(f"  {'would delete' if dry_run else 'deleted'} {info.id} ({info.started_at})",
                                  highlight=False)
    if not is_quiet():
        verb = "would delete" if dry_run else "deleted"
        err_console.print(f"{verb} {counted(len(doomed), 'scan')}, kept the newest {keep}",
                          highlight=False)


@scans.command("check")
@config_option
@store_option
@with_errors
def check_command(config_path: Path, store_path: Path | None) -> None:
    """Read every stored scan back and name those that no longer decode (exit 4 when there are any)."""
    damaged: list[DamagedScanError] = []
    with _open(config_path, store_path) as store:
        infos = store.scans()
        for info in infos:
            try:
                store.load(info.id)
            except DamagedScanError as exc:
                damaged.append(exc)
    for problem in damaged:
        err_console.print(escape(str(problem)), highlight=False)
    if damaged:
        fail(EXIT_ERROR, f"{counted(len(damaged), 'damaged scan')} of {len(infos)}")
    if not is_quiet():
        err_console.print(f"{counted(len(infos), 'scan')} read back, none damaged", highlight=False)


@scans.command("delete")
@config_option
@store_option
@click.argument("scan_id")
@with_errors
def delete_command(config_path: Path, store_path: Path | None, scan_id: str) -> None:
    """Delete one stored scan (an id or a unique id prefix), e.g. a damaged one 'scans check' named."""
    with _open(config_path, store_path) as store:
        resolved = store.resolve_id(scan_id)
        store.delete(resolved)
    if not is_quiet():
        err_console.print(f"deleted {resolved}", highlight=False)


@scans.command("unlock")
@config_option
@with_errors
def unlock_command(config_path: Path) -> None:
    """Release the Neo4j sync lease a killed or crashed scan left behind.

    Only after the scan that holds it is gone: a scan still running under it stops at its next write.
    Without this, the next scan takes an expired lease over by itself (docs/neo4j.md, "The sync lease").

    \b
    Example:  auditor scans unlock -c auditor.yaml
    """
    config = load_config_or_exit(config_path)
    with open_store(config.store, config.organization, config.base_dir) as store:
        # only a store that leases its syncs (Neo4j) has one to release; the embedded store writes each scan
        # in one transaction and holds none
        release = getattr(store, "release_sync_lease", None)
        released = release() if release is not None else None
    if not is_quiet():
        message = (f"released the sync lease of '{config.organization}' held by {released}" if released
                   else f"no sync lease is held for '{config.organization}' ({config.store.type} store)")
        err_console.print(escape(message), highlight=False)
