"""Inventory columns: which header feeds which :class:`ToolRecord` field, and how a cell is parsed."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlparse

import yaml

from auditor.errors import Problem
from auditor.lifecycle import LifecycleReader
from auditor.model import LAYERS
from auditor.slug import slugify
from connectors.spreadsheet.money import MoneyReader, header_currency
from connectors.spreadsheet.table import Row, Table, header_key, parse_bool, parse_date, parse_int, split_list

#: Tool fields a spreadsheet column can feed, with the headers the ``generic`` preset recognises
#: (compared case-, space- and punctuation-blind; the first header found wins).
GENERIC_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "name": ("name", "application", "application name", "app", "app name", "tool", "tool name", "system",
             "software", "product", "standard name"),
    "source_id": ("id", "app id", "application id", "external id", "asset id"),
    "tool_id": (),
    "vendor": ("vendor", "publisher", "supplier", "provider", "manufacturer"),
    "category": ("category", "application category", "tool category"),
    "department": ("department", "departments", "business unit", "owner dept", "owning department", "division",
                   "team"),
    "owner": ("owner", "owner department", "owning team"),
    "business_owner": ("business owner", "application owner", "app owner", "product owner", "業務責任者"),
    "it_owner": ("it owner", "technical owner", "system owner", "情シス担当", "システム担当"),
    "renewal_date": ("renewal date", "renewal", "next renewal", "更新日"),
    "contract_end": ("contract end", "contract end date", "contract expiry", "expiry date", "契約終了日"),
    "licences": ("licences", "licenses", "licence count", "license count", "seats purchased", "seats bought",
                 "ライセンス数"),
    "annual_cost": ("annual cost", "cost per year", "yearly cost", "annual spend", "annual_cost", "cost"),
    "currency": ("currency", "currency code", "ccy"),
    "users": ("users", "user count", "number of users", "active users", "seats", "seats used"),
    "sanctioned": ("sanctioned", "approved"),
    "capabilities": ("capabilities",),
    "domains": ("domains", "domain", "url", "website"),
    "layers": ("layers", "layer"),
    "status": ("status", "state", "approval status", "ステータス", "状態"),
    "lifecycle": ("lifecycle", "lifecycle status", "lifecycle phase", "phase", "ライフサイクル"),
}
FIELDS: tuple[str, ...] = tuple(GENERIC_COLUMNS)

#: Status values (case-blind) whose rows are skipped: the tool is no longer in use.
RETIRED_STATUSES: tuple[str, ...] = ("retired", "decommissioned", "archived", "end of life", "endoflife",
                                     "sunset", "inactive")


@functools.cache
def taxonomy_categories() -> frozenset[str]:
    """Category ids of the product catalog's taxonomy (``auditor/catalog/taxonomy.yaml``)."""
    text = resources.files("auditor").joinpath("catalog/taxonomy.yaml").read_text(encoding="utf-8")
    return frozenset((yaml.safe_load(text) or {}).get("categories", {}))


def category_fields(text: str) -> tuple[str | None, dict[str, str]]:
    """A written category → ``(category, hints)``: the taxonomy id when the text names one
    (``"CRM"`` → ``crm``), and always the raw text as the ``category`` hint for resolution."""
    if not text:
        return None, {}
    slug = slugify(text)
    return (slug if slug in taxonomy_categories() else None), {"category": text}


def _domain(text: str) -> str:
    host = urlparse(text if "//" in text else f"//{text}").hostname or text
    return host.removeprefix("www.")


@dataclass(frozen=True)
class ColumnMap:
    """The header chosen for each field of one table (``None``: the field is not in the file)."""

    columns: Mapping[str, str | None]

    def __getitem__(self, field_name: str) -> str | None:
        return self.columns.get(field_name)


def map_columns(table: Table, explicit: Mapping[str, str],
                defaults: Mapping[str, tuple[str, ...]] = GENERIC_COLUMNS,
                required: tuple[str, str, str] = ("name", "tool name", "columns")
                ) -> tuple[ColumnMap, list[Problem]]:
    """Choose the header of every field: ``explicit`` (from config ``columns:``) wins and must exist;
    otherwise the first of the preset's candidate headers present in the table. ``required``: the field
    that must have a column, what to call it and the setting that maps it (for the error)."""
    problems: list[Problem] = []
    chosen: dict[str, str | None] = {}
    available = ", ".join(repr(h) for h in table.headers if h) or "none"
    for key in explicit:
        if key not in defaults:
            problems.append(table.problem(f"'{required[2]}' names an unknown field '{key}'; "
                                          f"known fields: {', '.join(defaults)}"))
    for field_name, candidates in defaults.items():
        wanted = explicit.get(field_name)
        if wanted is not None:
            found = table.find([wanted]) if wanted else None
            if wanted and found is None:
                problems.append(table.problem(f"column '{wanted}' (mapped to '{field_name}') not found; "
                                              f"headers: {available}"))
            chosen[field_name] = found
        else:
            chosen[field_name] = table.find(candidates) or _priced_header(table, field_name, candidates)
    key, what, setting = required
    if chosen.get(key) is None and key not in explicit:
        problems.append(table.problem(f"no {what} column found (looked for {', '.join(defaults[key])}); "
                                      f"map one with '{setting}: {{{key}: \"...\"}}'; headers: {available}"))
    return ColumnMap(chosen), problems


