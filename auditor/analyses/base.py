"""The analysis interface: metadata plus a pure, deterministic ``run(graph, settings)``."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from auditor.errors import AuditorError
from auditor.findingspec import FindingSpec
from auditor.graph import LandscapeGraph
from auditor.model import Finding


class AnalysisError(AuditorError):
    """An analysis could not run (bad settings)."""


@dataclass(frozen=True)
class AnalysisSettings:
    """Settings shared by the analyses (``analyses:`` in the config)."""

    allowed_duplicate_categories: frozenset[str] = frozenset({"unclassified"})
    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, Any] = field(default_factory=dict)
    currency: str | None = None  # reporting currency, for amounts in finding texts
    category_titles: Mapping[str, str] = field(default_factory=dict)  # category id → title, for finding texts
    retiring: Mapping[str, str] = field(default_factory=dict)  # retired → kept tool, from the duplicate decisions
    retirement_risks: bool = True  # simulate each decision's risks (the what-if engine's "after" side skips it)

    @staticmethod
    def from_config(data: Mapping[str, Any], currency: str | None = None,
                    category_titles: Mapping[str, str] | None = None) -> AnalysisSettings:
        """Build from the ``analyses:`` section of ``auditor.yaml`` (and ``report.currency``, the taxonomy titles)."""
        allowed = {"unclassified", *data.get("allowed_duplicate_categories", ())}
        return AnalysisSettings(frozenset(allowed), frozenset(data.get("disabled", ())),
                                dict(data.get("severity", {})), currency, dict(category_titles or {}))

    def category_title(self, category: str) -> str:
        """The title of a category id for English finding texts (the id when no title is known)."""
        return self.category_titles.get(category, category)

    def severity_for(self, finding_type: str, rule: str, default: str) -> str:
        """Severity configured for ``finding_type``/``rule`` (e.g. ``severity: {duplicate: {default: low}}``)."""
        configured = self.severity.get(finding_type, {})
        if isinstance(configured, str):
            return configured
        return str(configured.get(rule, configured.get("default", default)))


def finding_id(finding_type: str, *parts: str | Iterable[str] | None) -> str:
    """A stable finding id from the finding's identifying parts (order-insensitive inside sets)."""
    canonical = []
    for part in parts:
        if part is None:
            canonical.append("")
        elif isinstance(part, str):
            canonical.append(part)
        else:
            canonical.append(",".join(sorted(part)))
    digest = hashlib.sha1("|".join([finding_type, *canonical]).encode("utf-8")).hexdigest()[:12]
    return f"{finding_type}-{digest}"


class Analysis(ABC):
    """Base of every analysis: subclasses set the metadata and implement :meth:`run`."""

    id: ClassVar[str]
    title: ClassVar[str]
    rationale: ClassVar[str]
    remediation: ClassVar[str]
    severity_rules: ClassVar[str] = ""
    #: the finding types this analysis emits (see :mod:`auditor.findingspec`); empty: one type, ``id``,
    #: whose findings carry their own English text (a plugin written before specs existed)
    specs: ClassVar[tuple[FindingSpec, ...]] = ()

    @classmethod
    def finding_specs(cls) -> tuple[FindingSpec, ...]:
        """The specs of the finding types this analysis emits (a bare one named ``id`` when none is declared)."""
        return cls.specs or (FindingSpec(cls.id, cls.title),)

    @abstractmethod
    def run(self, graph: LandscapeGraph, settings: AnalysisSettings) -> Iterable[Finding]:
        """Yield the findings of this analysis on ``graph``; pure and deterministic."""
