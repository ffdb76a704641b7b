"""Whether a KPI can be measured, and whether an individual journey's improvement loop can run.

Definitions (docs/analyses.md, "Journeys and KPIs"):

* The tools of a KPI's *anchor*: a touchpoint KPI's step's tools; a journey KPI's flow's tools (every
  step); a relationship KPI's journey's tools (every step of every flow of the journey).
* A tool *produces* a data word when an integration leaving it lists that word in ``data`` (it is the
  ``from`` end, or either end of a ``bidirectional`` one; manual integrations count: the data exists).
* A data word *reaches* ``computed_in`` over non-manual integrations that list the word ("carries") or
  list no data at all ("may carry"). A word is ``confirmed`` when computed_in produces it itself, or is
  a tool of a touchpoint KPI's own step (a touchpoint's tool holds the data of its interactions), or a
  path of carrying integrations leads from a producing anchor tool to it; ``unconfirmed`` when
  only paths using "may carry" integrations do; otherwise ``no_producer`` (no anchor tool produces it)
  or ``no_path``. A KPI is ``measurable`` when every word is confirmed, ``unconfirmed`` when every word
  at least reaches it, ``unmeasurable`` otherwise.
* The *loop* of an individual journey (a flow in a journey): its touchpoint tools (the tools of its
  customer-facing steps) reach a ``data``-layer tool (``measure``), which reaches an ``ai_analytics`` tool
  (``learn``), which reaches an *action* tool — a touchpoint tool, or an ``automation``-layer tool of a
  step of the flow (``act``). Paths are non-manual integration paths of length ≥ 0 (a tool in both
  layers passes both stages). The first stage that fails is the break: ``cannot_measure``,
  ``cannot_learn`` or ``cannot_act``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from auditor.analyses.connectivity import Digraph, connectivity, integration_edges, step_tools
from auditor.analyses.silo import reached_from
from auditor.graph import LandscapeGraph
from auditor.model import Flow, Integration, Kpi

WordState = Literal["confirmed", "unconfirmed", "no_producer", "no_path"]
KpiStatus = Literal["measurable", "unconfirmed", "unmeasurable"]
LoopBreak = Literal["cannot_measure", "cannot_learn", "cannot_act"]
LOOP_BREAKS: tuple[LoopBreak, ...] = ("cannot_measure", "cannot_learn", "cannot_act")


@dataclass(frozen=True)
class WordCheck:
    """One data word a KPI needs: the anchor tools producing it, its state and a witness path (tool ids)."""

    word: str
    producers: tuple[str, ...]
    state: WordState
    path: tuple[str, ...] = ()  # confirmed/unconfirmed: how it reaches computed_in
    stops_at: tuple[str, ...] = ()  # no_path: the tools it does reach (producers left out)


@dataclass(frozen=True)
class KpiCheck:
    """A KPI's measurability: its anchor tools and each data word's check."""

    kpi: Kpi
    tools: tuple[str, ...]
    words: tuple[WordCheck, ...]

    @property
    def status(self) -> KpiStatus:
        """``measurable``, ``unconfirmed`` or ``unmeasurable`` (see the module docstring)."""
        states = {w.state for w in self.words}
        if states & {"no_producer", "no_path"}:
            return "unmeasurable"
        return "unconfirmed" if "unconfirmed" in states else "measurable"


@dataclass(frozen=True)
class Loop:
    """One individual journey's loop: the tools each stage reached, and the first break (None: it runs)."""

    flow: str
    touchpoint_tools: tuple[str, ...]
    data_tools: tuple[str, ...]
    analytics_tools: tuple[str, ...]
    action_tools: tuple[str, ...]  # the action tools the analytics tools reach
    broken: LoopBreak | None


def flow_tools(flow: Flow) -> frozenset[str]:
    """Every tool of every step of a flow."""
    return frozenset(t for step in flow.steps for t in step_tools(step))


