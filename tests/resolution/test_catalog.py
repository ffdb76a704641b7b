"""The shipped catalog and taxonomy, and users' own catalog files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.errors import InputError
from auditor.model import LAYERS
from auditor.resolution.catalog import alias_table, load_catalog, packaged_catalog
from auditor.resolution.matcher import Matcher
from auditor.resolution.normalize import is_cjk, simple_key
from auditor.resolution.vocabularies import load_vocabulary

CATALOG_DIR = Path(__file__).resolve().parents[2] / "auditor" / "catalog"


def test_the_catalog_has_at_least_300_products_in_one_taxonomy() -> None:
    catalog = load_catalog()
    assert len(catalog.products) >= 300
    assert {p.category for p in catalog.products.values()} <= set(catalog.categories)
    assert all(set(p.layers) <= set(LAYERS) for p in catalog.products.values())
    assert all(p.category in p.capabilities for p in catalog.products.values() if p.category != "unclassified")


def test_common_japanese_products_are_in_the_catalog() -> None:
    ids = set(load_catalog().products)
    assert {"kintone", "sansan", "freee-accounting", "money-forward-cloud-accounting", "chatwork", "smarthr",
            "backlog", "garoon", "jinjer", "king-of-time", "ai-messenger"} <= ids


def test_no_name_belongs_to_two_products() -> None:
    shared = {key: owners for key, owners in alias_table(load_catalog()).items() if len(owners) > 1}
    assert shared == {}


def test_the_packaged_catalog_is_every_products_file_and_knows_1500_products() -> None:
    catalog = packaged_catalog()
    assert catalog.files == ["auditor/catalog/products.yaml",
                             *(f"auditor/catalog/{f.name}" for f in sorted(CATALOG_DIR.glob("products-*.yaml")))]
    assert len(catalog.products) >= 1500


def test_no_two_products_share_a_domain() -> None:
    owners: dict[str, list[str]] = {}
    for product in load_catalog().products.values():
        for domain in product.domains:
            owners.setdefault(domain, []).append(product.id)
    assert {domain: ids for domain, ids in owners.items() if len(ids) > 1} == {}


#: Product names that are also another company's name, checked: not the same company.
SAME_NAME_OTHER_COMPANY = {"plaid": "Plaid (US payments data) is not PLAID (KARTE's maker, Japan)",
                           "rokt": "Rokt's own ads product, beside mParticle that Rokt bought"}


def test_no_product_is_named_like_another_products_vendor() -> None:
    catalog = load_catalog()
    names = {simple_key(n): p.id for p in catalog.products.values() for n in (p.product, *p.aliases)}
    vendors = {simple_key(p.vendor) for p in catalog.products.values() if p.vendor}
    # a product's name may be its vendor's (Sansan, HubSpot), never another vendor's
    clash = {key: pid for key, pid in names.items() if key in vendors
             and simple_key(catalog.products[pid].vendor) != key and key not in SAME_NAME_OTHER_COMPANY}
    assert clash == {}


def test_at_least_400_japanese_saas_each_with_a_japanese_name() -> None:
    data = yaml.safe_load((CATALOG_DIR / "products-japan.yaml").read_text(encoding="utf-8"))["products"]
    assert len(data) >= 400
    unnamed = [e["id"] for e in data if not any(is_cjk(c) for n in (e["product"], *e.get("aliases", ())) for c in n)]
    assert unnamed == []
    categories = {e["category"] for e in data}
    assert {"accounting", "expense-management", "invoicing", "hris", "attendance", "payroll", "e-signature",
            "contact-management", "crm", "marketing-automation", "ticketing", "groupware", "chat", "pos",
            "scheduling", "ecommerce", "bi"} <= categories


def test_a_product_without_a_vendor_is_no_sibling_of_another() -> None:
    catalog = load_catalog()
    assert catalog.vendor_products("") == []
    unknown = next(p for p in catalog.products.values() if not p.vendor)
    assert unknown.defaults()["vendor"] is None
    assert all(not name.startswith(" ") for name in unknown.names())


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


def test_a_vendor_written_in_japanese_is_known_by_its_latin_name_too(matcher: Matcher) -> None:
    catalog = load_catalog()
    assert catalog.same_vendor("Cybozu", "サイボウズ") and catalog.same_vendor("cybozu", "サイボウズ")
    assert not catalog.same_vendor("Cybozu", "ラクス")
    assert {p.id for p in catalog.vendor_products("cybozu")} == {p.id for p in catalog.vendor_products("サイボウズ")}
    match = matcher.match("cybozu")
    assert match.rule == "vendor-only" and match.review and "kintone" in match.candidates


def test_every_vendor_alias_belongs_to_a_catalog_vendor_and_names_no_other() -> None:
    catalog = load_catalog()
    vendors = {p.vendor for p in catalog.products.values() if p.vendor}
    assert set(catalog.vendor_aliases) <= vendors
    owners: dict[str, set[str]] = {}
    for vendor in catalog.vendor_aliases:
        for name in catalog.vendor_names(vendor):
            owners.setdefault(simple_key(name), set()).add(vendor)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}
    others = {simple_key(v) for v in vendors} - {simple_key(v) for v in catalog.vendor_aliases}
    assert not {simple_key(a) for names in catalog.vendor_aliases.values() for a in names} & others


@pytest.mark.parametrize("charge", ["SQ *RAMEN", "CASTLE", "Loop", "Zip", "WASABI"])
def test_a_product_named_by_an_ordinary_word_is_not_found_by_that_word_alone(matcher: Matcher, charge: str) -> None:
    assert matcher.match(charge).product is None


def test_a_product_named_by_an_ordinary_word_is_still_found_by_its_domain_and_connector_id(matcher: Matcher) -> None:
    catalog = load_catalog()
    ramen = catalog.products["ramen"]
    assert "Ramen" in ramen.ordinary_names and ramen.product == "Ramen"
    assert matcher.match("Ramen", domains=tuple(f"app.{d}" for d in ramen.domains)).product == "ramen"
    assert load_vocabulary("segment").answer("ramen") == ("product", "ramen")


def test_category_words_are_built_once_and_follow_a_change_of_the_categories() -> None:
    from dataclasses import replace

    catalog = load_catalog()
    assert catalog.category_for("Help desk") == "ticketing"
    assert catalog.category_words() is catalog.category_words()  # built once, not per call
    catalog.categories["ticketing"] = replace(catalog.categories["ticketing"], synonyms=("Servicedesk",))
    assert catalog.category_for("Servicedesk") == "ticketing"
    assert catalog.category_for("Help desk") != "ticketing"
