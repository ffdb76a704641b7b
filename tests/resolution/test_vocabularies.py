"""Connector vocabularies as data: every real platform id is a product, not a product, or a known gap."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from auditor.model import SourceRef, ToolRecord
from auditor.resolution.catalog import load_catalog
from auditor.resolution.engine import Resolver
from auditor.resolution.matcher import Matcher
from auditor.resolution.vocabularies import load_vocabulary
from benchmarks.realworld_vocabularies import DATA

ROOT = Path(__file__).resolve().parent.parent.parent
NAMES = ("fivetran", "airbyte", "segment")


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def real_ids() -> dict[str, set[str]]:
    airbyte = json.loads((DATA / "airbyte-types.json").read_text(encoding="utf-8"))
    segment = json.loads((DATA / "segment-catalog.json").read_text(encoding="utf-8"))
    return {"fivetran": set(_lines("fivetran-services.txt") + _lines("fivetran-destination-services.txt")),
            "airbyte": set(airbyte["source"] + airbyte["destination"]),
            "segment": {m["slug"] for m in segment["destinations"] + segment["sources"]}}


@pytest.mark.parametrize("name", NAMES)
def test_every_real_id_is_mapped_or_explicitly_left_out(name: str) -> None:
    vocabulary = load_vocabulary(name)
    assert real_ids()[name] - vocabulary.known() == set()


@pytest.mark.parametrize("name", NAMES)
def test_each_id_is_in_one_section_and_names_a_real_catalog_product(name: str) -> None:
    vocabulary = load_vocabulary(name)
    sections = [set(vocabulary.products), set(vocabulary.not_products), set(vocabulary.not_in_catalog)]
    assert sum(map(len, sections)) == len(vocabulary.known())
    assert set(vocabulary.products.values()) - set(load_catalog().products) == set()


@pytest.mark.parametrize(("name", "key", "product"), [
    ("fivetran", "mysql_rds", "mysql"), ("fivetran", "snowflake_db", "snowflake"),
    ("fivetran", "postgres_warehouse", "postgresql"), ("fivetran", "sql_server_hva", "microsoft-sql-server"),
    ("segment", "actions-facebook-conversions-api", "meta-ads"), ("segment", "actions-hubspot-web", "hubspot-crm"),
    ("segment", "actions-braze-cohorts", "braze"), ("airbyte", "facebook-marketing", "meta-ads"),
])
def test_connector_variants_collapse_to_their_product(name: str, key: str, product: str) -> None:
    assert load_vocabulary(name).answer(key) == ("product", product)


@pytest.mark.parametrize(("name", "key"), [("fivetran", "webhooks"), ("fivetran", "sftp"), ("airbyte", "file"),
                                           ("airbyte", "faker"), ("segment", "javascript")])
def test_files_protocols_and_libraries_are_no_product(name: str, key: str) -> None:
    answer = load_vocabulary(name).answer(key)
    assert answer is not None and answer[0] == "not_product"


def test_the_file_agrees_with_every_hand_checked_merge_of_the_printed_names(matcher: Matcher) -> None:
    spec = importlib.util.spec_from_file_location("vocabularies_script", ROOT / "scripts" / "vocabularies.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name, entries in script._entries().items():
        vocabulary = load_vocabulary(name)
        for key, printed in entries:
            found = matcher.match(printed).product
            if found and key not in script.HAND[name]:
                assert vocabulary.answer(key) == ("product", found), (name, key, printed)
        text, _ = script.write(name, entries, matcher)
        committed = (ROOT / "auditor" / "catalog" / f"vocabulary-{name}.yaml").read_text(encoding="utf-8")
        assert text == committed, f"run scripts/vocabularies.py: vocabulary-{name}.yaml is out of date"


def test_the_generated_connector_products_are_up_to_date() -> None:
    from scripts.connector_products import OUT, text

    stale = "run scripts/connector_products.py, then scripts/vocabularies.py"
    assert text()[0] == OUT.read_text(encoding="utf-8"), stale


def record(name: str, connector: str, hints: dict[str, str]) -> ToolRecord:
    return ToolRecord(name=name, provenance=SourceRef("etl", connector), hints=hints)


def test_the_resolver_follows_the_vocabulary_file(matcher: Matcher) -> None:
    records = [record("Mysql Rds", "fivetran", {"service": "mysql_rds"}),
               record("MySQL", "fivetran", {"service": "mysql"}),
               record("Webhooks", "fivetran", {"service": "webhooks"}),
               record("Braze Cohorts", "segment", {"segment_slug": "actions-braze-cohorts"})]
    resolution = Resolver(load_catalog(), matcher=matcher).resolve(records)
    assert resolution.by_product["mysql"] == resolution.lookup("Mysql Rds") == resolution.lookup("MySQL")
    assert resolution.lookup("Braze Cohorts") == resolution.by_product["braze"]
    webhooks = resolution.tools[resolution.lookup("Webhooks") or ""]
    assert webhooks.catalog_id is None and [e.rule for e in webhooks.evidence] == ["new"]


@pytest.mark.parametrize(("key", "product"), [
    ("salesforce", "salesforce-sales-cloud"), ("zoomus", "zoom"), ("zendesk", "zendesk"), ("docusign", "docusign"),
    ("boxnet", "box"), ("amazon_aws", "aws"), ("workday", "workday-hcm"), ("office365", "microsoft-365"),
    ("cornerstone", "cornerstone"), ("deelhr", "deel"),
])
def test_the_okta_gallery_keys_of_real_orgs_name_their_product(matcher: Matcher, key: str, product: str) -> None:
    # tests/data/realworld/vocabularies/okta-apps.tsv: the gallery apps of three real Okta orgs
    assert key in {line.split("\t")[0] for line in _lines("okta-apps.tsv")}
    assert matcher.match("Our app", gallery_key=key).product == product
