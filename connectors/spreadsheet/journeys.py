"""Journeys and KPIs kept in a spreadsheet: a ``journeys`` sheet and a ``kpis`` sheet (or CSV files).

``journeys``: one row per whole journey (its name, the flows that are its individual journeys, owner).
``kpis``: one row per KPI (name, level, the journey / flow / step it is anchored on, the data it needs,
the tool computing it, the KPI it contributes to). Flows, steps, journeys and KPIs are named as in the
flows sheet (by name or id: names become ids as there); the references themselves are checked with
the rest of the landscape (docs/landscape-format.md#journeys-and-kpis). Columns are found by header like
the flow columns (``journey_columns`` / ``kpi_columns`` map them explicitly); every bad cell is a located
problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from auditor.errors import InputError, Problem, raise_if_problems
from auditor.model import KPI_LEVELS, Inventory, Journey, JourneyRecord, Kpi, KpiRecord
from auditor.slug import slugify
from connectors.spreadsheet.fields import ColumnMap, map_columns
from connectors.spreadsheet.flows import Provenance, is_flows_sheet
from connectors.spreadsheet.table import Row, Sheet, split_list, table

JOURNEY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "journey": ("journey", "journey name", "customer journey", "name"),
    "journey_id": ("journey id", "id"),
    "flows": ("flows", "individual journeys", "journeys", "flow"),
    "owner": ("owner", "journey owner", "accountable"),
}
KPI_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "kpi": ("kpi", "kpi name", "name", "metric"),
    "kpi_id": ("kpi id", "id"),
    "level": ("level", "kpi level"),
    "journey": ("journey", "whole journey"),
    "flow": ("flow", "individual journey", "process"),
    "step": ("step", "touchpoint", "stage"),
    "data": ("data", "data needed", "business objects"),
    "computed_in": ("computed in", "computed_in", "tool", "calculated in"),
    "contributes_to": ("contributes to", "contributes_to", "parent kpi", "feeds"),
}
_LEVELS = {**{level: level for level in KPI_LEVELS}, "individual-journey": "journey", "whole-journey": "relationship"}


def with_journeys(raw: list[Sheet], sheets: tuple[str, str], columns: tuple[Mapping[str, str], Mapping[str, str]],
                  provenance: Provenance, read_rest: Callable[[list[Sheet]], Inventory]) -> Inventory:
    """``read_rest`` of the other sheets plus the journeys and KPIs of the ``sheets`` named
    (journeys, kpis; '' reads none); problems of all of them are reported together."""
    journey_sheets = [s for s in raw if sheets[0] and is_flows_sheet(s, sheets[0])]
    kpi_sheets = [s for s in raw if sheets[1] and is_flows_sheet(s, sheets[1])]
    problems: list[Problem] = []
    journeys = [r for s in journey_sheets for r in _journeys(s, columns[0], provenance, problems)]
    kpis = [r for s in kpi_sheets for r in _kpis(s, columns[1], provenance, problems)]
    try:
        inventory = read_rest([s for s in raw if s not in journey_sheets and s not in kpi_sheets])
    except InputError as exc:
        raise InputError([*problems, *exc.problems]) from None
    raise_if_problems(problems)
    return replace(inventory, journeys=(*inventory.journeys, *journeys), kpis=(*inventory.kpis, *kpis))


def _rows(sheet: Sheet, explicit: Mapping[str, str], defaults: Mapping[str, tuple[str, ...]],
          required: tuple[str, str, str], problems: list[Problem]) -> tuple[list[Row], ColumnMap]:
    """The data rows and the chosen columns of a sheet (no rows when its columns have problems)."""
    tab = table(sheet)
    columns, found = map_columns(tab, explicit, defaults, required)
    problems.extend(found)
    return ([] if found else list(tab.data)), columns


def _journeys(sheet: Sheet, explicit: Mapping[str, str], provenance: Provenance,
              problems: list[Problem]) -> list[JourneyRecord]:
    rows, columns = _rows(sheet, explicit, JOURNEY_COLUMNS, ("journey", "journey", "journey_columns"), problems)
    records = []
    for row in rows:
        name, flows = row.get(columns["journey"]), split_list(row.get(columns["flows"]))
        if not name or not flows:
            problems.append(row.problem(columns["journey"] if not name else columns["flows"],
                                        "the journey is empty" if not name else "the journey names no flows"))
            continue
        journey_id = row.get(columns["journey_id"]) or slugify(name)
        records.append(JourneyRecord(Journey(journey_id, name, tuple(slugify(f) for f in flows),
                                             row.get(columns["owner"]) or None),
                                     provenance(journey_id, file=sheet.where(), line=row.number)))
    return records


def _kpis(sheet: Sheet, explicit: Mapping[str, str], provenance: Provenance,
          problems: list[Problem]) -> list[KpiRecord]:
    rows, columns = _rows(sheet, explicit, KPI_COLUMNS, ("kpi", "KPI", "kpi_columns"), problems)
    records = []
    for row in rows:
        name, level_text = row.get(columns["kpi"]), row.get(columns["level"])
        level = _LEVELS.get(slugify(level_text))
        data, computed_in = split_list(row.get(columns["data"])), row.get(columns["computed_in"])
        bad = [(columns["kpi"], "the KPI is empty") if not name else None,
               (columns["level"], f"level {level_text!r} is not one of {', '.join(KPI_LEVELS)}") if not level else None,
               (columns["data"], "the KPI names no data") if not data else None,
               (columns["computed_in"], "the KPI names no tool computing it") if not computed_in else None]
        if any(bad):
            problems.extend(row.problem(column, message) for column, message in filter(None, bad))
            continue
        kpi_id = row.get(columns["kpi_id"]) or slugify(name)
        refs = {key: slugify(row.get(columns[key])) if row.get(columns[key]) else None
                for key in ("journey", "flow", "step", "contributes_to")}
        records.append(KpiRecord(Kpi(kpi_id, name, str(level), refs["journey"], refs["flow"], refs["step"], data,
                                     computed_in, refs["contributes_to"]),
                                 provenance(kpi_id, file=sheet.where(), line=row.number)))
    return records
