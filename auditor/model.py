"""Domain model: frozen, typed dataclasses shared by every stage of the pipeline.

Two families live here:

* raw records (:class:`ToolRecord`, :class:`IntegrationRecord`, :class:`FlowRecord`) as connectors
  report them, each with its :class:`SourceRef` provenance, gathered in an :class:`Inventory`;
* the canonical landscape (:class:`Tool`, :class:`Integration`, :class:`Flow`, :class:`Step`,
  :class:`Department`) that resolution builds from them, plus :class:`Finding` and :class:`Scan`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from auditor.errors import Problem

Layer = Literal["data", "ai_analytics", "automation"]
LAYERS: tuple[Layer, ...] = ("data", "ai_analytics", "automation")
LAYER_TITLES: Mapping[str, str] = {
    "data": "Data",
    "ai_analytics": "AI / analytics",
    "automation": "Automation",
}

INTEGRATION_KINDS: tuple[str, ...] = ("api", "etl", "event", "file", "ipaas", "sso", "manual")
SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
#: A JSON value: what finding evidence and message parameters hold.
JSONValue: TypeAlias = "str | int | float | bool | None | Sequence[JSONValue] | Mapping[str, JSONValue]"


def severity_rank(severity: str) -> int:
    """Return the position of ``severity`` in :data:`SEVERITIES` (higher is worse)."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class SourceRef:
    """Provenance of one raw record: which configured source said it, and where."""

    source: str
    type: str
    source_id: str | None = None
    sanctioned: bool = True
    file: str | None = None
    line: int | None = None

    def where(self) -> str:
        """Human-readable location, e.g. ``landscape.yaml:12`` or ``okta``."""
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or self.source


@dataclass(frozen=True, kw_only=True)
class ContractFacts:
    """Contract and ownership facts of a tool (keyword-only; a record's and a canonical tool's alike)."""

    business_owner: str | None = None  # a person (``owner`` is a department)
    it_owner: str | None = None  # a person
    renewal_date: str | None = None  # ISO date
    contract_end: str | None = None  # ISO date
    licences: int | None = None  # seats bought (``users``: seats used)


@dataclass(frozen=True)
class ToolRecord(ContractFacts):
    """One tool as one source reports it; only ``name`` is known for sure."""

    name: str
    provenance: SourceRef
    id: str | None = None
    vendor: str | None = None
    category: str | None = None
    layers: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    owner: str | None = None
    annual_cost: float | None = None
    users: int | None = None
    sanctioned: bool | None = None
    capabilities: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    hints: Mapping[str, str] = field(default_factory=dict)
    #: ``plan``, ``active``, ``phase_out``, ``retired`` or ``rejected`` (:mod:`auditor.lifecycle`); None: not said.
    lifecycle: str | None = None


@dataclass(frozen=True)
class IntegrationRecord:
    """One integration as one source reports it; endpoints are references (id or name)."""

    source: str
    target: str
    kind: str
    provenance: SourceRef
    via: str | None = None
    data: tuple[str, ...] = ()
    bidirectional: bool = False


@dataclass(frozen=True)
class StepRecord:
    """One step of a flow as written in a source (tool references not yet resolved)."""

    id: str
    name: str
    provenance: SourceRef
    department: str | None = None
    tools: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    customer_facing: bool = False
    #: ids of the steps this one hands off to; ``None``: the following step (``()``: none, an end).
    next: tuple[str, ...] | None = None
    #: how the step is done as the source says it: ``manual``, ``automated``, ``user``… (None: not said)
    kind: str | None = None


@dataclass(frozen=True)
class FlowRecord:
    """One operational flow as written in a source."""

    id: str
    name: str
    steps: tuple[StepRecord, ...]
    provenance: SourceRef


KPI_LEVELS: tuple[str, ...] = ("touchpoint", "journey", "relationship")


@dataclass(frozen=True)
class Journey:
    """A whole customer journey (the relationship): the flows that are its individual journeys."""

    id: str
    name: str
    flows: tuple[str, ...] = ()
    owner: str | None = None


