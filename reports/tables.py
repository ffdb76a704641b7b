"""The tabular form of a scan (tools, integrations, findings) shared by the CSV and Excel reports.

Columns are stable ids documented in docs/reports.md; list values are joined with ``"; "``;
finding titles, recommendations and category names are in the report's language.
"""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd

from auditor.diff import new_finding_ids
from auditor.result import ScanResult
from reports.finding_text import localise
from reports.i18n import Catalogue, catalogue

LIST_SEPARATOR = "; "
TOOL_COLUMNS = ("id", "name", "vendor", "category", "category_name", "layers", "departments", "owner", "annual_cost",
                "currency", "users", "sanctioned", "sources", "aliases", "catalog_id", "integrations", "findings",
                "lifecycle")
INTEGRATION_COLUMNS = ("key", "source", "source_name", "target", "target_name", "kind", "via", "via_name", "data",
                       "bidirectional", "sources")
FINDING_COLUMNS = ("id", "type", "severity", "title", "flow", "flow_name", "steps", "tools", "tool_names",
                   "departments", "recommendation", "new", "evidence")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _join(values: object) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values) if isinstance(values, list | tuple) else ""


def tools_frame(result: ScanResult, cat: Catalogue | None = None) -> pd.DataFrame:
    """One row per canonical tool; ``category_name`` in the language of ``cat`` (default English)."""
    graph = result.graph
    cat = cat or catalogue("en")
    titles = result.category_titles()
    findings = Counter(t for f in result.findings for t in f.tools)
    rows = [{
        "id": t.id, "name": t.name, "vendor": t.vendor, "category": t.category,
        "category_name": cat.category(t.category, titles), "layers": _join(t.layers),
        "departments": _join(t.departments), "owner": t.owner, "annual_cost": t.annual_cost,
        "currency": result.scan.currency if t.annual_cost is not None else None, "users": t.users,
        "sanctioned": t.sanctioned, "sources": _join(t.sources), "aliases": _join(t.aliases),
        "catalog_id": t.catalog_id, "integrations": len(graph.integrations_by_tool.get(t.id, ())),
        "findings": findings[t.id], "lifecycle": t.lifecycle,
    } for t in graph.tools.values()]
    frame = pd.DataFrame(rows, columns=list(TOOL_COLUMNS))
    frame["annual_cost"] = frame["annual_cost"].astype("Float64")
    frame["users"] = frame["users"].astype("Int64")
    return frame


def integrations_frame(result: ScanResult) -> pd.DataFrame:
    """One row per integration, with endpoint names next to their ids."""
    tools = result.graph.tools

    def name(tool_id: str | None) -> str | None:
        return tools[tool_id].name if tool_id and tool_id in tools else tool_id

    rows = [{
        "key": i.key, "source": i.source, "source_name": name(i.source), "target": i.target,
        "target_name": name(i.target), "kind": i.kind, "via": i.via, "via_name": name(i.via), "data": _join(i.data),
        "bidirectional": i.bidirectional, "sources": _join(i.sources),
    } for i in result.graph.integrations]
    return pd.DataFrame(rows, columns=list(INTEGRATION_COLUMNS))


def findings_frame(result: ScanResult, cat: Catalogue, previous: ScanResult | None = None) -> pd.DataFrame:
    """One row per finding; ``new`` is empty without a previous scan; ``evidence`` is JSON."""
    graph = result.graph
    new = new_finding_ids(previous, result)
    rows = []
    for f in result.findings:
        text = localise(f, cat)
        flow = graph.flow(f.flow) if f.flow else None
        rows.append({
            "id": f.id, "type": f.type, "severity": f.severity, "title": text.title, "flow": f.flow,
            "flow_name": flow.name if flow else None, "steps": _join(f.steps), "tools": _join(f.tools),
            "tool_names": _join([graph.tools[t].name if t in graph.tools else t for t in f.tools]),
            "departments": _join(f.departments), "recommendation": text.recommendation,
            "new": (f.id in new) if previous is not None else None,
            "evidence": json.dumps(dict(f.evidence), ensure_ascii=False, sort_keys=True),
        })
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    frame["new"] = frame["new"].astype("boolean")
    return frame


def defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``…) get a leading ``'``."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out
