"""The bpmn source on models written for the tests: pools joined by message flows, external pools,
nested lanes, subprocesses (one step or expanded), boundary events, tools from extension properties,
annotations and the mapping file; located errors for broken references and unsafe or broken XML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.errors import InputError
from auditor.model import FlowRecord, Inventory
from connectors.base import ConnectorContext, ConnectorError
from connectors.bpmn import BpmnConnector, BpmnSettings
from connectors.bpmn.flows import Built, FlowBuilder

DATA = Path(__file__).parent.parent / "data" / "bpmn"
ORDER = "order-collaboration.bpmn"


def connector(base: Path = DATA, **settings: Any) -> BpmnConnector:
    return BpmnConnector(BpmnSettings(**settings), ConnectorContext("processes", base))


def collect(base: Path = DATA, **settings: Any) -> Inventory:
    return connector(base, **settings).collect()


def steps(flow: FlowRecord) -> dict[str, tuple[Any, ...]]:
    return {s.id: (s.department, s.kind, s.tools, s.next) for s in flow.steps}


def test_pools_joined_by_a_message_flow_are_one_flow_and_a_subprocess_is_one_step() -> None:
    [flow] = collect(path=ORDER, mapping="mapping.yaml").flows
    assert (flow.id, flow.name) == ("sales", "Sales + Warehouse")
    assert steps(flow) == {
        "check": ("Sales", "user", ("Salesforce", "HubSpot"), ("sendToWarehouse", "fix")),
        "sendToWarehouse": ("Sales", "automated", ("Workato",), ("pickAndPack",)),  # the message flow
        "pickAndPack": ("Warehouse", "subprocess", ("Excel", "Label Printer", "Shipbob"), ("ship",)),
        "ship": ("Warehouse", "automated", ("Shipbob",), ()),
        "fix": ("Sales back office", "manual", (), ("check",)),  # nested lane; loops back
    }
    assert [s.id for s in flow.steps] == ["check", "sendToWarehouse", "pickAndPack", "ship", "fix"]


def test_expanded_subprocesses_give_their_activities_as_steps() -> None:
    [flow] = collect(path=ORDER, mapping="mapping.yaml", subprocesses="expand").flows
    got = steps(flow)
    assert got["sendToWarehouse"][3] == ("pick",)
    assert got["pick"] == ("Warehouse", "manual", ("Excel", "Label Printer", "Shipbob"), ("label",))
    assert got["label"] == ("Warehouse", "automated", ("Label Printer", "Shipbob"), ("ship",))
    assert "pickAndPack" not in got


def build(base: Path, path: str, external_pools: tuple[str, ...] = ()) -> Built:
    """The flows, declared tools and skip counts of one file, straight from the flow builder."""
    source = connector(base, path=path)
    raw = source.get()
    return FlowBuilder(raw.models[0], source.provenance(), raw.mapping, False, external_pools).build()


def test_message_flows_with_an_external_pool_are_counted_not_made_into_handoffs() -> None:
    built = build(DATA, ORDER)
    assert built.skipped == {"message flow with an external party or a whole pool": 2}


def test_a_pool_named_external_is_left_out_and_counted() -> None:
    built = build(DATA, ORDER, external_pools=("warehouse",))
    assert [s.id for s in built.flows[0].steps] == ["check", "sendToWarehouse", "fix"]
    assert built.flows[0].name == "Sales"
    assert built.skipped["message flow with an external party or a whole pool"] == 3


def test_tools_named_in_the_model_are_declared_where_first_used_and_mapped_ones_are_not() -> None:
    inventory = collect(path=ORDER, mapping="mapping.yaml")
    assert [(t.name, t.provenance.line) for t in inventory.tools] == [
        ("Salesforce", 33), ("HubSpot", 33), ("Workato", 41), ("Excel", 56), ("Label Printer", 56)]
    assert "Shipbob" not in {t.name for t in inventory.tools}


def write(tmp_path: Path, body: str, name: str = "model.bpmn") -> Path:
    path = tmp_path / name
    path.write_text('<?xml version="1.0"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
                    f'id="d">\n{body}\n</definitions>\n', encoding="utf-8")
    return path


def errors(tmp_path: Path, **settings: Any) -> list[str]:
    with pytest.raises(InputError) as error:
        collect(tmp_path, **settings)
    return [str(p).replace(f"{tmp_path}/", "") for p in error.value.problems]


def test_broken_references_are_located_by_file_line_and_element_id(tmp_path: Path) -> None:
    write(tmp_path, """<process id="p">
  <laneSet id="ls"><lane id="l1" name="Ops"><flowNodeRef>ghost</flowNodeRef></lane></laneSet>
  <task id="a" name="A" />
  <sequenceFlow id="s1" sourceRef="a" targetRef="nowhere" />
  <dataStoreReference id="d" dataStoreRef="noStore" />
