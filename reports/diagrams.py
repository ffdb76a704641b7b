"""Graphviz diagrams of a scan: flow swimlanes, departments, the integration landscape.

Every text that reaches DOT goes through :func:`text` into an HTML-like label, so tool names with
quotes, angle brackets, braces, pipes, backslashes or newlines render literally; node ids are
generated (``t12``), never taken from the data.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

import graphviz

from auditor.model import LAYERS, Flow, Tool
from auditor.result import ScanResult
from reports.department_matrix import home_departments
from reports.dot_runner import Diagram, Job, draw_many
from reports.facts import Handoff, every_flow_handoffs, handoffs, silo_departments, silo_tools
from reports.i18n import Catalogue

FONT = "Noto Sans CJK JP"
TOOL_LIMIT = 300
"""Above this many tools, ``integrations.svg`` shows one node per department and layer instead of tools."""
DEPARTMENT_TOOL_LIMIT = 120
"""Above this many tools, ``departments.svg`` shows one node per department."""
GROUP_LIMIT = 24
"""At most this many departments in the collapsed landscape (the most connected ones)."""
SPREAD = {"layout": "fdp", "splines": "line", "overlap": "false", "sep": "+12", "K": "1.6", "maxiter": "600"}
"""Graph attributes of a landscape too dense for ``dot``: fdp keeps each department's nodes in its box."""
LINK_LIMIT = 150
"""At most this many aggregated links (the strongest) in a collapsed diagram."""
LABEL_LIMIT = 200
"""Up to this many edges, the landscape's edges are labelled with their kind; above, they are not."""
ISOLATED_ROW = 6
"""Tools without integrations are drawn in rows of this many, in their own box."""
LAYER_COLOURS = {"data": "#dbe9f6", "ai_analytics": "#ebe1f5", "automation": "#dcf0e0", "none": "#eeeeee"}
HANDOFF_STYLES = {
    "connected": {"color": "#2e7d32", "style": "solid", "penwidth": "1.6"},
    "manual": {"color": "#ef6c00", "style": "bold", "penwidth": "2.4"},
    "missing": {"color": "#c62828", "style": "dashed", "penwidth": "2.4"},
    "no_tools": {"color": "#9e9e9e", "style": "dotted", "penwidth": "1.4"},
}
ZERO_WIDTH_SPACE = "\u200b"
"""Put after each backslash so Graphviz does not expand ``\\N``, ``\\G``… (it does so even in HTML labels)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def text(value: object, limit: int = 60) -> str:
    """``value`` as HTML-like-label content: escaped, control characters dropped, newlines as breaks.

    Backslashes get a zero-width space after them, so Graphviz's escapes (``\\N`` = node name) stay text.
    """
    raw = _CONTROL.sub("", str(value))
    if len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    lines = (html.escape(line, quote=True).replace("\\", "\\" + ZERO_WIDTH_SPACE) for line in raw.split("\n"))
    return "<br/>".join(lines)


def edge_text(cat: Catalogue, kind: str, via: str | None) -> str:
    """An integration edge's caption in the report's language: its kind, and the tool it runs through."""
    name = cat.integration_kind(kind)
    return cat("{kind} via {tool}", kind=name, tool=via) if via else name


def label(*lines: str) -> str:
    """An HTML-like label from already escaped lines."""
    return "<" + "<br/>".join(lines) + ">"


def safe_name(value: str) -> str:
    """A file-name-safe form of an id (``flow-<id>.svg``)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-.") or "flow"


def flow_file_names(flows: Iterable[Flow], suffix: str = ".svg") -> list[str]:
    """``flow-<id>.svg`` (or another ``suffix``) for each flow, made unique when two ids share a file-safe form."""
    seen: Counter[str] = Counter()
    found = []
    for flow in flows:
        base = safe_name(flow.id)
        seen[base] += 1
        found.append(f"flow-{base}{suffix}" if seen[base] == 1 else f"flow-{base}-{seen[base]}{suffix}")
    return found


def _digraph(title: str, **attrs: str) -> graphviz.Digraph:
    graph = graphviz.Digraph(graph_attr={"fontname": FONT, "label": label(f"<b>{text(title, 200)}</b>"),
                                         "labelloc": "t", "fontsize": "16", "nslimit": "4", "nslimit1": "4",
                                         "mclimit": "0.5", **attrs},
                             node_attr={"fontname": FONT, "fontsize": "11", "shape": "box",
                                        "style": "rounded,filled", "fillcolor": "#ffffff", "color": "#607d8b"},
                             edge_attr={"fontname": FONT, "fontsize": "9", "color": "#78909c"})
    return graph


