"""Flows kept in a spreadsheet: a ``flows`` sheet (or ``flows.csv``), one row per step.

Rows of one flow (same ``flow`` cell) are its steps, in ``order`` when the sheet has that column,
else in row order; ``next`` names the steps a step hands off to (step names or ids of the same flow,
comma-separated; empty: the following step). Columns are found by header like the tool columns
(``flow_columns`` maps them explicitly). Every bad cell is a located problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from auditor.errors import InputError, Problem, raise_if_problems
from auditor.model import LAYERS, FlowRecord, Inventory, SourceRef, StepRecord
from auditor.slug import slugify
from connectors.spreadsheet.fields import ColumnMap, map_columns
from connectors.spreadsheet.table import Row, Sheet, parse_bool, parse_number, split_list, table

#: Step fields a flows sheet can hold, with the headers recognised (case-, space- and punctuation-blind).
FLOW_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "flow": ("flow", "journey", "process", "flow name", "journey name", "process name"),
    "step": ("step", "step name", "stage", "activity", "task"),
    "step_id": ("step id",),
    "order": ("order", "step order", "sequence", "seq", "position", "no", "#"),
    "next": ("next", "next step", "next steps", "then", "hands off to"),
    "department": ("department", "team", "lane", "owner dept", "business unit"),
    "tools": ("tools", "tool", "systems", "applications", "apps"),
    "requires": ("requires", "required layers", "layers"),
    "customer_facing": ("customer facing", "customer-facing", "touchpoint", "customer touchpoint"),
    "kind": ("kind", "step kind", "how"),
}
Provenance = Callable[..., SourceRef]
_NO_SOURCE = SourceRef("", "spreadsheet")


def is_flows_sheet(sheet: Sheet, name: str) -> bool:
    """Whether ``sheet`` holds flows: an XLSX sheet called ``name``, or a CSV file whose stem is ``name``."""
    wanted = name.casefold()
    if sheet.name is not None:
        return sheet.name.strip().casefold() == wanted
    stem = sheet.file.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.strip().casefold() == wanted


@dataclass(frozen=True)
class _Step:
    row: Row
    id: str
    order: float
    next_refs: tuple[str, ...]
    record: StepRecord  # without provenance and ``next`` yet


def with_flows(raw: list[Sheet], flows_sheet: str, explicit: Mapping[str, str], provenance: Provenance,
               read_inventory: Callable[[list[Sheet]], Inventory]) -> Inventory:
    """``read_inventory`` of the sheets that are not flows sheets, plus the flows of those that are;
    problems of both are reported together."""
    flow_sheets = [s for s in raw if is_flows_sheet(s, flows_sheet)]
    flows: list[FlowRecord] = []
    problems: list[Problem] = []
    for sheet in flow_sheets:
        found, sheet_problems = read_flows(sheet, explicit, provenance)
        flows.extend(found)
        problems.extend(sheet_problems)
    try:
        inventory = read_inventory([s for s in raw if s not in flow_sheets])
    except InputError as exc:
        raise InputError([*problems, *exc.problems]) from None
    raise_if_problems(problems)
    return replace(inventory, flows=(*inventory.flows, *flows))


def read_flows(sheet: Sheet, explicit: Mapping[str, str], provenance: Provenance
               ) -> tuple[list[FlowRecord], list[Problem]]:
    """The flows of one flows sheet, with every problem found (rows with problems are left out)."""
    tab = table(sheet)
    columns, problems = map_columns(tab, explicit, FLOW_COLUMNS, ("step", "step name", "flow_columns"))
    if columns["flow"] is None and not problems:
        problems.append(tab.problem(f"no flow column found (looked for {', '.join(FLOW_COLUMNS['flow'])}); "
                                    "map one with 'flow_columns: {flow: \"...\"}'"))
    if problems:
        return [], problems
    flows: dict[str, list[_Step]] = {}
    names: dict[str, str] = {}
    for row in tab.data:
        step = _row_step(row, columns, problems)
        if step is not None:
            flow_name = row.get(columns["flow"])
            names.setdefault(slugify(flow_name), flow_name)
            flows.setdefault(slugify(flow_name), []).append(step)
    records = [_flow(flow_id, names[flow_id], steps, columns, sheet, provenance, problems)
               for flow_id, steps in flows.items()]
    return records, problems


def _row_step(row: Row, columns: ColumnMap, problems: list[Problem]) -> _Step | None:
    found: list[Problem] = []
    flow_name, name = row.get(columns["flow"]), row.get(columns["step"])
    if not flow_name:
        found.append(row.problem(columns["flow"], "the flow is empty"))
    if not name:
        found.append(row.problem(columns["step"], "the step name is empty"))
    order = float(row.number)
    if columns["order"]:
        text = row.get(columns["order"])
        try:
            order = parse_number(text)
        except ValueError:
            found.append(row.problem(columns["order"], f"{text!r} is not a number"))
    customer = row.get(columns["customer_facing"])
    customer_facing = False
    try:
        customer_facing = parse_bool(customer) if customer else False
    except ValueError:
        found.append(row.problem(columns["customer_facing"], f"{customer!r} is not yes/no"))
    requires = tuple(slugify(v).replace("-", "_") for v in split_list(row.get(columns["requires"])))
    for layer in requires:
        if layer not in LAYERS:
            found.append(row.problem(columns["requires"], f"unknown layer {layer!r}; use {', '.join(LAYERS)}"))
    problems.extend(found)
    if found:
        return None
    step_id = row.get(columns["step_id"]) or slugify(name)
    record = StepRecord(step_id, name, _NO_SOURCE, row.get(columns["department"]) or None,
                        split_list(row.get(columns["tools"])), requires, customer_facing=customer_facing,
                        kind=row.get(columns["kind"]) or None)
    return _Step(row, step_id, order, split_list(row.get(columns["next"])), record)


def _flow(flow_id: str, name: str, steps: list[_Step], columns: ColumnMap, sheet: Sheet, provenance: Provenance,
          problems: list[Problem]) -> FlowRecord:
    steps = sorted(steps, key=lambda s: s.order)
    by_key: dict[str, _Step] = {}
    for step in steps:
        for key in dict.fromkeys((step.id.casefold(), step.record.name.casefold())):
            first = by_key.setdefault(key, step)
            if first is not step and key == step.id.casefold():
                problems.append(step.row.problem(columns["step"], f"step '{step.record.name}' of flow '{name}' "
                                                                  f"is also on row {first.row.number}"))
    records = []
    for step in steps:
        targets = []
        for ref in step.next_refs:
            target = by_key.get(ref.casefold())
            if target is None:
                problems.append(step.row.problem(columns["next"], f"next step '{ref}' is not a step of flow '{name}'"))
            else:
                targets.append(target.id)
        where = provenance(step.id, file=sheet.where(), line=step.row.number)
        records.append(replace(step.record, provenance=where, next=tuple(targets) if step.next_refs else None))
    first_row = steps[0].row.number if steps else None
    return FlowRecord(flow_id, name, tuple(records), provenance(flow_id, file=sheet.where(), line=first_row))
