"""A BPMN 2.0 document read into plain data: processes with their flow nodes, lanes, sequence flows,
data stores and annotations, and the collaboration's pools and message flows. No interpretation yet
(see :mod:`connectors.bpmn.flows`); broken references are located problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from auditor.errors import Problem
from connectors.bpmn.xmlread import XmlDocument

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"

#: Activities: each one is a step (a subprocess may instead be expanded into its own steps).
TASKS = frozenset({"task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
                   "sendTask", "receiveTask", "callActivity"})
SUBPROCESSES = frozenset({"subProcess", "adHocSubProcess", "transaction"})
#: Events and gateways: not steps; hand-offs run through them.
PASS_THROUGH = frozenset({"startEvent", "endEvent", "intermediateThrowEvent", "intermediateCatchEvent",
                          "boundaryEvent", "implicitThrowEvent", "exclusiveGateway", "parallelGateway",
                          "inclusiveGateway", "eventBasedGateway", "complexGateway"})


def local(tag: str) -> str:
    """``{ns}userTask`` → ``userTask``."""
    return tag.rsplit("}", 1)[-1]


def _bpmn(element: Element, name: str) -> list[Element]:
    return element.findall(f"{{{BPMN}}}{name}")


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


@dataclass
class Node:
    """A flow node (activity, event or gateway) of a process or subprocess."""

    id: str
    kind: str
    name: str
    line: int | None
    element: Element
    parent: str | None = None  # the subprocess it sits in
    attached_to: str | None = None  # boundary events: the activity they sit on
    lane: str | None = None  # the innermost lane that lists it (or its subprocess)


@dataclass
class Process:
    """One process (the content of a pool) with everything the flow builder needs."""

    id: str
    name: str
    line: int | None
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[tuple[str, str, Element]] = field(default_factory=list)  # sequence flows (source, target)
    data_stores: dict[str, str] = field(default_factory=dict)  # dataStoreReference id → tool name
    data_links: list[tuple[str, str]] = field(default_factory=list)  # (activity id, data element id)
    element: Element = field(default_factory=lambda: Element("process"))


@dataclass
class Model:
    """A BPMN file: processes, pools (participant id → (name, process id or None)), message flows
    (source, target, line), text annotations and associations (anywhere in the file)."""

    file: str
    processes: list[Process] = field(default_factory=list)
    pools: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    messages: list[tuple[str, str, int | None]] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)
    associations: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_model(doc: XmlDocument) -> Model:
    """Read processes, pools and message flows from a parsed BPMN file (problems collected, not raised)."""
    model = Model(doc.file)
    root = doc.root
    if root.tag != f"{{{BPMN}}}definitions":
        model.problems.append(Problem(doc.file, doc.line(root), "not a BPMN 2.0 file: the root element is "
                                      f"'{local(root.tag)}', not BPMN 2.0 'definitions'"))
        return model
    stores = {e.get("id", ""): _text(e.get("name")) for e in _bpmn(root, "dataStore")}
    for element in root.iter(f"{{{BPMN}}}textAnnotation"):
        model.annotations[element.get("id", "")] = "\n".join(t.text or "" for t in _bpmn(element, "text"))
    for element in root.iter(f"{{{BPMN}}}association"):
        model.associations.append((element.get("sourceRef", ""), element.get("targetRef", "")))
    for element in _bpmn(root, "process"):
        model.processes.append(_process(doc, element, stores, model.problems))
    processes = {p.id for p in model.processes}
    nodes = {n for p in model.processes for n in p.nodes}
    for collaboration in _bpmn(root, "collaboration"):
        for pool in _bpmn(collaboration, "participant"):
            ref = pool.get("processRef")
            if ref and ref not in processes:
                model.problems.append(_broken(doc, pool, "processRef", ref))
            model.pools[pool.get("id", "")] = (_text(pool.get("name")), ref if ref in processes else None)
        for message in _bpmn(collaboration, "messageFlow"):
            ends = (message.get("sourceRef", ""), message.get("targetRef", ""))
            for attribute, ref in zip(("sourceRef", "targetRef"), ends, strict=True):
                if ref not in nodes and ref not in model.pools:
                    model.problems.append(_broken(doc, message, attribute, ref))
            model.messages.append((*ends, doc.line(message)))
    return model


def _broken(doc: XmlDocument, element: Element, attribute: str, ref: str) -> Problem:
    return Problem(doc.file, doc.line(element), f"{local(element.tag)} '{element.get('id', '?')}': {attribute} "
                                                f"'{ref}' names no element of this file")


def _process(doc: XmlDocument, element: Element, stores: dict[str, str], problems: list[Problem]) -> Process:
    process = Process(element.get("id", ""), _text(element.get("name")), doc.line(element), element=element)
    _read_container(doc, element, process, None, stores, problems)
    for lane_set in _bpmn(element, "laneSet"):
        _read_lanes(doc, lane_set, process, problems)
    for node in process.nodes.values():
        if node.attached_to is not None and node.attached_to not in process.nodes:
            problems.append(_broken(doc, node.element, "attachedToRef", node.attached_to))
    for source, target, flow in process.flows:
        for attribute, ref in (("sourceRef", source), ("targetRef", target)):
            if ref not in process.nodes:
                problems.append(_broken(doc, flow, attribute, ref))
    return process


def _read_container(doc: XmlDocument, container: Element, process: Process, parent: str | None,
                    stores: dict[str, str], problems: list[Problem]) -> None:
    """Flow nodes, sequence flows and data stores of a process or subprocess (recursively)."""
    for child in container:
        if not child.tag.startswith(f"{{{BPMN}}}"):
            continue
        kind = local(child.tag)
        node_id = child.get("id", "")
        if kind in TASKS or kind in SUBPROCESSES or kind in PASS_THROUGH:
            process.nodes[node_id] = Node(node_id, kind, _text(child.get("name")) or node_id, doc.line(child),
                                          child, parent, child.get("attachedToRef"))
            for association in (*_bpmn(child, "dataInputAssociation"), *_bpmn(child, "dataOutputAssociation")):
                for end in (*_bpmn(association, "sourceRef"), *_bpmn(association, "targetRef")):
                    process.data_links.append((node_id, (end.text or "").strip()))
            if kind in SUBPROCESSES:
                _read_container(doc, child, process, node_id, stores, problems)
        elif kind == "sequenceFlow":
            process.flows.append((child.get("sourceRef", ""), child.get("targetRef", ""), child))
        elif kind == "dataStoreReference":
            ref = child.get("dataStoreRef")
            if ref and ref not in stores:
                problems.append(_broken(doc, child, "dataStoreRef", ref))
            process.data_stores[node_id] = _text(child.get("name")) or stores.get(ref or "") or node_id


def _read_lanes(doc: XmlDocument, lane_set: Element, process: Process, problems: list[Problem]) -> None:
    """Give each node the innermost lane listing it; nested lanes (childLaneSet) win over their parents."""
    for lane in _bpmn(lane_set, "lane"):
        name = _text(lane.get("name")) or lane.get("id", "")
        for ref in _bpmn(lane, "flowNodeRef"):
            node_id = (ref.text or "").strip()
            node = process.nodes.get(node_id)
            if node is None:
                problems.append(Problem(doc.file, doc.line(ref), f"lane '{lane.get('id', '?')}': flowNodeRef "
                                                                  f"'{node_id}' names no flow node of process "
                                                                  f"'{process.id}'"))
            else:
                node.lane = name
        for child in _bpmn(lane, "childLaneSet"):
            _read_lanes(doc, child, process, problems)
