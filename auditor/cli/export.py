"""``auditor export``: a stored scan's flows in the formats other tools open (BPMN 2.0)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from auditor.cli.common import (
    EXIT_INVALID,
    config_option,
    err_console,
    fail,
    is_quiet,
    load_config_or_exit,
    store_option,
    with_errors,
)
from auditor.config import StoreConfig
from auditor.stores.registry import open_store


@click.group()
def export() -> None:
    """Export a stored scan's flows for the tools their owners use (see docs/cli.md)."""


@export.command()
@config_option
@store_option
@click.option("--scan", "scan_ref", default="latest", show_default=True,
              help="Scan id (or unique prefix), 'latest' or 'previous'.")
@click.option("--flow", "flow_ids", multiple=True, help="Flow id to export; repeat for several (default: all).")
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path), default=Path("bpmn"), show_default=True,
              help="Folder for the flow-<id>.bpmn files.")
@with_errors
def bpmn(config_path: Path, store_path: Path | None, scan_ref: str, flow_ids: tuple[str, ...],
         out_dir: Path) -> None:
    """Write flows as BPMN 2.0 (tools as extension elements, findings as annotations) for Camunda Modeler
    and bpmn.io; the bpmn source reads them back.

    \b
    Example:  auditor export bpmn -c auditor.yaml --flow lead-to-cash --out bpmn
    """
    from reports.bpmn_export import flow_bpmn  # the BPMN writer and graphviz's helpers: only for this command
    from reports.diagrams import flow_file_names

    config = load_config_or_exit(config_path)
    if store_path is not None:
        config = replace(config, store=StoreConfig("embedded", {"path": str(store_path.resolve())}))
    with open_store(config.store, config.organization, config.base_dir) as store:
        result = store.load(store.resolve_id(scan_ref))
    flows = result.graph.flows
    unknown = sorted(set(flow_ids) - {f.id for f in flows})
    if unknown:
        fail(EXIT_INVALID, f"no flow {', '.join(repr(f) for f in unknown)} in scan {result.scan.id}; flows: "
                           f"{', '.join(f.id for f in flows) or 'none'}")
    chosen = [f for f in flows if not flow_ids or f.id in flow_ids]
    out_dir.mkdir(parents=True, exist_ok=True)
    for flow, name in zip(chosen, flow_file_names(chosen, ".bpmn"), strict=True):
        (out_dir / name).write_bytes(flow_bpmn(result, flow))
        if not is_quiet():
            err_console.print(f"  wrote {out_dir / name}", highlight=False)
