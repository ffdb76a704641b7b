"""Categories from every path become taxonomy ids through the synonyms before the analyses run."""

from __future__ import annotations

import pytest

from auditor.model import SourceRef, ToolRecord
from auditor.resolution.catalog import load_catalog
from auditor.resolution.categories import nearest_categories, unknown_categories
from auditor.resolution.engine import Resolver
from auditor.result import ScanResult

FILE = SourceRef("landscape", "landscape", file="landscape.yaml", line=3)


def tool(name: str, category: str | None = None, **kwargs: object) -> ToolRecord:
    return ToolRecord(name=name, provenance=FILE, category=category, **kwargs)  # type: ignore[arg-type]


def categories(resolver: Resolver, *records: ToolRecord) -> dict[str, str]:
    resolution = resolver.resolve(records)
    return {t.name: t.category for t in resolution.tools.values()}


@pytest.mark.parametrize(("written", "expected"), [
    ("Help desk", "ticketing"), ("アンケート", "voc"), ("voice-of-customer", "voc"), ("BI", "bi"),
    ("ai-assistant", "generative-ai"), ("請求書", "invoicing"),
])
def test_a_stated_category_becomes_its_taxonomy_id(resolver: Resolver, written: str, expected: str) -> None:
    assert categories(resolver, tool("Acme Internal Thing", written, id="acme")) == {"Acme Internal Thing": expected}


def test_a_synonym_beside_a_catalog_product_finds_the_same_category(resolver: Resolver) -> None:
    found = categories(resolver, tool("Our Desk", "Help desk", id="desk"), tool("Zendesk", id="zd"))
    assert found == {"Our Desk": "ticketing", "Zendesk": "ticketing"}


def test_an_unknown_category_yields_to_the_catalog_product_and_is_kept_otherwise(resolver: Resolver) -> None:
    found = categories(resolver, tool("Zendesk", "parcel-robots", id="zd"),
                       tool("Parcel Hub", "parcel-robots", id="ph"))
    assert found == {"Zendesk": "ticketing", "Parcel Hub": "parcel-robots"}


def test_a_known_category_in_the_users_file_overrides_the_catalog_product(resolver: Resolver) -> None:
    assert categories(resolver, tool("Zendesk", "crm", id="zd")) == {"Zendesk": "crm"}


def test_unknown_categories_are_listed_with_where_and_the_nearest_ids() -> None:
    catalog = load_catalog()
    (item,) = unknown_categories([tool("Poll Box", "surveyy", id="poll"), tool("Desk", "Help desk")], catalog)
    assert (item.category, item.tool, item.where) == ("surveyy", "poll", "landscape.yaml:3")
    assert item.nearest[0] == "voc" and len(item.nearest) <= 3
    assert set(nearest_categories("ticket", catalog)) & {"ticketing", "itsm"}


def test_the_demo_finds_qualtrics_and_surveymonkey_are_one_kind_of_tool(demo_result: ScanResult) -> None:
    duplicates = [set(f.tools) for f in demo_result.findings if f.type == "duplicate"]
    assert {"qualtrics", "surveymonkey"} in duplicates


def test_every_demo_tool_has_a_taxonomy_category_so_reports_show_titles(demo_result: ScanResult) -> None:
    assert {t.category for t in demo_result.graph.tools.values()} <= set(load_catalog().categories)
