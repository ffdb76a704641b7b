"""The ``backstage`` source: the Backstage software catalog as the inventory of internal tools.

Reads ``catalog-info.yaml`` files (multi-document; ``Location`` and other non-tool kinds skipped) or
the REST API ``GET /api/catalog/entities/by-query`` (cursor pagination), or a saved export of it.
Components, systems and resources become internal tools (a sanctioned source); ``spec.owner`` is the
owning department (``group:default/team-a`` → ``team-a``, or the group's display name);
``spec.type`` is a category hint. ``dependsOn`` becomes an ``api`` integration (both ways), and an
API a component consumes links the API's provider to the consumer (``providesApis`` /
``consumesApis``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError, Problem, raise_if_problems
from auditor.lifecycle import LifecycleReader
from auditor.model import IntegrationRecord, Inventory, ToolRecord
from auditor.slug import slugify
from auditor.yamlfile import load_yaml
from connectors.base import Connector, ConnectorError
from connectors.http import (
    Cursor,
    Section,
    api_client,
    bearer,
    deadline_setting,
    env_secret,
    load_export,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    timeout_setting,
)

ENTITIES = Cursor(items_path=("items",), cursor_path=("pageInfo", "nextCursor"), param="cursor",
                  keep=("limit", "fields"))
SECTIONS: tuple[Section, ...] = (Section("entities", ENTITIES),)
#: Kinds read from the API: tools, APIs (to link providers and consumers) and groups (display names).
API_KINDS: tuple[str, ...] = ("component", "system", "resource", "api", "group")
#: ``spec.type`` values that say which taxonomy category a tool is in.
TYPE_CATEGORIES: Mapping[str, str] = {
    "database": "database", "postgres": "database", "mysql": "database", "data-warehouse": "data-warehouse",
    "warehouse": "data-warehouse", "kafka-topic": "streaming", "topic": "streaming", "queue": "streaming",
    "s3-bucket": "file-storage", "bucket": "file-storage", "storage": "file-storage", "dashboard": "bi",
    "ml-model": "ml-platform", "website": "cms",
}
#: Default kind of a reference written without one, per field.
_DEFAULT_KIND = {"owner": "group", "system": "system", "consumesApis": "api", "providesApis": "api",
                 "dependsOn": "component", "memberOf": "group"}
#: Relation types (API answers) that mirror the spec fields.
_RELATIONS = {"dependsOn": "dependsOn", "consumesApi": "consumesApis", "providesApi": "providesApis"}


@dataclass(frozen=True)
class BackstageSettings:
    """Settings of the ``backstage`` source."""

    path: str | None = field(default=None, metadata={
        "help": "a catalog-info.yaml file, or a folder searched for *.yaml / *.yml (recursively)"})
    base_url: str | None = field(default=None, metadata={"help": "Backstage backend, e.g. https://backstage.acme.com"})
    token_env: str | None = secret_env(None, "a Backstage token (static or service token); none for guest")
    file: str | None = saved_file("a saved by-query answer")
    kinds: tuple[str, ...] = field(default=("component", "system", "resource"), metadata={
        "help": "entity kinds reported as tools"})
    group_by_system: bool = field(default=False, metadata={
        "help": "report each system as one tool that stands for its components and resources"})
    include_deprecated: bool = field(default=False, metadata={
        "help": "also report lifecycle: deprecated (as phase_out tools)"})
    lifecycle_words: dict[str, str] = field(default_factory=dict, metadata={
        "help": "spec.lifecycle word → lifecycle (plan, active, phase_out, retired, rejected), added to the "
                "default vocabulary (experimental → plan, production → active, deprecated → phase_out)"})
    page_size: int = field(default=500, metadata={"help": "entities per page (limit)"})
    timeout: float = timeout_setting()
    retries: int = retries_setting()
    max_pages: int = max_pages_setting()
    deadline: float = deadline_setting()


Entity = tuple[Mapping[str, Any], str | None, int | None]  # entity, file, line


def parse_ref(ref: Any, default_kind: str, default_namespace: str = "default") -> tuple[str, str, str] | None:
    """``[kind:][namespace/]name`` → ``(kind, namespace, name)`` in lower case; None if empty."""
    if isinstance(ref, Mapping):  # the long form {kind, namespace, name}
        kind, namespace, name = ref.get("kind"), ref.get("namespace"), ref.get("name")
    else:
        text = str(ref or "").strip()
        if not text:
            return None
        kind, _, rest = text.partition(":") if ":" in text else (None, "", text)
        namespace, _, name = rest.rpartition("/")
    if not name:
        return None
    return (str(kind or default_kind).casefold(), str(namespace or default_namespace).casefold(),
            str(name).casefold())


def ref_name(ref: Any) -> str | None:
    """The bare name of an entity reference (``group:default/team-a`` → ``team-a``)."""
    parsed = parse_ref(ref, "group")
    return parsed[2] if parsed else None


class BackstageConnector(Connector[BackstageSettings, list[Entity]]):
    """Components, systems and resources of a Backstage catalog (an official inventory)."""

    type_id = "backstage"
    description = "Backstage catalog: components, systems, resources, their dependencies and APIs"
    settings_class = BackstageSettings
    sanctioned = True

    def is_local(self) -> bool:
        return self.settings.base_url is None

    def get(self) -> list[Entity]:
        """Entities with the file and line they were read from (None for API answers)."""
        source, settings = self.context.source_name, self.settings
        given = [k for k in ("path", "base_url", "file") if getattr(settings, k)]
        if len(given) != 1:
            raise ConnectorError(source, "set exactly one of 'path', 'base_url' and 'file'"
                                 + (f" (got {', '.join(given)})" if given else ""),
                                 hint="path: catalog files; base_url: the catalog API; file: a saved API answer")
        if settings.path:
            return self._read_files(self.context.existing_path(settings.path, "catalog file"))
        if settings.file:
            exported = load_export(source, self.context.path(settings.file), SECTIONS)["entities"]
            return [(e, None, None) for e in exported if isinstance(e, Mapping)]
        auth = bearer(env_secret(source, settings.token_env, "Backstage token")) if settings.token_env else None
        params = {"filter": [f"kind={kind}" for kind in API_KINDS], "limit": max(1, settings.page_size)}
        with api_client(self, str(settings.base_url), auth=auth, token_env=settings.token_env) as api:
            return [(e, None, None) for e in api.items("/api/catalog/entities/by-query", params, ENTITIES,
                                                         label="catalog entities") if isinstance(e, Mapping)]

    def _read_files(self, root: Path) -> list[Entity]:
        files = sorted([*root.rglob("*.yaml"), *root.rglob("*.yml")]) if root.is_dir() else [root]
        entities: list[Entity] = []
        problems: list[Problem] = []
        for file in files:
            try:
                documents = load_yaml(file)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            for document in documents:
                data = document.data
                if data is None:
                    continue
                if not isinstance(data, Mapping) or not data.get("kind") or \
                        not isinstance(data.get("metadata"), Mapping) or not data["metadata"].get("name"):
                    problems.append(document.problem((), "not a Backstage entity (needs kind and metadata.name)"))
                    continue
                entities.append((data, document.file, document.line_of(())))
        raise_if_problems(problems)
        return entities

    def transform(self, raw: list[Entity]) -> Inventory:
        wanted = {k.casefold() for k in self.settings.kinds}
        by_ref: dict[tuple[str, str, str], Entity] = {}
        for item in raw:
            ref = _ref_of(item[0])
            if ref is not None and ref[0] != "location":
                by_ref.setdefault(ref, item)
        groups = {ref[2]: str(((e.get("spec") or {}).get("profile") or {}).get("displayName") or ref[2])
                  for ref, (e, _, _) in by_ref.items() if ref[0] == "group"}
        names: dict[tuple[str, str, str], str] = {}
        tools: list[ToolRecord] = []
        skipped: Counter[str] = Counter()
        lifecycles = LifecycleReader(self.settings.lifecycle_words)
        for ref, (entity, file, line) in by_ref.items():
            if ref[0] not in wanted:
                skipped[f"kind {entity.get('kind') or ref[0]} (not in kinds)"] += 1
                continue
            if not self._active(entity):
                skipped["deprecated (lifecycle)"] += 1
                continue
            if self.settings.group_by_system and ref[0] != "system":
                system = parse_ref((entity.get("spec") or {}).get("system"), "system", ref[1])
                if system is not None and system in by_ref:
                    continue  # stands in its system
            names[ref] = _title(entity)
            tools.append(self._tool(ref, entity, file, line, groups, lifecycles))
        if self.settings.group_by_system:
            for ref, (entity, _, _) in by_ref.items():
                system = parse_ref((entity.get("spec") or {}).get("system"), "system", ref[1])
                if ref not in names and system in names and system is not None:
                    names[ref] = names[system]
        integrations = _integrations(by_ref, names, self.provenance)
        return Inventory(tuple(tools), tuple(integrations), skipped=dict(skipped),
                         warnings=lifecycles.warnings(self.context.source_name, "spec.lifecycle"))

    def _active(self, entity: Mapping[str, Any]) -> bool:
        lifecycle = str((entity.get("spec") or {}).get("lifecycle") or "").casefold()
        return self.settings.include_deprecated or lifecycle != "deprecated"

    def _tool(self, ref: tuple[str, str, str], entity: Mapping[str, Any], file: str | None, line: int | None,
              groups: Mapping[str, str], lifecycles: LifecycleReader) -> ToolRecord:
        """The entity as a tool record; its declared name is its id, so the name stays what the catalog
        says (a catalog product it matches is linked as evidence, not as a new name)."""
        spec = entity.get("spec") or {}
        owner_ref = parse_ref(spec.get("owner"), "group", ref[1])
        owner = None
        if owner_ref is not None:
            owner = groups.get(owner_ref[2], owner_ref[2]) if owner_ref[0] == "group" else owner_ref[2]
        kind_type = str(spec.get("type") or "").casefold()
        hints = {"backstage_kind": ref[0], "backstage_type": kind_type,
                 "category": TYPE_CATEGORIES.get(kind_type, ""), "lifecycle": str(spec.get("lifecycle") or ""),
                 "backstage_system": ref_name(spec.get("system")) or ""}
        provenance = self.provenance(f"{ref[0]}:{ref[1]}/{ref[2]}")
        if file:
            provenance = self.provenance(f"{ref[0]}:{ref[1]}/{ref[2]}", file=file, line=line)
        return ToolRecord(name=_title(entity), provenance=provenance, owner=owner, id=slugify(ref[2]) or None,
                          departments=(owner,) if owner and owner_ref and owner_ref[0] == "group" else (),
                          hints={k: v for k, v in hints.items() if v},
                          lifecycle=lifecycles.read(str(spec.get("lifecycle") or "")))


def _ref_of(entity: Mapping[str, Any]) -> tuple[str, str, str] | None:
    metadata = entity.get("metadata") or {}
    if not isinstance(metadata, Mapping) or not metadata.get("name"):
        return None
    return (str(entity.get("kind") or "").casefold(), str(metadata.get("namespace") or "default").casefold(),
            str(metadata["name"]).casefold())


def _title(entity: Mapping[str, Any]) -> str:
    metadata = entity.get("metadata") or {}
    return str(metadata.get("title") or metadata.get("name"))


def _links(entity: Mapping[str, Any], namespace: str, field_name: str) -> list[tuple[str, str, str]]:
    """References in ``spec.<field_name>`` plus the mirrored relations of an API answer."""
    spec = entity.get("spec") or {}
    refs: list[Any] = list(spec.get(field_name) or [])
    refs.extend(r.get("targetRef") for r in entity.get("relations") or []
                if isinstance(r, Mapping) and _RELATIONS.get(str(r.get("type"))) == field_name)
    parsed = (parse_ref(r, _DEFAULT_KIND[field_name], namespace) for r in refs)
    return list(dict.fromkeys(p for p in parsed if p is not None))


def _integrations(by_ref: Mapping[tuple[str, str, str], Entity], names: Mapping[tuple[str, str, str], str],
                  provenance: Any) -> Iterable[IntegrationRecord]:
    providers: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
    for ref, (entity, _, _) in by_ref.items():
        for api in _links(entity, ref[1], "providesApis"):
            providers.setdefault(api, []).append(ref)
    seen: set[tuple[str, str, str, str]] = set()
    records: list[IntegrationRecord] = []

    def add(source: str, target: str, data: str, entity_ref: tuple[str, str, str], both: bool) -> None:
        key = (source, target, data, str(both))
        if source != target and key not in seen:
            seen.add(key)
            records.append(IntegrationRecord(source, target, "api", provenance(f"{entity_ref[0]}:{entity_ref[1]}/"
                                                                               f"{entity_ref[2]}"),
                                             data=(data,) if data else (), bidirectional=both))

    for ref, (entity, _, _) in by_ref.items():
        if ref not in names:
            continue
        for dependency in _links(entity, ref[1], "dependsOn"):
            if dependency in names:
                add(names[ref], names[dependency], "", ref, True)
        for api in _links(entity, ref[1], "consumesApis"):
            for provider in providers.get(api, []):
                if provider in names:
                    add(names[provider], names[ref], api[2], ref, False)
    return records
