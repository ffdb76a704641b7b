"""Running Graphviz ``dot``: one process per large diagram, one process for many small ones.

Starting ``dot`` costs about 20 ms (fontconfig, plugins), several times what laying out a 10-step flow
takes (~3 ms), so the small diagrams (the flows) are drawn in batches: ``dot`` reads several graphs from
one input and writes one SVG document for each, in order; the output is split at each document's XML
declaration. A batch that fails, or whose output does not split into one document per graph, is drawn
again graph by graph, so a failing diagram is named and retried exactly as when drawn alone.

The drawing is the same as one process per graph: the same nodes, edges, labels and size. ``dot``
orders clusters by where their names lie in memory, which differs in a reused process: the cluster
boxes are put back in their order (:func:`clusters_in_order`), and in a few flows in a hundred a node
sits a point higher or lower within its lane than when drawn alone (which ones varies from run to run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import graphviz

from reports.base import RenderError

DOT_TIMEOUT = 180.0
"""Seconds one ``dot`` run (one diagram or one batch) may take before the drawing is given up."""
NOT_INSTALLED = "Graphviz 'dot' is not installed (Debian package graphviz; run `make system`)"
_DECLARATION = "<?xml "
_GENERATED_TITLES = re.compile(r"<title>[^<]*</title>\n?|<!-- Title: [^\n]*? Pages: \d+ -->\n?")
"""``dot`` titles every graph, cluster, node and edge with its DOT id (``%3``, ``t12``, ``s0->s1``); these ids
are generated, so browsers would show them as tooltips. The visible labels carry the names."""
_REUSED_PAGE_ID = re.compile(r'<g id="page\d+,\d+_graph0" class="graph"')
"""A reused ``dot`` process names the second and later graphs' top group ``page0,1_graph0``; alone it is ``graph0``."""
_CLUSTER = re.compile(r'<g id="clust(\d+)" class="cluster">\n(?:(?!<g[ >]).)*?</g>\n', re.S)
"""One cluster's group (its box and label, nothing nested); ``dot`` writes them one after another."""


class DiagramError(RenderError):
    """A diagram could not be drawn (e.g. Graphviz ``dot`` is not installed)."""


@dataclass(frozen=True)
class Diagram:
    """One drawn diagram: its file name and SVG text."""

    name: str
    svg: str


Job = tuple[str, graphviz.Digraph]
"""A diagram to draw: its file name and its graph."""


def dot_available() -> bool:
    """Whether the Graphviz ``dot`` program is on PATH."""
    return shutil.which("dot") is not None


def workers() -> int:
    """How many ``dot`` processes run at once: the cores this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _engine(graph: graphviz.Digraph) -> str:
    return str(graph.graph_attr.get("layout", "dot"))


def _run(source: str, engine: str, what: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["dot", f"-K{engine}", "-Tsvg"], input=source.encode("utf-8"),
                              capture_output=True, timeout=DOT_TIMEOUT, check=False)
    except FileNotFoundError as exc:
        raise DiagramError(NOT_INSTALLED) from exc
    except subprocess.TimeoutExpired as exc:
        raise DiagramError(f"Graphviz took longer than {DOT_TIMEOUT:.0f} s drawing {what}") from exc


def _clean(svg: str) -> str:
    return _REUSED_PAGE_ID.sub('<g id="graph0" class="graph"', _GENERATED_TITLES.sub("", svg), count=1)


def clusters_in_order(svg: str) -> str:
    """``svg`` with its run of cluster groups in the order of their numbers, as a fresh ``dot`` writes them.

    A reused process writes the same boxes in another order (see the module docstring); they do not
    overlap, so only the bytes change, not the picture. Anything else (a gap in the run) is left as it is.
    """
    found = list(_CLUSTER.finditer(svg))
    if len(found) < 2 or any(a.end() != b.start() for a, b in zip(found, found[1:], strict=False)):
        return svg
    ordered = sorted(found, key=lambda match: int(match.group(1)))
    return svg[:found[0].start()] + "".join(m.group(0) for m in ordered) + svg[found[-1].end():]


def draw(name: str, graph: graphviz.Digraph) -> Diagram:
    """Run ``dot`` on one graph (with a time limit) and return the SVG."""
    engine = _engine(graph)
    done = _run(graph.source, engine, name)
    if done.returncode != 0 and engine == "dot" and "newrank" not in graph.graph_attr:
        # dot's default ranking sometimes cannot route edges between clusters ("trouble in init_rank",
        # "lost edge"); the global ranking can, slower on large graphs, so it is only the second try
        retry = graph.copy()
        retry.graph_attr["newrank"] = "true"
        return draw(name, retry)
    if done.returncode != 0:
        raise DiagramError(f"Graphviz failed drawing {name}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return Diagram(name, _clean(done.stdout.decode("utf-8")))


def split_documents(output: str) -> list[str]:
    """The SVG documents ``dot`` wrote one after another, each from its XML declaration to its ``</svg>``.

    Labels reach the SVG escaped, so a declaration can only start a document.
    """
    if not output.startswith(_DECLARATION):
        return []
    return [_DECLARATION + part for part in output.split(_DECLARATION)[1:]]


def draw_batch(jobs: Sequence[Job]) -> list[Diagram]:
    """Draw several graphs of one layout engine with one ``dot`` process; graph by graph if that fails."""
    if len(jobs) == 1:
        return [draw(*jobs[0])]
    engine = _engine(jobs[0][1])
    done = _run("".join(graph.source for _, graph in jobs), engine,
                f"{len(jobs)} diagrams ({jobs[0][0]} to {jobs[-1][0]})")
    documents = split_documents(done.stdout.decode("utf-8")) if done.returncode == 0 else []
    if len(documents) != len(jobs) or not all(d.rstrip().endswith("</svg>") for d in documents):
        return [draw(name, graph) for name, graph in jobs]
    return [Diagram(name, clusters_in_order(_clean(document)))
            for (name, _), document in zip(jobs, documents, strict=True)]


def draw_many(alone: Sequence[Job], batched: Sequence[Job]) -> list[Diagram]:
    """Draw ``alone`` one process each and ``batched`` in one batch per worker, all in parallel.

    Graphs with the same DOT source are drawn once. Returns the diagrams in the order ``alone + batched``.
    """
    if not dot_available():
        raise DiagramError(NOT_INSTALLED)
    jobs = [*alone, *batched]
    sources = [graph.source for _, graph in jobs]
    first: dict[str, int] = {}
    for index, source in enumerate(sources):
        first.setdefault(source, index)
    unique = [index for index, source in enumerate(sources) if first[source] == index]
    count = workers()
    tasks = [partial(draw_batch, [jobs[index]]) for index in unique if index < len(alone)]
    by_engine: dict[str, list[Job]] = {}
    for index in unique:
        if index >= len(alone):
            by_engine.setdefault(_engine(jobs[index][1]), []).append(jobs[index])
    for group in by_engine.values():
        size = -(-len(group) // count)
        tasks += [partial(draw_batch, group[start:start + size]) for start in range(0, len(group), size)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        drawn = {d.name: d.svg for done in pool.map(lambda task: task(), tasks) for d in done}
    return [Diagram(name, drawn[jobs[first[source]][0]]) for (name, _), source in zip(jobs, sources, strict=True)]
