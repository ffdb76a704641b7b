"""Differences between two scans: what moved in the landscape, its findings and its scores.

Everything here is computed from two :class:`~auditor.result.ScanResult` objects, so it works the same
whether they come from the embedded store, from Neo4j or from two ``report.json`` files.
Findings are matched by their stable id, tools by id and integrations by :attr:`Integration.key`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import InputError, Problem
from auditor.model import LAYER_TITLES, Finding, Integration, Tool, severity_rank
from auditor.result import ScanResult, from_document
from auditor.serialize import to_data
from auditor.validation import validate_data

#: Tool attributes compared by :func:`diff` (provenance such as ``sources`` and ``evidence`` is not).
COMPARED_TOOL_FIELDS: tuple[str, ...] = (
    "name", "vendor", "category", "layers", "departments", "owner", "annual_cost", "users", "sanctioned",
    "capabilities",
)
#: At most this many schema problems of one report file are listed.
MAX_PROBLEMS = 20
#: Tool attributes whose order carries no meaning (compared as sets).
_UNORDERED_FIELDS = frozenset({"layers", "departments", "capabilities", "data"})


@dataclass(frozen=True)
class ScanRef:
    """Which scan one side of a diff is."""

    id: str
    organization: str
    started_at: str
    currency: str | None = None


@dataclass(frozen=True)
class ToolRef:
    """A tool that appeared or disappeared."""

    id: str
    name: str
    category: str
    sanctioned: bool


@dataclass(frozen=True)
class FieldChange:
    """One attribute of a tool that changed (values as in :class:`~auditor.model.Tool`)."""

    field: str
    old: Any
    new: Any

    def text(self) -> str:
        """``annual_cost: 1000 → 2000``, ``layers: data → data, automation``."""
        return f"{self.field}: {display(self.old)} → {display(self.new)}"


def display(value: Any) -> str:
    """A tool attribute for people: lists joined by commas, nothing as ``—``, numbers without ``.0``."""
    if value is None or value == ():
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class ToolChange:
    """A tool present in both scans whose compared attributes differ."""

    id: str
    name: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class IntegrationRef:
    """An integration that was created or broken (identified by its key)."""

    key: str
    source: str
    target: str
    kind: str
    via: str | None = None


@dataclass(frozen=True)
class IntegrationChange:
    """An integration present in both scans whose carried data or direction changed."""

    key: str
    source: str
    target: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class FindingRef:
    """A finding that was opened or resolved."""

    id: str
    type: str
    severity: str
    title: str


@dataclass(frozen=True)
class SeverityChange:
    """A finding present in both scans whose severity changed."""

    id: str
    type: str
    title: str
    old: str
    new: str

    @property
    def worse(self) -> bool:
        """True when the severity went up."""
        return severity_rank(self.new) > severity_rank(self.old)


@dataclass(frozen=True)
class SpendChange:
    """A spend figure of ``summary.money`` on both sides (annual spend, duplicate and shadow-IT spend)."""

    key: str
    old: float
    new: float

    @property
    def delta(self) -> float:
        """``new - old``."""
        return round(self.new - self.old, 2)


SPEND_KEYS = ("annual_spend", "duplicate_spend", "shadow_it_spend")


def spend_changes(old: ScanResult, new: ScanResult) -> tuple[SpendChange, ...]:
    """Every spend figure that moved between the scans (unknown costs count as 0 on both sides)."""
    before, after = old.summary()["money"], new.summary()["money"]
    changes = (SpendChange(k, float(before[k]), float(after[k])) for k in SPEND_KEYS)
    return tuple(c for c in changes if c.delta)


@dataclass(frozen=True)
class ScoreChange:
    """A score that moved; ``old``/``new`` is None when the score exists on one side only."""

    scope: str  # "overall", "flow" or "layer"
    key: str
    name: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        """``new - old`` when both exist."""
        if self.old is None or self.new is None:
            return None
        return round(self.new - self.old, 6)


@dataclass(frozen=True)
class Diff:
    """Everything that changed from ``old`` to ``new``; each tuple is sorted by id/key."""

    old: ScanRef
    new: ScanRef
    tools_added: tuple[ToolRef, ...] = ()
    tools_removed: tuple[ToolRef, ...] = ()
    tools_changed: tuple[ToolChange, ...] = ()
    integrations_created: tuple[IntegrationRef, ...] = ()
    integrations_broken: tuple[IntegrationRef, ...] = ()
    integrations_changed: tuple[IntegrationChange, ...] = ()
    findings_opened: tuple[FindingRef, ...] = ()
    findings_resolved: tuple[FindingRef, ...] = ()
    severity_changes: tuple[SeverityChange, ...] = ()
    score_changes: tuple[ScoreChange, ...] = ()
    spend_changes: tuple[SpendChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing changed (scan metadata aside)."""
        return not any(getattr(self, name) for name in SECTIONS)

    def counts(self) -> dict[str, int]:
        """How many items each section holds (for summaries)."""
        return {name: len(getattr(self, name)) for name in SECTIONS}

    def to_data(self) -> dict[str, Any]:
        """JSON-ready form (``auditor diff --format json``)."""
        data: dict[str, Any] = to_data(self)
        data["empty"] = self.is_empty
        data["counts"] = self.counts()
        for change, item in zip(self.score_changes, data["score_changes"], strict=True):
            item["delta"] = change.delta
        for spend, item in zip(self.spend_changes, data["spend_changes"], strict=True):
            item["delta"] = spend.delta
        return data


