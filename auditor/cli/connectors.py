"""``auditor connectors``: list connector types and their settings."""

from __future__ import annotations

import click
from rich.table import Table

from auditor.cli.common import out_console
from connectors import registry
from connectors.base import describe_settings


@click.command()
@click.argument("type_id", required=False)
def connectors(type_id: str | None) -> None:
    """List connector types, or the settings of one type.

    \b
    Examples:  auditor connectors          (every type, with its settings)
               auditor connectors okta     (one type)
    """
    types = registry.available()
    if type_id and type_id not in types:
        raise click.BadParameter(f"unknown connector type '{type_id}'; known: {', '.join(sorted(types))}")
    for name in [type_id] if type_id else sorted(types):
        cls = registry.load(name)
        table = Table(title=f"{name}: {cls.description}", title_justify="left", show_lines=False)
        for column in ("setting", "type", "default", "meaning"):
            table.add_column(column)
        table.add_row("name", "str", "(required)", "unique name of this source in the config")
        for row in describe_settings(cls.settings_class):
            table.add_row(*row)
        out_console.print(table)
