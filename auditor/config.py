"""The ``auditor.yaml`` configuration: loading, schema validation and typed access."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError, Problem, raise_if_problems
from auditor.validation import validate_document
from auditor.yamlfile import LocatedDocument, load_yaml

DEFAULT_FORMATS: tuple[str, ...] = ("json", "md")


@dataclass(frozen=True)
class SourceConfig:
    """One entry of ``sources:``; ``settings`` holds the connector-specific keys."""

    name: str
    type: str
    settings: Mapping[str, Any]
    file: str
    line: int | None

    def problem(self, message: str) -> Problem:
        """A problem located at this source's entry in the config file."""
        return Problem(self.file, self.line, f"source '{self.name}': {message}")


@dataclass(frozen=True)
class StoreConfig:
    """``store:``: which store and its options (``path`` for embedded, ``uri``… for neo4j)."""

    type: str = "embedded"
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportConfig:
    """``report:``: output directory, formats, language and reporting currency (ISO 4217 code; None:
    amounts are reported as the sources wrote them, unconverted)."""

    out: str = "audit-report"
    formats: tuple[str, ...] = DEFAULT_FORMATS
    lang: str = "en"
    currency: str | None = None


@dataclass(frozen=True)
class AuditConfig:
    """The whole configuration, with paths resolved relative to the config file."""

    organization: str
    sources: tuple[SourceConfig, ...]
    base_dir: Path
    path: Path | None = None
    store: StoreConfig = StoreConfig()
    report: ReportConfig = ReportConfig()
    analyses: Mapping[str, Any] = field(default_factory=dict)
    resolution: Mapping[str, Any] = field(default_factory=dict)
    #: where choices checked against registries were written: ``store.type``, ``report.formats.<i>``,
    #: ``report.lang`` → line in :attr:`path` (None: not located)
    locations: Mapping[str, int | None] = field(default_factory=dict)

    def resolve_path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path


def load_config(path: Path) -> AuditConfig:
    """Load and validate ``auditor.yaml``; raises :class:`InputError` listing every problem."""
    documents = load_yaml(path)
    if len(documents) != 1:
        raise InputError([Problem(str(path), None, "expected exactly one YAML document")])
    return config_from_document(documents[0], path.resolve().parent, path)


def config_from_document(document: LocatedDocument, base_dir: Path, path: Path | None = None) -> AuditConfig:
    """Build an :class:`AuditConfig` from an already parsed document."""
    problems = validate_document(document, "config.schema.json")
    raise_if_problems(problems)
    data: dict[str, Any] = document.data
    sources: list[SourceConfig] = []
    seen: dict[str, int | None] = {}
    for index, entry in enumerate(data["sources"]):
        line = document.line_of(("sources", index))
        name = entry["name"]
        if name in seen:
            message = f"duplicate source name '{name}' (first at line {seen[name]})"
            problems.append(Problem(document.file, line, message))
        seen[name] = line
        settings = {k: v for k, v in entry.items() if k not in ("name", "type")}
        sources.append(SourceConfig(name, entry["type"], settings, document.file, line))
    raise_if_problems(problems)
    store_data = dict(data.get("store") or {})
    report_data = data.get("report") or {}
    return AuditConfig(
        organization=data["organization"],
        sources=tuple(sources),
        base_dir=base_dir,
        path=path,
        store=StoreConfig(type=store_data.pop("type", "embedded"), options=store_data),
        report=ReportConfig(
            out=report_data.get("out", "audit-report"),
            formats=tuple(report_data.get("formats", DEFAULT_FORMATS)),
            lang=report_data.get("lang", "en"),
            currency=report_data.get("currency"),
        ),
        analyses=data.get("analyses") or {},
        resolution=data.get("resolution") or {},
        locations=_locations(document, report_data),
    )


def _locations(document: LocatedDocument, report: Mapping[str, Any]) -> dict[str, int | None]:
    """Lines of the config's registry-checked choices (see :attr:`AuditConfig.locations`)."""
    found = {"store.type": document.line_of(("store", "type")), "report.lang": document.line_of(("report", "lang"))}
    for index in range(len(report.get("formats", ()))):
        found[f"report.formats.{index}"] = document.line_of(("report", "formats", index))
    return found
