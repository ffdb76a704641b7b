"""The ``spreadsheet`` source: CSV and XLSX application inventories (generic or LeanIX-style).

``get`` reads the file(s) with pandas into plain :class:`~connectors.spreadsheet.table.Sheet`
values; ``transform`` maps columns onto tool fields. Every bad cell is reported with its file,
sheet, row number and column, all at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import Problem, raise_if_problems
from auditor.lifecycle import LifecycleReader, vocabulary_problems
from auditor.model import Inventory, ToolRecord
from connectors.base import Connector, ConnectorError
from connectors.spreadsheet.fields import RETIRED_STATUSES, map_columns, row_fields, row_lifecycle
from connectors.spreadsheet.flows import with_flows
from connectors.spreadsheet.journeys import with_journeys
from connectors.spreadsheet.leanix import LeanixReader
from connectors.spreadsheet.money import MoneyReader, MoneySettings, money_setting_problems
from connectors.spreadsheet.table import Sheet, files_in, read_tables, table

PRESETS: tuple[str, ...] = ("generic", "leanix")


@dataclass(frozen=True)
class SpreadsheetSettings(MoneySettings):
    """Settings of the ``spreadsheet`` source (``currency``, ``exchange_rates``, ``amount_locale`` for the
    annual cost: see :class:`~connectors.spreadsheet.money.MoneySettings`, shared with ``spend``)."""

    path: str = field(metadata={"help": "a .csv/.xlsx inventory, or a folder of them"})
    preset: str = field(default="generic", metadata={
        "help": "generic (one row per tool) or leanix (LeanIX-style export: Application + Interface "
                "sheets and relation sheets)"})
    columns: dict[str, str] = field(default_factory=dict, metadata={
        "help": "field → header, e.g. {name: Application, department: Owner Dept}; '' ignores a field"})
    sheet: str | None = field(default=None, metadata={
        "help": "sheet to read (generic: default the first sheet; leanix: default 'Application')"})
    interface_sheet: str = field(default="Interface", metadata={"help": "leanix: the interfaces sheet"})
    flows_sheet: str = field(default="flows", metadata={
        "help": "sheet (XLSX) or file name without extension (CSV) holding flows, one row per step"})
    flow_columns: dict[str, str] = field(default_factory=dict, metadata={
        "help": "step field → header for the flows sheet, e.g. {flow: Journey, step: Stage}"})
    journeys_sheet: str = field(default="journeys", metadata={
        "help": "sheet (XLSX) or file name without extension (CSV) holding whole journeys, one row each"})
    kpis_sheet: str = field(default="kpis", metadata={
        "help": "sheet (XLSX) or file name without extension (CSV) holding KPIs, one row each"})
    journey_columns: dict[str, str] = field(default_factory=dict, metadata={
        "help": "journey field → header for the journeys sheet, e.g. {journey: Journey, flows: Individual journeys}"})
    kpi_columns: dict[str, str] = field(default_factory=dict, metadata={
        "help": "KPI field → header for the kpis sheet, e.g. {kpi: Metric, computed_in: Tool}"})
    header_row: int | None = field(default=None, metadata={
        "help": "generic: 1-based header row (default: the first non-empty row)"})
    encoding: str = field(default="utf-8-sig", metadata={"help": "CSV text encoding (e.g. cp932 for Excel-JP)"})
    delimiter: str | None = field(default=None, metadata={"help": "CSV delimiter (default ',' or tab for .tsv)"})
    retired_statuses: tuple[str, ...] = field(default=RETIRED_STATUSES, metadata={
        "help": "rows whose status or lifecycle column says one of these are skipped (and counted)"})
    lifecycle_words: dict[str, str] = field(default_factory=dict, metadata={
        "help": "status word → lifecycle (plan, active, phase_out, retired, rejected), added to the default "
                "vocabulary, e.g. {Tolerated: phase_out}"})


class SpreadsheetConnector(Connector[SpreadsheetSettings, list[Sheet]]):
    """Application inventories kept in spreadsheets (an official inventory: sanctioned)."""

    type_id = "spreadsheet"
    description = "CSV/XLSX application inventories (generic columns or LeanIX-style export), flows, journeys, KPIs"
    settings_class = SpreadsheetSettings
    sanctioned = True

    def is_local(self) -> bool:
        return True

    def check_settings(self) -> list[str]:
        """Rates, currency and locale that the setting types alone do not check; lifecycle words."""
        return [*money_setting_problems(self.settings, self.context.currency),
                *vocabulary_problems(self.settings.lifecycle_words)]

    def get(self) -> list[Sheet]:
        root = self.context.existing_path(self.settings.path, "spreadsheet")
        sheets: list[Sheet] = []
        for path in files_in(root):
            sheets.extend(self._read(path))
        return sheets

    def _read(self, path: Path) -> list[Sheet]:
        try:
            return read_tables(path, encoding=self.settings.encoding, delimiter=self.settings.delimiter)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise ConnectorError(self.context.source_name, f"cannot read spreadsheet: {exc}", where=str(path),
                                 hint="save it as .xlsx or UTF-8 .csv, or set 'encoding'/'delimiter'") from exc

    def transform(self, raw: list[Sheet]) -> Inventory:
        """Tools (and LeanIX interfaces) from the inventory sheets, flows from the flows sheets, journeys and
        KPIs from theirs."""
        settings = self.settings
        # a flows sheet named like the journeys or KPIs sheet stays the flows sheet it always was
        names = tuple("" if n.casefold() == settings.flows_sheet.casefold() else n
                      for n in (settings.journeys_sheet, settings.kpis_sheet))
        return with_journeys(raw, (names[0], names[1]),
                             (settings.journey_columns, settings.kpi_columns), self.provenance,
                             lambda rest: with_flows(rest, settings.flows_sheet, settings.flow_columns,
                                                     self.provenance, self._inventory))

    def _inventory(self, raw: list[Sheet]) -> Inventory:
        if self.settings.preset not in PRESETS:
            raise ConnectorError(self.context.source_name, f"unknown preset '{self.settings.preset}'",
                                 hint=f"use one of {', '.join(PRESETS)}")
        settings_problems = self.check_settings()
        if settings_problems:
            raise ConnectorError(self.context.source_name, "; ".join(settings_problems))
        money = MoneyReader(self.settings, self.context.currency, not_amount="is not a number")
        lifecycles = LifecycleReader(self.settings.lifecycle_words)
        skipped: Counter[str] = Counter()
        if self.settings.preset == "leanix":
            return self._leanix(raw, money, lifecycles)
        problems: list[Problem] = []
        tools: list[ToolRecord] = []
        for sheet in self._generic_sheets(raw):
            found, sheet_problems = self._generic(sheet, money, lifecycles, skipped)
            tools.extend(found)
            problems.extend(sheet_problems)
        raise_if_problems([*problems, *money.problems()])
        return Inventory(tools=tuple(tools), skipped=dict(skipped),
                         warnings=lifecycles.warnings(self.context.source_name))

    def _generic_sheets(self, raw: list[Sheet]) -> list[Sheet]:
        """Per file: the sheet named in the settings, else the first one (CSV files have one)."""
        chosen: dict[str, Sheet] = {}
        for sheet in raw:
            wanted = self.settings.sheet
            if sheet.name is None or (wanted and sheet.name.casefold() == wanted.casefold()):
                chosen[sheet.file] = sheet
            elif not wanted:
                chosen.setdefault(sheet.file, sheet)
        missing = sorted({s.file for s in raw} - set(chosen))
        if missing:
            raise_if_problems([Problem(file, None, f"no sheet named '{self.settings.sheet}' (sheets: "
                                       f"{', '.join(repr(s.name) for s in raw if s.file == file)})")
                               for file in missing])
        return list(chosen.values())

    def _generic(self, sheet: Sheet, money: MoneyReader, lifecycles: LifecycleReader,
                 skipped: Counter[str]) -> tuple[list[ToolRecord], list[Problem]]:
        tab = table(sheet, header_row=self.settings.header_row)
        columns, problems = map_columns(tab, self.settings.columns)
        if problems:
            return [], problems
        tools = []
        for row in tab.data:
            values, row_problems = row_fields(row, columns, money)
            problems.extend(row_problems)
            if row_problems:
                continue
            if (status := row_lifecycle(values, self.settings.retired_statuses, lifecycles)) is not None:
                skipped[f"retired status ({status.casefold()})"] += 1
                continue
            source_id, tool_id = values.pop("source_id"), values.pop("tool_id")
            ref = self.provenance(source_id, file=sheet.where(), line=row.number)
            tools.append(ToolRecord(provenance=ref, id=tool_id, **values))
        return tools, problems

    def _leanix(self, raw: list[Sheet], money: MoneyReader, lifecycles: LifecycleReader) -> Inventory:
        problems: list[Problem] = []
        tools, integrations = [], []
        skipped: Counter[str] = Counter()
        for file in dict.fromkeys(s.file for s in raw):
            reader = LeanixReader([s for s in raw if s.file == file], self.provenance, self.settings.columns,
                                  self.settings.sheet or "Application", self.settings.interface_sheet,
                                  self.settings.retired_statuses, money=money, lifecycles=lifecycles)
            found_tools, found_integrations, found_problems = reader.read()
            tools.extend(found_tools)
            integrations.extend(found_integrations)
            problems.extend(found_problems)
            skipped.update(reader.skipped)
        raise_if_problems([*problems, *money.problems()])
        return Inventory(tuple(tools), tuple(integrations), skipped=dict(skipped),
                         warnings=lifecycles.warnings(self.context.source_name))