@dataclass(frozen=True)
class Kpi:
    """A KPI at one of :data:`KPI_LEVELS`: ``touchpoint`` (``flow`` + ``step``), ``journey`` (``flow``) or
    ``relationship`` (``journey``); the business-object words it needs, the tool computing it, its parent KPI."""

    id: str
    name: str
    level: str
    journey: str | None = None
    flow: str | None = None
    step: str | None = None
    data: tuple[str, ...] = ()
    computed_in: str | None = None  # a tool id once linked (a reference as written in a record)
    contributes_to: str | None = None


@dataclass(frozen=True)
class JourneyRecord:
    """A journey as written in a source, with where."""

    journey: Journey
    provenance: SourceRef


@dataclass(frozen=True)
class KpiRecord:
    """A KPI as written in a source (``computed_in`` not yet resolved), with where."""

    kpi: Kpi
    provenance: SourceRef


@dataclass(frozen=True)
class Inventory:
    """Everything one or more sources reported, before resolution."""

    tools: tuple[ToolRecord, ...] = ()
    integrations: tuple[IntegrationRecord, ...] = ()
    flows: tuple[FlowRecord, ...] = ()
    #: Located problems that did not stop the records from being read (e.g. duplicate ids); the
    #: pipeline reports them together with the reference errors found later.
    problems: tuple[Problem, ...] = ()
    #: What the source read but did not report, by reason (e.g. ``{"directory integration": 10}``).
    skipped: Mapping[str, int] = field(default_factory=dict)
    #: Things the user should know that did not stop the source (unknown status words, broken connections …).
    warnings: tuple[str, ...] = ()
    journeys: tuple[JourneyRecord, ...] = ()
    kpis: tuple[KpiRecord, ...] = ()

    @staticmethod
    def merge(parts: Iterable[Inventory]) -> Inventory:
        """Concatenate inventories in order."""
        tools: list[ToolRecord] = []
        integrations: list[IntegrationRecord] = []
        flows: list[FlowRecord] = []
        problems: list[Problem] = []
        skipped: dict[str, int] = {}
        warnings: list[str] = []
        journeys: list[JourneyRecord] = []
        kpis: list[KpiRecord] = []
        for part in parts:
            warnings.extend(part.warnings)
            journeys.extend(part.journeys)
            kpis.extend(part.kpis)
            tools.extend(part.tools)
            integrations.extend(part.integrations)
            flows.extend(part.flows)
            problems.extend(part.problems)
            for reason, count in part.skipped.items():
                skipped[reason] = skipped.get(reason, 0) + count
        return Inventory(tuple(tools), tuple(integrations), tuple(flows), tuple(problems), skipped, tuple(warnings),
                         tuple(journeys), tuple(kpis))


@dataclass(frozen=True)
class MergeEvidence:
    """Why a raw record was attached to a canonical tool (rule name and score)."""

    record_name: str
    source: str
    rule: str
    score: float = 1.0
    matched: str | None = None


@dataclass(frozen=True)
class Tool(ContractFacts):
    """A canonical tool of the landscape, merged from every source that reported it."""

    id: str
    name: str
    vendor: str | None = None
    category: str = "unclassified"
    layers: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    owner: str | None = None
    annual_cost: float | None = None
    users: int | None = None
    sanctioned: bool = True
    capabilities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    catalog_id: str | None = None
    evidence: tuple[MergeEvidence, ...] = ()
    #: Where the tool stands (:mod:`auditor.lifecycle`); None: no source said.
    lifecycle: str | None = None


