"""``auditor validate``: check the config and every local input without scanning APIs."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from auditor.cli.common import config_option, counted, err_console, is_quiet, load_config_or_exit, with_errors
from auditor.errors import InputError, Problem, raise_if_problems
from auditor.model import Inventory
from auditor.pipeline import build_graph, prepare_sources
from connectors.base import ConnectorError


@click.command()
@config_option
@with_errors
def validate(config_path: Path) -> None:
    """Validate the config and the sources that read local files; list every problem (exit 2 if any).

    Sources that call an API are only checked for their settings; nothing is fetched. A local file
    that cannot be read (missing, not UTF-8…) is a problem here, located at its source in the config;
    `auditor scan` instead marks such a source failed and carries over what it knew.
    """
    config = load_config_or_exit(config_path)
    prepared = prepare_sources(config)
    problems: list[Problem] = []
    inventories: list[Inventory] = []
    for item in prepared:
        if not item.connector.is_local():
            continue
        try:
            inventories.append(item.connector.collect())
        except InputError as exc:
            problems.extend(exc.problems)
        except ConnectorError as exc:  # the file cannot be read at all (missing, wrong encoding…)
            problems.append(Problem(item.config.file, item.config.line, str(exc)))
    raise_if_problems(problems)
    graph, _ = build_graph(config, Inventory.merge(inventories))
    if not is_quiet():
        err_console.print(f"[green]valid:[/] {escape(str(config_path))} ({counted(len(config.sources), 'source')}; "
                          f"local files give {counted(len(graph.tools), 'tool')}, "
                          f"{counted(len(graph.integrations), 'integration')}, {counted(len(graph.flows), 'flow')})",
                          highlight=False)