</process>
<collaboration id="c"><participant id="x" processRef="missing" /></collaboration>""")
    assert sorted(errors(tmp_path, path="model.bpmn")) == [
        "model.bpmn:4: lane 'l1': flowNodeRef 'ghost' names no flow node of process 'p'",
        "model.bpmn:6: sequenceFlow 's1': targetRef 'nowhere' names no element of this file",
        "model.bpmn:7: dataStoreReference 'd': dataStoreRef 'noStore' names no element of this file",
        "model.bpmn:9: participant 'x': processRef 'missing' names no element of this file",
    ]


def test_broken_xml_is_located(tmp_path: Path) -> None:
    (tmp_path / "model.bpmn").write_text('<?xml version="1.0"?>\n<definitions>\n  <task id="a">\n</definitions>\n')
    [problem] = errors(tmp_path, path="model.bpmn")
    assert problem.startswith("model.bpmn:4: not well-formed XML")


def test_entities_and_dtds_are_refused(tmp_path: Path) -> None:
    (tmp_path / "model.bpmn").write_text('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                         '\n<definitions>&x;</definitions>\n')
    [problem] = errors(tmp_path, path="model.bpmn")
    assert problem.startswith("model.bpmn:2: refused unsafe XML") and "passwd" not in problem


def test_a_file_that_is_not_bpmn_says_so(tmp_path: Path) -> None:
    (tmp_path / "model.bpmn").write_text('<?xml version="1.0"?>\n<html><body/></html>\n')
    assert errors(tmp_path, path="model.bpmn") == [
        "model.bpmn:2: not a BPMN 2.0 file: the root element is 'html', not BPMN 2.0 'definitions'"]


def test_a_bad_mapping_file_is_located(tmp_path: Path) -> None:
    write(tmp_path, '<process id="p"><task id="a" name="A" /></process>')
    (tmp_path / "mapping.yaml").write_text("tasks:\n  A: [Excel]\nroles:\n  x: y\n")
    [problem] = errors(tmp_path, path="model.bpmn", mapping="mapping.yaml")
    assert problem.startswith("mapping.yaml:1:") and "'roles' was unexpected" in problem


def test_the_same_process_id_in_two_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, '<process id="p"><task id="a" name="A" /></process>', "one.bpmn")
    write(tmp_path, '<process id="p"><task id="b" name="B" /></process>', "two.bpmn")
    [problem] = errors(tmp_path, path=".")
    assert problem.startswith("two.bpmn:3: process 'p' is also defined at one.bpmn:3")


def test_an_unknown_subprocess_mode_is_a_settings_problem() -> None:
    assert connector(path=ORDER, subprocesses="flatten").check_settings() == [
        "subprocesses must be one of step, expand, not 'flatten'"]


def test_a_step_looping_straight_back_to_itself_is_counted(tmp_path: Path) -> None:
    path = write(tmp_path, """<process id="p">
  <task id="a" name="Try" /><exclusiveGateway id="g" /><task id="b" name="Done" />
  <sequenceFlow id="s1" sourceRef="a" targetRef="g" /><sequenceFlow id="s2" sourceRef="g" targetRef="a" />
  <sequenceFlow id="s3" sourceRef="g" targetRef="b" />
</process>""")
    built = build(path.parent, "model.bpmn")
    assert steps(built.flows[0]) == {"a": (None, None, (), ("b",)), "b": (None, None, (), ())}
    assert built.skipped == {"loop from a step straight back to itself": 1}


def test_a_mapped_data_store_stands_for_the_tools_named_and_is_not_declared(tmp_path: Path) -> None:
    (tmp_path / "mapping.yaml").write_text("data_stores:\n  salesforce: [sfdc-crm]\n", encoding="utf-8")
    inventory = collect(path=str(DATA / ORDER), mapping=str(tmp_path / "mapping.yaml"))
    assert inventory.flows[0].steps[0].tools == ("HubSpot", "sfdc-crm")
    assert "Salesforce" not in {t.name for t in inventory.tools}


def test_a_missing_mapping_file_names_the_mapping_setting(tmp_path: Path) -> None:
    write(tmp_path, '<process id="p"><task id="a" name="A" /></process>')
    with pytest.raises(ConnectorError) as error:
        collect(tmp_path, path="model.bpmn", mapping="nope.yaml")
    assert "BPMN mapping file not found" in str(error.value) and "check 'mapping'" in str(error.value)


def test_what_is_left_out_is_counted_by_reason_in_the_scan(tmp_path: Path) -> None:
    from auditor.config import load_config
    from auditor.pipeline import run_scan

    config = tmp_path / "auditor.yaml"
    config.write_text(f"organization: O\nsources:\n  - {{name: processes, type: bpmn, path: {DATA / ORDER}}}\n",
                      encoding="utf-8")
    [status] = run_scan(load_config(config)).scan.sources
    assert status.skipped == {"message flow with an external party or a whole pool": 2}
def test_pools_can_stay_separate_flows_with_the_messages_between_them_counted() -> None:
    source = connector(path=ORDER, join_pools=False)
    raw = source.get()
    built = FlowBuilder(raw.models[0], source.provenance(), raw.mapping, False, join_pools=False).build()
    assert [(f.id, f.name, [s.id for s in f.steps]) for f in built.flows] == [
        ("sales", "Sales", ["check", "sendToWarehouse", "fix"]), ("warehouse", "Warehouse", ["pickAndPack", "ship"])]
    assert next(s for s in built.flows[0].steps if s.id == "sendToWarehouse").next == ()
    assert built.skipped == {"message flow with an external party or a whole pool": 2,
                             "message flow between company pools kept as separate flows": 1}
    assert [f.id for f in source.transform(raw).flows] == ["sales", "warehouse"]


def test_bad_auditor_property_values_are_located(tmp_path: Path) -> None:
    write(tmp_path, """<process id="p" xmlns:auditor="urn:auditor:bpmn:1">
  <task id="a" name="A"><extensionElements><auditor:requires>data, magic</auditor:requires>
    <auditor:customer_facing>sometimes</auditor:customer_facing></extensionElements></task>
</process>""")
    assert sorted(errors(tmp_path, path="model.bpmn")) == [
        "model.bpmn:4: task 'a': auditor:customer_facing is 'sometimes', not true or false",
        "model.bpmn:4: task 'a': auditor:requires names unknown layer 'magic'; use data, ai_analytics, automation"]
