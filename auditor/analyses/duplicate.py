"""``duplicate``: several tools doing the same job (same category), or two instances of one product."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.analyses.connectivity import step_tools
from auditor.findingspec import FindingSpec, Message, Params, sentences
from auditor.graph import LandscapeGraph
from auditor.lifecycle import in_use
from auditor.model import Finding, JSONValue, Tool
from auditor.money import format_money
from auditor.plan.decisions import FACTS, Decision, decide, retirement_risks
from auditor.resolution.catalog import packaged_catalog
from auditor.slug import slugify

HIGH_SAVING = 20_000.0  # a year, in the reporting currency
LOW_SAVING = 5_000.0

_RECOMMENDATION = ("{keep_reason} Plan the migration of {others} to {keep} and retire {them} to save up to {saving} "
                   "a year.{before_retiring}")
SPEC = FindingSpec(
    "duplicate", "Duplicate tools",
    messages={
        "duplicate.category": Message("{count} tools for the same category '{category}': {tools}", _RECOMMENDATION),
        "duplicate.product": Message("{count} tools for the same product ({product}): {tools}", _RECOMMENDATION),
    },
    sentences={
        "duplicate.it": "it",
        "duplicate.them": "them",
        "duplicate.before_retiring": "Before retiring: {moves}.",
        # {keep_reason}, keyed by the fact that decided (``decided_by``): the decision's English reason;
        # translations say it from {facts} ("Name value" of that fact per tool)
        **{f"duplicate.keep.{fact}": "{reason}" for fact in (*(f for f, _ in FACTS), "none")},
    },
    evidence=("basis", "category", "product", "total_annual_cost", "saving", "keep", "retire", "keep_reason",
              "decided_by", "facts", "risks", "integrations", "users", "rule"),
)


def normalise_category(category: str) -> str:
    """``"Marketing Automation"`` and ``"marketing_automation"`` → ``"marketing-automation"``."""
    return slugify(category)


def allowed_categories(settings: AnalysisSettings) -> set[str]:
    """``allowed_duplicate_categories`` as taxonomy ids: a synonym (``productivity``) names its category
    (``productivity-suite``) as it does on a tool; an unknown word is kept as written (normalised)."""
    catalog = packaged_catalog()
    return {catalog.category_for(c) or normalise_category(c) for c in settings.allowed_duplicate_categories}


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
    specs = (SPEC,)

    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        groups: dict[tuple[str, str], list[Tool]] = defaultdict(list)
        allowed = allowed_categories(settings)
        for tool in graph.tools.values():
            if not in_use(tool.lifecycle):
                continue  # retired or rejected: not a tool anyone should consolidate
            if tool.catalog_id:
                groups[("product", tool.catalog_id)].append(tool)
            category = normalise_category(tool.category)
            if category not in allowed:
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
        risks = retirement_risks(graph, decision) if settings.retirement_risks else []
        moves = "; ".join(r["move_first"] for r in risks)
        before: list[tuple[str, Params]] = \
            [("duplicate.before_retiring", {"moves": moves, "count": len(risks)})] if risks else []
        what: JSONValue = key if basis == "product" else {"category": key, "title": settings.category_title(key)}
        integrated = graph.integrations_by_tool
        return SPEC.finding(
            f"duplicate.{basis}",
            {"count": len(members), basis: what, "tools": [t.name for t in members],
             "keep_reason": _keep_reason(graph, decision), "others": [t.name for t in members if t is not keep],
             "keep": keep.name, "them": {"code": "duplicate.it" if len(members) == 2 else "duplicate.them",
                                         "params": {}},
             "saving": {"money": saving, "currency": settings.currency}, "before_retiring": sentences(before)},
            id=finding_id(self.id, basis, key),
            severity=settings.severity_for(self.id, rule, default),
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
        )


def _keep_reason(graph: LandscapeGraph, decision: Decision) -> JSONValue:
    """The ``{keep_reason}`` sentence: the decision's reason, and the deciding fact per tool for translations."""
    field = {"cheaper": "annual_cost"}.get(str(decision.decided_by), str(decision.decided_by))
    facts = []
    for tool, values in decision.facts.items():
        value = values.get(field)
        name = graph.tools[tool].name if tool in graph.tools else tool
        text = format_money(value, None) if isinstance(value, float) else "" if value is None else value
        facts.append(f"{name} {text}")
    return {"code": f"duplicate.keep.{decision.decided_by or 'none'}",
            "params": {"reason": decision.reason, "facts": facts if decision.decided_by else []}}


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