def _primary_layer(tool: Tool | None) -> str:
    return next((la for la in LAYERS if tool and la in tool.layers), "none")


def flow_diagram(result: ScanResult, flow: Flow, cat: Catalogue,
                 found: list[Handoff] | None = None) -> graphviz.Digraph:
    """Swimlanes (one per department) with the flow's steps; hand-offs (``found``, else read from the
    findings) coloured by status."""
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
                tools = step.all_tools
                lines = [f"<b>{index + 1}. {text(step.name)}</b>"]
                lines += [text(result.graph.tools[t].name if t in result.graph.tools else t, 40) for t in tools]
                if not tools:
                    lines.append("<i>" + text(cat("no tool")) + "</i>")
                lane.node(f"s{index}", label(*lines),
                          color="#c62828" if not tools else "#607d8b", penwidth="2" if not tools else "1")
    step_index = {s.id: i for i, s in enumerate(flow.steps)}
    for handoff in handoffs(result, flow) if found is None else found:
        style = HANDOFF_STYLES[handoff.status]
        graph.edge(f"s{step_index[handoff.source.id]}", f"s{step_index[handoff.target.id]}",
                   label=label(text(cat.pgettext("handoff", handoff.status))), fontcolor=style["color"], **style)
    return graph


def departments_diagram(result: ScanResult, cat: Catalogue) -> graphviz.Digraph:
    """Clusters per department with their tools and integrations; silos in red.

    Tools used by several departments sit in a shared cluster; above :data:`DEPARTMENT_TOOL_LIMIT`
    tools (or twice as many integrations) the diagram shows one node per department with integration
    counts between them, and says so.
    """
    silos = silo_departments(result)
    tools = result.graph.tools
    homes = {t.id: home_departments(t) for t in tools.values() if home_departments(t)}
    internal = sum(1 for i in result.graph.integrations if i.source in homes and i.target in homes)
    if len(homes) > DEPARTMENT_TOOL_LIMIT or internal > 2 * DEPARTMENT_TOOL_LIMIT:
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
    hidden = _aggregate_edges(graph, ids, links)
    title = cat("Departments and their integrations")
    note = cat("{tools} tools: one node per department (more than {limit} tools or {links} integrations)",
               tools=f"{len(homes):,}", limit=DEPARTMENT_TOOL_LIMIT, links=2 * DEPARTMENT_TOOL_LIMIT)
    if hidden:
        note += " " + cat("({hidden} weaker links left out)", hidden=hidden)
    graph.attr(label=label(f"<b>{text(title, 200)}</b>", text(note, 300)))
    return graph


def _aggregate_edges(graph: graphviz.Digraph, ids: dict[str, str], links: Counter[tuple[str, str]]) -> int:
    """Draw the :data:`LINK_LIMIT` strongest links between shown nodes; return how many were left out."""
    shown = [(pair, count) for pair, count in links.items() if pair[0] in ids and pair[1] in ids]
    strongest = sorted(shown, key=lambda item: (-item[1], item[0]))[:LINK_LIMIT]
    for (a, b), count in sorted(strongest):
        graph.edge(ids[a], ids[b], label=text(f"{count:,}"), penwidth=f"{1 + math.log10(count):.2f}")
    return len(shown) - len(strongest)


def tool_count(cat: Catalogue, count: int) -> str:
    """"1 tool" / "{count} tools" (thousands separated), in the catalogue's language."""
    return cat("1 tool") if count == 1 else cat("{count} tools", count=f"{count:,}")


def _map_home(tool: Tool) -> str:
    """The department a tool is drawn in on the landscape map: its first department, else its owner."""
    homes = home_departments(tool)
    return homes[0] if homes else ""