def _priced_header(table: Table, field_name: str, candidates: tuple[str, ...]) -> str | None:
    """For ``annual_cost``: a candidate header with the currency it is in (``Annual Cost (USD)``,
    ``Cost [EUR]``, ``Annual Spend JPY``)."""
    if field_name != "annual_cost":
        return None
    wanted = {header_key(c) for c in candidates}
    for header in table.headers:
        code = header_currency(header)
        if code and header_key(header.replace(code, "")) in wanted:
            return header
    return None


_Parser = Callable[[str], Any]
_SCALARS: Mapping[str, tuple[_Parser, str]] = {
    "users": (parse_int, "is not a whole number"),
    "licences": (parse_int, "is not a whole number"),
    "sanctioned": (parse_bool, "is not yes/no"),
    "renewal_date": (lambda text: parse_date(text).isoformat(), "is not a date"),
    "contract_end": (lambda text: parse_date(text).isoformat(), "is not a date"),
}


def row_fields(row: Row, columns: ColumnMap, money: MoneyReader) -> tuple[dict[str, Any], list[Problem]]:
    """Parse one row into ToolRecord keyword arguments (plus ``source_id``/``status``), with problems;
    ``money`` reads the annual cost into the reporting currency."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    name = row.get(columns["name"])
    if not name:
        problems.append(row.problem(columns["name"], "the tool name is empty"))
    values["name"] = name
    for key in ("source_id", "tool_id", "vendor", "owner", "status", "lifecycle", "business_owner", "it_owner"):
        values[key] = row.get(columns[key]) or None
    for key, (parse, complaint) in _SCALARS.items():
        text = row.get(columns[key])
        if not text:
            values[key] = None
            continue
        try:
            values[key] = parse(text)
        except ValueError:
            problems.append(row.problem(columns[key], f"{text!r} {complaint}"))
    values["annual_cost"] = _annual_cost(row, columns, money, problems)
    values["category"], values["hints"] = category_fields(row.get(columns["category"]))
    values["departments"] = split_list(row.get(columns["department"]))
    values["capabilities"] = tuple(slugify(c) for c in split_list(row.get(columns["capabilities"])))
    values["layers"] = tuple(slugify(v).replace("-", "_") for v in split_list(row.get(columns["layers"])))
    for layer in values["layers"]:
        if layer not in LAYERS:
            problems.append(row.problem(columns["layers"], f"unknown layer {layer!r}; use {', '.join(LAYERS)}"))
    values["domains"] = tuple(_domain(d) for d in split_list(row.get(columns["domains"])))
    return values, problems


def _annual_cost(row: Row, columns: ColumnMap, money: MoneyReader, problems: list[Problem]) -> float | None:
    """The row's annual cost in the reporting currency (None: no cost, or a problem recorded)."""
    text = row.get(columns["annual_cost"])
    if not text:
        return None
    cost = money.read(row, (text, columns["annual_cost"]), (row.get(columns["currency"]), columns["currency"]),
                      problems)
    if cost is not None and cost.value < 0:
        problems.append(row.problem(columns["annual_cost"], f"{text!r} is negative"))
    return None if cost is None else cost.as_float()


def row_lifecycle(values: dict[str, Any], retired: tuple[str, ...], reader: LifecycleReader) -> str | None:
    """Pop the ``status``/``lifecycle`` cells of parsed row ``values``: the status word when the row is to be
    skipped as retired (``retired`` statuses), else None after setting ``values["lifecycle"]`` (the lifecycle
    column first, then the status; unknown words are counted by ``reader``)."""
    status, lifecycle = values.pop("status"), values.pop("lifecycle")
    for text in (lifecycle, status):
        if is_retired(text, retired):
            return str(text)
    values["lifecycle"] = reader.read(lifecycle, status)
    return None


def is_retired(status: str | None, retired: tuple[str, ...] = RETIRED_STATUSES) -> bool:
    """Whether a status cell says the tool is no longer used."""
    if not status:
        return False
    return status.strip().casefold() in {s.casefold() for s in retired}
