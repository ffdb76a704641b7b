"""``auditor whatif``: re-run the analyses on a changed copy of the landscape and show what changes."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli.common import config_option, with_errors
from auditor.cli.planning import (
    evaluator_for,
    landscape_options,
    load_landscape,
    render_template,
    signed,
    signed_money,
    write_output,
)
from auditor.plan.scenario import Scenario, load_scenario, parse_connection
from auditor.plan.whatif import WhatIf


def whatif_text(effect: WhatIf, currency: str | None) -> str:
    """The plain-text view of a what-if."""
    lines = ["What if: " + "; ".join(effect.scenario.describe()), ""]
    overall = effect.overall
    lines.append(f"overall score: {overall['before']} → {overall['after']} ({signed(overall['change'])})")
    lines.append(f"annual cost: {signed_money(effect.cost_change, currency)}")
    lines += [f"warning: {risk['move_first']}" for risk in effect.risks]
    for title, scores in (("flows", effect.flows), ("layers", effect.layers)):
        lines.append(f"\nScores per {title[:-1]}:")
        lines += [f"  {s['name']}: {s['before']} → {s['after']} ({signed(s['change'])})" for s in scores.values()]
    for title, findings in (("resolved", effect.resolved), ("created", effect.created)):
        lines.append(f"\nFindings {title} ({len(findings)}):")
        lines += [f"  [{f.severity}] {f.title}  ({f.id})" for f in findings] or ["  none"]
    return "\n".join(lines) + "\n"


@click.command("whatif")
@config_option
@click.option("--retire", multiple=True, metavar="TOOL", help="Retire a tool (its steps move to the kept tool).")
@click.option("--connect", multiple=True, metavar="SOURCE:TARGET", help="Add an API integration.")
@click.option("--sanction", multiple=True, metavar="TOOL", help="Sanction a shadow-IT tool.")
@click.option("--scenario", "scenario_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A YAML scenario file (retire/connect/sanction lists), added to the options.")
@landscape_options
@with_errors
def whatif(config_path: Path, retire: tuple[str, ...], connect: tuple[str, ...], sanction: tuple[str, ...],
           scenario_file: Path | None, scan_ref: str, fresh: bool, store_path: Path | None, format_id: str,
           out_file: Path | None) -> None:
    """Show what a change would do: findings resolved and created, scores per flow and layer, annual cost.

    Tool ids are those of report.json. The scanned data and the store are not modified.

    \b
    Examples:  auditor whatif --retire freshdesk --connect shopify:zendesk --sanction miro
               auditor whatif --scenario consolidate.yaml -f md -o whatif.md
    """
    scenario = Scenario(retire, tuple(parse_connection(c, "--connect") for c in connect), sanction)
    if scenario_file is not None:
        scenario = load_scenario(scenario_file) + scenario
    if scenario.is_empty():
        raise click.UsageError("nothing to try: give --retire, --connect, --sanction or --scenario")
    config, result = load_landscape(config_path, scan_ref, fresh, store_path)
    evaluator, base = evaluator_for(config, result)
    effect = evaluator.whatif(base, scenario)
    currency = result.scan.currency
    write_output(format_id, out_file, effect.to_data, lambda: whatif_text(effect, currency),
                 lambda ext: render_template(f"whatif.{ext}.j2", currency, w=effect))
