"""The ``google_workspace`` source: third-party apps users connected to their Google accounts (OAuth).

Admin SDK Directory API with a bearer access token (scopes ``admin.directory.user.readonly`` and
``admin.directory.user.security``): ``GET /admin/directory/v1/users`` (``nextPageToken``
pagination), then ``GET /admin/directory/v1/users/{user}/tokens`` per user. Each app (``clientId``)
becomes a tool with its user count and the departments of its users; its scopes say which Google
products it reads or writes, reported as ``api`` integrations between the product and the app (the
suite's parts, Gmail, Drive, Calendar …, are one tool, Google Workspace; the scopes say which). Google's
own clients (Chrome, APIs Explorer, device account managers …, :data:`GOOGLE_CLIENTS`) are skipped and
counted unless ``include_google``; no app is judged by its name's first word. A discovery source: apps only
Google reports are shadow-IT candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

import httpx

from auditor.model import IntegrationRecord, Inventory, ToolRecord
from connectors.base import ConnectorError
from connectors.http import (
    ApiClient,
    ApiConnector,
    Items,
    KeyedItems,
    PageToken,
    Section,
    SinglePage,
    api_client,
    bearer,
    deadline_setting,
    env_secret,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    service_account_key,
    service_account_token,
    timeout_setting,
)

USERS = PageToken(items_path=("users",))
SECTIONS: tuple[Section, ...] = (Section("users", USERS),
                                 Section("tokens", SinglePage(("items",), optional=True), keyed=True))


class GooglePages(TypedDict, total=False):
    """What the Google Workspace connector reads (its :data:`SECTIONS`): users, and the OAuth tokens of each
    (keyed by ``primaryEmail``)."""

    users: Items
    tokens: KeyedItems


_AUTH = "https://www.googleapis.com/auth/"
#: What the connector reads: users, and the OAuth tokens users granted.
SCOPES: tuple[str, ...] = (f"{_AUTH}admin.directory.user.readonly", f"{_AUTH}admin.directory.user.security")
WORKSPACE = "Google Workspace"
#: Scope prefixes (after ``https://www.googleapis.com/auth/``) → Google product (first match wins). The
#: suite's parts (Gmail, Drive, Calendar, Sheets …) are one tool, Google Workspace: one licence, one admin,
#: one integration per app and direction; the scopes (``data``) still say which parts an app reaches.
SCOPE_PRODUCTS: tuple[tuple[str, str], ...] = (
    ("gmail", WORKSPACE), ("calendar", WORKSPACE), ("drive", WORKSPACE), ("spreadsheets", WORKSPACE),
    ("documents", WORKSPACE), ("presentations", WORKSPACE), ("forms", "Google Forms"), ("chat", WORKSPACE),
    ("meetings", WORKSPACE), ("contacts", WORKSPACE), ("directory.readonly", WORKSPACE), ("admin.", WORKSPACE),
    ("apps.", WORKSPACE), ("tasks", WORKSPACE), ("keep", WORKSPACE), ("script", WORKSPACE), ("ediscovery", WORKSPACE),
    ("bigquery", "Google BigQuery"), ("devstorage", "Google Cloud Storage"),
    ("cloud-platform", "Google Cloud"), ("compute", "Google Cloud"), ("analytics", "Google Analytics"),
    ("adwords", "Google Ads"), ("youtube", "YouTube"), ("photoslibrary", "Google Photos"),
)
#: Scopes that only sign the user in: no product data.
SIGN_IN_SCOPES: frozenset[str] = frozenset({"openid", "email", "profile", f"{_AUTH}userinfo.email",
                                            f"{_AUTH}userinfo.profile", f"{_AUTH}plus.me"})
#: Google's own clients and device account managers that show up among tokens (casefolded names). Other
#: apps are never judged by their name: "Google Data Studio" (Looker Studio, a BI tool) is a tool.
GOOGLE_CLIENTS: frozenset[str] = frozenset({
    "android", "android device", "ios account manager", "macos", "ipados", "chrome os", "chromeos", "windows",
    "google chrome", "google apis explorer", "google oauth 2.0 playground", "google calendar mobile",
    "google drive for desktop", "google drive file stream", "google backup and sync", "google cloud sdk",
    "gmail", "gmail for ios", "google", "google app", "google app for ios", "google photos",
    "google workspace sync for microsoft outlook", "google sync"})
SKIP_GOOGLE = "Google's own client"
SKIP_NOT_TOKEN = "not a token (no clientId)"


@dataclass(frozen=True)
class GoogleWorkspaceSettings:
    """Settings of the ``google_workspace`` source."""

    token_env: str = secret_env("GOOGLE_WORKSPACE_TOKEN", "an OAuth access token of an admin (or a delegated service "
                                "account) with admin.directory.user.readonly and admin.directory.user.security")
    service_account_env: str | None = secret_env(None, "the path to (or the JSON of) a service account key with "
                                                 "domain-wide delegation for the two scopes; needs 'subject'",
                                                 instead_of="token_env")
    subject: str | None = field(default=None, metadata={
        "help": "the admin the service account acts as (domain-wide delegation)"})
    customer: str = field(default="my_customer", metadata={"help": "customer id (my_customer = your own)"})
    domain: str | None = field(default=None, metadata={"help": "only users of this domain"})
    file: str | None = saved_file()
    department_from: str = field(default="organization", metadata={
        "help": "where a user's department comes from: organization (organizations[].department) or "
                "org_unit (last part of orgUnitPath)"})
    include_google: bool = field(default=False, metadata={
        "help": "also report Google's own clients (Google Chrome, Android, iOS Account Manager …)"})
    include_suspended: bool = field(default=False, metadata={"help": "also read tokens of suspended users"})
    base_url: str = field(default="https://admin.googleapis.com", metadata={"help": "Admin SDK root"})
    page_size: int = field(default=500, metadata={"help": "users per page (maxResults, at most 500)"})
    timeout: float = timeout_setting()
    retries: int = retries_setting()
    max_pages: int = max_pages_setting()
    deadline: float = deadline_setting()


def product_of(scope: str) -> str | None:
    """The Google product a scope touches (``…/auth/drive.readonly`` → Google Drive); None for sign-in."""
    if scope in SIGN_IN_SCOPES:
        return None
    if scope.startswith("https://mail.google.com"):
        return WORKSPACE
    name = scope[len(_AUTH):] if scope.startswith(_AUTH) else scope.rsplit("/", 1)[-1]
    return next((product for prefix, product in SCOPE_PRODUCTS if name.startswith(prefix)), None)


def is_read_only(scope: str) -> bool:
    """Whether a scope only reads (``.readonly``, ``.metadata``)."""
    return scope.endswith((".readonly", ".metadata", ".metadata.readonly"))


def short_scope(scope: str) -> str:
    """``https://www.googleapis.com/auth/drive.readonly`` → ``drive.readonly``."""
    return scope[len(_AUTH):] if scope.startswith(_AUTH) else scope


