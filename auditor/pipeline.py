"""The scan pipeline as library calls: connectors → resolve → link → graph → analyses.

The CLI only parses options and calls :func:`run_scan`; tests and scripts call it the same way.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from auditor import __version__
from auditor.analyses import AnalysisSettings, run_analyses
from auditor.analyses import registry as analysis_registry
from auditor.config import AuditConfig, SourceConfig
from auditor.contracts import contracts_section
from auditor.errors import AuditorError, InputError, Problem, raise_if_problems
from auditor.graph import LandscapeGraph
from auditor.lifecycle import steps_on_ending_tools
from auditor.mapping import link_flows, link_integrations
from auditor.model import Inventory, Scan, SourceStatus, skipped_text
from auditor.resolution.capabilities import infer_step_tools
from auditor.resolution.engine import resolve
from auditor.resolution.review import resolution_section
from auditor.result import ScanResult, scan_category_titles
from auditor.scoring import compute_scores
from auditor.secrets import Redactor, install, secret_values
from auditor.stores.base import Store
from connectors import registry as connector_registry
from connectors.base import Connector, ConnectorContext, ConnectorError, build_settings

log = logging.getLogger(__name__)

#: Progress callback: ``(event, detail)`` such as ``("source", "okta")`` or ``("stage", "analyses")``.
ProgressCallback = Callable[[str, str], None]


def _quiet(event: str, detail: str) -> None:
    """Default progress callback: only logs."""
    log.debug("%s: %s", event, detail)


@dataclass(frozen=True)
class PreparedSource:
    """A configured source with its connector built and settings validated."""

    config: SourceConfig
    connector: Connector[Any]


def prepare_sources(config: AuditConfig, progress: Any = None) -> list[PreparedSource]:
    """Build every source's connector; raises :class:`InputError` listing all config problems."""
    problems: list[Problem] = []
    prepared: list[PreparedSource] = []
    known = connector_registry.available()
    for source in config.sources:
        if source.type not in known:
            problems.append(source.problem(f"unknown connector type '{source.type}'; "
                                           f"known: {', '.join(sorted(known))}"))
            continue
        cls = connector_registry.load(source.type)
        where = source.problem("")
        settings, errors = build_settings(cls.settings_class, dict(source.settings), where)
        problems.extend(errors)
        if settings is not None:
            context = ConnectorContext(source.name, config.base_dir, progress, config.report.currency)
            connector = cls(settings, context)
            problems.extend(source.problem(message) for message in connector.check_settings())
            prepared.append(PreparedSource(source, connector))
    problems.extend(analysis_setting_problems(config))
    raise_if_problems(problems)
    return prepared


def analysis_setting_problems(config: AuditConfig) -> list[Problem]:
    """Finding types named in ``analyses.disabled`` or ``analyses.severity`` that no analysis produces."""
    known = analysis_registry.available()
    named = [("disabled", finding_type) for finding_type in config.analyses.get("disabled", ())]
    named += [("severity", finding_type) for finding_type in config.analyses.get("severity", {})]
    return [Problem(str(config.path or "config"), None,
                    f"analyses.{section}: unknown finding type '{finding_type}'; known: {', '.join(sorted(known))}")
            for section, finding_type in named if finding_type not in known]


def new_scan_id(now: datetime) -> str:
    """Sortable, unique scan id such as ``20261125T093012Z-3f9a``."""
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def _collect(prepared: list[PreparedSource], store: Store | None, progress: ProgressCallback,
             redactor: Redactor) -> tuple[dict[str, Inventory], list[SourceStatus], list[Problem]]:
    """Read every source; a failing source is recorded and its last good inventory carried over."""
    inventories: dict[str, Inventory] = {}
    statuses: list[SourceStatus] = []
    problems: list[Problem] = []
    for item in prepared:
        name, type_id = item.config.name, item.config.type
        progress("source", name)
        started = time.perf_counter()
        try:
            inventory = item.connector.collect()
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        except (ConnectorError, AuditorError) as exc:
            carried = store.last_inventory(name) if store else None
            statuses.append(SourceStatus(name, type_id, "failed", redactor.redact(str(exc)),
                                         seconds=round(time.perf_counter() - started, 3),
                                         carried_over_from=carried[0] if carried else None))
            if carried:
                inventories[name] = carried[1]
            log.info("source failed: %s", redactor.redact(str(exc)))  # the CLI summary says it once
            continue
        inventories[name] = inventory
        statuses.append(SourceStatus(name, type_id, "ok", None, len(inventory.tools), len(inventory.integrations),
                                     len(inventory.flows), round(time.perf_counter() - started, 3),
                                     skipped=dict(inventory.skipped), warnings=source_warnings(name, inventory)))
    return inventories, statuses, problems


def source_warnings(name: str, inventory: Inventory) -> tuple[str, ...]:
    """A source's own warnings, plus one when it read records but reported nothing (with the reasons)."""
    found = list(inventory.warnings)
    if inventory.skipped and not (inventory.tools or inventory.integrations or inventory.flows):
        found.append(f"source '{name}' read {sum(inventory.skipped.values())} records but reported nothing: "
                     f"skipped {skipped_text(inventory.skipped)}")
    return tuple(found)


def build_graph(config: AuditConfig, inventory: Inventory) -> tuple[LandscapeGraph, dict[str, Any]]:
    """Resolve and link an inventory into a graph; raises :class:`InputError` on unknown references."""
    resolution = resolve(inventory.tools, config.resolution, config.base_dir)
    integrations, problems = link_integrations(inventory.integrations, resolution)
    flows, flow_problems = link_flows(inventory.flows, resolution)
    raise_if_problems([*inventory.problems, *problems, *flow_problems])
    flows, inferred = infer_step_tools(flows, resolution.tools)
    graph = LandscapeGraph.build(resolution.tools.values(), integrations, flows, config.organization)
    extra: dict[str, Any] = {"resolution": resolution_section(resolution, flows, inferred)}
    ending = steps_on_ending_tools(graph.tools, graph.flows)
    if ending:
        extra["lifecycle"] = {"steps_on_ending_tools": ending}
    return graph, extra


def run_scan(config: AuditConfig, store: Store | None = None, progress: ProgressCallback = _quiet,
             http_progress: Any = None) -> ScanResult:
    """Run a whole scan and return its result (saving it is the caller's choice)."""
    started = datetime.now(UTC)
    redactor = Redactor(secret_values([*(s.settings for s in config.sources), config.store.options]))
    install(redactor)
    prepared = prepare_sources(config, http_progress)
    inventories, statuses, problems = _collect(prepared, store, progress, redactor)
    raise_if_problems(problems)
    progress("stage", "resolve")
    graph, extra = build_graph(config, Inventory.merge(inventories[s.name] for s in statuses
                                                       if s.name in inventories))
    progress("stage", "analyses")
    settings = AnalysisSettings.from_config(config.analyses, config.report.currency, scan_category_titles(extra))
    findings = run_analyses(graph, settings)
    scores = compute_scores(graph, findings, config.analyses)
    if any(t.licences is not None or t.renewal_date or t.contract_end for t in graph.tools.values()):
        extra["contracts"] = contracts_section(graph.tools.values(), started.date())
    finished = datetime.now(UTC)
    scan = Scan(
        id=new_scan_id(started),
        organization=config.organization,
        started_at=started.isoformat(timespec="milliseconds"),
        finished_at=finished.isoformat(timespec="milliseconds"),
        sources=tuple(statuses),
        tool_version=__version__,
        config_path=str(config.path) if config.path else None,
        currency=config.report.currency,
    )
    return ScanResult(scan, graph, findings, inventories, scores, extra)
