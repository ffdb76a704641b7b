"""Generated landscapes for the report tests: a ScanResult of any size, with findings of every type.

The findings are planted directly (the renderers only display findings; the analyses have their own
tests), referencing real flows, steps, tools and departments of the generated landscape.
"""

from __future__ import annotations

import random
from collections import defaultdict

from auditor.graph import LandscapeGraph
from auditor.model import LAYERS, Finding, Flow, Integration, Scan, SourceStatus, Step, Tool
from auditor.result import ScanResult

HOSTILE_NAMES = (
    "<script>alert('xss')</script>",
    'a"b<c>{d}|e',
    "line one\nline two",
    "</script><img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% raw %}",
    "back\\slash \\N \\G \\l",
    "=HYPERLINK(\"http://example.invalid\",\"click\")",
    "O'Reilly & Sons ]]> -->",
    "日本語ツール「営業」",
)
KINDS = ("api", "etl", "event", "file", "ipaas", "sso", "manual")
DEPARTMENTS = ("Marketing", "Sales", "Finance", "Operations", "Customer Support", "IT", "HR", "Legal", "Data",
               "E-commerce", "Procurement", "R&D")


def make_result(tools: int = 60, integrations_per_tool: float = 3.0, flows: int | None = None, seed: int = 7,
                hostile: bool = False, scores: dict | None = None) -> ScanResult:
    """A landscape of ``tools`` tools, about ``integrations_per_tool`` × as many integrations, and findings."""
    rng = random.Random(seed)
    categories = [f"category-{i:02d}" for i in range(max(4, min(60, tools // 8)))]
    layers_of = {c: (LAYERS[i % 3],) if i % 5 else (LAYERS[i % 3], LAYERS[(i + 1) % 3])
                 for i, c in enumerate(categories)}
    departments = list(DEPARTMENTS) if not hostile else [*DEPARTMENTS[:-1], "<b>R&D</b>\n\"lab\""]
    made: list[Tool] = []
    for i in range(tools):
        name = HOSTILE_NAMES[i % len(HOSTILE_NAMES)] + (f" {i}" if i >= len(HOSTILE_NAMES) else "") \
            if hostile else f"Tool {i:05d}"
        category = categories[i % len(categories)]
        made.append(Tool(
            id=f"t{i:05d}", name=name, vendor=f"Vendor {i % 97}", category=category, layers=layers_of[category],
            departments=tuple(sorted({departments[i % len(departments)], departments[(i * 7) % len(departments)]})),
            annual_cost=float(rng.randrange(0, 90_000, 600)) if i % 4 else None, users=rng.randrange(1, 400),
            sanctioned=i % 23 != 5, sources=("it-inventory",) + (("okta",) if i % 3 == 0 else ()),
            aliases=(name,)))
    ids = [t.id for t in made]
    links: dict[str, Integration] = {}
    for _ in range(int(tools * integrations_per_tool)):
        a, b = rng.sample(ids, 2)
        integration = Integration(a, b, rng.choice(KINDS), via=rng.choice(ids) if rng.random() < 0.1 else None,
                                  bidirectional=rng.random() < 0.1, sources=("it-inventory",))
        links[integration.key] = integration
    flow_count = flows if flows is not None else max(3, min(200, tools // 50))
    made_flows = []
    for f in range(flow_count):
        steps = []
        for s in range(rng.randrange(5, 11)):
            step_tools = () if rng.random() < 0.06 else tuple(rng.sample(ids, rng.randrange(1, 4)))
            steps.append(Step(id=f"s{s}", name=(HOSTILE_NAMES[s % len(HOSTILE_NAMES)] if hostile and s < 3
                                                else f"Step {s + 1} of flow {f}"),
                              department=departments[(f + s) % len(departments)], tools=step_tools,
                              requires=(LAYERS[s % 3],), customer_facing=s == 0))
        name = HOSTILE_NAMES[f % len(HOSTILE_NAMES)] if hostile else f"Flow {f:03d}"
        made_flows.append(Flow(id=f"flow-{f:03d}", name=name, steps=tuple(steps), sources=("it-inventory",)))
    graph = LandscapeGraph.build(made, links.values(), made_flows, "Generated Corp")
    scan = Scan(id=f"gen-{seed}-{tools}", organization="Generated Corp" if not hostile else "<i>Evil</i> & Co",
                started_at="2026-01-01T00:00:00+00:00", finished_at="2026-01-01T00:01:00+00:00",
                sources=(SourceStatus("it-inventory", "landscape", "ok", tools=tools, integrations=len(links)),),
                tool_version="test")
    return ScanResult(scan, graph, plant_findings(graph, rng), scores=scores or {})


def plant_findings(graph: LandscapeGraph, rng: random.Random) -> list[Finding]:
    """Findings of every type over ``graph`` (deterministic for a given ``rng``)."""
    found: list[Finding] = []
    tools = graph.tools
    for flow in graph.flows:
        for a, b in flow.handoffs():
            if not (a.tools and b.tools):
                continue
            roll = rng.random()
            if roll < 0.3:
                kind = "missing_integration" if roll < 0.2 else "manual_handoff"
                found.append(Finding(
                    id=f"{kind}-{flow.id}-{a.id}-{b.id}", type=kind, severity="high" if a.customer_facing else "medium",
                    title=f"No integration from '{a.name}' to '{b.name}' in '{flow.name}'", tools=(*a.tools, *b.tools),
                    flow=flow.id, steps=(a.id, b.id),
                    departments=tuple(sorted({a.department or "", b.department or ""})),
                    evidence={"from_step": a.id, "to_step": b.id, "from_tools": list(a.tools),
                              "to_tools": list(b.tools)},
                    recommendation=f"Connect {a.name} to {b.name}."))
        for step in flow.steps:
            if not step.tools:
                found.append(Finding(
                    id=f"coverage_gap-{flow.id}-{step.id}", type="coverage_gap", severity="high",
                    title=f"Step '{step.name}' of '{flow.name}' has no tool", flow=flow.id, steps=(step.id,),
                    departments=(step.department,) if step.department else (),
                    evidence={"step": step.id, "missing_layers": list(step.requires), "no_tools": True},
                    recommendation=f"Decide which tool supports '{step.name}'."))
    by_category: dict[str, list[Tool]] = defaultdict(list)
    for tool in tools.values():
        by_category[tool.category].append(tool)
    for category, members in sorted(by_category.items()):
        group = members[:4]
        total = sum(t.annual_cost or 0 for t in group)
        found.append(Finding(
            id=f"duplicate-{category}", type="duplicate", severity="high" if total > 50_000 else "low",
            title=f"{len(group)} tools for the same category '{category}'", tools=tuple(t.id for t in group),
            departments=tuple(sorted({d for t in group for d in t.departments})),
            evidence={"basis": "category", "category": category, "total_annual_cost": total, "keep": group[0].id},
            recommendation=f"Consolidate on {group[0].name}."))
    for index, tool in enumerate(tools.values()):
        if not tool.sanctioned:
            found.append(Finding(id=f"shadow_it-{tool.id}", type="shadow_it", severity="medium",
                                 title=f"{tool.name} is not sanctioned by IT", tools=(tool.id,),
                                 departments=tool.departments, evidence={"tool": tool.id},
                                 recommendation=f"Approve or retire {tool.name}."))
        if index % 17 == 3:
            found.append(Finding(id=f"silo-{tool.id}", type="silo", severity="medium",
                                 title=f"{tool.name} is not integrated with any other tool", tools=(tool.id,),
                                 departments=tool.departments, evidence={"scope": "tool", "tool": tool.id},
                                 recommendation=f"Integrate {tool.name}."))
        if index % 211 == 10:
            found.append(Finding(id=f"bottleneck-{tool.id}", type="bottleneck", severity="low",
                                 title=f"{tool.name} alone carries 2 hand-offs", tools=(tool.id,),
                                 evidence={"tool": tool.id, "handoffs": [{}, {}]},
                                 recommendation=f"Add redundancy around {tool.name}."))
    department = graph.departments[-1].name if graph.departments else "HR"
    found.append(Finding(id="silo-department", type="silo", severity="high",
                         title=f"Department {department} is a digital silo", departments=(department,),
                         evidence={"scope": "department"}, recommendation="Connect the department."))
    return found
