"""``duplicate``: several tools doing the same job (same category), or two instances of one product."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import step_tools
from auditor.graph import LandscapeGraph
from auditor.lifecycle import in_use
from auditor.model import Finding, Tool
from auditor.money import format_money
from auditor.plan.decisions import decide, retirement_risks
from auditor.slug import slugify

HIGH_SAVING = 20_000.0  # a year, in the reporting currency
LOW_SAVING = 5_000.0


def normalise_category(category: str) -> str:
    """``"Marketing Automation"`` and ``"marketing_automation"`` → ``"marketing-automation"``."""
    return slugify(category)


class DuplicateAnalysis(Analysis):
    """One finding per group of tools sharing a category or a catalog product."""

    id = "duplicate"
    title = "Duplicate tools"
    rationale = "Several tools doing the same job split data and spend between teams."
    remediation = "Pick one tool per job, migrate the others' data and retire them."
    severity_rules = (
        "from money and customer impact: high when retiring the others saves at least 20,000 a year "
        "(high_saving) or a member supports a customer-facing step (customer_facing); low when the saving "
        "is under 5,000 and no member supports a flow step (small_saving); medium otherwise (default)"
    )

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        groups: dict[tuple[str, str], list[Tool]] = defaultdict(list)
        for tool in graph.tools.values():
            if not in_use(tool.lifecycle):
                continue  # retired or rejected: not a tool anyone should consolidate
            if tool.catalog_id:
                groups[("product", tool.catalog_id)].append(tool)
            category = normalise_category(tool.category)
            if category not in {normalise_category(c) for c in settings.allowed_duplicate_categories}:
                groups[("category", category)].append(tool)
        reported: set[frozenset[str]] = set()
        # product groups first: when a category group has exactly the same tools, the product finding says more
        for (basis, key), members in sorted(groups.items(), key=lambda item: (item[0][0] != "product", item[0])):
            ids = frozenset(t.id for t in members)
            if len(members) < 2 or ids in reported:
                continue
            reported.add(ids)
            yield self._finding(graph, basis, key, sorted(members, key=lambda t: t.id), settings)

    def _finding(self, graph: LandscapeGraph, basis: str, key: str, members: list[Tool],
                 settings: AnalysisSettings) -> Finding:
        decision = decide(graph, members)
        keep = graph.tools[decision.keep]
        departments = sorted({d for t in members for d in t.departments} | {t.owner for t in members if t.owner})
        total_cost = sum(t.annual_cost or 0.0 for t in members)
        saving = total_cost - (keep.annual_cost or 0.0)
        rule, default = _severity_rule(graph, members, saving)
        names = ", ".join(t.name for t in members)
        what = f"the same product ({key})" if basis == "product" else \
            f"the same category '{settings.category_title(key)}'"
        others = ", ".join(t.name for t in members if t is not keep)
        risks = retirement_risks(graph, decision) if settings.retirement_risks else []
        first = "" if not risks else (" Before retiring: " + "; ".join(r["move_first"] for r in risks) + ".")
        integrated = graph.integrations_by_tool
        return Finding(
            id=finding_id(self.id, basis, key),
            type=self.id,
            severity=settings.severity_for(self.id, rule, default),
            title=f"{len(members)} tools for {what}: {names}",
            tools=tuple(t.id for t in members),
            departments=tuple(departments),
            evidence={
                "basis": basis,
                "category" if basis == "category" else "product": key,
                "total_annual_cost": total_cost,
                "saving": saving,
                **decision.to_evidence(),
                "risks": risks,
                "integrations": {t.id: len(integrated.get(t.id, ())) for t in members},
                "users": {t.id: t.users for t in members},
                "rule": rule,
            },
            recommendation=(
                f"{decision.reason} Plan the migration of {others} to {keep.name} and retire "
                f"{'it' if len(members) == 2 else 'them'} to save up to "
                f"{format_money(saving, settings.currency)} a year.{first}"
            ),
        )


def _severity_rule(graph: LandscapeGraph, members: list[Tool], saving: float) -> tuple[str, str]:
    """(rule, default severity) of a duplicate group from its saving and the steps its members support."""
    ids = {t.id for t in members}
    steps = [s for f in graph.flows for s in f.steps if ids & step_tools(s)]
    if saving >= HIGH_SAVING:
        return "high_saving", "high"
    if any(s.customer_facing for s in steps):
        return "customer_facing", "high"
    if saving < LOW_SAVING and not steps:
        return "small_saving", "low"
    return "default", "medium"
