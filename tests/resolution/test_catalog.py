"""The shipped catalog and taxonomy, and users' own catalog files."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.model import LAYERS
from auditor.resolution.catalog import alias_table, load_catalog


def test_the_catalog_has_at_least_300_products_in_one_taxonomy() -> None:
    catalog = load_catalog()
    assert len(catalog.products) >= 300
    assert {p.category for p in catalog.products.values()} <= set(catalog.categories)
    assert all(set(p.layers) <= set(LAYERS) for p in catalog.products.values())
    assert all(p.category in p.capabilities for p in catalog.products.values())


def test_common_japanese_products_are_in_the_catalog() -> None:
    ids = set(load_catalog().products)
    assert {"kintone", "sansan", "freee-accounting", "money-forward-cloud-accounting", "chatwork", "smarthr",
            "backlog", "garoon", "jinjer", "king-of-time", "ai-messenger"} <= ids


def test_no_name_belongs_to_two_products() -> None:
    shared = {key: owners for key, owners in alias_table(load_catalog()).items() if len(owners) > 1}
    assert shared == {}


def test_every_category_maps_to_known_layers() -> None:
    categories = load_catalog().categories
    assert {"crm", "marketing-automation", "cdp", "data-warehouse", "etl", "bi", "product-analytics", "ipaas",
            "rpa", "ticketing", "chat"} <= set(categories)
    assert categories["crm"].layers == ("data",) and categories["bi"].layers == ("ai_analytics",)
    assert categories["ipaas"].layers == ("automation",) and categories["chat"].layers == ()


def test_a_user_file_adds_and_replaces_products(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("products:\n"
                    "  - {id: kaizen-board, vendor: Acme, product: Kaizen Board, category: project-management}\n"
                    "  - {id: slack, vendor: Salesforce, product: Slack, category: chat, aliases: [社内チャット]}\n",
                    encoding="utf-8")
    catalog = load_catalog([path])
    assert catalog.products["kaizen-board"].layers == ()
    assert catalog.products["slack"].aliases == ("社内チャット",)
    assert catalog.files[-1] == str(path)
    assert "slack" in load_catalog().products and load_catalog().products["slack"].aliases != ("社内チャット",)


def test_mistakes_in_a_user_file_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("products:\n  - {id: a, vendor: A, category: crm}\n  - {id: b, vendor: B, product: B, "
                    "category: nope}\n  - {id: c, vendor: C, product: C, category: crm, colour: red}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalog([path])
    assert [(p.line, p.message.split(": ", 1)[1]) for p in caught.value.problems] == [
        (2, "missing 'product'"), (3, "category 'nope' is not in the taxonomy"), (4, "unknown key 'colour'")]


def test_category_words_are_built_once_and_follow_a_change_of_the_categories() -> None:
    from dataclasses import replace

    catalog = load_catalog()
    assert catalog.category_for("Help desk") == "ticketing"
    assert catalog.category_words() is catalog.category_words()  # built once, not per call
    catalog.categories["ticketing"] = replace(catalog.categories["ticketing"], synonyms=("Servicedesk",))
    assert catalog.category_for("Servicedesk") == "ticketing"
    assert catalog.category_for("Help desk") != "ticketing"
