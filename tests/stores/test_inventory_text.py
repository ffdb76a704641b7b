"""The embedded store's text of a source's inventory: orjson straight from the records, or the exact way."""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import typing
from typing import Any

from auditor.model import Inventory, SourceRef, ToolRecord
from auditor.result import ScanResult
from auditor.serialize import from_data, to_data
from auditor.stores.embedded import _dump, _inventory_text


def _float_fields(cls: Any, seen: set[Any]) -> set[str]:
    """``Class.field`` of every float-typed field reachable from dataclass ``cls`` through its type hints."""
    if cls in seen or not dataclasses.is_dataclass(cls):
        return set()
    seen.add(cls)
    found: set[str] = set()
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        stack = [hints[field.name]]
        while stack:
            annotation = stack.pop()
            if annotation is float:
                found.add(f"{getattr(cls, '__name__', cls)}.{field.name}")
            stack.extend(typing.get_args(annotation))
            found |= _float_fields(annotation, seen)
    return found


def test_a_tools_annual_cost_is_the_only_float_an_inventory_holds():
    """_inventory_text checks only annual_cost for NaN/infinity (orjson would write them null): a new float field
    anywhere in an inventory must be added to that check, and this test says so."""
    assert _float_fields(Inventory, set()) == {"ToolRecord.annual_cost"}


def test_the_fast_text_is_the_exact_text_on_the_demo(demo_result: ScanResult):
    assert demo_result.inventories
    for name, inventory in demo_result.inventories.items():
        assert _inventory_text(inventory) == _dump(to_data(inventory)), name


def _inventory(*tools: ToolRecord) -> Inventory:
    return Inventory(tools=tools, skipped={"directory integration": 2}, warnings=("a warning",))


def _tool(name: str, **kwargs: Any) -> ToolRecord:
    return ToolRecord(name=name, provenance=SourceRef("sheet", "spreadsheet", file="tools.csv", line=3), **kwargs)


def test_a_cost_that_is_not_finite_is_stored_the_exact_way_and_read_back():
    for odd in (math.nan, math.inf, -math.inf):
        inventory = _inventory(_tool("Slack", annual_cost=1200.5), _tool("Odd", annual_cost=odd))
        text = _inventory_text(inventory)
        assert text == _dump(to_data(inventory))
        assert '"annual_cost":null' not in text.replace(" ", "")  # orjson's way would have written it null
        back = from_data(Inventory, json.loads(text))
        cost = back.tools[1].annual_cost
        assert cost is not None and (math.isnan(cost) if math.isnan(odd) else cost == odd)
        assert back.tools[0] == inventory.tools[0]


class _Colour(enum.StrEnum):
    RED = "red"


def test_what_orjson_cannot_write_goes_the_exact_way_and_odd_values_keep_their_meaning():
    big = _inventory(_tool("Slack", users=2**70))  # beyond orjson's 64 bits
    assert _inventory_text(big) == _dump(to_data(big))
    assert from_data(Inventory, json.loads(_inventory_text(big))).tools[0].users == 2**70
    coloured = _inventory(_tool("Slack", hints={"x": _Colour.RED}))  # a str subclass: written as its value
    assert json.loads(_inventory_text(coloured)) == json.loads(_dump(to_data(coloured)))


def test_finite_costs_round_trip_through_the_fast_text():
    inventory = _inventory(_tool("Slack", annual_cost=0.00001, domains=("slack.com",), layers=("data",)),
                           _tool("Zoom", users=12, hints={"okta_label": "Zoom"}))
    assert from_data(Inventory, json.loads(_inventory_text(inventory))) == inventory
