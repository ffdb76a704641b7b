"""``duplicate``: several tools doing the same job (same category), or two instances of one product."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.graph import LandscapeGraph
from auditor.lifecycle import in_use
from auditor.model import Finding, Tool
from auditor.money import format_money
from auditor.slug import slugify

HIGH_SPEND = 50_000.0


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
        "high when the group spends at least 50,000 a year or has 3+ tools; low when one department "
        "uses them all; medium otherwise"
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
        integrated = graph.integrations_by_tool
        keep = max(members, key=lambda t: (len(integrated.get(t.id, ())), t.users or 0, -members.index(t)))
        departments = sorted({d for t in members for d in t.departments} | {t.owner for t in members if t.owner})
        total_cost = sum(t.annual_cost or 0.0 for t in members)
        if total_cost >= HIGH_SPEND or len(members) >= 3:
            rule, default = "high_spend_or_many", "high"
        elif len(departments) <= 1:
            rule, default = "single_department", "low"
        else:
            rule, default = "default", "medium"
        names = ", ".join(t.name for t in members)
        what = f"the same product ({key})" if basis == "product" else \
            f"the same category '{settings.category_title(key)}'"
        others = ", ".join(t.name for t in members if t is not keep)
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
                "keep": keep.id,
                "integrations": {t.id: len(integrated.get(t.id, ())) for t in members},
                "users": {t.id: t.users for t in members},
                "rule": rule,
            },
            recommendation=(
                f"Consolidate on {keep.name} (the most integrated and most used); plan the migration of "
                f"{others} and retire them to save up to "
                f"{format_money(total_cost - (keep.annual_cost or 0.0), settings.currency)} a year."
            ),
        )