def anchor_tools(graph: LandscapeGraph, kpi: Kpi) -> frozenset[str]:
    """The tools of the KPI's step, flow or journey (empty when the anchor is unknown)."""
    flows = {f.id: f for f in graph.flows}
    if kpi.level == "relationship":
        journey = next((j for j in graph.journeys if j.id == kpi.journey), None)
        return frozenset().union(*(flow_tools(flows[f]) for f in (journey.flows if journey else ()) if f in flows))
    flow = flows.get(kpi.flow or "")
    if flow is None:
        return frozenset()
    if kpi.level == "touchpoint":
        return frozenset(t for s in flow.steps if s.id == kpi.step for t in step_tools(s))
    return flow_tools(flow)


def producers(graph: LandscapeGraph, tools: Iterable[str], word: str) -> tuple[str, ...]:
    """The tools among ``tools`` that produce ``word`` (sorted)."""
    by_tool = graph.integrations_by_tool
    return tuple(sorted(t for t in set(tools) if any(_emits(i, t, word) for i in by_tool.get(t, ()))))


def _emits(integration: Integration, tool: str, word: str) -> bool:
    if word not in integration.data:
        return False
    return integration.source == tool or (integration.bidirectional and integration.target == tool)


Adjacency = Mapping[str, Sequence[str]]


def _adjacency(integrations: Iterable[Integration]) -> dict[str, list[str]]:
    """Tool → the tools its edges lead to (``via`` in the middle, reversed if bidirectional)."""
    found: dict[str, list[str]] = {}
    for integration in integrations:
        for a, b in integration_edges(integration):
            found.setdefault(a, []).append(b)
    return found


def search(sources: Iterable[str], adjacencies: Sequence[Adjacency],
           target: str | None = None) -> tuple[tuple[str, ...] | None, set[str]]:
    """Breadth-first over the union of ``adjacencies``: a shortest path from a source to ``target`` (None when
    there is none or no target), and every tool reached (length ≥ 0)."""
    parent: dict[str, str | None] = {s: None for s in sorted(set(sources))}
    frontier = list(parent)
    while frontier and target not in parent:
        nxt = []
        for node in frontier:
            for adjacency in adjacencies:
                for neighbour in adjacency.get(node, ()):
                    if neighbour not in parent:
                        parent[neighbour] = node
                        nxt.append(neighbour)
        frontier = nxt
    if target is None or target not in parent:
        return None, set(parent)
    path: list[str] = []
    step: str | None = target
    while step is not None:
        path.append(step)
        step = parent[step]
    return tuple(reversed(path)), set(parent)


class DataRoutes:
    """The non-manual integration paths that carry each data word (or may: integrations listing no data)."""

    def __init__(self, graph: LandscapeGraph) -> None:
        self.graph = graph
        needed = {w for k in graph.kpis for w in k.data}
        automated = [i for i in graph.integrations if i.kind != "manual"]
        by_word: dict[str, list[Integration]] = {}
        for integration in automated:
            for word in needed.intersection(integration.data):
                by_word.setdefault(word, []).append(integration)
        self.words = {word: _adjacency(found) for word, found in by_word.items()}

    @cached_property
    def blank(self) -> dict[str, list[str]]:
        """Edges of the non-manual integrations that list no data ("may carry"), built when first needed."""
        return _adjacency(i for i in self.graph.integrations if i.kind != "manual" and not i.data)

    def check(self, kpi: Kpi) -> KpiCheck:
        """The KPI's :class:`KpiCheck`."""
        tools = anchor_tools(self.graph, kpi)
        return KpiCheck(kpi, tuple(sorted(tools)), tuple(self._word(kpi, tools, w) for w in kpi.data))

    def _word(self, kpi: Kpi, tools: frozenset[str], word: str) -> WordCheck:
        target = kpi.computed_in or ""
        found = producers(self.graph, tools, word)
        if target in found or (kpi.level == "touchpoint" and target in tools):
            return WordCheck(word, found, "confirmed", (target,))
        if not found:
            return WordCheck(word, found, "no_producer")
        carried = self.words.get(word, {})
        path, _ = search(found, [carried], target)
        if path:
            return WordCheck(word, found, "confirmed", path)
        path, reached = search(found, [carried, self.blank], target)
        if path:
            return WordCheck(word, found, "unconfirmed", path)
        return WordCheck(word, found, "no_path", stops_at=tuple(sorted(reached - set(found))))


