"""``html``: ``index.html``, one self-contained page (inline CSS, script, SVG; no network)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from auditor.gcpause import gc_paused
from auditor.result import ScanResult
from reports.base import Renderer
from reports.diagrams import diagram_names, draw_all, flow_file_names, inline
from reports.dot_runner import DiagramError
from reports.executive_view import executive_view
from reports.html_view import PageView, build_page
from reports.i18n import Catalogue, catalogue
from reports.journey_view import journey_view
from reports.names import flow_name, step_name
from reports.review_text import reason_renderer
from reports.templating import environment


def _asset(name: str) -> Markup:
    """A packaged static asset (our own CSS/JS), inserted verbatim."""
    return Markup(resources.files("reports").joinpath("templates", "html", name).read_text(encoding="utf-8"))


def _diagrams(result: ScanResult, cat: Catalogue) -> tuple[dict[str, str], str | None]:
    """Inline SVG keyed by flow id and ``integrations`` (ids prefixed per diagram); a note when dot is missing.

    The departments diagram is neither drawn nor embedded: the page shows the department × department
    matrix instead. Each diagram's id prefix is its place among all the scan's diagrams (``d<n>-``).
    """
    names = diagram_names(result)
    flow_names = flow_file_names(result.graph.flows)
    try:
        drawn = {d.name: d.svg for d in draw_all(result, cat, {*flow_names, "integrations.svg"})}
    except DiagramError as exc:
        return {}, cat("Diagrams are not included: {reason}", reason=str(exc))
    prefixes = {name: f"d{n}-" for n, name in enumerate(names)}
    keyed = {flow.id: inline(drawn[name], prefixes[name])
             for flow, name in zip(result.graph.flows, flow_names, strict=True)}
    keyed["integrations"] = inline(drawn["integrations.svg"], prefixes["integrations.svg"])
    return keyed, None


class HtmlRenderer(Renderer):
    """Writes ``index.html``: summary, flow maps, findings, tools, departments, duplicates, diagrams."""

    format = "html"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        cat = catalogue(self.lang)
        # the page is built while dot draws (dot runs in its own processes); millions of small acyclic
        # objects are made on the way, so the cyclic collector is paused (see auditor.gcpause)
        with gc_paused(), ThreadPoolExecutor(max_workers=1) as drawing:
            drawn = drawing.submit(_diagrams, result, cat)
            page = build_page(result, cat, self.previous, {}, None)
            diagrams, note = drawn.result()
            page = replace(page, flows=[replace(flow, svg=diagrams.get(flow.id)) for flow in page.flows],
                           diagrams=diagrams, diagram_note=note)
            self._write(result, cat, page, out_dir / "index.html")
        return [out_dir / "index.html"]

    def _write(self, result: ScanResult, cat: Catalogue, page: PageView, path: Path) -> None:
        template = environment().get_template("html/index.html.j2")
        executive = executive_view(page.summary, page.headline_scores, page.score_groups, page.flows, page.plan, cat)
        path.write_text(template.render(page=page, _=cat, cat=cat,
                                        css=_asset("report.css") + _asset("views.css") + _asset("print.css"),
                                        executive=executive,
                                        script=_asset("report.js") + Markup("\n") + _asset("views.js"),
                                        svg=Markup, review_reason=reason_renderer(cat),
                                        sep=cat.pgettext("separator", ", "),
                                        flow_name=partial(flow_name, result.graph),
                                        step_name=partial(step_name, result.graph), journeys=journey_view(result)),
                        encoding="utf-8")
