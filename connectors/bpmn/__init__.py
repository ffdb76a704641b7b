"""The ``bpmn`` source: flows from BPMN 2.0 process models (Camunda Modeler, bpmn.io, Signavio, Bizagi,
ARIS exports). See docs/connectors/bpmn.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import InputError, Problem, raise_if_problems
from auditor.model import FlowRecord, Inventory, ToolRecord
from auditor.validation import validate_document
from auditor.yamlfile import load_yaml
from connectors.base import Connector, ConnectorError, display_path
from connectors.bpmn.flows import FlowBuilder, ToolMapping
from connectors.bpmn.model import Model, read_model
from connectors.bpmn.xmlread import read_xml

SUBPROCESS_MODES = ("step", "expand")


@dataclass(frozen=True)
class BpmnSettings:
    """Settings of the ``bpmn`` source."""

    path: str = field(metadata={"help": "a BPMN 2.0 XML file, or a folder of *.bpmn, *.bpmn2, *.bpmn20.xml files"})
    subprocesses: str = field(default="step", metadata={
        "help": "'step': a subprocess is one step (with the tools of what is inside); 'expand': its "
                "activities are steps"})
    mapping: str | None = field(default=None, metadata={
        "help": "YAML file naming tools per task, lane and data store name, for models you cannot edit"})
    join_pools: bool = field(default=True, metadata={
        "help": "company pools joined by message flows are one flow, the messages its hand-offs (false: a "
                "flow per pool, the messages between them counted as left out)"})
    external_pools: tuple[str, ...] = field(default=(), metadata={
        "help": "names of pools that are not the company's (pools without a process always are)"})


@dataclass(frozen=True)
class BpmnFiles:
    """What :meth:`BpmnConnector.get` read: the models and the mapping."""

    models: tuple[Model, ...]
    mapping: ToolMapping


class BpmnConnector(Connector[BpmnSettings, BpmnFiles]):
    """Reads flows from BPMN 2.0 XML: pools → flows, lanes → departments, activities → steps."""

    type_id = "bpmn"
    description = "BPMN 2.0 process models (flows, lanes as departments, tools from data stores)"
    settings_class = BpmnSettings
    sanctioned = True

    def is_local(self) -> bool:
        return True

    def check_settings(self) -> list[str]:
        if self.settings.subprocesses not in SUBPROCESS_MODES:
            return [f"subprocesses must be one of {', '.join(SUBPROCESS_MODES)}, not '{self.settings.subprocesses}'"]
        return []

    def files(self) -> list[Path]:
        """The BPMN files this source reads, in a stable order."""
        root = self.context.existing_path(self.settings.path, "BPMN file")
        if root.is_dir():
            return sorted({*root.glob("*.bpmn"), *root.glob("*.bpmn20.xml"), *root.glob("*.bpmn2")})
        return [root]

    def get(self) -> BpmnFiles:
        models: list[Model] = []
        problems: list[Problem] = []
        for path in self.files():
            try:
                models.append(read_model(read_xml(path, display_path(path))))
            except InputError as exc:
                problems.extend(exc.problems)
        mapping = ToolMapping()
        if self.settings.mapping:
            try:
                mapping = self._mapping(self._mapping_path(self.settings.mapping))
            except InputError as exc:
                problems.extend(exc.problems)
        raise_if_problems(problems)
        return BpmnFiles(tuple(models), mapping)

    def _mapping_path(self, value: str) -> Path:
        path = self.context.path(value)
        if not path.is_file():
            raise ConnectorError(self.context.source_name, "BPMN mapping file not found", where=str(path),
                                 hint="check 'mapping' in the config (relative to the config file)")
        return path

    def _mapping(self, path: Path) -> ToolMapping:
        documents = load_yaml(path, display=display_path(path))
        problems = [p for d in documents if d.data is not None
                    for p in validate_document(d, "bpmn-mapping.schema.json")]
        raise_if_problems(problems)
        found: dict[str, dict[str, tuple[str, ...]]] = {"tasks": {}, "lanes": {}, "data_stores": {}}
        for document in documents:
            for section, table in (document.data or {}).items():
                for name, tools in table.items():
                    found[section][" ".join(str(name).split()).casefold()] = (
                        (tools,) if isinstance(tools, str) else tuple(tools))
        return ToolMapping(found["tasks"], found["lanes"], found["data_stores"])

    def transform(self, raw: BpmnFiles) -> Inventory:
        problems = [p for m in raw.models for p in m.problems]
        raise_if_problems(problems)
        flows: list[FlowRecord] = []
        tools: dict[str, ToolRecord] = {}
        skipped: Counter[str] = Counter()
        problems = []
        for model in raw.models:
            built = FlowBuilder(model, self.provenance(file=model.file), raw.mapping,
                                self.settings.subprocesses == "expand", self.settings.external_pools,
                                self.settings.join_pools).build()
            flows.extend(built.flows)
            for name, where in built.tools.items():
                tools.setdefault(name.casefold(), ToolRecord(name, where))
            skipped.update(built.skipped)
            problems.extend(built.problems)
        raise_if_problems(problems)
        _check_unique(flows)
        return Inventory(tools=tuple(tools.values()), flows=tuple(flows), skipped=dict(skipped))


def _check_unique(flows: list[FlowRecord]) -> None:
    seen: dict[str, FlowRecord] = {}
    problems = []
    for flow in flows:
        if flow.id in seen:
            problems.append(Problem(flow.provenance.file or flow.provenance.source, flow.provenance.line,
                                    f"process '{flow.id}' is also defined at {seen[flow.id].provenance.where()}: "
                                    "flow ids must be unique within a source"))
        seen.setdefault(flow.id, flow)
    raise_if_problems(problems)


