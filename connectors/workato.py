"""The ``workato`` source: Workato recipes → iPaaS integrations between the apps they connect.

API: ``GET /api/recipes?page=N&per_page=100`` (``{"items": [...]}``; the last page is shorter
than ``per_page``). A recipe's ``trigger_application`` feeds its ``action_applications``:
``trigger → action`` for each action app, ``kind: ipaas``, ``via: Workato``. Workato's own
building blocks (webhooks, scheduler, logger, HTTP, …) are not tools: when the trigger is one of
them, the first external action app is taken as the data's origin (Workato lists action apps in
recipe order, reads usually come first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from auditor.model import Inventory
from connectors.http import (
    ApiConnector,
    ApiSections,
    NextPage,
    PageShapeError,
    Section,
    deadline_setting,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    timeout_setting,
)
from connectors.pipelines import KNOWN_NAMES, RecordBuilder, display_name

PLATFORM = "Workato"
#: Workato-internal adapters: they say how a recipe runs, not which tool it connects.
INTERNAL_APPS: tuple[str, ...] = (
    "workato_webhooks", "workato_service", "workato_recipe_function", "workato_api_platform", "workato_db_table",
    "workato_pub_sub", "workato_files", "workato_variable", "workato_custom_oauth", "workato_app_platform",
    "clock", "scheduler", "logger", "email", "http", "rest", "lookup_table", "utility", "workbot", "sql_collection",
    "variables", "workato_genie", "workato_template", "workato_event_streams",
)
NAMES = {**KNOWN_NAMES, "salesforce": "Salesforce", "netsuite": "NetSuite", "slack": "Slack", "jira": "Jira",
         "servicenow": "ServiceNow", "zendesk": "Zendesk", "hubspot": "HubSpot", "workday": "Workday",
         "google_sheets": "Google Sheets", "marketo": "Marketo", "quickbooks": "QuickBooks",
         "microsoft_dynamics_crm": "Microsoft Dynamics 365", "sap_s4_hana_cloud": "SAP S/4HANA",
         "docusign": "DocuSign", "box": "Box", "github": "GitHub", "intercom": "Intercom", "okta": "Okta",
         "slack_bot": "Slack"}  # Workbot for Slack: the recipe talks to Slack


@dataclass(frozen=True)
class WorkatoSettings:
    """Settings of the ``workato`` source."""

    base_url: str = field(default="https://www.workato.com", metadata={
        "help": "API root (data centers: https://app.eu.workato.com, https://app.jp.workato.com …)"})
    token_env: str = secret_env("WORKATO_TOKEN", "an API client token (bearer)")
    file: str | None = saved_file()
    page_size: int = field(default=100, metadata={"help": "recipes per page (per_page, max 100)"})
    timeout: float = timeout_setting()
    retries: int = retries_setting()
    max_pages: int = max_pages_setting()
    deadline: float = deadline_setting()
    include_stopped: bool = field(default=False, metadata={"help": "also report stopped recipes"})
    internal_apps: tuple[str, ...] = field(default=INTERNAL_APPS, metadata={
        "help": "Workato adapters that are not tools (ignored as integration ends)"})


@dataclass(frozen=True)
class PageNumbers:
    """``?page=N&per_page=M`` paging: items at ``items``; the next page is ``N + 1`` until a page holds
    fewer than ``per_page`` items (Workato sends no total and no next link)."""

    per_page: int = 100
    #: Where a saved page holds its items (lets a single saved ``{"items": [...]}`` answer be read offline).
    items_path: ClassVar[tuple[str, ...]] = ("items",)

    def items(self, body: Any) -> list[Any]:
        """``body["items"]`` (``result`` in older exports), or the body when it is a list;
        :class:`PageShapeError` for anything else (``{}`` or ``null`` is not an empty page)."""
        if isinstance(body, list):
            return list(body)
        if isinstance(body, dict):
            for key in ("items", "result"):
                if isinstance(body.get(key), list):
                    return list(body[key])
        raise PageShapeError("expected a list of recipes (the body, or its 'items' or 'result')")

    def next_page(self, response: httpx.Response, body: Any) -> NextPage | None:
        """The same request with ``page`` + 1, or None after a short page."""
        if len(self.items(body)) < self.per_page:
            return None
        url = response.request.url
        params = dict(url.params)
        params["page"] = str(int(params.get("page", "1")) + 1)
        return NextPage(str(url.copy_with(query=None)), params)


SECTIONS = (Section("recipes", PageNumbers()),)


class WorkatoConnector(ApiConnector[WorkatoSettings, ApiSections]):
    """Workato recipes (an iPaaS platform's configuration: sanctioned)."""

    type_id = "workato"
    description = "Workato recipes: trigger app → action apps as iPaaS integrations"
    settings_class = WorkatoSettings
    sections = SECTIONS
    sanctioned = True

    def fetch(self) -> ApiSections:
        """``{"recipes": [...]}``."""
        pages = PageNumbers(self.settings.page_size)
        with self.bearer_client() as client:
            params = {"page": 1, "per_page": self.settings.page_size}
            return {"recipes": list(client.items("/api/recipes", params, pages, label="recipes"))}

    def _external(self, app: Any) -> bool:
        name = str(app or "").strip().casefold()
        internal = {a.casefold() for a in self.settings.internal_apps}
        return bool(name) and name not in internal and not name.startswith("workato_")

    def transform(self, raw: ApiSections) -> Inventory:
        records = RecordBuilder(self.provenance, PLATFORM)
        records.platform_tool("ipaas")
        for recipe in raw.get("recipes", []):
            if not recipe.get("running", True) and not self.settings.include_stopped:
                records.skipped["stopped recipe"] += 1
                continue
            recipe_id = str(recipe.get("id"))
            trigger = recipe.get("trigger_application")
            actions = [str(a) for a in recipe.get("action_applications") or [] if self._external(a)]
            apps = ([str(trigger)] if self._external(trigger) else []) + actions
            apps = list(dict.fromkeys(apps))
            names = [records.tool(display_name(app, NAMES), recipe_id, None, {"workato_app": app}) for app in apps]
            for target in names[1:]:
                records.link(names[0], target, "ipaas", recipe_id, data=())
        return records.inventory()
