"""A flow as BPMN 2.0 XML with diagram interchange, for Camunda Modeler and bpmn.io.

One pool with a lane per department, one activity per step (its tools as ``auditor:*`` extension
elements), a sequence flow per hand-off named by its status, a start and an end event, and every
finding about the flow as a text annotation attached to the hand-off or step it concerns. The
``bpmn`` source reads the file back into the same flow (docs/connectors/bpmn.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement, indent, register_namespace, tostring

from auditor import __version__
from auditor.model import Finding, Flow, Step
from auditor.result import ScanResult
from reports.facts import handoffs

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
AUDITOR = "urn:auditor:bpmn:1"  # as read by connectors.bpmn.flows.AUDITOR_NS
for _prefix, _uri in (("bpmn", MODEL), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI), ("auditor", AUDITOR)):
    register_namespace(_prefix, _uri)

#: Step kind → BPMN activity (other kinds: ``task`` with an ``auditor:kind`` element).
ACTIVITIES = {"manual": "manualTask", "user": "userTask", "automated": "serviceTask", "call": "callActivity",
              "subprocess": "subProcess", None: "task"}
_NCNAME = re.compile(r"^[^\W\d][\w.-]*$")
TASK_W, TASK_H, COLUMN, LANE_H, EVENT = 100, 80, 160, 140, 36


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


@dataclass
class _Ids:
    """XML ids (NCNames) for step ids, which may be any text."""

    taken: set[str] = field(default_factory=set)

    def make(self, wanted: str, fallback: str) -> str:
        candidate = wanted if _NCNAME.match(wanted) else fallback
        base, n = candidate, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}_{n}"
        self.taken.add(candidate)
        return candidate


def flow_bpmn(result: ScanResult, flow: Flow) -> bytes:
    """``flow`` of ``result`` as a BPMN 2.0 document (UTF-8 XML bytes)."""
    return _Writer(result, flow).document()


class _Writer:
    def __init__(self, result: ScanResult, flow: Flow) -> None:
        self.result, self.flow = result, flow
        self.ids = _Ids({"Definitions_1", "Collaboration_1", "Participant_1", "LaneSet_1", "StartEvent_1",
                         "EndEvent_1", "BPMNDiagram_1", "BPMNPlane_1"})
        self.process_id = self.ids.make(flow.id, "Process_1")
        self.step_ids = {s.id: self.ids.make(s.id, f"Step_{i + 1}") for i, s in enumerate(flow.steps)}
        self.lanes = list(dict.fromkeys(s.department for s in flow.steps if s.department))
        self.shapes: dict[str, tuple[float, float, float, float]] = {}

    def document(self) -> bytes:
        root = Element(_q(MODEL, "definitions"), {"id": "Definitions_1", "targetNamespace": "urn:auditor:flows",
                                                   "exporter": "auditor", "exporterVersion": __version__})
        collaboration = SubElement(root, _q(MODEL, "collaboration"), id="Collaboration_1")
        SubElement(collaboration, _q(MODEL, "participant"), id="Participant_1", name=self.flow.name,
                   processRef=self.process_id)
        process = SubElement(root, _q(MODEL, "process"), id=self.process_id, name=self.flow.name,
                             isExecutable="false")
        if self.process_id != self.flow.id:
            _extensions(process, {"id": self.flow.id})
        self._layout()
        self._lanes(process)
        edges = self._nodes(process)
        self._annotations(process, edges)
        self._diagram(root, edges)
        indent(root)
        body: bytes = tostring(root, encoding="utf-8")
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"

    # --- semantics ----------------------------------------------------------------------------------

    def _lanes(self, process: Element) -> None:
        if not self.lanes:
            return
        lane_set = SubElement(process, _q(MODEL, "laneSet"), id="LaneSet_1")
        for index, name in enumerate(self.lanes):
            lane = SubElement(lane_set, _q(MODEL, "lane"), id=f"Lane_{index + 1}", name=name)
            for step in self.flow.steps:
                if step.department == name:
                    SubElement(lane, _q(MODEL, "flowNodeRef")).text = self.step_ids[step.id]

    def _nodes(self, process: Element) -> list[tuple[str, str, str, str]]:
        """Events, activities and sequence flows; returns the edges (id, source, target, label)."""
        pairs = [(h.source.id, h.target.id, h.status) for h in handoffs(self.result, self.flow)]
        entered = {b for _, b, _ in pairs}
        left = {a for a, _, _ in pairs}
        starts = [s.id for s in self.flow.steps if s.id not in entered] or [s.id for s in self.flow.steps[:1]]
        ends = [s.id for s in self.flow.steps if s.id not in left]
        edges = [(f"Flow_{i + 1}", self.step_ids[a], self.step_ids[b], status) for i, (a, b, status)
                 in enumerate(pairs)]
        edges += [(f"Flow_start_{i + 1}", "StartEvent_1", self.step_ids[s], "") for i, s in enumerate(starts)]
        edges += [(f"Flow_end_{i + 1}", self.step_ids[s], "EndEvent_1", "") for i, s in enumerate(ends)]
        SubElement(process, _q(MODEL, "startEvent"), id="StartEvent_1", name="Start")
        for step in self.flow.steps:
            self._activity(process, step)
        if ends:
            SubElement(process, _q(MODEL, "endEvent"), id="EndEvent_1", name="End")
        for edge_id, source, target, label in edges:
            attributes = {"id": edge_id, "sourceRef": source, "targetRef": target}
            if label and label != "connected":
                attributes["name"] = label.replace("_", " ")
            SubElement(process, _q(MODEL, "sequenceFlow"), attributes)
        return edges

    def _activity(self, process: Element, step: Step) -> None:
        kind = ACTIVITIES.get(step.kind, "task")
        element = SubElement(process, _q(MODEL, kind), id=self.step_ids[step.id], name=step.name)
        tools = self.result.graph.tools
        values = {"tools": ", ".join(tools[t].name if t in tools else t for t in step.tools),
                  "requires": ", ".join(step.requires),
                  "customer_facing": "true" if step.customer_facing else "",
                  "kind": "" if step.kind in ACTIVITIES else step.kind or "",
                  "id": step.id if self.step_ids[step.id] != step.id else ""}
        _extensions(element, values)

    def _annotations(self, process: Element, edges: list[tuple[str, str, str, str]]) -> None:
        by_pair = {(s, t): edge_id for edge_id, s, t, _ in edges}
        for index, finding in enumerate(f for f in self.result.findings if f.flow == self.flow.id):
            annotation_id = f"Annotation_{index + 1}"
            text = SubElement(SubElement(process, _q(MODEL, "textAnnotation"), id=annotation_id), _q(MODEL, "text"))
            text.text = f"[{finding.severity}] {finding.type}: {finding.title}"
            target = self._target(finding, by_pair)
            if target:
                SubElement(process, _q(MODEL, "association"), id=f"Association_{index + 1}", sourceRef=annotation_id,
                           targetRef=target)
            self.annotations.append((annotation_id, target))

    def _target(self, finding: Finding, by_pair: dict[tuple[str, str], str]) -> str | None:
        steps = [self.step_ids[s] for s in finding.steps if s in self.step_ids]
        if len(steps) >= 2 and (steps[0], steps[1]) in by_pair:
            return by_pair[(steps[0], steps[1])]
        return steps[0] if steps else None

    # --- diagram interchange ------------------------------------------------------------------------

    annotations: list[tuple[str, str | None]]

    def _layout(self) -> None:
        self.annotations = []
        rows = {name: i for i, name in enumerate(self.lanes)}
        # steps without a department go in a band of the pool below the lanes (in no lane)
        lanes = len(self.lanes) + (1 if any(not s.department for s in self.flow.steps) or not self.lanes else 0)
        self.top, self.left = 180.0, 100.0
        for index, step in enumerate(self.flow.steps):
            row = rows.get(step.department or "", len(self.lanes))
            x = self.left + 130 + COLUMN * (index + 1)
            y = self.top + row * LANE_H + (LANE_H - TASK_H) / 2
            self.shapes[self.step_ids[step.id]] = (x, y, TASK_W, TASK_H)
        first = self.shapes[self.step_ids[self.flow.steps[0].id]] if self.flow.steps else (0, self.top, 0, TASK_H)
        last = self.shapes[self.step_ids[self.flow.steps[-1].id]] if self.flow.steps else (0, self.top, 0, TASK_H)
        middle = (TASK_H - EVENT) / 2
        self.shapes["StartEvent_1"] = (self.left + 80, first[1] + middle, EVENT, EVENT)
        self.shapes["EndEvent_1"] = (self.left + 130 + COLUMN * (len(self.flow.steps) + 1), last[1] + middle,
                                     EVENT, EVENT)
        self.width = 130 + COLUMN * (len(self.flow.steps) + 1) + 120
        self.height = LANE_H * lanes

    def _diagram(self, root: Element, edges: list[tuple[str, str, str, str]]) -> None:
        diagram = SubElement(root, _q(BPMNDI, "BPMNDiagram"), id="BPMNDiagram_1")
        plane = SubElement(diagram, _q(BPMNDI, "BPMNPlane"), id="BPMNPlane_1", bpmnElement="Collaboration_1")
        _shape(plane, "Participant_1", (self.left, self.top, self.width, self.height), horizontal=True)
        for index, _name in enumerate(self.lanes):
            _shape(plane, f"Lane_{index + 1}", (self.left + 30, self.top + index * LANE_H, self.width - 30, LANE_H),
                   horizontal=True)
        for element_id, bounds in self.shapes.items():
            if element_id != "EndEvent_1" or any(t == "EndEvent_1" for _, _, t, _ in edges):
                _shape(plane, element_id, bounds)
        for edge_id, source, target, _ in edges:
            _edge(plane, edge_id, _route(self.shapes[source], self.shapes[target], self.top + self.height))
        for index, (annotation_id, concerned) in enumerate(self.annotations):
            x = self.left + 40 + 210 * index
            _shape(plane, annotation_id, (x, 20, 200, 90))
            if concerned:
                anchor = self._anchor(concerned, edges)
                _edge(plane, f"Association_{index + 1}_di", [(x + 100, 110), anchor],
                      element=f"Association_{index + 1}")

    def _anchor(self, target: str, edges: list[tuple[str, str, str, str]]) -> tuple[float, float]:
        if target in self.shapes:
            x, y, w, _ = self.shapes[target]
            return (x + w / 2, y)
        source, end = next((s, t) for e, s, t, _ in edges if e == target)
        a, b = self.shapes[source], self.shapes[end]
        return ((a[0] + a[2] + b[0]) / 2, (a[1] + b[1]) / 2 + TASK_H / 2)


def _extensions(element: Element, values: dict[str, str]) -> None:
    present = {k: v for k, v in values.items() if v}
    if present:
        extensions = SubElement(element, _q(MODEL, "extensionElements"))
        for key, value in present.items():
            SubElement(extensions, _q(AUDITOR, key)).text = value


def _shape(plane: Element, element_id: str, bounds: tuple[float, float, float, float], horizontal: bool = False
           ) -> None:
    attributes = {"id": f"{element_id}_di", "bpmnElement": element_id}
    if horizontal:
        attributes["isHorizontal"] = "true"
    shape = SubElement(plane, _q(BPMNDI, "BPMNShape"), attributes)
    x, y, w, h = bounds
    SubElement(shape, _q(DC, "Bounds"), x=_n(x), y=_n(y), width=_n(w), height=_n(h))


def _edge(plane: Element, edge_id: str, points: Iterable[tuple[float, float]], element: str | None = None) -> None:
    edge = SubElement(plane, _q(BPMNDI, "BPMNEdge"), id=edge_id if element else f"{edge_id}_di",
                      bpmnElement=element or edge_id)
    for x, y in points:
        SubElement(edge, _q(DI, "waypoint"), x=_n(x), y=_n(y))


def _route(a: tuple[float, float, float, float], b: tuple[float, float, float, float], bottom: float
           ) -> list[tuple[float, float]]:
    """Forward: right side to left side; backward (a loop): down below both, across and up."""
    if b[0] > a[0]:
        start, end = (a[0] + a[2], a[1] + a[3] / 2), (b[0], b[1] + b[3] / 2)
        if start[1] == end[1]:
            return [start, end]
        middle = (start[0] + end[0]) / 2
        return [start, (middle, start[1]), (middle, end[1]), end]
    below = max(a[1] + a[3], b[1] + b[3]) + 20
    below = min(below, bottom - 5)
    return [(a[0] + a[2] / 2, a[1] + a[3]), (a[0] + a[2] / 2, below), (b[0] + b[2] / 2, below),
            (b[0] + b[2] / 2, b[1] + b[3])]


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
