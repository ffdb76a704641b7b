"""Shared by the data-pipeline and iPaaS connectors (fivetran, airbyte, segment, workato).

* endpoint names: :func:`display_name` turns service slugs (``google_analytics_4``) into tool names;
* category hints: :func:`category_hint` maps a platform's own category words onto the taxonomy;
* :class:`RecordBuilder` collects one tool record per endpoint plus the platform's own record.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from auditor.model import IntegrationRecord, Inventory, SourceRef, ToolRecord

#: Service slugs whose display name is not just the title-cased slug.
KNOWN_NAMES: Mapping[str, str] = {
    "big_query": "BigQuery", "bigquery": "BigQuery", "redshift": "Amazon Redshift", "s3": "Amazon S3",
    "gcs": "Google Cloud Storage", "hubspot": "HubSpot", "netsuite_suiteanalytics": "NetSuite",
    "netsuite": "NetSuite", "postgres": "PostgreSQL", "postgres_rds": "PostgreSQL", "postgres_warehouse": "PostgreSQL",
    "mysql": "MySQL", "mysql_rds": "MySQL", "sql_server": "SQL Server", "mssql": "SQL Server",
    "mongodb": "MongoDB", "github": "GitHub", "gitlab": "GitLab", "linkedin_ads": "LinkedIn Ads",
    "facebook_ads": "Facebook Ads", "google_ads": "Google Ads", "google_analytics_4": "Google Analytics 4",
    "google-analytics-data-api": "Google Analytics 4", "quickbooks": "QuickBooks", "sap_s4hana": "SAP S/4HANA",
    "servicenow": "ServiceNow", "sendgrid": "SendGrid", "youtube_analytics": "YouTube Analytics",
    "tiktok_ads": "TikTok Ads", "pardot": "Pardot", "zendesk_support": "Zendesk", "zendesk": "Zendesk",
    "workday_hcm": "Workday", "google_sheets": "Google Sheets", "gsheets": "Google Sheets",
    "microsoft_dynamics_365_crm": "Microsoft Dynamics 365", "dynamics_365": "Microsoft Dynamics 365",
    "salesforce_marketing_cloud": "Salesforce Marketing Cloud", "ms_teams": "Microsoft Teams",
    "microsoft_teams": "Microsoft Teams", "sharepoint": "SharePoint", "onedrive": "OneDrive",
    "docusign": "DocuSign", "pagerduty": "PagerDuty", "clickup": "ClickUp", "woocommerce": "WooCommerce",
}

#: Words in a platform's category labels → taxonomy category ids (first match wins).
CATEGORY_WORDS: tuple[tuple[str, str], ...] = (
    ("reverse etl", "reverse-etl"), ("warehouse", "data-warehouse"), ("raw data", "data-warehouse"),
    ("data lake", "data-warehouse"), ("database", "database"), ("crm", "crm"),
    ("marketing automation", "marketing-automation"), ("email marketing", "email-marketing"),
    ("sms", "marketing-automation"), ("push", "marketing-automation"), ("email", "email-marketing"),
    ("advertising", "advertising"), ("attribution", "advertising"), ("a/b", "experimentation"),
    ("personalization", "experimentation"), ("feature flag", "experimentation"),
    ("heatmap", "product-analytics"), ("analytics", "product-analytics"), ("survey", "voc"),
    ("customer success", "customer-success"), ("helpdesk", "ticketing"), ("livechat", "ticketing"),
    ("tag manager", "tag-management"), ("performance monitoring", "observability"),
    ("payments", "payments"), ("ecommerce", "ecommerce"), ("e-commerce", "ecommerce"),
)


def display_name(slug: str, names: Mapping[str, str] = KNOWN_NAMES) -> str:
    """``google_analytics_4`` → ``Google Analytics 4``; ``big_query`` → ``BigQuery`` (known names)."""
    key = slug.strip().casefold()
    for candidate in (key, key.replace("-", "_")):
        if candidate in names:
            return names[candidate]
    words = [w for w in re.split(r"[_\-\s]+", slug.strip()) if w]
    return " ".join(w if any(c.isupper() for c in w) else w.capitalize() for w in words) or slug


def category_hint(labels: Iterable[str]) -> str | None:
    """The taxonomy category of the first label containing a known word (``"Email Marketing"``)."""
    for label in labels:
        lowered = label.casefold()
        for word, category in CATEGORY_WORDS:
            if word in lowered:
                return category
    return None


@dataclass
class RecordBuilder:
    """Collects tool records (one per endpoint name) and integration records of one source."""

    provenance: Callable[..., SourceRef]
    platform: str
    tools: dict[str, ToolRecord] = field(default_factory=dict)
    integrations: list[IntegrationRecord] = field(default_factory=list)
    #: What the source read but left out, by reason (``Inventory.skipped``).
    skipped: Counter[str] = field(default_factory=Counter)

    def tool(self, name: str, source_id: str | None = None, category: str | None = None,
             hints: Mapping[str, str] | None = None, vendor: str | None = None) -> str:
        """Record the endpoint ``name`` once (the first sighting wins); returns the name."""
        if name not in self.tools:
            all_hints = dict(hints or {})
            if category:
                all_hints.setdefault("category", category)
            self.tools[name] = ToolRecord(name=name, provenance=self.provenance(source_id), vendor=vendor,
                                          hints=all_hints)
        return name

    def platform_tool(self, category: str, source_id: str | None = None) -> None:
        """The platform itself (``Fivetran``), whose category is certain."""
        self.tools[self.platform] = ToolRecord(name=self.platform, provenance=self.provenance(source_id),
                                               vendor=self.platform, category=category,
                                               hints={"category": category})

    def link(self, source: str, target: str, kind: str, source_id: str | None,
             data: tuple[str, ...] = ()) -> None:
        """An integration ``source → target`` through the platform (self-loops are dropped)."""
        if source != target:
            self.integrations.append(IntegrationRecord(source, target, kind, self.provenance(source_id),
                                                       via=self.platform, data=data))

    def inventory(self) -> Inventory:
        """The records collected so far."""
        return Inventory(tuple(self.tools.values()), tuple(self.integrations), skipped=dict(self.skipped))
