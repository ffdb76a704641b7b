"""Hand-off connectivity engine shared by ``missing_integration``, ``manual_handoff`` and ``bottleneck``.

An *integration path* is a directed path of integrations. An integration ``A → B`` adds the edge
``A → B``; with ``via: M`` it adds ``A → M → B`` (the middleware is part of the path); with
``bidirectional: true`` it adds the reverse edges too. Self-integrations add nothing.

Reachability between step tool sets is answered without a search per hand-off:

1. tools are numbered, the edges stored as adjacency lists (one :class:`Digraph` for non-manual
   integrations, one including manual ones);
2. strongly connected components are found once (iterative Tarjan) and the condensation is walked
   once in reverse topological order, giving each component a bitset (a Python ``int``) of the
   *target tools* it reaches — target tools being the tools that support some flow step;
3. "does any tool of T(A) reach any tool of T(B)" is then ``reach[comp(a)] & mask(T(B)) != 0``.

Cost: O((V + E) · K / 64) machine words for K target tools, then O(|T(A)|) per hand-off. Witness
paths (for evidence and for the bottleneck test) come from a bidirectional breadth-first search that
only enters tools that can still reach the target set, and stops at the first meeting point.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from auditor.gcpause import gc_paused
from auditor.graph import LandscapeGraph
from auditor.model import Flow, Integration, Step

HandoffState = Literal["connected", "manual", "missing", "undefined"]


def step_tools(step: Step) -> frozenset[str]:
    """T(step): the step's tools, explicit and inferred."""
    return frozenset(step.all_tools)


def participants(integration: Integration) -> set[str]:
    """Every tool taking part in an integration: both endpoints and the middleware."""
    return {t for t in (integration.source, integration.target, integration.via) if t}


def integration_edges(integration: Integration) -> list[tuple[str, str]]:
    """The directed edges one integration contributes (``via`` in the middle, reversed if bidirectional)."""
    source, target, via = integration.source, integration.target, integration.via
    if via:
        hops = [(x, y) for x, y in ((source, via), (via, target)) if x != y]
    elif source != target:
        hops = [(source, target)]
    else:
        return []
    if integration.bidirectional:
        hops += [(y, x) for x, y in hops]
    return hops


