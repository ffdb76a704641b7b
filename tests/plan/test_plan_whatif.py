"""The what-if engine and the plan: changes measured on a copy, and the plan reproducible with whatif."""

from __future__ import annotations

import pytest

from auditor.errors import InputError
from auditor.plan.planner import Plan, make_plan
from auditor.plan.scenario import Scenario


@pytest.fixture(scope="module")
def demo_plan(demo_evaluator, demo_base) -> Plan:
    """The plan for the demo, made once per module (0.3 s; the tests below only read it)."""
    return make_plan(demo_evaluator, demo_base)


def test_whatif_retire_connect_sanction_reports_resolved_findings_scores_and_cost(demo_result, demo_evaluator,
                                                                                  demo_base):
    before = demo_result.graph
    effect = demo_evaluator.whatif(demo_base, Scenario(retire=("freshdesk",), connect=(("shopify", "zendesk"),),
                                                       sanction=("miro",)))
    resolved = {f.title for f in effect.resolved}
    assert "Freshdesk is not integrated with any other tool" in resolved
    assert "Miro is not sanctioned by IT" in resolved
    assert "No integration from 'Check order status' to 'Escalate to e-commerce team' in 'Issue to resolution'" \
        in resolved
    assert effect.cost_change == -before.tools["freshdesk"].annual_cost
    assert effect.flows["issue-to-resolution"]["change"] > 0
    assert effect.scenario.moves == {"freshdesk": "zendesk"}
    assert demo_result.graph is before and "freshdesk" in before.tools  # the scanned data is untouched


def test_whatif_rejects_unknown_tools_by_name(demo_evaluator, demo_base):
    with pytest.raises(InputError, match="unknown tool 'shopify-plus'"):
        demo_evaluator.whatif(demo_base, Scenario(connect=(("shopify-plus", "zendesk"),)))


def test_no_plan_action_mentions_a_tool_retired_earlier_in_the_plan(demo_plan):
    plan = demo_plan
    assert plan.steps
    retired: set[str] = set()
    for step in plan.steps:
        assert not step.action.tools() & retired, step.action.title
        retired |= set(step.action.scenario.retire)


def test_applying_the_plan_with_whatif_reproduces_its_announced_changes(demo_evaluator, demo_base, demo_plan):
    plan = demo_plan
    replay = demo_evaluator.whatif(demo_base, plan.scenario)
    assert replay.overall["change"] == sum(s.effect.overall["change"] for s in plan.steps)
    for flow_id, change in replay.flows.items():
        assert change["change"] == sum(s.effect.flows[flow_id]["change"] for s in plan.steps), flow_id
    assert replay.cost_change == pytest.approx(sum(s.effect.cost_change for s in plan.steps))
    assert {f.id for f in replay.after.findings} == {f.id for f in plan.steps[-1].effect.after.findings}
    assert plan.savings() == pytest.approx(-replay.cost_change)


def test_the_plan_on_the_demo_retires_the_issue_s_duplicates_and_saves_money(demo_plan):
    plan = demo_plan
    retired = {t for s in plan.steps for t in s.action.scenario.retire}
    assert {"freshdesk", "cloudsign", "powerbi"} <= retired
    assert plan.savings() > 100_000
    assert all(s.effect.gain() > 0 for s in plan.steps)
