"""The ``leanix`` preset: a LeanIX-style "Full Snapshot" workbook → tools and integrations.

Layout (see docs/connectors/spreadsheet.md): one sheet per fact-sheet type (``Application``,
``Interface``, …) with the field keys in row 1 and human labels in row 2; one sheet per relation
type with ``fromRelatedFactSheetDisplayName/Type`` and ``toRelatedFactSheetDisplayName/Type``.
Relations are matched on the fact sheets' ``displayName`` (the hierarchy path ``Parent / Child``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.errors import Problem
from auditor.lifecycle import LifecycleReader
from auditor.model import IntegrationRecord, SourceRef, ToolRecord
from connectors.spreadsheet.fields import (
    GENERIC_COLUMNS,
    RETIRED_STATUSES,
    is_retired,
    map_columns,
    row_fields,
    row_lifecycle,
)
from connectors.spreadsheet.money import MoneyReader, MoneySettings
from connectors.spreadsheet.table import Row, Sheet, Table, split_list, table

Provenance = Callable[..., SourceRef]

#: Application-sheet headers the ``leanix`` preset recognises (field keys first, then labels).
LEANIX_COLUMNS: Mapping[str, tuple[str, ...]] = {
    **{key: () for key in GENERIC_COLUMNS},
    "name": ("displayName", "name", "Display Name", "Name"),
    "source_id": ("id", "ID"),
    "department": ("tags:Department", "tags:Business Unit", "department"),
    "annual_cost": ("costTotalAnnual", "totalAnnualCost", "annualCost"),
    "users": ("numberOfUsers", "users"),
    "status": ("status",),
    "lifecycle": ("lifecycle", "lifecycle:asString", "Lifecycle", "lifecyclePhase"),
    "domains": ("url", "website"),
}

_FROM_NAME, _FROM_TYPE = "fromRelatedFactSheetDisplayName", "fromRelatedFactSheetType"
_TO_NAME, _TO_TYPE = "toRelatedFactSheetDisplayName", "toRelatedFactSheetType"
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("manual", ("manual", "e-mail", "email", "paper")),
    ("file", ("file", "sftp", "ftp", "csv")),
    ("etl", ("etl", "elt", "batch")),
    ("event", ("event", "message", "queue", "kafka", "webhook", "stream")),
    ("ipaas", ("ipaas", "middleware", "esb")),
    ("api", ("api", "rest", "soap", "graphql", "http")),
)


def integration_kind(text: str) -> str:
    """``"REST API"`` → ``api``, ``"SFTP file drop"`` → ``file`` …; ``api`` when nothing matches."""
    lowered = text.casefold()
    for kind, words in _KIND_WORDS:
        if any(word in lowered for word in words):
            return kind
    return "api"


@dataclass
class _Interface:
    row: Row
    name: str
    source_id: str | None
    kind: str
    direction: str
    providers: list[str] = field(default_factory=list)
    consumers: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)


def _leanix_table(sheet: Sheet) -> Table:
    """Row 1 = field keys; row 2 = labels (skipped when it looks like one)."""
    first = table(sheet, header_row=1)
    label_row = first.data[0] if first.data else None
    looks_like_labels = label_row is not None and label_row.number == 2 and any(
        label_row.get(key).casefold() in {"id", "name", "display name", "type"}
        for key in ("id", "name", "displayName", "type"))
    return table(sheet, header_row=1, skip_after_header=1) if looks_like_labels else first


def _find_sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    return next((s for s in sheets if (s.name or "").casefold() == name.casefold()), None)


def _owner_column(tab: Table) -> str | None:
    subscriptions = [h for h in tab.headers if h.casefold().startswith("subscriptions:")]
    return next((h for h in subscriptions if "owner" in h.casefold()),
                next((h for h in subscriptions if ":responsible:" in h.casefold()), None))


class LeanixReader:
    """Builds records from the sheets of one LeanIX-style workbook."""

    def __init__(self, sheets: list[Sheet], provenance: Provenance, columns: Mapping[str, str],
                 application_sheet: str = "Application", interface_sheet: str = "Interface",
                 retired_statuses: tuple[str, ...] = RETIRED_STATUSES, *, money: MoneyReader | None = None,
                 lifecycles: LifecycleReader | None = None) -> None:
        self.sheets = sheets
        self.provenance = provenance
        self.columns = columns
        self.application_sheet = application_sheet
        self.interface_sheet = interface_sheet
        self.retired_statuses = retired_statuses
        #: reads costs (LeanIX writes them as plain numbers in the workspace's currency)
        self.money = money or MoneyReader(MoneySettings(), None, not_amount="is not a number")
        self.problems: list[Problem] = []
        self.apps: dict[str, dict[str, Any]] = {}  # displayName → ToolRecord kwargs
        self.retired: set[str] = set()
        self.lifecycles = lifecycles or LifecycleReader()
        #: applications left out, by reason (``Inventory.skipped``)
        self.skipped: Counter[str] = Counter()
        self.interfaces: dict[str, _Interface] = {}

    def read(self) -> tuple[list[ToolRecord], list[IntegrationRecord], list[Problem]]:
        """Records and located problems of the whole workbook."""
        apps = _find_sheet(self.sheets, self.application_sheet)
        if apps is None:
            names = ", ".join(repr(s.name) for s in self.sheets)
            file = self.sheets[0].file if self.sheets else "?"
            return [], [], [Problem(file, None, f"no '{self.application_sheet}' sheet (sheets: {names}); "
                                                "set 'sheet' to the applications sheet")]
        self._applications(_leanix_table(apps))
        interfaces = _find_sheet(self.sheets, self.interface_sheet)
        if interfaces is not None:
            self._interfaces(_leanix_table(interfaces))
        for sheet in self.sheets:
            if sheet not in (apps, interfaces):
                relation = _leanix_table(sheet)
                if {_FROM_NAME, _TO_NAME, _FROM_TYPE, _TO_TYPE} <= set(relation.headers):
                    self._relations(relation)
        tools = [ToolRecord(**values) for values in self.apps.values()]
        return tools, self._integrations(), self.problems

    def _applications(self, tab: Table) -> None:
        columns, problems = map_columns(tab, self.columns, LEANIX_COLUMNS)
        self.problems.extend(problems)
        if problems:
            return
        display = tab.find(["displayName", "Display Name"])
        owner = _owner_column(tab) if "owner" not in self.columns else columns["owner"]
        for row in tab.data:
            values, problems = row_fields(row, columns, self.money)
            self.problems.extend(problems)
            key = row.get(display) or values["name"]
            if problems or not key:
                continue
            if (status := row_lifecycle(values, self.retired_statuses, self.lifecycles)) is not None:
                self.retired.add(key)
                self.skipped[f"retired status ({status.casefold()})"] += 1
                continue
            source_id, tool_id = values.pop("source_id"), values.pop("tool_id")
            owners = split_list(row.get(owner))
            values.update(id=tool_id, owner=values["owner"] or (owners[0] if owners else None),
                          provenance=self.provenance(source_id, file=row.sheet.where(), line=row.number))
            self.apps[key] = values

    def _interfaces(self, tab: Table) -> None:
        name = tab.find(["displayName", "name", "Display Name", "Name"])
        source_id = tab.find(["id", "ID"])
        kind = tab.find(["interfaceType", "technology", "kind", "Interface Type"])
        direction = tab.find(["dataFlowDirection", "Data Flow Direction", "direction"])
        providers = tab.find(["relInterfaceToProviderApplication", "Provider Application", "provider"])
        consumers = tab.find(["relInterfaceToConsumerApplication", "Consumer Application", "consumer"])
        for row in tab.data:
            if is_retired(row.get(tab.find(["status"])), self.retired_statuses):
                continue
            key = row.get(name)
            if not key:
                self.problems.append(row.problem(name, "the interface name is empty"))
                continue
            item = _Interface(row, key, row.get(source_id) or None, integration_kind(row.get(kind)),
                              row.get(direction).casefold())
            item.providers.extend(split_list(row.get(providers)))
            item.consumers.extend(split_list(row.get(consumers)))
            self.interfaces[key] = item

    def _relations(self, tab: Table) -> None:
        relation_type = (tab.sheet.name or "").casefold()
        for row in tab.data:
            ends = {row.get(_FROM_TYPE).casefold(): row.get(_FROM_NAME),
                    row.get(_TO_TYPE).casefold(): row.get(_TO_NAME)}
            kind = (row.get(tab.find(["type"])) or relation_type).casefold()
            app, interface = ends.get("application"), ends.get("interface")
            if app and interface:
                self._link_interface(row, kind, app, interface)
            elif app and ends.get("usergroup"):
                self._app_attribute(row, app, "departments", ends["usergroup"])
            elif app and ends.get("provider"):
                self._app_attribute(row, app, "vendor", ends["provider"])
            elif interface and ends.get("dataobject") and interface in self.interfaces:
                self.interfaces[interface].data.append(ends["dataobject"])
            elif app and ends.get("itcomponent"):
                self._it_component_cost(tab, row, app)

    def _known_app(self, row: Row, app: str) -> bool:
        if app in self.apps:
            return True
        if app not in self.retired:
            self.problems.append(row.problem(_FROM_NAME, f"unknown application '{app}' "
                                                         f"(not in sheet '{self.application_sheet}')"))
        return False

    def _link_interface(self, row: Row, kind: str, app: str, interface: str) -> None:
        if not self._known_app(row, app):
            return
        item = self.interfaces.get(interface)
        if item is None:
            self.problems.append(row.problem(_TO_NAME, f"unknown interface '{interface}' "
                                                       f"(not in sheet '{self.interface_sheet}')"))
            return
        if "provider" in kind:
            item.providers.append(app)
        elif "consumer" in kind:
            item.consumers.append(app)

    def _app_attribute(self, row: Row, app: str, key: str, value: str) -> None:
        if not self._known_app(row, app):
            return
        if key == "departments":
            self.apps[app]["departments"] = tuple(dict.fromkeys([*self.apps[app]["departments"], value]))
        elif not self.apps[app].get(key):
            self.apps[app][key] = value

    def _it_component_cost(self, tab: Table, row: Row, app: str) -> None:
        column = tab.find(["costTotalAnnual"])
        text = row.get(column)
        if not text or not self._known_app(row, app):
            return
        cost = self.money.read(row, (text, column), ("", None), self.problems)
        if cost is not None:
            self.apps[app]["annual_cost"] = (self.apps[app].get("annual_cost") or 0.0) + cost.as_float()

    def _integrations(self) -> list[IntegrationRecord]:
        records: list[IntegrationRecord] = []
        for item in self.interfaces.values():
            names = {app: self.apps[app]["name"] for app in [*item.providers, *item.consumers] if app in self.apps}
            for app in [*item.providers, *item.consumers]:
                if app not in names and app not in self.retired:
                    self.problems.append(item.row.problem(None, f"interface '{item.name}' names unknown "
                                                                f"application '{app}'"))
            ref = self.provenance(item.source_id, file=item.row.sheet.where(), line=item.row.number)
            for provider in dict.fromkeys(item.providers):
                for consumer in dict.fromkeys(item.consumers):
                    if provider == consumer or provider not in names or consumer not in names:
                        continue
                    source, target = names[provider], names[consumer]
                    if "incoming" in item.direction:
                        source, target = target, source
                    records.append(IntegrationRecord(source, target, item.kind, ref, data=tuple(item.data),
                                                     bidirectional="bidirectional" in item.direction))
        return records
