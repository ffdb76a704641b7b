"""Graphviz diagrams of a scan: flow swimlanes, departments, the integration landscape.

Every text that reaches DOT goes through :func:`text` into an HTML-like label, so tool names with
quotes, angle brackets, braces, pipes, backslashes or newlines render literally; node ids are
generated (``t12``), never taken from the data.
"""

from __future__ import annotations

import html
import math
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import graphviz

from auditor.model import LAYERS, Flow, Tool
from auditor.result import ScanResult
from reports.base import RenderError
from reports.facts import handoffs, silo_departments, silo_tools, step_tools
from reports.i18n import Catalogue

FONT = "Noto Sans CJK JP"
TOOL_LIMIT = 300
"""Above this many tools, ``integrations.svg`` shows categories instead of tools."""
DEPARTMENT_TOOL_LIMIT = 120
"""Above this many tools, ``departments.svg`` shows one node per department."""
CATEGORY_LIMIT = 150
"""At most this many categories in the collapsed landscape (the most connected ones)."""
LAYER_COLOURS = {"data": "#dbe9f6", "ai_analytics": "#ebe1f5", "automation": "#dcf0e0", "none": "#eeeeee"}
HANDOFF_STYLES = {
    "connected": {"color": "#2e7d32", "style": "solid", "penwidth": "1.6"},
    "manual": {"color": "#ef6c00", "style": "bold", "penwidth": "2.4"},
    "missing": {"color": "#c62828", "style": "dashed", "penwidth": "2.4"},
    "no_tools": {"color": "#9e9e9e", "style": "dotted", "penwidth": "1.4"},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class DiagramError(RenderError):
    """A diagram could not be drawn (e.g. Graphviz ``dot`` is not installed)."""


def dot_available() -> bool:
    """Whether the Graphviz ``dot`` program is on PATH."""
    return shutil.which("dot") is not None


def text(value: object, limit: int = 60) -> str:
    """``value`` as HTML-like-label content: escaped, control characters dropped, newlines as breaks."""
    raw = _CONTROL.sub("", str(value))
    if len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    return "<br/>".join(html.escape(line, quote=True) for line in raw.split("\n"))


def label(*lines: str) -> str:
    """An HTML-like label from already escaped lines."""
    return "<" + "<br/>".join(lines) + ">"


def safe_name(value: str) -> str:
    """A file-name-safe form of an id (``flow-<id>.svg``)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-.") or "flow"


def flow_file_names(flows: Iterable[Flow]) -> list[str]:
    """``flow-<id>.svg`` for each flow, made unique when two ids share a file-safe form."""
    seen: Counter[str] = Counter()
    found = []
    for flow in flows:
        base = safe_name(flow.id)
        seen[base] += 1
        found.append(f"flow-{base}.svg" if seen[base] == 1 else f"flow-{base}-{seen[base]}.svg")
    return found


def _digraph(title: str, **attrs: str) -> graphviz.Digraph:
    graph = graphviz.Digraph(graph_attr={"fontname": FONT, "label": label(f"<b>{text(title, 200)}</b>"),
                                         "labelloc": "t", "fontsize": "16", **attrs},
                             node_attr={"fontname": FONT, "fontsize": "11", "shape": "box",
                                        "style": "rounded,filled", "fillcolor": "#ffffff", "color": "#607d8b"},
                             edge_attr={"fontname": FONT, "fontsize": "9", "color": "#78909c"})
    return graph


def _primary_layer(tool: Tool | None) -> str:
    return next((la for la in LAYERS if tool and la in tool.layers), "none")


def flow_diagram(result: ScanResult, flow: Flow, cat: Catalogue) -> graphviz.Digraph:
    """Swimlanes (one per department) with the flow's steps; hand-offs coloured by status."""
    graph = _digraph(cat("Flow: {name}", name=flow.name), rankdir="LR", nodesep="0.3", ranksep="0.5", newrank="true")
    lanes: dict[str, list[int]] = defaultdict(list)
    for index, step in enumerate(flow.steps):
        lanes[step.department or ""].append(index)
    for lane_index, (department, indexes) in enumerate(lanes.items()):
        with graph.subgraph(name=f"cluster_lane{lane_index}") as lane:
            lane_title = department or cat("No department")
            lane.attr(label=label(f"<b>{text(lane_title)}</b>"), style="filled",
                      fillcolor="#f5f7fa" if lane_index % 2 == 0 else "#eef2f6", color="#cfd8dc",
                      labeljust="l")
            for index in indexes:
                step = flow.steps[index]
                tools = step_tools(step)
                lines = [f"<b>{index + 1}. {text(step.name)}</b>"]
                lines += [text(result.graph.tools[t].name if t in result.graph.tools else t, 40) for t in tools]
                if not tools:
                    lines.append("<i>" + text(cat("no tool")) + "</i>")
                lane.node(f"s{index}", label(*lines),
                          color="#c62828" if not tools else "#607d8b", penwidth="2" if not tools else "1")
    step_index = {s.id: i for i, s in enumerate(flow.steps)}
    for handoff in handoffs(result, flow):
        style = HANDOFF_STYLES[handoff.status]
        graph.edge(f"s{step_index[handoff.source.id]}", f"s{step_index[handoff.target.id]}",
                   label=label(text(cat.pgettext("handoff", handoff.status))), fontcolor=style["color"], **style)
    return graph


def _department_of(tool: Tool) -> list[str]:
    return list(dict.fromkeys([*tool.departments, *([tool.owner] if tool.owner else [])]))


def departments_diagram(result: ScanResult, cat: Catalogue) -> graphviz.Digraph:
    """Clusters per department with their tools and integrations; silos in red.

    Tools used by several departments sit in a shared cluster; above :data:`DEPARTMENT_TOOL_LIMIT`
    tools the diagram shows one node per department with integration counts between them.
    """
    silos = silo_departments(result)
    tools = result.graph.tools
    homes = {t.id: _department_of(t) for t in tools.values() if _department_of(t)}
    if len(homes) > DEPARTMENT_TOOL_LIMIT:
        return _departments_collapsed(result, cat, homes, silos)
    graph = _digraph(cat("Departments and their integrations"), rankdir="LR", compound="true", nodesep="0.25")
    ids = {tool_id: f"t{i}" for i, tool_id in enumerate(homes)}
    clusters: dict[str, list[str]] = defaultdict(list)
    for tool_id, departments in homes.items():
        clusters[departments[0] if len(departments) == 1 else ""].append(tool_id)
    for index, (department, members) in enumerate(sorted(clusters.items())):
        silo = department in silos
        title = department or cat("Shared by several departments")
        with graph.subgraph(name=f"cluster_d{index}") as sub:
            suffix = " — " + text(cat("silo")) if silo else ""
            sub.attr(label=label(f"<b>{text(title)}{suffix}</b>"), style="filled,rounded",
                     fillcolor="#fdecea" if silo else "#f5f7fa", color="#c62828" if silo else "#b0bec5",
                     penwidth="2.5" if silo else "1")
            for tool_id in members:
                sub.node(ids[tool_id], label(text(tools[tool_id].name, 40)),
                         fillcolor=LAYER_COLOURS[_primary_layer(tools[tool_id])])
    for integration in result.graph.integrations:
        if integration.source in ids and integration.target in ids:
            manual = integration.kind == "manual"
            graph.edge(ids[integration.source], ids[integration.target],
                       color="#ef6c00" if manual else "#78909c", style="dashed" if manual else "solid",
                       dir="both" if integration.bidirectional else "forward")
    return graph


def _departments_collapsed(result: ScanResult, cat: Catalogue, homes: dict[str, list[str]],
                           silos: dict[str, str]) -> graphviz.Digraph:
    graph = _digraph(cat("Departments and their integrations"), rankdir="LR")
    counts = Counter(d for departments in homes.values() for d in departments)
    ids = {name: f"d{i}" for i, name in enumerate(sorted(counts))}
    for name, node in ids.items():
        silo = name in silos
        lines = [f"<b>{text(name)}</b>", text(cat("{count} tools", count=counts[name]))]
        if silo:
            lines.append("<b>" + text(cat("silo")) + "</b>")
        graph.node(node, label(*lines), fillcolor="#fdecea" if silo else "#f5f7fa",
                   color="#c62828" if silo else "#607d8b", penwidth="2.5" if silo else "1")
    links: Counter[tuple[str, str]] = Counter()
    for integration in result.graph.integrations:
        for a in homes.get(integration.source, ()):
            for b in homes.get(integration.target, ()):
                if a != b:
                    links[(a, b)] += 1
    _aggregate_edges(graph, ids, links)
    graph.attr(label=label(f"<b>{text(cat('Departments and their integrations'), 200)}</b>",
                           text(cat("{tools} tools: one node per department (more than {limit} tools)",
                                    tools=f"{len(homes):,}", limit=DEPARTMENT_TOOL_LIMIT), 200)))
    return graph


def _aggregate_edges(graph: graphviz.Digraph, ids: dict[str, str], links: Counter[tuple[str, str]]) -> None:
    for (a, b), count in sorted(links.items()):
        if a in ids and b in ids:
            graph.edge(ids[a], ids[b], label=text(f"{count:,}"), penwidth=f"{1 + math.log10(count):.2f}")


def integrations_diagram(result: ScanResult, cat: Catalogue) -> graphviz.Digraph:
    """The whole landscape; above :data:`TOOL_LIMIT` tools, collapsed to categories (and it says so)."""
    tools = result.graph.tools
    if len(tools) > TOOL_LIMIT:
        return _integrations_collapsed(result, cat)
    graph = _digraph(cat("Integration landscape"), rankdir="LR", nodesep="0.2", ranksep="0.6",
                     overlap="false")
    ids = {tool_id: f"t{i}" for i, tool_id in enumerate(tools)}
    shadow = silo_tools(result)
    for tool_id, tool in tools.items():
        graph.node(ids[tool_id], label(text(tool.name, 40)), fillcolor=LAYER_COLOURS[_primary_layer(tool)],
                   style="rounded,filled" + ("" if tool.sanctioned else ",dashed"),
                   color="#c62828" if tool_id in shadow or not tool.sanctioned else "#607d8b")
    for integration in result.graph.integrations:
        if integration.source not in ids or integration.target not in ids:
            continue
        manual = integration.kind == "manual"
        via = tools[integration.via].name if integration.via and integration.via in tools else integration.via
        graph.edge(ids[integration.source], ids[integration.target],
                   label=label(text(f"{integration.kind}" + (f" via {via}" if via else ""), 40)),
                   color="#ef6c00" if manual else "#78909c", style="dashed" if manual else "solid",
                   dir="both" if integration.bidirectional else "forward")
    return graph


def _integrations_collapsed(result: ScanResult, cat: Catalogue) -> graphviz.Digraph:
    tools = result.graph.tools
    category = {t.id: t.category for t in tools.values()}
    links: Counter[tuple[str, str]] = Counter()
    degree: Counter[str] = Counter()
    for integration in result.graph.integrations:
        a, b = category.get(integration.source), category.get(integration.target)
        if a and b:
            degree[a] += 1
            degree[b] += 1
            if a != b:
                links[(a, b)] += 1
    sizes = Counter(category.values())
    shown = sorted(sorted(sizes, key=lambda c: (-degree[c], c))[:CATEGORY_LIMIT])
    graph = _digraph(cat("Integration landscape"), layout="sfdp" if len(shown) > 60 else "dot",
                     rankdir="LR", overlap="prism", splines="true")
    ids = {name: f"c{i}" for i, name in enumerate(shown)}
    for name, node in ids.items():
        graph.node(node, label(f"<b>{text(name)}</b>", text(cat("{count} tools", count=f"{sizes[name]:,}"))))
    _aggregate_edges(graph, ids, links)
    note = cat("{tools} tools: shown as {shown} categories (more than {limit} tools)",
               tools=f"{len(tools):,}", shown=len(shown), limit=TOOL_LIMIT)
    if len(shown) < len(sizes):
        note += " " + cat("({hidden} less connected categories left out)", hidden=len(sizes) - len(shown))
    graph.attr(label=label(f"<b>{text(cat('Integration landscape'), 200)}</b>", text(note, 300)))
    return graph


@dataclass(frozen=True)
class Diagram:
    """One drawn diagram: its file name and SVG text."""

    name: str
    svg: str


def _draw(name: str, graph: graphviz.Digraph) -> Diagram:
    try:
        return Diagram(name, graph.pipe(format="svg", encoding="utf-8"))
    except graphviz.ExecutableNotFound as exc:
        raise DiagramError("Graphviz 'dot' is not installed (Debian package graphviz; run `make system`)") from exc
    except graphviz.CalledProcessError as exc:
        raise DiagramError(f"Graphviz failed drawing {name}: {exc.stderr!r}") from exc


def draw_all(result: ScanResult, cat: Catalogue) -> list[Diagram]:
    """Every diagram of the scan, drawn by ``dot`` (in parallel), in a stable order."""
    if not dot_available():
        raise DiagramError("Graphviz 'dot' is not installed (Debian package graphviz; run `make system`)")
    jobs: list[tuple[str, graphviz.Digraph]] = []
    for flow_name, flow in zip(flow_file_names(result.graph.flows), result.graph.flows, strict=True):
        jobs.append((flow_name, flow_diagram(result, flow, cat)))
    jobs.append(("departments.svg", departments_diagram(result, cat)))
    jobs.append(("integrations.svg", integrations_diagram(result, cat)))
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda job: _draw(*job), jobs))


def inline(svg: str) -> str:
    """SVG text ready to embed in HTML (XML declaration and DOCTYPE removed)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