#: The change sections of a :class:`Diff`, in display order.
SECTIONS: tuple[str, ...] = (
    "tools_added", "tools_removed", "tools_changed", "integrations_created", "integrations_broken",
    "integrations_changed", "findings_opened", "findings_resolved", "severity_changes", "score_changes",
    "spend_changes",
)


def _scan_ref(result: ScanResult) -> ScanRef:
    return ScanRef(result.scan.id, result.scan.organization, result.scan.started_at, result.scan.currency)


def _tool_ref(tool: Tool) -> ToolRef:
    return ToolRef(tool.id, tool.name, tool.category, tool.sanctioned)


def _integration_ref(integration: Integration) -> IntegrationRef:
    return IntegrationRef(integration.key, integration.source, integration.target, integration.kind,
                          integration.via)


def _finding_ref(finding: Finding) -> FindingRef:
    return FindingRef(finding.id, finding.type, finding.severity, finding.title)


def _comparable(field: str, value: Any) -> Any:
    return tuple(sorted(value)) if field in _UNORDERED_FIELDS else value


def _field_changes(old: Any, new: Any, fields: Iterable[str]) -> tuple[FieldChange, ...]:
    changes = []
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if _comparable(name, before) != _comparable(name, after):
            changes.append(FieldChange(name, before, after))
    return tuple(changes)


def _tool_changes(old: Tool, new: Tool) -> ToolChange | None:
    changes = _field_changes(old, new, COMPARED_TOOL_FIELDS)
    return ToolChange(new.id, new.name, changes) if changes else None


#: Integration attributes compared by ``auditor diff`` (endpoints, kind and via are the key).
COMPARED_INTEGRATION_FIELDS: tuple[str, ...] = ("data", "bidirectional")


def _integration_changes(old: Integration, new: Integration) -> IntegrationChange | None:
    changes = _field_changes(old, new, COMPARED_INTEGRATION_FIELDS)
    return IntegrationChange(new.key, new.source, new.target, changes) if changes else None


def _score_value(entry: Any) -> float | None:
    """A score entry is a number or a mapping with a numeric ``score``; anything else is no score."""
    if isinstance(entry, Mapping):
        entry = entry.get("score")
    if isinstance(entry, bool) or not isinstance(entry, int | float):
        return None
    return float(entry)


def score_table(result: ScanResult) -> dict[tuple[str, str], tuple[str, float]]:
    """``(scope, key) → (display name, score)`` from ``result.scores``; empty when the scan has no scores.

    Reads ``scores['overall']`` (number or ``{'score': …}``), ``scores['flows'][flow_id]['score']`` and
    ``scores['layers'][layer]['score']``; entries without a numeric score are skipped.
    """
    scores = result.scores if isinstance(result.scores, Mapping) else {}
    table: dict[tuple[str, str], tuple[str, float]] = {}
    overall = _score_value(scores.get("overall"))
    if overall is not None:
        table[("overall", "overall")] = ("Overall", overall)
    flow_names = {f.id: f.name for f in result.graph.flows}
    for scope, section, names in (("flow", "flows", flow_names), ("layer", "layers", LAYER_TITLES)):
        entries = scores.get(section)
        if not isinstance(entries, Mapping):
            continue
        for key, entry in entries.items():
            value = _score_value(entry)
            if value is None:
                continue
            name = entry.get("name") if isinstance(entry, Mapping) and entry.get("name") else names.get(key, key)
            table[(scope, str(key))] = (str(name), value)
    return table


_SCOPE_ORDER = {"overall": 0, "flow": 1, "layer": 2}


def _score_changes(old: ScanResult, new: ScanResult) -> tuple[ScoreChange, ...]:
    before, after = score_table(old), score_table(new)
    changes = []
    for scope, key in sorted({*before, *after}, key=lambda k: (_SCOPE_ORDER.get(k[0], 9), k[1])):
        old_entry, new_entry = before.get((scope, key)), after.get((scope, key))
        old_value = old_entry[1] if old_entry else None
        new_value = new_entry[1] if new_entry else None
        if old_value != new_value:
            name = (new_entry or old_entry or (key, 0.0))[0]
            changes.append(ScoreChange(scope, key, name, old_value, new_value))
    return tuple(changes)


