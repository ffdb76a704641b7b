"""BPMN processes → flows: activities become steps, hand-offs run through events and gateways, lanes
become departments, and tools come from data stores, ``auditor:*`` extension properties, ``Tools:``
annotations and the mapping file. Pure: no I/O."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from auditor.errors import Problem
from auditor.gcpause import gc_paused
from auditor.model import LAYERS, FlowRecord, SourceRef, StepRecord
from auditor.slug import slugify
from connectors.bpmn.model import SUBPROCESSES, TASKS, Model, Node, Process, local

#: Namespace of the ``<auditor:tools>`` extension element (the ``auditor:tools`` property works too).
AUDITOR_NS = "urn:auditor:bpmn:1"
#: How a BPMN activity is done, kept as the step's ``kind``.
KINDS: Mapping[str, str] = {
    "manualTask": "manual", "userTask": "user", "serviceTask": "automated", "scriptTask": "automated",
    "businessRuleTask": "automated", "sendTask": "automated", "receiveTask": "automated",
    "callActivity": "call", "subProcess": "subprocess", "adHocSubProcess": "subprocess",
    "transaction": "subprocess",
}
_SPLIT = re.compile(r"[,;\n]")
_TOOLS_LINE = re.compile(r"^\s*tools\s*:(.*)$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class ToolMapping:
    """The mapping file: tools per task, lane and data store name (names compared without case); a
    mapped data store stands for the tools named, instead of being declared as a tool of its own."""

    tasks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    lanes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    data_stores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Built:
    """What one BPMN file gives: flows, tools named in the model (name → where), skip counts, and
    located problems with ``auditor:*`` values."""

    flows: list[FlowRecord] = field(default_factory=list)
    tools: dict[str, SourceRef] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)


def split_names(text: str) -> list[str]:
    """``"SAP, Excel; Mail"`` → ``["SAP", "Excel", "Mail"]`` (blank parts dropped)."""
    return [" ".join(part.split()) for part in _SPLIT.split(text) if part.strip()]


def properties(owner: Element) -> dict[str, str]:
    """``auditor:*`` extension properties of an activity or process: ``<camunda:property name="auditor:tools"
    value=…>`` (any vendor's ``property``) or ``<auditor:tools>…</auditor:tools>`` elements."""
    found: dict[str, str] = {}
    for extensions in owner:
        if local(extensions.tag) != "extensionElements":
            continue
        for element in extensions.iter():
            name = element.get("name", "")
            if local(element.tag) == "property" and name.startswith("auditor:"):
                found[name.removeprefix("auditor:")] = element.get("value") or element.text or ""
            elif element.tag.startswith(f"{{{AUDITOR_NS}}}"):
                found[local(element.tag)] = element.text or ""
    return found


class FlowBuilder:
    """Builds the flows of one BPMN file (see the module docstring); ``expand`` opens subprocesses."""

    def __init__(self, model: Model, ref: SourceRef, mapping: ToolMapping, expand: bool,
                 external_pools: Sequence[str] = (), join_pools: bool = True) -> None:
        self.model = model
        self.join_pools = join_pools
        self.ref = ref
        self.mapping = mapping
        self.expand = expand
        self.external = {name.casefold() for name in external_pools}
        self.built = Built()
        self._stores, self._noted, self._children = _index(model)

    def build(self) -> Built:
        """Flows of the file: one per company pool, or per group of company pools joined by message flows."""
        pool_of: dict[str, str] = {}  # process id → pool name
        for name, process_id in self.model.pools.values():
            if process_id:
                pool_of[process_id] = name
        company = [p for p in self.model.processes if p.nodes and pool_of.get(p.id, "").casefold() not in self.external]
        extra, groups = self._messages(company)
        with gc_paused():  # a 50,000-task model makes hundreds of thousands of small objects
            for group in groups:
                self.built.flows.append(self._flow(group, pool_of, extra))
        return self.built

    # --- message flows ------------------------------------------------------------------------------

    def _messages(self, company: list[Process]) -> tuple[dict[str, list[str]], list[list[Process]]]:
        """Message flows between company pools: extra edges, and the pools they join into one flow."""
        owner = {node_id: p for p in company for node_id in p.nodes}
        group = {p.id: p.id for p in company}

        def find(pid: str) -> str:
            while group[pid] != pid:
                pid = group[pid]
            return pid

        extra: dict[str, list[str]] = {}
        for source, target, _ in self.model.messages:
            if source in owner and target in owner and (self.join_pools or owner[source] is owner[target]):
                extra.setdefault(source, []).append(target)
                group[find(owner[source].id)] = find(owner[target].id)
            elif source in owner and target in owner:
                self.built.skipped["message flow between company pools kept as separate flows"] += 1
            else:
                self.built.skipped["message flow with an external party or a whole pool"] += 1
        groups: dict[str, list[Process]] = {}
        for process in company:
            groups.setdefault(find(process.id), []).append(process)
        return extra, list(groups.values())

    # --- one flow -----------------------------------------------------------------------------------

    def _flow(self, processes: list[Process], pool_of: Mapping[str, str], extra: Mapping[str, list[str]]
              ) -> FlowRecord:
        nodes: dict[str, Node] = {}
        out: dict[str, list[str]] = {}
        department: dict[str, str | None] = {}
        joined = len(processes) > 1
        for process in processes:
            nodes.update(process.nodes)
            self._edges(process, out)
            for node in process.nodes.values():
                department[node.id] = self._lane(process, node) or (pool_of.get(process.id) if joined else None)
        for source, targets in extra.items():
            if source in nodes:
                out.setdefault(source, []).extend(targets)
        steps = [n for n in nodes.values() if self._is_step(n, nodes)]
        step_ids = {n.id for n in steps}
        successors = {n.id: self._successors(n.id, out, step_ids) for n in steps}
        order = self._order(steps, nodes, out, step_ids)
        first = processes[0]
        names = [pool_of.get(p.id) or p.name or p.id for p in processes]
        props = {n.id: properties(n.element) for n in steps}
        ids = {n.id: props[n.id].get("id") or n.id for n in steps}  # ``auditor:id``: an id BPMN cannot hold
        records = tuple(self._step(nodes[i], ids[i], props[i], department[i], tuple(ids[s] for s in successors[i]))
                        for i in order)
        flow_id = properties(first.element).get("id") or first.id
        return FlowRecord(flow_id, " + ".join(names), records,
                          SourceRef(self.ref.source, self.ref.type, first.id, self.ref.sanctioned, self.model.file,
                                    first.line))

    def _lane(self, process: Process, node: Node) -> str | None:
        while node.lane is None and node.parent is not None:
            node = process.nodes[node.parent]
        return node.lane

    def _is_step(self, node: Node, nodes: Mapping[str, Node]) -> bool:
        if node.kind not in TASKS and node.kind not in SUBPROCESSES:
            return False
        if node.kind in SUBPROCESSES and self.expand:
            return False
        parent = node.parent
        while parent is not None:  # inside a subprocess kept as one step: part of that step
            if not self.expand:
                return False
            parent = nodes[parent].parent
        return True

    def _edges(self, process: Process, out: dict[str, list[str]]) -> None:
        """Sequence flows; boundary events as exits of their activity; expanded subprocesses entered at
        their start nodes and left from their end nodes."""
        for source, target, _ in process.flows:
            if source in process.nodes and target in process.nodes:
                out.setdefault(source, []).append(target)
        for node in process.nodes.values():
            if node.attached_to in process.nodes:
                out.setdefault(node.attached_to, []).append(node.id)
        if not self.expand:
            return
        incoming = {t for targets in out.values() for t in targets}
        original = {k: list(v) for k, v in out.items()}
        for node in process.nodes.values():
            if node.kind not in SUBPROCESSES:
                continue
            inner = [n for n in process.nodes.values() if n.parent == node.id and n.attached_to is None]
            if not inner:
                continue  # an empty subprocess: the flow passes straight through it
            out[node.id] = [n.id for n in inner if n.id not in incoming]
            for end in (n for n in inner if not original.get(n.id)):
                out.setdefault(end.id, []).extend(self._exits(process, node, original))

    def _exits(self, process: Process, sub: Node, original: Mapping[str, list[str]]) -> list[str]:
        while not original.get(sub.id) and sub.parent is not None:
            sub = process.nodes[sub.parent]
        return list(original.get(sub.id, ()))

    def _successors(self, start: str, out: Mapping[str, list[str]], steps: set[str]) -> tuple[str, ...]:
        """The steps reached from ``start`` through events and gateways only (loops terminate)."""
        found: list[str] = []
        seen = {start}
        stack = list(reversed(out.get(start, ())))
        while stack:
            node = stack.pop()
            if node == start:
                self.built.skipped["loop from a step straight back to itself"] += 1
                continue
            if node in seen:
                continue
            seen.add(node)
            if node in steps:
                found.append(node)
            else:
                stack.extend(reversed(out.get(node, ())))
        return tuple(found)

    def _order(self, steps: list[Node], nodes: Mapping[str, Node], out: Mapping[str, list[str]],
               step_ids: set[str]) -> list[str]:
        """Steps in the order a reader follows the model: depth first from the start nodes, then the rest."""
        incoming = {t for targets in out.values() for t in targets}
        starts = [n for n in nodes.values() if n.id not in incoming and n.attached_to is None and n.parent is None]
        order: list[str] = []
        seen: set[str] = set()
        stack = [n.id for n in reversed(starts)]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in step_ids:
                order.append(node)
            stack.extend(reversed(out.get(node, ())))
        return order + [n.id for n in steps if n.id not in seen]

    def _step(self, node: Node, step_id: str, props: Mapping[str, str], department: str | None,
              after: tuple[str, ...]) -> StepRecord:
        where = SourceRef(self.ref.source, self.ref.type, node.id, self.ref.sanctioned, self.model.file, node.line)
        tools = self._tools(node, props, where)
        tools += [t for t in self.mapping.tasks.get(node.name.casefold(), ()) if t not in tools]
        tools += [t for t in self.mapping.lanes.get((department or "").casefold(), ()) if t not in tools]
        requires = tuple(slugify(v).replace("-", "_") for v in split_names(props.get("requires", "")))
        for layer in requires:
            if layer not in LAYERS:
                self._problem(node, f"auditor:requires names unknown layer '{layer}'; use {', '.join(LAYERS)}")
        customer = props.get("customer_facing", "").strip().lower()
        if customer not in ("", "true", "false", "yes", "no", "1", "0"):
            self._problem(node, f"auditor:customer_facing is '{customer}', not true or false")
        return StepRecord(step_id, node.name, where, department, tuple(tools), requires,
                          customer_facing=customer in ("true", "yes", "1"),
                          next=after, kind=props.get("kind") or KINDS.get(node.kind))

    def _problem(self, node: Node, message: str) -> None:
        self.built.problems.append(Problem(self.model.file, node.line, f"{node.kind} '{node.id}': {message}"))

    def _tools(self, node: Node, props: Mapping[str, str], where: SourceRef) -> list[str]:
        """Tools the model itself names for ``node`` and, for a subprocess kept as one step, for every
        activity inside it (each also declared as a tool of this source)."""
        members = [node.id]
        for member in members:  # grows while it is walked: the subprocess's descendants
            members.extend(self._children.get(member, ()))
        names: list[str] = []
        mapped: list[str] = []
        for member in members:
            for store in self._stores.get(member, ()):
                tools = self.mapping.data_stores.get(store.casefold())
                (mapped.extend(tools) if tools else names.append(store))
        names += split_names(props.get("tools", ""))
        for member in members:
            names += self._noted.get(member, ())
        unique = list(dict.fromkeys(names))
        for name in unique:
            self.built.tools.setdefault(name, where)
        return list(dict.fromkeys((*unique, *mapped)))


def _index(model: Model) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """Per activity id: its data stores' names, the tools its ``Tools:`` annotations name, its children."""
    stores: dict[str, list[str]] = {}
    noted: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for process in model.processes:
        for step, ref in process.data_links:
            if ref in process.data_stores:
                stores.setdefault(step, []).append(process.data_stores[ref])
        for node in process.nodes.values():
            if node.parent is not None:
                children.setdefault(node.parent, []).append(node.id)
    for a, b in model.associations:
        for element, other in ((a, b), (b, a)):
            if other in model.annotations:
                for line in _TOOLS_LINE.findall(model.annotations[other]):
                    noted.setdefault(element, []).extend(split_names(line))
    return stores, noted, children
