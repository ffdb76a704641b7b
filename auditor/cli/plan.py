"""``auditor plan``: the ordered actions (retire, connect, automate, sanction) with their measured effects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from auditor.cli import planning
from auditor.cli.common import config_option, with_errors
from auditor.money import format_money
from auditor.plan.planner import MAX_ACTIONS, make_plan


def plan_text(data: dict[str, Any], currency: str | None) -> str:
    """The plain-text view of a plan."""
    lines = [f"{len(data['actions'])} actions, ordered by gain per effort; savings if its retirements are done: "
             f"{format_money(data['annual_savings'], currency)} a year", ""]
    for action in data["actions"]:
        flows = ", ".join(f"{k} {planning.signed(v)}" for k, v in action["flows"].items()) or "no flow score change"
        lines.append(f"{action['rank']:>2}. {action['title']}")
        lines.append(f"    resolves {len(action['findings_resolved'])} findings; {flows}; "
                     f"cost {planning.signed_money(action['annual_cost_change'], currency)}")
        lines.append(f"    needs: {action['needs']}")
    if data["left_out"]:
        lines.append(f"\nLeft out ({len(data['left_out'])}):")
        lines += [f"  {d['action']}: {d['reason']}" for d in data["left_out"]]
    return "\n".join(lines) + "\n"


@click.command("plan")
@config_option
@click.option("--max-actions", type=click.IntRange(min=1), default=MAX_ACTIONS, show_default=True,
              help="Stop after this many actions.")
@planning.landscape_options
@with_errors
def plan(config_path: Path, max_actions: int, scan_ref: str, fresh: bool, store_path: Path | None,
         format_id: str, out_file: Path | None) -> None:
    """Order the actions the findings call for, measuring each with the what-if engine.

    Each action lists the findings it resolves, the score change of each flow, the annual cost change
    and what it needs. Replay the whole plan with 'auditor whatif' (the JSON form has its scenario).

    \b
    Examples:  auditor plan
               auditor plan -f md -o plan.md
    """
    config, result = planning.load_landscape(config_path, scan_ref, fresh, store_path)
    evaluator, base = planning.evaluator_for(config, result)
    data = make_plan(evaluator, base, max_actions).to_data()
    currency = result.scan.currency
    planning.write_output(format_id, out_file, lambda: data, lambda: plan_text(data, currency),
                          lambda ext: planning.render_template(f"plan.{ext}.j2", currency, plan=data,
                                                               organization=result.scan.organization))