class GoogleWorkspaceConnector(ApiConnector[GoogleWorkspaceSettings, GooglePages]):
    """OAuth apps connected to Google Workspace accounts (a discovery source)."""

    type_id = "google_workspace"
    description = "Google Workspace: third-party apps users connected with OAuth, and the Google data they reach"
    settings_class = GoogleWorkspaceSettings
    sections = SECTIONS
    sanctioned = False

    def get(self) -> GooglePages:
        """``{"users": [...], "tokens": {primaryEmail: [...]}}``."""
        source, settings = self.context.source_name, self.settings
        if settings.department_from not in ("organization", "org_unit"):
            raise ConnectorError(source, f"department_from must be organization or org_unit, "
                                 f"not '{settings.department_from}'", hint="fix 'department_from' in the config")
        return super().get()

    def fetch(self) -> GooglePages:
        """Every user, then the OAuth tokens of each."""
        settings = self.settings
        params: dict[str, Any] = {"maxResults": max(1, min(settings.page_size, 500)), "projection": "full"}
        params.update({"domain": settings.domain} if settings.domain else {"customer": settings.customer})
        raw: GooglePages = {"users": [], "tokens": {}}
        env = settings.service_account_env or settings.token_env
        with api_client(self, settings.base_url, token_env=env) as api:
            self._authenticate(api)
            raw["users"] = list(api.items("/admin/directory/v1/users", params, USERS, label="users"))
            for user in raw["users"]:
                email = str(user.get("primaryEmail") or "")
                if not email or (user.get("suspended") and not settings.include_suspended):
                    continue
                body = api.get_json(f"/admin/directory/v1/users/{email}/tokens", missing_ok=True)
                raw["tokens"][email] = SECTIONS[1].paginator.items(body) if body else []
        return raw

    def _authenticate(self, api: ApiClient) -> None:
        """A bearer token from ``token_env``, or minted for the service account (renewed when it expires)."""
        source, settings = self.context.source_name, self.settings
        if not settings.service_account_env:
            api.set_auth(bearer(env_secret(source, settings.token_env, "Google access token")))
            return
        if not settings.subject:
            raise ConnectorError(source, "a service account needs 'subject'",
                                 hint="set subject to the e-mail of an admin the service account may act as")
        key = service_account_key(source, settings.service_account_env)

        def mint() -> httpx.Auth:
            return bearer(service_account_token(api, key, SCOPES, settings.subject))

        api.set_auth(mint(), refresh=mint)

    def transform(self, raw: GooglePages) -> Inventory:
        departments = {str(u.get("primaryEmail")): self._department(u) for u in raw.get("users") or []
                       if isinstance(u, Mapping)}
        apps: dict[str, dict[str, Any]] = {}
        skipped: Counter[str] = Counter()
        for email, tokens in (raw.get("tokens") or {}).items():
            for token in tokens or []:
                if not isinstance(token, Mapping) or not token.get("clientId"):
                    skipped[SKIP_NOT_TOKEN] += 1
                    continue
                name = str(token.get("displayText") or token["clientId"]).strip()
                if not self.settings.include_google and _is_google_client(name):
                    skipped[SKIP_GOOGLE] += 1  # counted per token (user grant)
                    continue
                app = apps.setdefault(str(token["clientId"]), {"name": name, "users": set(), "scopes": {},
                                                               "native": bool(token.get("nativeApp"))})
                app["users"].add(token.get("userKey") or email)
                app["scopes"].update(dict.fromkeys(str(s) for s in token.get("scopes") or []))
                if department := departments.get(str(email)):
                    app.setdefault("departments", set()).add(department)
        tools: dict[str, ToolRecord] = {}
        integrations: list[IntegrationRecord] = []
        for client_id, app in sorted(apps.items()):
            tools[client_id] = ToolRecord(
                name=app["name"], provenance=self.provenance(client_id), users=len(app["users"]),
                departments=tuple(sorted(app.get("departments", ()))),
                hints={"google_client_id": client_id, **({"native_app": "true"} if app["native"] else {})})
            integrations.extend(self._integrations(client_id, app["name"], app["scopes"], tools))
        return Inventory(tuple(tools.values()), tuple(integrations), skipped=dict(skipped))

    def _department(self, user: Mapping[str, Any]) -> str | None:
        if self.settings.department_from == "org_unit":
            unit = str(user.get("orgUnitPath") or "").strip("/").rsplit("/", 1)[-1]
            return unit or None
        organizations = [o for o in user.get("organizations") or [] if isinstance(o, Mapping)]
        primary = next((o for o in organizations if o.get("primary")), organizations[0] if organizations else {})
        department = str(primary.get("department") or "").strip()
        return department or None

    def _integrations(self, client_id: str, app: str, scopes: Iterable[str],
                      tools: dict[str, ToolRecord]) -> list[IntegrationRecord]:
        """One ``api`` integration per Google product the app's scopes reach (product → app if read-only)."""
        by_product: dict[str, list[str]] = {}
        for scope in scopes:
            if product := product_of(scope):
                by_product.setdefault(product, []).append(scope)
        records = []
        for product, granted in sorted(by_product.items()):
            if f"google:{product}" not in tools:
                tools[f"google:{product}"] = ToolRecord(product, self.provenance(product), vendor="Google")
            writes = not all(is_read_only(s) for s in granted)
            records.append(IntegrationRecord(product, app, "api", self.provenance(client_id),
                                             data=tuple(short_scope(s) for s in granted), bidirectional=writes))
        return records


def _is_google_client(name: str) -> bool:
    return name.casefold() in GOOGLE_CLIENTS