def diff(old: ScanResult, new: ScanResult) -> Diff:
    """What changed from scan ``old`` to scan ``new`` (see :class:`Diff`)."""
    old_tools, new_tools = old.graph.tools, new.graph.tools
    old_links = {i.key: i for i in old.graph.integrations}
    new_links = {i.key: i for i in new.graph.integrations}
    old_findings = {f.id: f for f in old.findings}
    new_findings = {f.id: f for f in new.findings}
    changed = (_tool_changes(old_tools[t], new_tools[t]) for t in sorted(old_tools.keys() & new_tools.keys()))
    return Diff(
        old=_scan_ref(old),
        new=_scan_ref(new),
        tools_added=tuple(_tool_ref(new_tools[t]) for t in sorted(new_tools.keys() - old_tools.keys())),
        tools_removed=tuple(_tool_ref(old_tools[t]) for t in sorted(old_tools.keys() - new_tools.keys())),
        tools_changed=tuple(c for c in changed if c is not None),
        integrations_created=tuple(_integration_ref(new_links[k]) for k in sorted(new_links.keys()
                                                                                   - old_links.keys())),
        integrations_broken=tuple(_integration_ref(old_links[k]) for k in sorted(old_links.keys()
                                                                                  - new_links.keys())),
        integrations_changed=tuple(c for c in (_integration_changes(old_links[k], new_links[k])
                                               for k in sorted(old_links.keys() & new_links.keys()))
                                   if c is not None),
        findings_opened=tuple(_finding_ref(new_findings[i]) for i in _by_severity(new_findings,
                                                                                 new_findings.keys()
                                                                                 - old_findings.keys())),
        findings_resolved=tuple(_finding_ref(old_findings[i]) for i in _by_severity(old_findings,
                                                                                   old_findings.keys()
                                                                                   - new_findings.keys())),
        severity_changes=tuple(
            SeverityChange(i, new_findings[i].type, new_findings[i].title, old_findings[i].severity,
                           new_findings[i].severity)
            for i in sorted(old_findings.keys() & new_findings.keys())
            if old_findings[i].severity != new_findings[i].severity),
        score_changes=_score_changes(old, new),
        spend_changes=spend_changes(old, new),
    )


def _by_severity(findings: Mapping[str, Finding], ids: Iterable[str]) -> list[str]:
    """Ids ordered worst severity first, then by id."""
    return sorted(ids, key=lambda i: (-severity_rank(findings[i].severity), i))


def new_finding_ids(previous: ScanResult | None, current: ScanResult) -> frozenset[str]:
    """Ids of ``current``'s findings that ``previous`` did not have ("new since last scan" badges).

    Without a previous scan nothing is marked new (an empty set): badges only make sense against history.
    """
    if previous is None:
        return frozenset()
    before = {f.id for f in previous.findings}
    return frozenset(f.id for f in current.findings if f.id not in before)


def newly_failing(previous: ScanResult | None, current: ScanResult, threshold: str | None) -> list[Finding]:
    """Findings of ``current`` at/above ``threshold`` that were not at/above it in ``previous``.

    This is the rule of ``auditor scan --fail-on-new``: a finding counts when its id is new, or when it
    existed below the threshold and has been raised to it. ``threshold=None`` means any severity. Without
    a previous scan every finding at/above the threshold counts (a first run is not silently green).
    """
    rank = severity_rank(threshold) if threshold else 0
    before = {f.id: f.severity for f in previous.findings} if previous else {}
    return [f for f in current.findings
            if severity_rank(f.severity) >= rank
            and (f.id not in before or severity_rank(before[f.id]) < rank)]


def load_report(path: Path) -> ScanResult:
    """Read a ``report.json`` file (or a report folder holding one) back into a :class:`ScanResult`.

    Raises :class:`InputError` naming the file (and the place) when it is unreadable or invalid.
    """
    file = path / "report.json" if path.is_dir() else path
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError([Problem(str(file), None, f"cannot read the report: {exc.strerror or exc}")]) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError([Problem(str(file), line, f"not a JSON report: {exc}")]) from exc
    errors = validate_data(document, "report.schema.json")
    if errors:
        problems = [Problem(str(file), None, f"not a valid report.json: {e}") for e in errors[:MAX_PROBLEMS]]
        if len(errors) > MAX_PROBLEMS:
            problems.append(Problem(str(file), None, f"… and {len(errors) - MAX_PROBLEMS} more problems"))
        raise InputError(problems)
    try:
        return from_document(document)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError([Problem(str(file), None, f"not a valid report.json: {exc!r}")]) from exc