def integrations_diagram(result: ScanResult, cat: Catalogue) -> graphviz.Digraph:
    """The whole landscape, tools grouped in a box per department (their first one);
    above :data:`TOOL_LIMIT` tools, one node per department and layer (and the caption says so).

    Nodes carry the SVG class ``tool`` (or ``group``), edges ``kind-<kind>``, for the page's legend and search.
    """
    tools = result.graph.tools
    if len(tools) > TOOL_LIMIT:
        return _integrations_collapsed(result, cat)
    edges = [i for i in result.graph.integrations if i.source in tools and i.target in tools]
    labelled = len(edges) <= LABEL_LIMIT
    # up to LABEL_LIMIT edges dot draws it left to right with labelled lines; above, dot would stack the
    # department boxes into one tall column, so fdp spreads them out (straight lines, no labels)
    layout = {"rankdir": "LR", "nodesep": "0.2", "ranksep": "0.6"} if labelled else {**SPREAD, "K": "0.5"}
    graph = _digraph(cat("Integration landscape"), **layout)
    ids = {tool_id: f"t{i}" for i, tool_id in enumerate(tools)}
    shadow = silo_tools(result)
    connected = {t for i in result.graph.integrations for t in (i.source, i.target, i.via) if t}

    def node(target: graphviz.Digraph, tool: Tool) -> None:
        target.node(ids[tool.id], label(text(tool.name, 40)), fillcolor=LAYER_COLOURS[_primary_layer(tool)],
                    style="rounded,filled" + ("" if tool.sanctioned else ",dashed"),
                    color="#c62828" if tool.id in shadow or not tool.sanctioned else "#607d8b",
                    **{"class": f"tool n-{ids[tool.id]}" + ("" if tool.sanctioned else " unsanctioned")})

    groups: dict[str, list[Tool]] = defaultdict(list)
    for tool in tools.values():
        if tool.id in connected:
            groups[_map_home(tool)].append(tool)
    for index, (department, members) in enumerate(sorted(groups.items())):
        with graph.subgraph(name=f"cluster_g{index}") as sub:
            sub.attr(label=label(f"<b>{text(department or cat('No department'))}</b>"), style="rounded,filled",
                     fillcolor="#f7f9fb", color="#b0bec5", labeljust="l")
            for tool in members:
                node(sub, tool)
    isolated = [t for t in tools.values() if t.id not in connected]
    if isolated:
        title = cat("Not integrated ({count})", count=len(isolated))
        with graph.subgraph(name="cluster_isolated") as sub:
            sub.attr(label=label(f"<b>{text(title)}</b>"), style="dashed,rounded", color="#b0bec5")
            for start in range(0, len(isolated), ISOLATED_ROW):
                row = isolated[start:start + ISOLATED_ROW]
                for tool in row:
                    node(sub, tool)
                for a, b in zip(row, row[1:], strict=False):
                    sub.edge(ids[a.id], ids[b.id], style="invis")
    for integration in edges:
        manual = integration.kind == "manual"
        via = tools[integration.via].name if integration.via and integration.via in tools else integration.via
        graph.edge(ids[integration.source], ids[integration.target],
                   label=label(text(edge_text(cat, integration.kind, via), 40)) if labelled else "",
                   color="#ef6c00" if manual else "#78909c", style="dashed" if manual else "solid",
                   dir="both" if integration.bidirectional else "forward",
                   **{"class": f"kind-{safe_name(integration.kind)} from-{ids[integration.source]} "
                               f"to-{ids[integration.target]}"})
    return graph


_Group = tuple[str, str]


