"""The scan pipeline as library calls: prepared sources → resolve → link → graph → analyses.

The core receives its sources prepared (:func:`connectors.prepare.prepare_sources` builds them from the
connector registry) and never imports a connector; the CLI wires the two and calls :func:`run_scan`.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from auditor import __version__
from auditor.analyses import AnalysisSettings, run_analyses
from auditor.analyses import registry as analysis_registry
from auditor.config import AuditConfig, SourceConfig
from auditor.contracts import contracts_section
from auditor.errors import AuditorError, InputError, Problem, raise_if_problems
from auditor.gcpause import gc_paused
from auditor.graph import LandscapeGraph
from auditor.journeys.link import link_journeys
from auditor.journeys.readiness import measurement_section
from auditor.lifecycle import steps_on_ending_tools
from auditor.mapping import link_flows, link_integrations
from auditor.model import Inventory, Scan, SourceStatus, skipped_text
from auditor.plan.report import plan_section
from auditor.progress import ProgressDisplay, StageLine
from auditor.resolution.capabilities import infer_step_tools
from auditor.resolution.engine import resolve
from auditor.resolution.review import resolution_section
from auditor.result import ScanResult, scan_category_titles
from auditor.scoring import compute_scores
from auditor.secrets import Redactor, install, secret_values, settings_mapping
from auditor.stores.base import DamagedScanError, Store

log = logging.getLogger(__name__)

#: A setting every source takes (not its connector's): a source that returns no tools and no integrations is
#: ``suspect`` when its last good inventory had at least this many tools (0 turns the check off).
SUSPECT_SETTING = "suspect_if_empty"
SUSPECT_DEFAULT = 1


class SourceReader(Protocol):
    """What the scan needs of a source's connector (``connectors.base.Connector`` is one)."""

    @property
    def settings(self) -> Any:
        """The validated settings (their secret values are masked in logs and messages)."""

    def collect(self) -> Inventory:
        """Read the source; raises :class:`~auditor.errors.AuditorError` when it cannot."""

    def is_local(self) -> bool:
        """Whether the source only reads local files (``auditor validate`` reads those)."""

    def unset_secrets(self) -> list[str]:
        """Environment variables the source needs that are not set (never their values)."""


@dataclass(frozen=True)
class PreparedSource:
    """A configured source with its connector built and settings validated."""

    config: SourceConfig
    connector: SourceReader
    suspect_if_empty: int = SUSPECT_DEFAULT


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


def _collect(prepared: list[PreparedSource], store: Store | None, progress: StageLine,
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
        except AuditorError as exc:  # connectors.base.ConnectorError is one
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - one odd record fails its own source, never the whole scan
            log.debug("source %s: unexpected error", name, exc_info=True)
            error = (f"source '{name}': unexpected {type(exc).__name__} while reading it ({exc}); the source "
                     "is skipped (rerun with -v for the traceback; please report it)")
        else:
            suspect = _suspect(item, inventory, store)
            # what this answer skipped, and its warnings, are reported whether it is used or suspect
            skipped, warnings = dict(inventory.skipped), source_warnings(name, inventory)
            if suspect is None:
                inventories[name] = inventory
                statuses.append(SourceStatus(name, type_id, "ok", None, len(inventory.tools),
                                             len(inventory.integrations), len(inventory.flows),
                                             round(time.perf_counter() - started, 3), skipped=skipped,
                                             warnings=warnings))
            else:
                scan_id, kept, message = suspect
                inventories[name] = kept
                statuses.append(SourceStatus(name, type_id, "suspect", message,
                                             seconds=round(time.perf_counter() - started, 3),
                                             carried_over_from=scan_id, skipped=skipped, warnings=warnings))
                log.info("source suspect: %s", message)
            continue
        carried = _last_good(store, name)
        statuses.append(SourceStatus(name, type_id, "failed", redactor.redact(error),
                                     seconds=round(time.perf_counter() - started, 3),
                                     carried_over_from=carried[0] if carried else None))
        if carried:
            inventories[name] = carried[1]
        log.info("source failed: %s", redactor.redact(error))  # the CLI summary says it once
    return inventories, statuses, problems


def _suspect(item: PreparedSource, inventory: Inventory, store: Store | None) -> tuple[str, Inventory, str] | None:
    """``(scan id, last good inventory, message)`` when ``inventory`` is empty but the last good one was not."""
    if inventory.tools or inventory.integrations or item.suspect_if_empty <= 0:
        return None
    carried = _last_good(store, item.config.name)
    if carried is None or len(carried[1].tools) < item.suspect_if_empty:
        return None
    scan_id, kept = carried
    message = (f"source '{item.config.name}': returned no tools where scan {scan_id} had {len(kept.tools)}; "
               f"that scan's inventory is kept (set {SUSPECT_SETTING}: 0 on the source if it is really empty now)")
    return scan_id, kept, message


def _last_good(store: Store | None, name: str) -> tuple[str, Inventory] | None:
    """The source's last good inventory; a store that cannot give it is a warning, not a lost scan."""
    if store is None:
        return None
    try:
        return store.last_inventory(name)
    except DamagedScanError as exc:  # a store that cannot be read at all (locked) stops the scan: exit 4
        log.warning("%s; nothing carried over for source '%s'", exc, name)
        return None


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
    journeys, kpis, journey_problems = link_journeys(inventory.journeys, inventory.kpis, flows, resolution)
    raise_if_problems([*inventory.problems, *problems, *flow_problems, *journey_problems])
    flows, inferred = infer_step_tools(flows, resolution.tools)
    graph = LandscapeGraph.build(resolution.tools.values(), integrations, flows, config.organization, journeys, kpis)
    extra: dict[str, Any] = {"resolution": resolution_section(resolution, flows, inferred)}
    ending = steps_on_ending_tools(graph.tools, graph.flows)
    if ending:
        extra["lifecycle"] = {"steps_on_ending_tools": ending}
    return graph, extra


def run_scan(config: AuditConfig, prepared: list[PreparedSource], store: Store | None = None,
             display: ProgressDisplay | None = None) -> ScanResult:
    """Run a whole scan of the ``prepared`` sources and return its result (saving it is the caller's choice);
    ``display`` shows the stage being run (give the connectors the same one to show their pages)."""
    started = datetime.now(UTC)
    progress = StageLine(display)
    # the settings as written and as the connectors read them (a default token_env is a secret too)
    redactor = Redactor(secret_values([*(s.settings for s in config.sources), config.store.options,
                                       *(settings_mapping(p.connector.settings) for p in prepared)]))
    install(redactor)
    inventories, statuses, problems = _collect(prepared, store, progress, redactor)
    raise_if_problems(problems)
    progress("stage", "resolve")
    with gc_paused():  # resolution, linking and the graph: large acyclic structures (see auditor.gcpause)
        graph, extra = build_graph(config, Inventory.merge(inventories[s.name] for s in statuses
                                                           if s.name in inventories))
    progress("stage", "analyses")
    settings = AnalysisSettings.from_config(config.analyses, config.report.currency, scan_category_titles(extra))
    findings = run_analyses(graph, settings)
    scores = compute_scores(graph, findings, config.analyses)
    if any(t.licences is not None or t.renewal_date or t.contract_end for t in graph.tools.values()):
        extra["contracts"] = contracts_section(graph.tools.values(), started.date())
    measurement = measurement_section(graph)
    if measurement is not None:
        extra["measurement"] = measurement
    progress("stage", "plan")
    plan = plan_section(graph, findings, scores, settings, config.analyses)
    if plan is not None:
        extra["plan"] = plan
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
