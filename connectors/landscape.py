"""The native landscape format: YAML files with ``tools``, ``integrations`` and ``flows`` sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.contracts import iso_date
from auditor.errors import InputError, Problem, raise_if_problems
from auditor.model import (
    FlowRecord,
    IntegrationRecord,
    Inventory,
    Journey,
    JourneyRecord,
    Kpi,
    KpiRecord,
    StepRecord,
    ToolRecord,
)
from auditor.slug import slugify
from auditor.validation import validate_document
from auditor.yamlfile import LocatedDocument, load_yaml
from connectors.base import Connector, display_path


@dataclass(frozen=True)
class LandscapeSettings:
    """Settings of the ``landscape`` source."""

    path: str = field(metadata={"help": "a landscape YAML file, or a folder of *.yaml / *.yml files"})


class LandscapeConnector(Connector[LandscapeSettings, list[LocatedDocument]]):
    """Reads the native YAML landscape format (see docs/landscape-format.md)."""

    type_id = "landscape"
    description = "native YAML landscape files (tools, integrations, flows, journeys, KPIs)"
    settings_class = LandscapeSettings
    sanctioned = True

    def is_local(self) -> bool:
        return True

    def files(self) -> list[Path]:
        """The YAML files this source reads, in a stable order."""
        root = self.context.existing_path(self.settings.path, "landscape file")
        if root.is_dir():
            return sorted([*root.glob("*.yaml"), *root.glob("*.yml")])
        return [root]

    def get(self) -> list[LocatedDocument]:
        documents: list[LocatedDocument] = []
        problems: list[Problem] = []
        for path in self.files():
            try:
                documents.extend(load_yaml(path, display=display_path(path)))
            except InputError as exc:
                problems.extend(exc.problems)
        raise_if_problems(problems)
        return documents

    def transform(self, raw: list[LocatedDocument]) -> Inventory:
        problems: list[Problem] = []
        tools: list[ToolRecord] = []
        integrations: list[IntegrationRecord] = []
        flows: list[FlowRecord] = []
        journeys: list[JourneyRecord] = []
        kpis: list[KpiRecord] = []
        for document in raw:
            if document.data is None:
                continue
            schema_problems = validate_document(document, "landscape.schema.json")
            if schema_problems:
                problems.extend(schema_problems)
                continue
            tools.extend(self._tools(document, problems))
            integrations.extend(self._integrations(document))
            flows.extend(self._flows(document))
            journeys.extend(self._journeys(document))
            kpis.extend(self._kpis(document))
        raise_if_problems(problems)
        return Inventory(tuple(tools), tuple(integrations), tuple(flows), tuple(_duplicate_ids(tools, flows)),
                         journeys=tuple(journeys), kpis=tuple(kpis))

    def _ref(self, document: LocatedDocument, path: tuple[str | int, ...], source_id: str | None = None) -> Any:
        return self.provenance(source_id, file=document.file, line=document.line_of(path))

    def _tools(self, document: LocatedDocument, problems: list[Problem]) -> list[ToolRecord]:
        records = []
        for i, item in enumerate(document.data.get("tools", [])):
            dates: dict[str, str | None] = {}
            for key in ("renewal_date", "contract_end"):
                try:
                    dates[key] = iso_date(item.get(key))
                except ValueError:
                    problems.append(document.problem(("tools", i, key), f"{key} {item.get(key)!r} is not a date "
                                                                        "(write YYYY-MM-DD)"))
            records.append(ToolRecord(
                name=item["name"],
                provenance=self._ref(document, ("tools", i), item.get("id")),
                id=item.get("id"),
                vendor=item.get("vendor"),
                category=item.get("category"),
                layers=tuple(item.get("layers", ())),
                departments=tuple(item.get("departments", ())),
                owner=item.get("owner"),
                annual_cost=item.get("annual_cost"),
                users=item.get("users"),
                sanctioned=item.get("sanctioned"),
                capabilities=tuple(item.get("capabilities", ())),
                domains=tuple(item.get("domains", ())),
                lifecycle=item.get("lifecycle"),
                business_owner=item.get("business_owner"),
                it_owner=item.get("it_owner"),
                licences=item.get("licences"),
                renewal_date=dates.get("renewal_date"),
                contract_end=dates.get("contract_end"),
            ))
        return records

    def _integrations(self, document: LocatedDocument) -> list[IntegrationRecord]:
        records = []
        for i, item in enumerate(document.data.get("integrations", [])):
            records.append(IntegrationRecord(
                source=str(item["from"]),
                target=str(item["to"]),
                kind=item.get("kind", "api"),
                provenance=self._ref(document, ("integrations", i)),
                via=item.get("via"),
                data=tuple(item.get("data", ())),
                bidirectional=bool(item.get("bidirectional", False)),
            ))
        return records

    def _flows(self, document: LocatedDocument) -> list[FlowRecord]:
        flows = []
        for i, item in enumerate(document.data.get("flows", [])):
            steps = tuple(
                StepRecord(
                    id=step["id"],
                    name=step.get("name", step["id"]),
                    provenance=self._ref(document, ("flows", i, "steps", j)),
                    department=step.get("department"),
                    tools=tuple(str(t) for t in step.get("tools", ())),
                    requires=tuple(step.get("requires", ())),
                    capabilities=tuple(step.get("capabilities", ())),
                    customer_facing=bool(step.get("customer_facing", False)),
                    next=_next_ids(step.get("next")),
                    kind=step.get("kind"),
                    names=_names(step.get("names")),
                )
                for j, step in enumerate(item["steps"])
            )
            flows.append(FlowRecord(item["id"], item.get("name", item["id"]), steps,
                                    self._ref(document, ("flows", i), item["id"]), names=_names(item.get("names"))))
        return flows

    def _journeys(self, document: LocatedDocument) -> list[JourneyRecord]:
        return [JourneyRecord(Journey(item["id"], item.get("name", item["id"]), tuple(item["flows"]),
                                      item.get("owner")),
                              self._ref(document, ("journeys", i), item["id"]))
                for i, item in enumerate(document.data.get("journeys", []))]

    def _kpis(self, document: LocatedDocument) -> list[KpiRecord]:
        return [KpiRecord(Kpi(item["id"], item.get("name", item["id"]), item["level"], item.get("journey"),
                              item.get("flow"), item.get("step"), tuple(item["data"]), str(item["computed_in"]),
                              item.get("contributes_to")),
                          self._ref(document, ("kpis", i), item["id"]))
                for i, item in enumerate(document.data.get("kpis", []))]


def _names(value: Any) -> tuple[tuple[str, str], ...]:
    """``names: {ja: 受注登録}`` (the schema checked it) as sorted ``(lang, name)`` pairs."""
    return tuple(sorted((str(lang), str(name)) for lang, name in (value or {}).items()))


def _next_ids(value: Any) -> tuple[str, ...] | None:
    """A step's ``next``: one id or a list of ids (``[]``: an end step); absent → None (the following step)."""
    if value is None:
        return None
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def _duplicate_ids(tools: list[ToolRecord], flows: list[FlowRecord]) -> list[Problem]:
    """Duplicate explicit tool ids, flow ids and step ids within a flow."""
    problems: list[Problem] = []

    def check(kind: str, key: str, where: Any, seen: dict[str, Any]) -> None:
        if key in seen:
            problems.append(Problem(where.file or where.source, where.line,
                                    f"duplicate {kind} id '{key}' (first defined at {seen[key].where()})"))
        else:
            seen[key] = where

    seen_tools: dict[str, Any] = {}
    for tool in tools:
        check("tool", tool.id or slugify(tool.name), tool.provenance, seen_tools)
    seen_flows: dict[str, Any] = {}
    for flow in flows:
        check("flow", flow.id, flow.provenance, seen_flows)
        seen_steps: dict[str, Any] = {}
        for step in flow.steps:
            check(f"step (in flow '{flow.id}')", step.id, step.provenance, seen_steps)
    return problems
