"""Config choices checked against the registries (store types, report formats, languages).

The core cannot see ``reports`` (tests/core/test_import_direction.py), so the checks live here, in the
layer that wires core, connectors and reports together. Plugins' store types (``auditor.stores``) and
formats (``auditor.renderers``) are accepted like the built-ins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

from auditor.config import AuditConfig
from auditor.errors import Problem
from auditor.stores import registry as store_registry
from reports import registry as renderer_registry
from reports.i18n import LANGUAGES


def format_ids() -> list[str]:
    """Every report format id (built-ins, then plugins)."""
    return list(renderer_registry.available())


#: ``--format`` choices: every registered format, plugins' included (entry points listed once, at import).
FORMAT_CHOICE = click.Choice(sorted(format_ids()))
#: ``--lang`` choices: the languages the reports have a catalogue for.
LANG_CHOICE = click.Choice(LANGUAGES)


def _problem(config: AuditConfig, key: str, what: str, value: str, known: Iterable[str]) -> Problem:
    """``report.formats[1]: unknown report format 'pdf'; available: …`` at the line ``key`` was written on."""
    label = re.sub(r"\.(\d+)$", r"[\1]", key)
    return Problem(str(config.path or "config"), config.locations.get(key),
                   f"{label}: unknown {what} '{value}'; available: {', '.join(known)}")


def registry_problems(config: AuditConfig) -> list[Problem]:
    """A located problem for each store type, report format or language the registries do not know."""
    problems: list[Problem] = []
    stores = store_registry.available()
    if config.store.type not in stores:
        problems.append(_problem(config, "store.type", "store type", config.store.type, stores))
    formats = format_ids()
    for index, format_id in enumerate(config.report.formats):
        if format_id not in formats:
            problems.append(_problem(config, f"report.formats.{index}", "report format", format_id, formats))
    if config.report.lang not in LANGUAGES:
        problems.append(_problem(config, "report.lang", "report language", config.report.lang, LANGUAGES))
    return problems
