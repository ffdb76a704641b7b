"""``auditor validate``: check the config and every local input without scanning APIs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from rich.markup import escape

from auditor.cli.common import config_option, counted, err_console, is_quiet, load_config_or_exit, with_errors
from auditor.config import AuditConfig
from auditor.contracts import near_departments
from auditor.errors import InputError, Problem, raise_if_problems
from auditor.graph import LandscapeGraph
from auditor.model import Inventory
from auditor.pipeline import build_graph, source_warnings
from connectors.base import ConnectorError
from connectors.prepare import prepare_what_can_be


def _graph_or_problems(config: AuditConfig, inventories: list[Inventory], problems: list[Problem],
                       unread: int) -> LandscapeGraph:
    """The graph of what could be read; raises every problem found (the file problems and the references)."""
    try:
        graph, _ = build_graph(config, Inventory.merge(inventories))
    except InputError as exc:
        problems.extend(exc.problems)
        if unread:
            problems.append(Problem(str(config.path or "config"), None,
                                    f"note: {counted(unread, 'source')} could not be read; a reference to one of "
                                    "their tools is listed as unknown above until they can"))
        raise InputError(problems) from None
    raise_if_problems(problems)
    return graph


@click.command()
@config_option
@with_errors
def validate(config_path: Path) -> None:
    """Validate the config and the sources that read local files; list every problem (exit 2 if any).

    Sources that call an API are only checked for their settings; nothing is fetched. A local file
    that cannot be read (missing, not UTF-8…) is a problem here, located at its source in the config;
    `auditor scan` instead marks such a source failed and carries over what it knew. A credential
    variable (token_env …) that is not set in this environment is a warning, not a problem: the scan
    may run elsewhere. So is a local source's own warning (unknown status words …) and a source that read
    records but reported none (with what it skipped, by reason).
    """
    config = load_config_or_exit(config_path)
    prepared, problems = prepare_what_can_be(config)
    unread = len(config.sources) - len(prepared)
    inventories: list[Inventory] = []
    warnings: list[str] = []
    for item in prepared:
        if not item.connector.is_local():
            continue
        try:
            inventories.append(item.connector.collect())
            warnings.extend(f"{item.config.file}:{item.config.line}: {w}"
                            for w in source_warnings(item.config.name, inventories[-1]))
            continue
        except InputError as exc:
            problems.extend(exc.problems)
        except ConnectorError as exc:  # the file cannot be read at all (missing, wrong encoding…)
            problems.append(Problem(item.config.file, item.config.line, str(exc)))
        unread += 1
    warnings.extend(department_warnings(Inventory.merge(inventories)))
    graph = _graph_or_problems(config, inventories, problems, unread)
    if not is_quiet():
        for warning in warnings:
            err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
        for item in prepared:
            unset = item.connector.unset_secrets()
            if unset:
                names = " and ".join(unset)
                err_console.print(f"[yellow]warning:[/] {escape(item.config.file)}:{item.config.line}: source "
                                  f"'{escape(item.config.name)}' will fail when scanned here: environment variable "
                                  f"{escape(names)} {'is' if len(unset) == 1 else 'are'} not set", highlight=False)
        from auditor.resolution.categories import category_warnings  # here: the import block is shared

        records = [t for inventory in inventories for t in inventory.tools]
        for category in category_warnings(records, config.resolution, config.base_dir):  # unknown categories
            err_console.print(f"[yellow]warning:[/] {escape(category)}", highlight=False)
        err_console.print(f"[green]valid:[/] {escape(str(config_path))} ({counted(len(config.sources), 'source')}; "
                          f"local files give {counted(len(graph.tools), 'tool')}, "
                          f"{counted(len(graph.integrations), 'integration')}, {counted(len(graph.flows), 'flow')}"
                          + (f", {counted(len(graph.journeys), 'journey')}, {counted(len(graph.kpis), 'KPI')}"
                             if graph.journeys or graph.kpis else "") + ")",
                          highlight=False)


def department_warnings(inventory: Inventory) -> list[str]:
    """A department name used once that is near another (``Customer Suport`` vs ``Customer Support``)."""
    uses: Counter[str] = Counter()
    for tool in inventory.tools:
        uses.update({*tool.departments, *([tool.owner] if tool.owner else [])})
    for flow in inventory.flows:
        uses.update(step.department for step in flow.steps if step.department)
    return [f"department '{rare}' is used once and looks like '{common}' (used {uses[common]} times): a typo "
            "would split one department in two" for rare, common in near_departments(uses)]