_CHECKS: dict[int, tuple[weakref.ref[LandscapeGraph], dict[str, KpiCheck]]] = {}


def kpi_checks(graph: LandscapeGraph) -> dict[str, KpiCheck]:
    """Every KPI's check, by KPI id; computed once per graph object (the analysis and the readiness share it)."""
    if not graph.kpis:
        return {}
    cached = _CHECKS.get(id(graph))
    if cached and cached[0]() is graph:
        return cached[1]
    routes = DataRoutes(graph)
    checks = {k.id: routes.check(k) for k in graph.kpis}
    _CHECKS[id(graph)] = (weakref.ref(graph), checks)
    weakref.finalize(graph, _CHECKS.pop, id(graph), None)  # as connectivity() does: no global lookup at exit
    return checks


def individual_journeys(graph: LandscapeGraph) -> list[tuple[Flow, tuple[str, ...]]]:
    """Each flow that some journey names, with the ids of the journeys naming it, in flow order."""
    named: dict[str, list[str]] = {}
    for journey in graph.journeys:
        for flow_id in journey.flows:
            named.setdefault(flow_id, []).append(journey.id)
    return [(f, tuple(named[f.id])) for f in graph.flows if f.id in named]


def loop_of(graph: LandscapeGraph, flow: Flow, extra: Iterable[tuple[str, str]] = ()) -> Loop:
    """The loop of one individual journey (see the module docstring); ``extra``: edges to add first (to check
    whether new connections would close it)."""
    digraph = connectivity(graph).strict.digraph
    index = digraph.index
    added: dict[int, list[int]] = {}
    for a, b in extra:
        if a in index and b in index:
            added.setdefault(index[a], []).append(index[b])

    def reach(sources: Iterable[str]) -> set[str]:
        return walk(digraph, sources, added=added) if added else reached_from(digraph, sources)

    touch = frozenset(t for s in flow.steps if s.customer_facing for t in step_tools(s))
    data = _in_layer(graph, reach(touch), "data")
    analytics = _in_layer(graph, reach(data), "ai_analytics") if data else frozenset()
    actions = touch | _in_layer(graph, flow_tools(flow), "automation")
    acting = actions & reach(analytics) if analytics else frozenset()
    broken: LoopBreak | None = None
    if not data:
        broken = "cannot_measure"
    elif not analytics:
        broken = "cannot_learn"
    elif not acting:
        broken = "cannot_act"
    return Loop(flow.id, tuple(sorted(touch)), tuple(sorted(data)), tuple(sorted(analytics)), tuple(sorted(acting)),
                broken)


def walk(digraph: Digraph, tools: Iterable[str], backward: bool = False,
         added: Mapping[int, list[int]] | None = None) -> set[str]:
    """Tools reachable (length ≥ 0) from ``tools`` over the digraph's edges (``backward``: the tools from which
    ``tools`` are reachable), plus ``added`` edges (node numbers)."""
    lists, extra = (digraph.pred if backward else digraph.succ), added or {}
    seen = {digraph.index[t] for t in tools if t in digraph.index}
    frontier = list(seen)
    while frontier:
        nxt = []
        for node in frontier:
            for neighbour in (*lists[node], *extra.get(node, ())):
                if neighbour not in seen:
                    seen.add(neighbour)
                    nxt.append(neighbour)
        frontier = nxt
    return {digraph.ids[i] for i in seen}


def _in_layer(graph: LandscapeGraph, tools: Iterable[str], layer: str) -> frozenset[str]:
    return frozenset(t for t in tools if t in graph.tools and layer in graph.tools[t].layers)
