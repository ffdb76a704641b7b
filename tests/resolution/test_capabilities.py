"""Capability mapping of flow steps (the library function; the scan-level test is in test_pipeline.py)."""

from __future__ import annotations

from auditor.model import Flow, Step, Tool
from auditor.resolution.capabilities import infer_step_tools, unmet_capabilities

TOOLS = {t.id: t for t in (
    Tool("desk", "Zendesk", category="ticketing", departments=("Support",), capabilities=("customer-support",)),
    Tool("desk2", "Freshdesk", category="ticketing", owner="Support"),
    Tool("crm", "Salesforce", category="crm", departments=("Sales", "Support")),
    Tool("sales-desk", "Service Cloud", category="ticketing", departments=("Sales",)),
)}


def flow(*steps: Step) -> Flow:
    return Flow("f", "F", steps)


def test_department_tools_with_the_capability_are_inferred_and_reported() -> None:
    [result], inferred = infer_step_tools([flow(Step("s", "S", "Support", capabilities=("ticketing",)))], TOOLS)
    assert result.steps[0].inferred_tools == ("desk", "desk2")
    assert [(m.step, m.capability, m.tools) for m in inferred] == [("s", "ticketing", ("desk", "desk2"))]


def test_capabilities_of_named_tools_are_not_inferred_again() -> None:
    step = Step("s", "S", "Support", tools=("desk",), capabilities=("ticketing", "crm"))
    [result], inferred = infer_step_tools([flow(step)], TOOLS)
    assert result.steps[0].tools == ("desk",) and result.steps[0].inferred_tools == ("crm",)
    assert [m.capability for m in inferred] == ["crm"]


def test_a_category_synonym_works_as_a_capability() -> None:
    [result], _ = infer_step_tools([flow(Step("s", "S", "Sales", capabilities=("Help desk",)))], TOOLS)
    assert result.steps[0].inferred_tools == ("sales-desk",)


def test_steps_without_department_or_matching_tools_stay_unmapped_and_are_listed() -> None:
    steps = (Step("a", "A", None, capabilities=("ticketing",)), Step("b", "B", "Support", capabilities=("rpa",)))
    [result], inferred = infer_step_tools([flow(*steps)], TOOLS)
    assert inferred == [] and all(s.inferred_tools == () for s in result.steps)
    assert unmet_capabilities(result, TOOLS) == [("a", "ticketing"), ("b", "rpa")]
