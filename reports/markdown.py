"""``report.md``: a readable summary of the scan, in the report's language."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from auditor.diff import new_finding_ids
from auditor.model import LAYERS
from auditor.result import ScanResult
from reports.base import Renderer
from reports.department_matrix import MARKDOWN_LIMIT, department_matrix
from reports.facts import resolved_finding_ids, score_formula, score_view
from reports.finding_text import localise
from reports.i18n import catalogue
from reports.journey_view import journey_view
from reports.names import flow_name, step_name, step_names
from reports.plan_view import plan_context
from reports.review_text import reason_renderer
from reports.templating import environment


class MarkdownRenderer(Renderer):
    """Writes ``report.md`` from ``templates/report.md.j2``."""

    format = "md"

    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        cat = catalogue(self.lang)
        graph = result.graph
        new = new_finding_ids(self.previous, result)
        titles = result.category_titles()
        findings = [{"finding": f, "text": localise(f, cat), "new": f.id in new,
                     "tool_names": [graph.tools[t].name if t in graph.tools else t for t in f.tools]}
                    for f in result.findings]
        summary = result.summary()
        scores = result.scores or summary.get("scores") or {}
        headline, groups = score_view(scores, lambda key: cat.pgettext("score", key), cat.pgettext("separator", ", "))
        template = environment().get_template("report.md.j2")
        path = out_dir / "report.md"
        path.write_text(template.render(
            result=result, summary=summary, graph=graph, findings=findings, _=cat, cat=cat,
            category=partial(cat.category, titles=titles),
            review_reason=reason_renderer(cat), sep=cat.pgettext("separator", ", "),
            flow_name=partial(flow_name, graph), step_name=partial(step_name, graph),
            step_names=partial(step_names, graph), journeys=journey_view(result),
            matrix=department_matrix(result), matrix_limit=MARKDOWN_LIMIT,
            **plan_context(result, cat),
            headline_scores=headline, score_groups=groups, layer_ids=LAYERS, score_formula=score_formula(scores),
            new_findings=len(new) if self.previous is not None else None,
            resolved_findings=len(resolved_finding_ids(result, self.previous)) if self.previous is not None else None),
            encoding="utf-8")
        return [path]
