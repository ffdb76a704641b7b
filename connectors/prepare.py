"""Configured sources → prepared sources: the connectors built from the registry, their settings checked.

The core (:func:`auditor.pipeline.run_scan`) receives the prepared sources and never imports a
connector; the CLI (or a script, or a test) builds them here and passes them in::

    config = load_config(path)
    result = run_scan(config, prepare_sources(config), store)

:func:`scan_config` does both for scripts and tests that have nothing else to wire.
"""

from __future__ import annotations

from auditor.config import AuditConfig
from auditor.errors import Problem, raise_if_problems
from auditor.pipeline import (
    SUSPECT_DEFAULT,
    SUSPECT_SETTING,
    PreparedSource,
    analysis_setting_problems,
    run_scan,
)
from auditor.progress import ProgressDisplay
from auditor.result import ScanResult
from auditor.stores.base import Store
from connectors import registry
from connectors.base import ConnectorContext, build_settings


def prepare_sources(config: AuditConfig, progress: ProgressDisplay | None = None) -> list[PreparedSource]:
    """Build every source's connector; raises :class:`~auditor.errors.InputError` listing all config problems."""
    prepared, problems = prepare_what_can_be(config, progress)
    raise_if_problems(problems)
    return prepared


def prepare_what_can_be(config: AuditConfig,
                        progress: ProgressDisplay | None = None) -> tuple[list[PreparedSource], list[Problem]]:
    """Every source whose settings are valid, and the config problems of the others (``validate`` reads the
    files of the valid ones in the same run, so one run shows every problem)."""
    problems: list[Problem] = []
    prepared: list[PreparedSource] = []
    known = registry.available()
    for source in config.sources:
        if source.type not in known:
            problems.append(source.problem(f"unknown connector type '{source.type}'; "
                                           f"known: {', '.join(sorted(known))}"))
            continue
        cls = registry.load(source.type)
        where = source.problem("")
        values = dict(source.settings)
        suspect = values.pop(SUSPECT_SETTING, SUSPECT_DEFAULT)
        if isinstance(suspect, bool) or not isinstance(suspect, int) or suspect < 0:
            problems.append(source.problem(f"setting '{SUSPECT_SETTING}' must be a whole number ≥ 0 ({suspect!r})"))
        settings, errors = build_settings(cls.settings_class, values, where)
        problems.extend(errors)
        if settings is not None:
            context = ConnectorContext(source.name, config.base_dir, progress, config.report.currency)
            connector = cls(settings, context)
            problems.extend(source.problem(message) for message in connector.check_settings())
            prepared.append(PreparedSource(source, connector, suspect if isinstance(suspect, int) else 0))
    problems.extend(analysis_setting_problems(config))
    return prepared, problems


def scan_config(config: AuditConfig, store: Store | None = None,
                progress: ProgressDisplay | None = None) -> ScanResult:
    """Prepare ``config``'s sources and run the whole scan on them (saving it is the caller's choice)."""
    return run_scan(config, prepare_sources(config, progress), store, progress)
