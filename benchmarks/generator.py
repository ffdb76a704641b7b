"""Seeded landscape generator that plants known problems and knows the truth by construction.

Used by the analysis tests (precision/recall = 1 for every finding type) and by the benchmarks::

    from benchmarks.generator import generate
    landscape = generate(seed=7, tools=200, flows=6, steps=8)
    landscape.graph        # LandscapeGraph
    landscape.truth        # finding type -> set of identities (see ``identity`` below)
    landscape.settings     # AnalysisSettings the truth assumes (one category is allowed)
    landscape.inventory()  # the same landscape as raw records, for pipeline-level use

How the truth is known without running the analyses:

* Every flow step gets its own *cluster* of fresh tools. Non-manual edges between clusters exist only
  where the generator puts a *connection* on a hand-off (a shared tool, a direct integration, one
  through middleware, a middleware chain, or a global hub), all running from step i to step i+1.
  Reverse edges (``bidirectional`` integrations, reverse decoys) are only used in flows without hubs,
  and always join consecutive steps. Entering the tools of step i+1 from earlier steps therefore
  requires one of the connections of hand-off i → i+1, so a hand-off without connections is missing
  (or manual when its only link is manual), and the tools whose removal breaks a connected hand-off
  are exactly those on *every* one of its connections (minus tools whose removal empties a step).
* Other edges never create paths between clusters: cycles and self-integrations stay inside a
  cluster; the identity provider and the data hub only have outgoing edges; background tools (in no
  flow) only link to each other.
* Silo departments own tools that are shared with nobody and only integrated among themselves;
  every other department has a tool shared with the next department. Tool silos are read from the
  bookkeeping of which tools got a non-manual partner. Every ``ai_analytics`` tool gets an edge from
  the data hub, except planted layer silos and planted tool silos, which no edge enters.
* Duplicate groups, shadow IT and coverage gaps are planted directly.

``branches=True`` makes flows directed graphs: 1-2 extra steps per flow on fresh clusters, handed off
to from a chain step u (besides u+1), half of them looping back to a chain step v <= u. Only their
planted link enters such a cluster and only the loop's link leaves it, so each new hand-off's state is
the planted one and the chain's truth is unchanged (a path through a loop into v must already have
passed u >= v). Without it the generator gives exactly the landscapes it always gave.

``entangled=True`` (benchmarks only) adds random edges between *all* tools, so flows sit inside one
big strongly connected graph; the truth is then not known and ``truth`` is ``None``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from auditor.analyses.base import AnalysisSettings
from auditor.graph import LandscapeGraph
from auditor.model import (
    LAYERS,
    Flow,
    FlowRecord,
    Integration,
    IntegrationRecord,
    Inventory,
    Journey,
    JourneyRecord,
    Kpi,
    KpiRecord,
    SourceRef,
    Step,
    StepRecord,
    Tool,
    ToolRecord,
)
from benchmarks.journey_planting import plant_journeys

KINDS = ("api", "etl", "event", "file", "ipaas", "sso")
ALLOWED_CATEGORY = "Allowed Cat"
HandoffKey = tuple[str, str, str]


@dataclass
class Landscape:
    """A generated landscape: the graph, the truth (None when entangled) and the settings it assumes."""

    graph: LandscapeGraph
    truth: dict[str, set[Any]] | None
    settings: AnalysisSettings
    handoffs: dict[HandoffKey, str] = field(default_factory=dict)

    def inventory(self) -> Inventory:
        """The landscape as raw records of one sanctioned ``generator`` source (ids kept)."""
        ref = SourceRef("generator", "landscape")
        tools = tuple(ToolRecord(t.name, ref, id=t.id, category=t.category, layers=t.layers,
                                 departments=t.departments, annual_cost=t.annual_cost, users=t.users,
                                 sanctioned=t.sanctioned) for t in self.graph.tools.values())
        integrations = tuple(IntegrationRecord(i.source, i.target, i.kind, ref, via=i.via, data=i.data,
                                               bidirectional=i.bidirectional) for i in self.graph.integrations)
        flows = tuple(FlowRecord(f.id, f.name, tuple(StepRecord(s.id, s.name, ref, s.department, s.tools, s.requires,
                                                                 customer_facing=s.customer_facing, next=s.next)
                                                      for s in f.steps), ref) for f in self.graph.flows)
        return Inventory(tools, integrations, flows, journeys=tuple(JourneyRecord(j, ref) for j in self.graph.journeys),
                         kpis=tuple(KpiRecord(k, ref) for k in self.graph.kpis))


class _Builder:
    """Mutable state while generating; :func:`generate` drives it."""

    def __init__(self, rng: random.Random, departments: int) -> None:
        self.rng = rng
        self.tools: dict[str, dict[str, Any]] = {}
        self.integrations: list[Integration] = []
        self.partners: dict[str, set[str]] = defaultdict(set)
        self.departments = [f"D{i}" for i in range(max(2, departments))]
        self.count = 0

    def tool(self, prefix: str, department: str | None = None, layers: tuple[str, ...] | None = None) -> str:
        self.count += 1
        tool_id = f"{prefix}{self.count:06d}"
        if layers is None:
            layers = tuple(layer for layer in LAYERS if self.rng.random() < 0.4)
        self.tools[tool_id] = {
            "id": tool_id, "name": f"Tool {tool_id}", "category": f"cat-{tool_id}", "layers": layers,
            "departments": (department,) if department else (), "sanctioned": True,
            "annual_cost": float(self.rng.randrange(0, 50_000, 500)), "users": self.rng.randint(1, 200),
        }
        return tool_id

    def link(self, source: str, target: str, kind: str | None = None, via: str | None = None,
             bidirectional: bool = False, data: tuple[str, ...] = ()) -> None:
        kind = kind or self.rng.choice(KINDS)
        self.integrations.append(Integration(source, target, kind, via, data, bidirectional, ("generator",)))
        if kind != "manual":
            members = {source, target} | ({via} if via else set())
            for member in members:
                self.partners[member] |= members - {member}


def _connect(b: _Builder, src: list[str], dst: list[str], dst_step: list[str], hub: str | None,
             forward_only: bool) -> set[str]:
    """Plant one non-manual connection from cluster ``src`` to cluster ``dst``; return its tools."""
    rng = b.rng
    a, z = rng.choice(src), rng.choice(dst)
    if hub:
        b.link(a, z, "ipaas", via=hub)
        return {a, hub, z}
    mode = rng.choice(("shared", "direct", "via", "chain"))
    bidi = not forward_only and rng.random() < 0.3
    if mode == "shared":
        if a not in dst_step:
            dst_step.append(a)
        return {a}
    if mode == "direct":
        if bidi and rng.random() < 0.5:
            b.link(z, a, bidirectional=True)  # declared the other way round, counts both ways
        else:
            b.link(a, z, bidirectional=bidi)
        return {a, z}
    if mode == "via":
        middleware = b.tool("m", rng.choice(b.departments))
        b.link(a, z, via=middleware, bidirectional=bidi)
        return {a, middleware, z}
    middle = b.tool("x", rng.choice(b.departments))  # a middleware chain: a ~m1~> middle ~m2~> z
    first, second = b.tool("m", rng.choice(b.departments)), b.tool("m", rng.choice(b.departments))
    b.link(a, middle, via=first)
    b.link(middle, z, via=second)
    return {a, first, middle, second, z}


def _plant(b: _Builder, src: list[str], dst: list[str]) -> tuple[str, set[str]]:
    """One forward-only hand-off between two clusters: connected (a direct or middleware link; its
    tools returned), manual (a manual link, maybe after a non-manual hop) or missing (nothing)."""
    rng = b.rng
    a, z = rng.choice(src), rng.choice(dst)
    roll = rng.random()
    if roll < 0.5:
        if rng.random() < 0.5:
            b.link(a, z)
            return "connected", {a, z}
        middleware = b.tool("m", rng.choice(b.departments))
        b.link(a, z, via=middleware)
        return "connected", {a, middleware, z}
    if roll < 0.75:
        if rng.random() < 0.5:
            b.link(a, z, "manual")
        else:
            middle = b.tool("x", rng.choice(b.departments))
            b.link(a, middle)
            b.link(middle, z, "manual")
        return "manual", set()
    return "missing", set()


def _branch(b: _Builder, flow_id: str, clusters: list[list[str]], step_tools: list[list[str]], flow_steps: list[Step],
            state: dict[HandoffKey, str], critical: dict[str, list[HandoffKey]], in_flows: set[str]) -> None:
    """Branches: 1-2 dead-end steps, each on a fresh cluster, handed off to from a chain step u (besides
    u+1), some looping back to a chain step v <= u. Only the planted link enters a branch cluster and
    only the loop's link leaves it, so the chain's truth is unchanged and each new hand-off's state is
    the planted one (a path through a loop into v's cluster must already have passed u >= v)."""
    rng = b.rng
    last = len(clusters) - 1  # branch steps come after the chain: its last step must not hand off to them
    flow_steps[last] = replace(flow_steps[last], next=())
    for n in range(rng.randint(1, 2)):
        u = rng.randrange(len(clusters))
        if not clusters[u]:
            continue
        department = rng.choice(b.departments)
        cluster = [b.tool("s", department) for _ in range(rng.randint(1, 3))]
        in_flows.update(cluster)
        branch_id = f"b{n}"
        loop = rng.randrange(u + 1) if rng.random() < 0.5 else None
        if loop is not None and not clusters[loop]:
            loop = None
        plans = [(u, f"s{u}", branch_id, clusters[u], cluster, step_tools[u], cluster)]
        if loop is not None:
            plans.append((loop, branch_id, f"s{loop}", cluster, clusters[loop], cluster, step_tools[loop]))
        for _, source, target, src, dst, src_tools, dst_tools in plans:
            key = (flow_id, source, target)
            state[key], elements = _plant(b, src, dst)
            for tool in elements:
                if set(src_tools) - {tool} and set(dst_tools) - {tool}:
                    critical[tool].append(key)
        chain = flow_steps[u]
        following = (f"s{u + 1}",) if u + 1 < len(clusters) else ()
        flow_steps[u] = replace(chain, next=(*(chain.next if chain.next is not None else following), branch_id))
        flow_steps.append(Step(branch_id, f"Branch {n} of {flow_id}", department, tuple(cluster),
                               next=(f"s{loop}",) if loop is not None else ()))


def generate(seed: int, tools: int = 200, flows: int = 6, steps: int = 8, integrations_per_tool: float = 2.0,
             entangled: bool = False, fixed_steps: bool = False, branches: bool = False,
             journeys: bool = False) -> Landscape:
    """Generate a landscape of about ``tools`` tools with planted problems (see the module docstring)."""
    rng = random.Random(seed)
    b = _Builder(rng, departments=max(3, tools // 150))
    hubs = [b.tool("h", rng.choice(b.departments)) for _ in range(max(1, flows // 4))]
    truth: dict[str, set[Any]] = defaultdict(set)
    flow_list: list[Flow] = []
    state: dict[HandoffKey, str] = {}
    critical: dict[str, list[HandoffKey]] = defaultdict(list)
    in_flows: set[str] = set()
    for f in range(flows):
        flow_id = f"f{f}"
        hub_flow = rng.random() < 0.4
        n_steps = steps if fixed_steps else rng.choice([0, 1] + [rng.randint(2, steps)] * 8)
        clusters: list[list[str]] = []
        departments: list[str] = []
        for _ in range(n_steps):
            department = rng.choice(b.departments)
            departments.append(department)
            size = 0 if rng.random() < 0.08 else rng.randint(1, 3)
            cluster = [b.tool("s", department) for _ in range(size)]
            clusters.append(cluster)
            in_flows.update(cluster)
            if len(cluster) > 1 and rng.random() < 0.4:  # a cycle inside the cluster
                b.link(cluster[0], cluster[1])
                b.link(cluster[1], cluster[0], rng.choice(KINDS + ("manual",)))
            if cluster and rng.random() < 0.15:  # a self-integration
                b.link(cluster[0], cluster[0])
        step_tools = [list(c) for c in clusters]
        used_hubs: set[str] = set()
        for u in range(n_steps - 1):
            key = (flow_id, f"s{u}", f"s{u + 1}")
            src, dst = clusters[u], clusters[u + 1]
            if not src or not dst:
                continue
            roll = rng.random()
            if roll < 0.55:
                free = [h for h in hubs if h not in used_hubs]
                if hub_flow and free and rng.random() < 0.6:  # a hub connection is the hand-off's only one
                    hub = rng.choice(free)
                    used_hubs.add(hub)
                    elements = [_connect(b, src, dst, step_tools[u + 1], hub, True)]
                else:
                    elements = [_connect(b, src, dst, step_tools[u + 1], None, hub_flow)
                                for _ in range(1 if rng.random() < 0.7 else 2)]
                state[key] = "connected"
                for tool in set.intersection(*elements):
                    if set(step_tools[u]) - {tool} and set(step_tools[u + 1]) - {tool}:
                        critical[tool].append(key)
            elif roll < 0.75:
                a, z = rng.choice(src), rng.choice(dst)
                if rng.random() < 0.5:
                    b.link(a, z, "manual", bidirectional=not hub_flow and rng.random() < 0.3)
                else:
                    middle = b.tool("x", rng.choice(b.departments))
                    b.link(a, middle)
                    b.link(middle, z, "manual")
                state[key] = "manual"
            else:
                if not hub_flow and rng.random() < 0.3:
                    b.link(rng.choice(dst), rng.choice(src))  # reverse decoy
                if not hub_flow and rng.random() < 0.2:
                    b.link(rng.choice(dst), rng.choice(src), "manual")
                state[key] = "missing"
        flow_steps = []
        for u in range(n_steps):
            provided = {layer for t in step_tools[u] for layer in b.tools[t]["layers"]}
            requires = [layer for layer in LAYERS if layer in provided and rng.random() < 0.6]
            absent = [layer for layer in LAYERS if layer not in provided]
            if absent and rng.random() < 0.2:
                requires.append(rng.choice(absent))
            requires = [layer for layer in LAYERS if layer in requires]
            if not step_tools[u] or not set(requires) <= provided:
                truth["coverage_gap"].add((flow_id, f"s{u}"))
            flow_steps.append(Step(f"s{u}", f"Step {u} of {flow_id}", departments[u], tuple(step_tools[u]),
                                   tuple(requires), (), rng.random() < 0.3))
        if branches and n_steps >= 2:
            _branch(b, flow_id, clusters, step_tools, flow_steps, state, critical, in_flows)
        flow_list.append(Flow(flow_id, f"Flow {f}", tuple(flow_steps), ("generator",)))
    for key, value in state.items():
        if value == "missing":
            truth["missing_integration"].add(key)
        elif value == "manual":
            truth["manual_handoff"].add(key)
    for tool, keys in critical.items():
        if len(keys) >= 2:
            truth["bottleneck"].add((tool, frozenset(keys)))

    journey_list: list[Journey] = []
    kpis: list[Kpi] = []
    if journeys:  # planted journeys and KPIs (benchmarks/journey_planting.py)
        journey_flows, journey_list, kpis = plant_journeys(b, truth, in_flows)
        flow_list.extend(journey_flows)

    # background tools (in no flow), silo departments, planted silos
    background = [b.tool("b", rng.choice(b.departments + [None])) for _ in range(max(0, tools - len(b.tools)))]
    silo_tools: list[str] = []
    for d in range(1 + rng.randint(0, 1)):
        name = f"S{d}"
        members = [b.tool("q", name, ("automation",)) for _ in range(rng.randint(1, 3))]
        for x, y in zip(members, members[1:] + members[:1], strict=False):
            if x != y:
                b.link(x, y)
        if background and rng.random() < 0.5:
            b.link(members[0], rng.choice(background), "manual")
        truth["silo"].add(("department", name))
        silo_tools.extend(members)
    planted_tool_silos = [b.tool("p", rng.choice(b.departments)) for _ in range(rng.randint(1, 3))]
    for tool in planted_tool_silos:
        if rng.random() < 0.5:
            b.link(tool, tool)  # a self-integration is no integration
        if background and rng.random() < 0.5:
            b.link(tool, rng.choice(background), "manual")
    for i, department in enumerate(b.departments):  # every normal department shares a bridge tool
        bridge = b.tool("d", department)
        b.tools[bridge]["departments"] = (department, b.departments[(i + 1) % len(b.departments)])
    layer_silos = [b.tool("l", rng.choice(b.departments), ("ai_analytics",)) for _ in range(rng.randint(1, 2))]
    data_hub = b.tool("w", b.departments[0], ("data",))
    identity = b.tool("i", b.departments[0], ())
    for silo in layer_silos:
        b.link(silo, data_hub)  # outgoing only: not a tool silo, still cut off from the data layer
        b.link(data_hub, silo, "manual")
    protected = set(silo_tools) | set(planted_tool_silos) | set(layer_silos)
    for tool in sorted(b.tools):
        if tool in protected or tool in (data_hub, identity):
            continue
        if "ai_analytics" in b.tools[tool]["layers"] and "data" not in b.tools[tool]["layers"]:
            b.link(data_hub, tool, "etl")
        if rng.random() < 0.7:
            b.link(identity, tool, "sso")
    noise_pool = sorted(set(b.tools) - protected - {data_hub, identity}) if entangled else background
    planted = len(b.integrations)
    for _ in range(max(0, int(tools * integrations_per_tool) - planted) if len(noise_pool) > 2 else 0):
        x, y = rng.sample(noise_pool, 2)
        roll = rng.random()
        if roll < 0.1:
            b.link(x, y, "manual")
        elif roll < 0.2:
            b.link(x, y, via=rng.choice(noise_pool), bidirectional=rng.random() < 0.3)
        else:
            b.link(x, y, bidirectional=rng.random() < 0.2)

    # duplicates, shadow IT
    candidates = sorted(set(b.tools) - {data_hub, identity})
    rng.shuffle(candidates)
    variants = ("Dup Cat {}", "dup_cat_{}", "DUP-CAT-{}", " dup cat {} ")
    for g in range(rng.randint(1, 3)):
        members = [candidates.pop() for _ in range(rng.randint(2, 4))]
        for m in members:
            b.tools[m]["category"] = rng.choice(variants).format(g)
        truth["duplicate"].add(("category", f"dup-cat-{g}"))
    for m in [candidates.pop() for _ in range(2)]:
        b.tools[m]["category"] = ALLOWED_CATEGORY
    for p in range(rng.randint(1, 2)):
        for m in [candidates.pop() for _ in range(rng.randint(2, 3))]:
            b.tools[m]["catalog_id"] = f"prod-{p}"
        truth["duplicate"].add(("product", f"prod-{p}"))
    for m in [candidates.pop() for _ in range(2)]:
        b.tools[m]["category"] = "unclassified"
    for m in candidates[: max(1, len(candidates) // 20)]:
        b.tools[m]["sanctioned"] = False
        truth["shadow_it"].add((m,))

    # silos from the bookkeeping
    used = {t for t, data in b.tools.items() if data["departments"]} | in_flows
    # one silo finding per tool, with each reason it is cut off
    reasons: dict[str, set[str]] = defaultdict(set)
    for t in used:
        if not b.partners.get(t):
            reasons[t].add("no_integration")
    for t in layer_silos:
        reasons[t].add("no_data_feed")
    for t in planted_tool_silos:
        if "ai_analytics" in b.tools[t]["layers"] and "data" not in b.tools[t]["layers"]:
            reasons[t].add("no_data_feed")
    truth["silo"] |= {("tool", t, frozenset(r)) for t, r in reasons.items()}
    graph = LandscapeGraph.build((Tool(**data, sources=("generator",)) for data in b.tools.values()),
                                 b.integrations, flow_list, f"generated-{seed}", journey_list, kpis)
    settings = AnalysisSettings(allowed_duplicate_categories=frozenset({"unclassified", ALLOWED_CATEGORY}))
    return Landscape(graph, None if entangled else dict(truth), settings, state)