def _group_links(result: ScanResult, where: dict[str, _Group]
                 ) -> tuple[Counter[tuple[_Group, _Group]], Counter[tuple[_Group, _Group]]]:
    """Integrations (all, and manual ones) between each two groups, one line per pair whichever way the data goes.

    Counted on small numbers (the groups in sorted order) rather than on pairs of tuples: 100,000
    integrations are counted in a tenth of a second.
    """
    groups = sorted(set(where.values()))
    size = len(groups)
    number = {group: n for n, group in enumerate(groups)}
    node = {tool_id: number[group] for tool_id, group in where.items()}
    counted: Counter[int] = Counter()
    manual: Counter[int] = Counter()
    for integration in result.graph.integrations:
        a, b = node.get(integration.source), node.get(integration.target)
        if a is not None and b is not None and a != b:
            key = a * size + b if a < b else b * size + a
            counted[key] += 1
            if integration.kind == "manual":
                manual[key] += 1
    return (Counter({(groups[k // size], groups[k % size]): c for k, c in counted.items()}),
            Counter({(groups[k // size], groups[k % size]): c for k, c in manual.items()}))


def _integrations_collapsed(result: ScanResult, cat: Catalogue) -> graphviz.Digraph:
    """One box per department (the :data:`GROUP_LIMIT` most connected), one node per layer in it with its
    tool count; links between nodes aggregated (the :data:`LINK_LIMIT` strongest drawn)."""
    tools = result.graph.tools
    where = {t.id: (_map_home(t), _primary_layer(t)) for t in tools.values()}
    sizes = Counter(where.values())
    links, manual = _group_links(result, where)
    degree: Counter[str] = Counter()
    for (a, b), count in links.items():
        degree[a[0]] += count
        degree[b[0]] += count
    departments = sorted({d for d, _ in sizes})
    shown = sorted(sorted(departments, key=lambda d: (-degree[d], d))[:GROUP_LIMIT])
    graph = _digraph(cat("Integration landscape"), **SPREAD)
    ids: dict[tuple[str, str], str] = {}
    for index, department in enumerate(shown):
        with graph.subgraph(name=f"cluster_g{index}") as sub:
            sub.attr(label=label(f"<b>{text(department or cat('No department'), 30)}</b>"), style="rounded,filled",
                     fillcolor="#f7f9fb", color="#b0bec5")
            for layer in (*LAYERS, "none"):
                if sizes[(department, layer)]:
                    ids[(department, layer)] = node_id = f"g{len(ids)}"
                    sub.node(node_id, label(f"<b>{text(cat.layer(layer))}</b>",
                                            text(tool_count(cat, sizes[(department, layer)]))),
                             fillcolor=LAYER_COLOURS[layer], **{"class": f"group n-{node_id}"})
    strongest = sorted(((pair, count) for pair, count in links.items() if pair[0] in ids and pair[1] in ids),
                       key=lambda item: (-item[1], item[0]))
    for (a, b), count in sorted(strongest[:LINK_LIMIT]):
        heavy = manual[(a, b)] * 2 >= count
        graph.edge(ids[a], ids[b], label=text(f"{count:,}"), penwidth=f"{1 + math.log10(count):.2f}", dir="none",
                   color="#ef6c00" if heavy else "#78909c", style="dashed" if heavy else "solid",
                   **{"class": f"{'kind-manual' if heavy else 'kind-aggregate'} from-{ids[a]} to-{ids[b]}"})
    note = cat("{tools} tools: one node per department and layer (more than {limit} tools); a tool used by "
               "several departments is drawn in its first.", tools=f"{len(tools):,}", limit=TOOL_LIMIT)
    if len(shown) < len(departments):
        note += " " + cat("({hidden} less connected departments left out)", hidden=len(departments) - len(shown))
    if len(strongest) > LINK_LIMIT:
        note += " " + cat("({hidden} weaker links left out)", hidden=len(strongest) - LINK_LIMIT)
    graph.attr(label=label(f"<b>{text(cat('Integration landscape'), 200)}</b>", text(note, 300)))
    return graph


_last: list[tuple[ScanResult, str, dict[str, Diagram]]] = []
"""The last result's drawings (result, language, diagrams by name): ``html`` and ``svg`` in one run share them."""


def diagram_names(result: ScanResult) -> list[str]:
    """The file names of every diagram of the scan, in their stable order: flows, departments, integrations."""
    return [*flow_file_names(result.graph.flows), "departments.svg", "integrations.svg"]


def draw_all(result: ScanResult, cat: Catalogue, names: Collection[str] | None = None) -> list[Diagram]:
    """Every diagram of the scan (or those in ``names``), drawn by ``dot``, in the order of :func:`diagram_names`.

    The flows are drawn in batches (:mod:`reports.dot_runner`), the two overviews one process each, all in
    parallel. The last result's drawings are kept (holding the result itself, so it is never mistaken for
    another), so rendering ``html`` and ``svg`` of the same scan draws each diagram once.
    """
    wanted = [name for name in diagram_names(result) if names is None or name in names]
    if not (_last and _last[0][0] is result and _last[0][1] == cat.lang):
        _last[:] = [(result, cat.lang, {})]
    kept = _last[0][2]
    missing = {name for name in wanted if name not in kept}
    if missing:
        kept.update((d.name, d) for d in _draw_missing(result, cat, missing))
    return [kept[name] for name in wanted]


def _draw_missing(result: ScanResult, cat: Catalogue, names: Collection[str]) -> list[Diagram]:
    alone: list[Job] = []
    if "integrations.svg" in names:
        alone.append(("integrations.svg", integrations_diagram(result, cat)))
    if "departments.svg" in names:
        alone.append(("departments.svg", departments_diagram(result, cat)))
    flows = [(name, flow_diagram(result, flow, cat, found))
             for name, flow, found in zip(flow_file_names(result.graph.flows), result.graph.flows,
                                          every_flow_handoffs(result), strict=True)
             if name in names]
    return draw_many(alone, flows)


_ID_REFERENCE = re.compile(r'(\sid="|\shref="#|\sxlink:href="#|url\(#)([^"()]+)')


def inline(svg: str, prefix: str = "") -> str:
    """SVG text ready to embed in HTML (XML declaration and DOCTYPE removed).

    With ``prefix``, every element id (and every ``href="#…"`` / ``url(#…)`` reference to one) gets it
    in front, so several diagrams in one page never share an id (``dot`` numbers ``node1``… in each).
    """
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    return _ID_REFERENCE.sub(lambda m: m.group(1) + prefix + m.group(2), svg) if prefix else svg