@dataclass(frozen=True)
class Integration:
    """A directed integration between two canonical tools (``bidirectional`` counts both ways)."""

    source: str
    target: str
    kind: str
    via: str | None = None
    data: tuple[str, ...] = ()
    bidirectional: bool = False
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Stable identity of the integration inside one landscape."""
        via = f"~{self.via}" if self.via else ""
        return f"{self.source}->{self.target}:{self.kind}{via}"


@dataclass(frozen=True)
class Step:
    """A step of a flow with its resolved tools; ``inferred_tools`` came from capabilities."""

    id: str
    name: str
    department: str | None = None
    tools: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    customer_facing: bool = False
    inferred_tools: tuple[str, ...] = ()
    #: ids of the steps this one hands off to; ``None``: the following step in flow order.
    next: tuple[str, ...] | None = None
    #: how the step is done as the source says it (``manual``, ``automated``, ``user``…), None: not said.
    kind: str | None = None

    @property
    def all_tools(self) -> tuple[str, ...]:
        """The step's tools: named ones first, then those inferred from capabilities."""
        return tuple(dict.fromkeys((*self.tools, *self.inferred_tools)))


@dataclass(frozen=True)
class Flow:
    """An operational flow: a directed graph of steps; a step hands off to its successors.

    A step's successors are the steps its ``next`` names, or the following step when it has no ``next``,
    so a flow written as a straight list is the chain it always was. Loops are allowed.
    """

    id: str
    name: str
    steps: tuple[Step, ...] = ()
    sources: tuple[str, ...] = ()

    def successors(self) -> list[tuple[Step, ...]]:
        """Per step (in flow order), the steps it hands off to, as written; unknown ids and itself left out."""
        by_id = {s.id: s for s in self.steps} if any(s.next is not None for s in self.steps) else {}
        found: list[tuple[Step, ...]] = []
        for i, step in enumerate(self.steps):
            if step.next is None:
                found.append(self.steps[i + 1:i + 2])
            else:
                found.append(tuple(by_id[n] for n in dict.fromkeys(step.next) if n in by_id and n != step.id))
        return found

    def handoffs(self) -> list[tuple[Step, Step]]:
        """Hand-off pairs ``(A, B)``: each step with each of its successors, in flow order."""
        return [(step, b) for step, after in zip(self.steps, self.successors(), strict=True) for b in after]


@dataclass(frozen=True)
class Department:
    """A department and the tools it uses."""

    name: str
    tools: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One problem found by an analysis; ``id`` is stable across scans of the same input."""

    id: str
    type: str
    severity: str
    title: str
    tools: tuple[str, ...] = ()
    flow: str | None = None
    steps: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    evidence: Mapping[str, JSONValue] = field(default_factory=dict)
    recommendation: str = ""
    #: the message ``title`` and ``recommendation`` were rendered from (see :mod:`auditor.findingspec`)
    message_code: str | None = None
    message_params: Mapping[str, JSONValue] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceStatus:
    """How one configured source fared during a scan."""

    name: str
    type: str
    #: ``suspect``: read without error but returned nothing where its last good scan had tools (its last
    #: good inventory is carried over, as for ``failed``).
    status: Literal["ok", "failed", "suspect"]
    error: str | None = None
    tools: int = 0
    integrations: int = 0
    flows: int = 0
    seconds: float = 0.0
    carried_over_from: str | None = None
    #: What the source read but left out, by reason, with counts (see :attr:`Inventory.skipped`).
    skipped: Mapping[str, int] = field(default_factory=dict)
    #: The source's warnings (see :attr:`Inventory.warnings`).
    warnings: tuple[str, ...] = ()

    def skipped_text(self) -> str:
        """What was skipped, most first: ``"directory integration 10, inactive 5"`` ('' when nothing)."""
        return skipped_text(self.skipped)


def skipped_text(skipped: Mapping[str, int]) -> str:
    """Skip counts as one line, most first then by reason: ``"directory integration 10, inactive 5"``."""
    return ", ".join(f"{reason} {count}" for reason, count in sorted(skipped.items(), key=lambda i: (-i[1], i[0])))


@dataclass(frozen=True)
class Scan:
    """Metadata of one scan run."""

    id: str
    organization: str
    started_at: str
    finished_at: str
    sources: tuple[SourceStatus, ...] = ()
    tool_version: str = ""
    config_path: str | None = None
    currency: str | None = None  # reporting currency of the amounts (report.currency), None: as written
