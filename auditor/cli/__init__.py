"""The ``auditor`` command line: thin click commands that call the library.

Each command lives in its own module; :data:`COMMANDS` lists them explicitly.
"""

from __future__ import annotations

import importlib

import click

from auditor import __version__
from auditor.cli.common import setup_logging, unexpected_error

#: command name → "module:attribute" of the click command (explicit, no import side effects).
COMMANDS: dict[str, str] = {
    "scan": "auditor.cli.scan:scan",
    "validate": "auditor.cli.validate:validate",
    "demo": "auditor.cli.scan:demo",
    "init": "auditor.cli.init:init",
    "connectors": "auditor.cli.connectors:connectors",
    "report": "auditor.cli.report:report",
    "export": "auditor.cli.export:export",
    "diff": "auditor.cli.diff:diff_command",
    "scans": "auditor.cli.scans:scans",
    "whatif": "auditor.cli.whatif:whatif",
    "plan": "auditor.cli.plan:plan",
}


class LazyGroup(click.Group):
    """A click group that imports each command only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, _, attr = COMMANDS[cmd_name].partition(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; anything unexpected becomes exit 4 with a short message (see ``unexpected_error``)."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit,
                KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that catches everything, on purpose
            unexpected_error(exc, (ctx.obj or {}).get("verbose", 0))
            raise  # unreachable: unexpected_error exits


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors; no progress or summary.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Inventory digital tools along operational flows and find silos, duplicates and broken hand-offs.

    \b
    Start with:  auditor demo            (scan the bundled example company)
                 auditor init my-audit   (write a starter config and landscape)
                 auditor scan -c my-audit/auditor.yaml
    """
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet
    ctx.obj["verbose"] = verbose
    setup_logging(verbose, quiet)
