"""Write auditor/catalog/vocabulary-{fivetran,airbyte,segment}.yaml from the real vocabularies.

Usage::

    .venv/bin/python scripts/vocabularies.py

Each connector id (Fivetran service id, Airbyte source/destination type, Segment catalog slug) is put
in exactly one section of its file:

* ``products``: the catalog product the id stands for. From the matcher on the name the connector
  prints (every such merge is checked by hand in tests/data/realworld/vocabularies/
  vocabulary-merges.csv), from :data:`HAND` (checked by hand), or from a connector variant whose
  base id is a product (``mysql_rds`` → MySQL, ``snowflake_db`` → Snowflake: :data:`VARIANT_SUFFIXES`);
* ``not_products``: ids that name no product (files, protocols, generic endpoints, public data sets,
  the platform's own logs), with the reason (:data:`NOT_PRODUCTS`);
* ``not_in_catalog``: products the catalog does not have (yet).

The input lists are the copies in tests/data/realworld/vocabularies (origin in their SOURCES.md).
Run it again after the catalog grows; review the diff of the output before committing it.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.resolution.catalog import load_catalog  # noqa: E402
from auditor.resolution.matcher import Matcher  # noqa: E402
from connectors.pipelines import display_name  # noqa: E402
from connectors.segment import destination_name  # noqa: E402

DATA = ROOT / "tests" / "data" / "realworld" / "vocabularies"
OUT = ROOT / "auditor" / "catalog"

#: Connector variants of one product (Fivetran): the suffix names where the product runs or how it is read.
VARIANT_SUFFIXES = ("_sap_ecc_hva", "_sap_hva_netweaver", "_sap_hva", "_hva", "_rds", "_azure", "_db",
                    "_managed_db", "_warehouse", "_sandbox", "_rac", "_sharded", "_v2")

#: Ids whose product the printed name does not reveal, checked by hand: vocabulary → id → product.
HAND: dict[str, dict[str, str]] = {
    "fivetran": {
        "aurora_postgres": "postgresql", "azure_postgres": "postgresql", "heroku_postgres": "postgresql",
        "google_cloud_postgresql": "postgresql", "google_cloud_mysql": "mysql", "mysql_azure": "mysql",
        "google_cloud_sqlserver": "microsoft-sql-server", "azure_sql_managed_db": "microsoft-sql-server",
        "magento_mysql": "adobe-commerce", "magento_mysql_rds": "adobe-commerce", "close": "close-crm",
        "dynamics_365": "dynamics-365-sales", "fivetran_log": "fivetran",
        "looker_source": "looker", "tableau_source": "tableau", "maria": "mariadb", "oracle": "oracle-database",
        "microsoft_dynamics_365_fno": "dynamics-365-finance", "db2i_hva": "ibm-db2", "db2i_sap_hva": "ibm-db2",
        "db2z": "ibm-db2",
        # variants of a catalog product whose printed name adds the connector's own words (checked by hand)
        "adobe_analytics_data_feed": "adobe-analytics", "aiven_kafka_wh": "apache-kafka", "aws_msk_wh": "amazon-msk",
        "heroku_kafka": "apache-kafka", "confluent_cloud_wh": "confluent-cloud", "aws_cost_report": "aws",
        "aws_inventory": "aws", "big_query_dts": "google-bigquery", "managed_big_query": "google-bigquery",
        "chargebee_product_catalog_1": "chargebee", "chargebee_product_catalog_2": "chargebee",
        "claude_compliance": "claude", "cloudflare_analytics": "cloudflare", "criteo_retail_media": "criteo",
        "databricks_via_managed_data_lake": "databricks", "google_analytics_4_export": "google-analytics",
        "ironclad_clickwrap": "ironclad", "livechat_partner": "livechat", "medallia_agile_research": "medallia",
        "openai": "openai-api", "openai_compliance_platform": "chatgpt", "oracle_fusion_cloud_apps_fscm":
        "oracle-fusion-erp", "postgres_databricks_warehouse": "postgresql", "postgres_gcp_warehouse": "postgresql",
        "slack_admin_data": "slack", "sql_server_rds_warehouse": "microsoft-sql-server",
        "teradata_destination": "teradata", "workday_adaptive": "workday-adaptive-planning", "copper": "copper-crm",
        "mongo": "mongodb-atlas", "mongo_sharded": "mongodb-atlas", "es_self_hosted": "elastic-cloud",
        "singlestore_source": "singlestore", "maria_rds_warehouse": "mariadb", "oracle_rac_warehouse":
        "oracle-database", "oracle_rds_warehouse": "oracle-database", "amazon_selling_partner":
        "amazon-seller-central", "managed_data_lake": "fivetran", "nice": "nice-cxone",
    },
    "airbyte": {"smartsheets": "smartsheet", "oracle": "oracle-database", "oracle-enterprise": "oracle-database",
                "facebook-marketing": "meta-ads", "lever-hiring": "lever", "clickup-api": "clickup",
                "paypal-transaction": "paypal", "workday-rest": "workday-hcm", "google-directory": "google-workspace",
                "zapier-supported-storage": "zapier", "amazon-seller-partner": "amazon-seller-central",
                "aws-datalake": "aws", "azure-table": "microsoft-azure", "mailjet-sms": "mailjet",
                "snowflake-cortex": "snowflake", "thinkific-courses": "thinkific", "twilio-taskrouter": "twilio",
                "zoho-analytics-metadata-api": "zoho-analytics", "copper": "copper-crm", "s3-data-lake": "amazon-s3"},
    "segment": {"close": "close-crm", "actions-segment": "segment", "actions-segment-profiles": "segment",
                "engage-messaging": "segment", "editable-profile-source-metadata": "segment",
                "actions-facebook-conversions-api": "meta-ads", "actions-facebook-custom-audiences": "meta-ads",
                "personas-facebook-custom-audiences": "meta-ads", "facebook-pixel": "meta-ads",
                "facebook-app-events": "meta-ads", "facebook-lead-ads": "meta-ads",
                "actions-linkedin-audiences": "linkedin-marketing-solutions",
                "actions-linkedin-conversions": "linkedin-marketing-solutions",
                "linkedin-insight-tag": "linkedin-marketing-solutions", "actions-algolia-insights": "algolia",
                "actions-amazon-amc": "amazon-ads", "criteo-app-web-events": "criteo",
                "ms-bing-ads-audiences": "microsoft-advertising", "microsoft-bing-capi": "microsoft-advertising",
                "pinterest-audiences": "pinterest-ads", "pinterest-tag": "pinterest-ads",
                "actions-pinterest-conversions-api": "pinterest-ads",
                "snapchat-audiences": "snapchat-ads", "actions-the-trade-desk-crm": "the-trade-desk",
                "first-party-dv360": "google-display-video-360", "reddit-audiences": "reddit-ads",
                "reddit-conversions-api": "reddit-ads", "reddit-pixel": "reddit-ads",
                "actions-tiktok-audiences": "tiktok-ads", "actions-tiktok-offline-conversions": "tiktok-ads",
                "actions-tiktok-pixel": "tiktok-ads", "tiktok-conversions": "tiktok-ads", "repeater": "segment",
                **dict.fromkeys(("actions-optimizely-advanced-audience-targeting", "actions-optimizely-data-platform",
                                 "actions-optimizely-feature-experimentation-cloud", "optimizely-full-stack"),
                                "optimizely")},
}

#: Segment catalog names: words after the product that name a variant of its destination.
SEGMENT_VARIANT_WORDS = ("Conversions API", "Offline Conversions", "Conversions", "Custom Audiences", "Audiences",
                         "Cohorts", "Web Device Mode", "Web Plugin", "Web", "Cloud Mode", "Cloud", "Pixel",
                         "Insight Tag", "Tag", "App Events", "Lead Ads", "Static Lists", "Remarketing Lists",
                         "Marketing Campaigns", "Event Streams", "Messaging", "Mobile", "Source")
#: Segment source catalog categories of code libraries (the company's own site or app, not a product).
SEGMENT_LIBRARY_CATEGORIES = frozenset({"website", "mobile", "server", "ott", "custom"})

#: Ids that name no product, with the reason: vocabulary → id → reason.
NOT_PRODUCTS: dict[str, dict[str, str]] = {
    "fivetran": {
        "email": "files sent by e-mail", "ftp": "file transfer protocol", "sftp": "file transfer protocol",
        "webhooks": "generic webhook endpoint", "amqp": "message protocol", "connector_sdk": "custom code",
        "web_scraper": "generic web scraping", "s3_compatible_storage": "any S3-compatible store",
        "open_data_dc": "public data set", "statistics_netherlands_cbs": "public data set",
        "the_movie_database": "public data set", "cimis": "public data set",
        "care_quality_commission": "public data set", "national_heavy_vehicle_regulator": "public data set",
        "datastreamer_source": "generic stream", "open_exchange_rates": "public data set",
        "ballotready": "public data set",
    },
    "airbyte": {
        "file": "file upload", "sftp": "file transfer protocol", "sftp-bulk": "file transfer protocol",
        "faker": "test data generator", "dev-null": "discards data", "rss": "feed format",
        "apify-dataset": "generic scraped data set", "sftp-json": "local file", "datagen": "test data generator",
        "hardcoded-records": "test data generator", "web-scrapper": "generic web scraping",
        **dict.fromkeys((
            "pokeapi", "rki-covid", "nasa", "open-data-dc", "us-census", "tmdb", "the-guardian-api", "nytimes",
            "exchange-rates", "coin-api", "coinmarketcap", "breezometer", "care-quality-commission", "cimis",
            "gutendex", "openaq", "openfda", "spacex-api", "xkcd", "scryfall", "tvmaze-schedule",
            "wikipedia-pageviews", "whisky-hunter", "pypi", "recreation", "google-webfonts", "open-exchange-rates",
            "hugging-face-datasets", "kyve", "pexels-api", "giphy"), "public data set"),
        **dict.fromkeys((
            "alpha-vantage", "aviationstack", "coingecko-coins", "defillama", "finage", "financial-modelling",
            "finnhub", "finnworlds", "gnews", "marketstack", "news-api", "newsdata", "newsdata-io", "openweather",
            "perigon", "polygon-stock-api", "simfin", "stockdata", "twelve-data", "weatherstack",
            "yahoo-finance-price", "watchmode", "ip2whois", "rentcast"), "public data feed (market, news, weather …)"),
    },
    "segment": {
        "actions-webhook": "generic webhook endpoint", "extensible-webhook": "generic webhook endpoint",
        "http-api": "generic HTTP endpoint", "pixel-tracking-api": "generic HTTP endpoint",
        "project": "generic HTTP source of a Segment workspace",
    },
}


def _entries() -> dict[str, list[tuple[str, str]]]:
    """Vocabulary → [(id, name the connector prints)]."""
    airbyte = json.loads((DATA / "airbyte-types.json").read_text(encoding="utf-8"))
    segment = json.loads((DATA / "segment-catalog.json").read_text(encoding="utf-8"))
    fivetran = [line.strip() for name in ("fivetran-services.txt", "fivetran-destination-services.txt")
                for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return {
        "fivetran": [(s, display_name(s)) for s in fivetran],
        "airbyte": [(s, display_name(s)) for s in airbyte["source"] + airbyte["destination"]],
        "segment": [(str(m["slug"]), destination_name(m, str(m["slug"]))) for m in segment["destinations"]]
        + [(str(m["slug"]), str(m["name"])) for m in segment["sources"]
           if not {str(c).casefold() for c in m.get("categories", [])} & SEGMENT_LIBRARY_CATEGORIES],
    }


def segment_libraries() -> list[str]:
    """Segment source slugs that are code libraries (website, mobile, server …): no product."""
    segment = json.loads((DATA / "segment-catalog.json").read_text(encoding="utf-8"))
    return [str(m["slug"]) for m in segment["sources"]
            if {str(c).casefold() for c in m.get("categories", [])} & SEGMENT_LIBRARY_CATEGORIES]


def _classify(vocabulary: str, key: str, name: str, matcher: Matcher) -> tuple[str, str]:
    """("product", id) | ("not_product", reason) | ("not_in_catalog", "")."""
    if key in NOT_PRODUCTS[vocabulary]:
        return "not_product", NOT_PRODUCTS[vocabulary][key]
    if key in HAND[vocabulary]:
        return "product", HAND[vocabulary][key]
    product = matcher.match(name).product
    if product:
        return "product", product
    base_name = re.sub(r"^(Actions|Personas)\s+|\s*\((Actions|Action|Web Destination|Cloud Destination)\)$", "", name)
    if base_name != name and (found := matcher.match(base_name).product):
        return "product", found  # "Actions Pipedrive", "Amplitude (Actions)"
    for words in SEGMENT_VARIANT_WORDS if vocabulary == "segment" else ():
        if base_name.endswith(" " + words) and (found := matcher.match(base_name[: -len(words) - 1]).product):
            return "product", found
    for suffix in VARIANT_SUFFIXES:
        if key.endswith(suffix):
            base = key[: -len(suffix)]
            found = HAND[vocabulary].get(base) or matcher.match(display_name(base)).product
            if found:
                return "product", found
    return "not_in_catalog", ""


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@cache
def _generated() -> dict[str, str]:
    """``vocabulary:id`` → the product scripts/connector_products.py makes for it."""
    from scripts.connector_products import product_ids

    return product_ids()


def write(vocabulary: str, entries: list[tuple[str, str]], matcher: Matcher) -> tuple[str, dict[str, int]]:
    """The YAML text of one vocabulary file and the number of ids in each section."""
    products: dict[str, str] = {}
    not_products: dict[str, str] = {}
    missing: list[str] = []
    if vocabulary == "segment":
        not_products.update((slug, "code library (the company's own site or app)") for slug in segment_libraries())
    for key, name in entries:
        kind, value = _classify(vocabulary, key, name, matcher)
        made = _generated().get(f"{vocabulary}:{key}")
        if kind == "not_in_catalog" and made in matcher.catalog.products:
            kind, value = "product", str(made)  # a product named by an ordinary word: by its id, not its name
        if kind == "product":
            products.setdefault(key, value)
        elif kind == "not_product":
            not_products.setdefault(key, value)
        elif key not in missing:
            missing.append(key)
    lines = [f"# {vocabulary}: connector ids → catalog products. Written by scripts/vocabularies.py; origin of the",
             "# ids: tests/data/realworld/vocabularies/SOURCES.md. Edit the script's tables, not this file.",
             "schema_version: 1", f"vocabulary: {vocabulary}", "products:"]
    lines += [f"  {_quote(k)}: {v}" for k, v in sorted(products.items())]
    lines.append("not_products:")
    lines += [f"  {_quote(k)}: {_quote(v)}" for k, v in sorted(not_products.items())]
    lines.append("not_in_catalog:")
    lines += [f"  - {_quote(k)}" for k in sorted(missing)]
    counts = {"products": len(products), "not_products": len(not_products), "not_in_catalog": len(missing)}
    return "\n".join(lines) + "\n", counts


def main() -> None:
    """Write the three files and print how many ids each section holds."""
    matcher = Matcher(load_catalog())
    for vocabulary, entries in _entries().items():
        text, counts = write(vocabulary, entries, matcher)
        (OUT / f"vocabulary-{vocabulary}.yaml").write_text(text, encoding="utf-8")
        known = {k for k, _ in entries} | (set(segment_libraries()) if vocabulary == "segment" else set())
        unused = sorted((set(HAND[vocabulary]) | set(NOT_PRODUCTS[vocabulary])) - known)
        print(vocabulary, counts, f"unused table entries: {unused}" if unused else "")


if __name__ == "__main__":
    main()