class Digraph:
    """Integer-indexed directed graph with successor and predecessor lists."""

    def __init__(self, ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> None:
        self.ids = list(ids)
        self.index = {tool_id: i for i, tool_id in enumerate(self.ids)}
        succ: list[set[int]] = [set() for _ in self.ids]
        for a, b in edges:
            succ[self.index[a]].add(self.index[b])
        self.succ: list[list[int]] = [sorted(s) for s in succ]
        pred: list[list[int]] = [[] for _ in self.ids]
        for node, targets in enumerate(self.succ):
            for target in targets:
                pred[target].append(node)
        self.pred = pred

    @cached_property
    def scc(self) -> list[int]:
        """:meth:`components`, computed once."""
        return self.components()

    def components(self) -> list[int]:
        """Component number of every node; numbers are in reverse topological order (sinks first)."""
        n = len(self.ids)
        index = [-1] * n
        low = [0] * n
        comp = [-1] * n
        on_stack = [False] * n
        stack: list[int] = []
        counter = 0
        count = 0
        for root in range(n):
            if index[root] != -1:
                continue
            work = [(root, 0)]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack[root] = True
            while work:
                node, pos = work[-1]
                succ = self.succ[node]
                if pos < len(succ):
                    work[-1] = (node, pos + 1)
                    nxt = succ[pos]
                    if index[nxt] == -1:
                        index[nxt] = low[nxt] = counter
                        counter += 1
                        stack.append(nxt)
                        on_stack[nxt] = True
                        work.append((nxt, 0))
                    elif on_stack[nxt] and index[nxt] < low[node]:
                        low[node] = index[nxt]
                    continue
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        comp[member] = count
                        if member == node:
                            break
                    count += 1
        return comp

    def find_path(self, sources: Iterable[int], targets: Iterable[int], banned: int = -1,
                  prune: tuple[Sequence[int], Sequence[int], int] | None = None,
                  banned_edges: frozenset[tuple[int, int]] = frozenset(),
                  banned_nodes: frozenset[int] = frozenset()) -> list[int] | None:
        """A shortest path from any source to any target avoiding ``banned`` (bidirectional BFS).

        ``prune = (comp, reach, mask)``: the forward side only enters nodes v with
        ``reach[comp[v]] & mask``, i.e. nodes that can still reach a target. ``banned_edges``: (u, v)
        edges the path may not use; ``banned_nodes``: more nodes it may not enter, like ``banned``.
        """
        blocked = banned_nodes | {banned} if banned != -1 else banned_nodes
        fwd: dict[int, int] = {s: -1 for s in sources if s not in blocked}
        bwd: dict[int, int] = {t: -1 for t in targets if t not in blocked}
        if not fwd or not bwd:
            return None
        meet = next((s for s in fwd if s in bwd), -1)
        f_front, b_front = list(fwd), list(bwd)
        useful: dict[int, bool] = {}  # per component, so the big-int AND runs once per component
        while meet == -1 and f_front and b_front:
            if len(f_front) <= len(b_front):
                f_front, meet = _expand(f_front, fwd, bwd, self.succ, blocked, prune, banned_edges, False, useful)
            else:
                b_front, meet = _expand(b_front, bwd, fwd, self.pred, blocked, None, banned_edges, True, useful)
        if meet == -1:
            return None
        path = [meet]
        node = fwd[meet]
        while node != -1:
            path.append(node)
            node = fwd[node]
        path.reverse()
        node = bwd[meet]
        while node != -1:
            path.append(node)
            node = bwd[node]
        return path


def _expand(front: list[int], seen: dict[int, int], other: dict[int, int], adjacency: list[list[int]],
            blocked: frozenset[int], prune: tuple[Sequence[int], Sequence[int], int] | None,
            banned_edges: frozenset[tuple[int, int]], backward: bool, useful: dict[int, bool]) -> tuple[list[int], int]:
    """One BFS layer; returns the next frontier and the meeting node (or -1)."""
    nxt: list[int] = []
    comp, reach, mask = prune if prune else ((), (), 0)
    for node in front:
        for neighbour in adjacency[node]:
            if neighbour in seen or neighbour in blocked:
                continue
            if prune:
                c = comp[neighbour]
                ok = useful.get(c)
                if ok is None:
                    ok = useful[c] = bool(reach[c] & mask)
                if not ok:
                    continue
            if banned_edges and ((neighbour, node) if backward else (node, neighbour)) in banned_edges:
                continue
            seen[neighbour] = node
            if neighbour in other:
                return nxt, neighbour
            nxt.append(neighbour)
    return nxt, -1


class Reachability:
    """Which labelled tools each tool reaches over one :class:`Digraph` (condensation + bitsets).

    ``labels`` maps a tool id to its label bits (one bit per target tool, or one per department).
    """

    def __init__(self, digraph: Digraph, labels: Mapping[str, int]) -> None:
        self.digraph = digraph
        self.bit = {digraph.index[t]: bits for t, bits in labels.items()}
        comp = digraph.scc
        count = max(comp, default=-1) + 1
        reach = [0] * count
        members: list[list[int]] = [[] for _ in range(count)]
        for node, c in enumerate(comp):
            members[c].append(node)
        for c in range(count):  # sinks first: every successor component is already final
            mask = 0
            for node in members[c]:
                mask |= self.bit.get(node, 0)
                for nxt in digraph.succ[node]:
                    if comp[nxt] != c:
                        mask |= reach[comp[nxt]]
            reach[c] = mask
        self.comp = comp
        self.reach = reach

    @staticmethod
    def one_bit_each(names: Iterable[str]) -> dict[str, int]:
        """Labels giving every name its own bit."""
        return {name: 1 << k for k, name in enumerate(sorted(set(names)))}

    def mask(self, tools: Iterable[str]) -> int:
        """Union of the labels of ``tools``."""
        index, bit = self.digraph.index, self.bit
        mask = 0
        for tool in tools:
            mask |= bit.get(index[tool], 0)
        return mask

    def reach_of(self, tools: Iterable[str]) -> int:
        """Union of the labels reachable (path length ≥ 0) from any of ``tools``."""
        index, reach, comp = self.digraph.index, self.reach, self.comp
        mask = 0
        for tool in tools:
            mask |= reach[comp[index[tool]]]
        return mask

    def reaches(self, sources: Iterable[str], targets: frozenset[str]) -> bool:
        """True if an integration path (length ≥ 1) leads from a source to a different target tool.

        Only meaningful when every target has a label bit of its own.
        """
        index, bit = self.digraph.index, self.bit
        mask = self.mask(targets)
        for source in sources:
            node = index[source]
            if self.reach[self.comp[node]] & mask & ~bit.get(node, 0):
                return True
        return False

    def path(self, sources: Iterable[str], targets: Iterable[str], banned: str | None = None,
             mask: int = 0, banned_edges: Iterable[tuple[str, str]] = (),
             banned_tools: Iterable[str] = ()) -> list[str] | None:
        """A shortest integration path from a source to a target, as tool ids (None if there is none).

        ``mask``: label bits the targets carry, used to prune the search (0 = no pruning);
        ``banned``/``banned_edges``/``banned_tools``: a tool, edges and more tools the path must avoid.
        """
        g = self.digraph
        prune = (self.comp, self.reach, mask) if mask else None
        edges = frozenset((g.index[a], g.index[b]) for a, b in banned_edges)
        found = g.find_path(sorted(g.index[s] for s in sources), sorted(g.index[t] for t in targets),
                            g.index[banned] if banned else -1, prune, edges,
                            frozenset(g.index[t] for t in banned_tools if t in g.index))
        return [g.ids[i] for i in found] if found else None


@dataclass(frozen=True)
class Handoff:
    """One hand-off A → B of a flow and its state; ``position`` is A's index in the flow's steps."""

    flow: Flow
    position: int
    source: Step
    target: Step
    source_tools: frozenset[str]
    target_tools: frozenset[str]
    state: HandoffState

    @property
    def key(self) -> tuple[str, str, str]:
        """(flow id, from-step id, to-step id): identity of the hand-off."""
        return (self.flow.id, self.source.id, self.target.id)


@dataclass
class Connectivity:
    """Everything the hand-off analyses need about one graph, computed once per graph.

    It refers to its graph weakly, so the per-graph cache of :func:`connectivity` never keeps a
    landscape alive.
    """

    graph_ref: weakref.ref[LandscapeGraph]
    strict: Reachability
    loose: Reachability
    departments: Reachability
    department_bits: dict[str, int]
    handoffs: list[Handoff] = field(default_factory=list)
    _edge_info: dict[str, dict[tuple[str, str], tuple[list[Integration], frozenset[str]]]] = field(
        default_factory=dict, repr=False)

    @property
    def graph(self) -> LandscapeGraph:
        """The graph this was built from (alive as long as a caller holds it)."""
        graph = self.graph_ref()
        if graph is None:
            raise ReferenceError("the landscape graph of this Connectivity is gone")
        return graph

    def edge_info(self, edge: tuple[str, str]) -> tuple[list[Integration], frozenset[str]]:
        """The non-manual integrations that make ``edge``, and the tools all of them involve.

        Built per source tool on first use, from the integrations that tool takes part in.
        """
        source = edge[0]
        table = self._edge_info.get(source)
        if table is None:
            grouped: dict[tuple[str, str], list[Integration]] = {}
            for integration in self.graph.integrations_by_tool.get(source, ()):
                if integration.kind != "manual":
                    for hop in integration_edges(integration):
                        if hop[0] == source:
                            grouped.setdefault(hop, []).append(integration)
            table = {hop: (found, frozenset.intersection(*(frozenset(participants(i)) for i in found)))
                     for hop, found in grouped.items()}
            self._edge_info[source] = table
        return table.get(edge, ([], frozenset()))

    def integrations_between(self, a: str, b: str) -> list[Integration]:
        """Integrations that contribute the edge ``a → b``."""
        found = []
        for integration in self.graph.integrations_by_tool.get(a, ()):
            if (a, b) in integration_edges(integration):
                found.append(integration)
        return found


def _classify(strict: Reachability, loose: Reachability, a: frozenset[str], b: frozenset[str]) -> HandoffState:
    if not a or not b:
        return "undefined"
    if a & b or strict.reaches(a, b):
        return "connected"
    return "manual" if loose.reaches(a, b) else "missing"


def build_connectivity(graph: LandscapeGraph) -> Connectivity:
    """Index ``graph`` and classify every hand-off: connected / manual / missing / undefined.

    The result refers to ``graph`` weakly: keep the graph while you use it.
    """
    with gc_paused():
        return _build(graph)


def _build(graph: LandscapeGraph) -> Connectivity:
    integrations = graph.integrations
    ids = set(graph.tools)
    ids.update(i.source for i in integrations)
    ids.update(i.target for i in integrations)
    ids.update(i.via for i in integrations if i.via)
    step_ids = {t for flow in graph.flows for step in flow.steps for t in step_tools(step)}
    order = sorted(ids | step_ids)
    strict_edges: list[tuple[str, str]] = []
    manual_edges: list[tuple[str, str]] = []
    for integration in integrations:
        (manual_edges if integration.kind == "manual" else strict_edges).extend(integration_edges(integration))
    targets = Reachability.one_bit_each(step_ids)
    strict_graph = Digraph(order, strict_edges)
    strict = Reachability(strict_graph, targets)
    loose = Reachability(Digraph(order, strict_edges + manual_edges), targets) if manual_edges else strict
    department_bits = Reachability.one_bit_each(d.name for d in graph.departments)
    tool_departments: dict[str, int] = {}
    for department in graph.departments:
        for tool in department.tools:
            tool_departments[tool] = tool_departments.get(tool, 0) | department_bits[department.name]
    departments = Reachability(strict_graph, tool_departments)
    result = Connectivity(weakref.ref(graph), strict, loose, departments, department_bits)
    for flow in graph.flows:
        for position, (a, after) in enumerate(zip(flow.steps, flow.successors(), strict=True)):
            for b in after:
                ta, tb = step_tools(a), step_tools(b)
                result.handoffs.append(Handoff(flow, position, a, b, ta, tb, _classify(strict, loose, ta, tb)))
    return result


_CACHE: dict[int, tuple[weakref.ref[LandscapeGraph], Connectivity]] = {}


def connectivity(graph: LandscapeGraph) -> Connectivity:
    """:func:`build_connectivity`, computed once per graph object and shared by the analyses."""
    cached = _CACHE.get(id(graph))
    if cached and cached[0]() is graph:
        return cached[1]
    result = build_connectivity(graph)
    key = id(graph)
    _CACHE[key] = (weakref.ref(graph), result)
    # A finalizer holds the cache itself, not the module global: at interpreter exit module globals
    # are set to None before the last graphs die, and a callback looking up ``_CACHE`` then failed
    # ("'NoneType' object has no attribute 'pop'"); finalizers still pending run at exit instead.
    weakref.finalize(graph, _CACHE.pop, key, None)
    return result
