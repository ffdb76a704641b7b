"""The ``okta`` source: apps in Okta (SSO) with their user counts and departments.

API (Okta Management API, ``Authorization: SSWS <token>``, ``Link: rel="next"`` pagination):
``GET /api/v1/apps``, and per app ``GET /api/v1/apps/{id}/users`` (user count, ``profile.department``)
and ``GET /api/v1/apps/{id}/groups?expand=group`` (group names → departments), ``concurrency`` apps at a
time (results in the apps' order). Identity plumbing is not inventory and is skipped, counted by reason
(:func:`skip_reason`): Okta's own apps (Admin Console ``saasure``, Dashboard ``okta_enduser``, ``okta_*``,
``partner_portal``), directory and identity-source integrations (``active_directory``, ``csv_directory_v2``,
``ldap_interface``, ``custom_identity_source`` …), OIDC service apps (client credentials: machine-to-machine
clients, no users) and deactivated apps; a setting includes each kind. Okta is a discovery source: a tool
only Okta reports is a shadow-IT candidate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from auditor.model import IntegrationRecord, Inventory, ToolRecord
from connectors.base import ConnectorError
from connectors.http import (
    ApiConnector,
    HeaderAuth,
    Items,
    KeyedItems,
    LinkHeader,
    Section,
    api_client,
    concurrency_setting,
    deadline_setting,
    env_secret,
    gc_paused,
    map_ordered,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    timeout_setting,
)

SECTIONS: tuple[Section, ...] = (
    Section("apps", LinkHeader()),
    Section("app_users", LinkHeader(), keyed=True),
    Section("app_groups", LinkHeader(), keyed=True),
    Section("groups", LinkHeader()),
)


class OktaPages(TypedDict, total=False):
    """What the Okta connector reads (its :data:`SECTIONS`): apps, each app's users and groups, and groups.
    Saved pages and ``fetch`` give every section; ``transform`` reads a missing one as empty."""

    apps: Items
    app_users: KeyedItems
    app_groups: KeyedItems
    groups: Items


#: Okta's own apps (its admin console, dashboard, browser plugin …) are not tools of the company.
OWN_APP_NAMES: frozenset[str] = frozenset({"saasure", "okta_enduser", "okta_browser_plugin", "okta_flow_sso",
                                           "okta_iwa", "okta_atspoke_sso", "flow", "partner_portal"})
#: Directory and identity-source integrations (where Okta reads its users from), not tools people use.
DIRECTORY_APP_NAMES: frozenset[str] = frozenset({
    "active_directory", "ldap_interface", "ldap_sun_one", "csv_directory", "csv_directory_v2",
    "custom_identity_source"})
SKIP_OWN = "Okta's own app"
SKIP_DIRECTORY = "directory integration"
SKIP_SERVICE = "service app (client credentials)"
SKIP_INACTIVE = "inactive"
EVERYONE = "Everyone"


@dataclass(frozen=True)
class OktaSettings:
    """Settings of the ``okta`` source."""

    base_url: str | None = field(default=None, metadata={"help": "your Okta org, e.g. https://acme.okta.com"})
    token_env: str = secret_env("OKTA_TOKEN", "an API token (read-only admin is enough)")
    auth_scheme: str = field(default="SSWS", metadata={
        "help": "Authorization scheme: SSWS for API tokens, Bearer for OAuth access tokens"})
    file: str | None = saved_file()
    assignments: bool = field(default=True, metadata={
        "help": "read each app's users and groups (user counts, departments); one or two calls per app"})
    department_groups: str | None = field(default=None, metadata={
        "help": "regular expression picking department groups (first capture group = department name); "
                "default: every assigned group except Everyone"})
    include_inactive: bool = field(default=False, metadata={"help": "also report deactivated apps"})
    include_directories: bool = field(default=False, metadata={
        "help": "also report directory and identity-source integrations (active_directory, csv_directory_v2 …)"})
    include_service_apps: bool = field(default=False, metadata={
        "help": "also report OIDC service apps (client credentials, machine-to-machine)"})
    include_okta_apps: bool = field(default=False, metadata={
        "help": "also report Okta's own apps (Admin Console, Dashboard, okta_*, partner_portal)"})
    sso_integrations: bool = field(default=False, metadata={
        "help": "also report an 'sso' integration Okta → app for every app"})
    page_size: int = field(default=200, metadata={"help": "items per page (Okta's maximum is 200 for apps)"})
    concurrency: int = concurrency_setting()
    timeout: float = timeout_setting()
    retries: int = retries_setting()
    max_pages: int = max_pages_setting()
    deadline: float = deadline_setting()


def is_okta_own(app: Mapping[str, Any]) -> bool:
    """Okta's own apps (Admin Console, Dashboard, plugins): not third-party tools."""
    name = str(app.get("name") or "")
    return name in OWN_APP_NAMES or name.startswith("okta_")


def is_directory(app: Mapping[str, Any]) -> bool:
    """A directory or identity-source integration (AD, LDAP, CSV directory, custom identity source)."""
    return str(app.get("name") or "") in DIRECTORY_APP_NAMES


def is_service_app(app: Mapping[str, Any]) -> bool:
    """An OIDC service app: ``application_type: service`` or only the client-credentials grant."""
    client = (app.get("settings") or {}).get("oauthClient") or {}
    grants = client.get("grant_types") if isinstance(client, Mapping) else None
    return isinstance(client, Mapping) and (client.get("application_type") == "service"
                                            or (isinstance(grants, list) and grants == ["client_credentials"]))


def skip_reason(app: Mapping[str, Any], settings: OktaSettings) -> str | None:
    """Why ``app`` is not reported as a tool under ``settings`` (None: it is)."""
    if is_okta_own(app) and not settings.include_okta_apps:
        return SKIP_OWN
    if is_directory(app) and not settings.include_directories:
        return SKIP_DIRECTORY
    if is_service_app(app) and not settings.include_service_apps:
        return SKIP_SERVICE
    if not settings.include_inactive and str(app.get("status") or "ACTIVE").upper() != "ACTIVE":
        return SKIP_INACTIVE
    return None


def status_lifecycle(app: Mapping[str, Any]) -> str | None:
    """``ACTIVE`` → active; ``INACTIVE`` (deactivated, read with include_inactive) → retired; else None."""
    return {"ACTIVE": "active", "INACTIVE": "retired"}.get(str(app.get("status") or "").upper())


def app_domains(app: Mapping[str, Any]) -> tuple[str, ...]:
    """Host names an app points to (bookmark URL, SAML ACS URL, OIDC redirect URIs)."""
    settings = app.get("settings") or {}
    urls: list[Any] = [(settings.get("app") or {}).get("url"), (settings.get("app") or {}).get("loginUrl"),
                       (settings.get("signOn") or {}).get("ssoAcsUrl")]
    urls.extend((settings.get("oauthClient") or {}).get("redirect_uris") or [])
    return tuple(dict.fromkeys(h for u in urls if (h := host_of(u))))


def host_of(url: Any) -> str | None:
    """The host name of an absolute URL (None for relative, local or missing ones)."""
    if not isinstance(url, str):
        return None
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.isalpha():
        return None
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    host = (authority[1:].partition("]")[0] if authority.startswith("[") else authority.partition(":")[0])
    host = host.casefold().rstrip(".")
    return host if host and host not in ("localhost", "127.0.0.1", "::1") else None


class OktaConnector(ApiConnector[OktaSettings, OktaPages]):
    """Apps in Okta, with user counts and departments (a discovery source)."""

    type_id = "okta"
    description = "Okta apps (SSO) with user counts and departments from assignments"
    settings_class = OktaSettings
    sections = SECTIONS
    sanctioned = False

    def check_settings(self) -> list[str]:
        """Without saved pages (``file``) the API needs the org's ``base_url``."""
        if not self.settings.file and not self.settings.base_url:
            return ["no Okta org given: set 'base_url' (https://<org>.okta.com) or 'file' for an offline audit"]
        return []

    def fetch(self) -> OktaPages:
        """``{"apps": [...], "app_users": {app id: [...]}, "app_groups": {app id: [...]}, "groups": []}``."""
        source = self.context.source_name
        if not self.settings.base_url:
            raise ConnectorError(source, "no Okta org given", hint="set 'base_url' (https://<org>.okta.com) "
                                 "or 'file' for an offline audit")
        token = env_secret(source, self.settings.token_env, "Okta API token")
        auth = HeaderAuth(self.settings.auth_scheme, token)
        size = max(1, min(self.settings.page_size, 200))
        raw: OktaPages = {"apps": [], "app_users": {}, "app_groups": {}, "groups": []}
        with api_client(self, self.settings.base_url, auth=auth, token_env=self.settings.token_env) as api:
            raw["apps"] = list(api.items("/api/v1/apps", {"limit": size}, LinkHeader(), label="apps"))
            if not self.settings.assignments:
                return raw
            app_ids = [str(app["id"]) for app in raw["apps"] if self._wanted(app)]

            def assignments(app_id: str) -> tuple[list[Any], list[Any]]:
                users = list(api.items(f"/api/v1/apps/{app_id}/users", {"limit": 500}, LinkHeader(),
                                       label=f"users of {app_id}"))
                groups = list(api.items(f"/api/v1/apps/{app_id}/groups", {"limit": 200, "expand": "group"},
                                        LinkHeader(), label=f"groups of {app_id}"))
                return users, groups

            found = map_ordered(assignments, app_ids, self.settings.concurrency, thread_name="okta")
            for app_id, (users, groups) in zip(app_ids, found, strict=True):
                raw["app_users"][app_id] = users
                raw["app_groups"][app_id] = groups
        return raw

    def _wanted(self, app: Any) -> bool:
        return isinstance(app, Mapping) and bool(app.get("id")) and skip_reason(app, self.settings) is None

    def transform(self, raw: OktaPages) -> Inventory:
        with gc_paused():
            return self._transform(raw)

    def _transform(self, raw: OktaPages) -> Inventory:
        group_names = {str(g.get("id")): str((g.get("profile") or {}).get("name") or "")
                       for g in raw.get("groups") or [] if isinstance(g, Mapping)}
        pattern = compile_department_pattern(self.context.source_name, self.settings.department_groups)
        users_by_app: Mapping[str, list[Any]] = raw.get("app_users") or {}
        groups_by_app: Mapping[str, list[Any]] = raw.get("app_groups") or {}
        tools: list[ToolRecord] = []
        integrations: list[IntegrationRecord] = []
        skipped: Counter[str] = Counter()
        for app in raw.get("apps") or []:
            if not isinstance(app, Mapping) or not app.get("id"):
                skipped["not an app object (no id)"] += 1
                continue
            if reason := skip_reason(app, self.settings):
                skipped[reason] += 1
                continue
            app_id = str(app["id"])
            name = str(app.get("label") or app.get("name") or app_id)
            users = users_by_app.get(app_id)
            departments = {*_user_departments(users or []),
                           *_group_departments(groups_by_app.get(app_id) or [], group_names, pattern)}
            hints = {"okta_app_name": str(app.get("name") or ""), "sign_on_mode": str(app.get("signOnMode") or "")}
            tools.append(ToolRecord(
                name=name, provenance=self.provenance(app_id), users=len(users) if users is not None else None,
                departments=tuple(sorted(departments)), domains=app_domains(app),
                hints={k: v for k, v in hints.items() if v}, lifecycle=status_lifecycle(app)))
            if self.settings.sso_integrations:
                integrations.append(IntegrationRecord("Okta", name, "sso", self.provenance(app_id)))
        if integrations:
            tools.append(ToolRecord("Okta", self.provenance("okta"), vendor="Okta", category="identity",
                                    hints={"okta_app_name": "saasure"}))
        return Inventory(tuple(tools), tuple(integrations), skipped=dict(skipped))


def _user_departments(users: Iterable[Any]) -> set[str]:
    found = set()
    for user in users:
        if not isinstance(user, Mapping):
            continue
        embedded = ((user.get("_embedded") or {}).get("user") or {}).get("profile") or {}
        department = (user.get("profile") or {}).get("department") or embedded.get("department")
        if isinstance(department, str) and department.strip():
            found.add(department.strip())
    return found


def department_of(group_name: str, pattern: re.Pattern[str] | None) -> str | None:
    """The department a group stands for: every group but Everyone, or what ``pattern`` picks."""
    name = group_name.strip()
    if not name or name in (EVERYONE, "All Users"):
        return None
    if pattern is None:
        return name
    match = pattern.search(name)
    if match is None:
        return None
    return (match.group(1) if match.groups() else match.group(0)).strip() or None


def compile_department_pattern(source: str, value: str | None) -> re.Pattern[str] | None:
    """The ``department_groups`` setting compiled; :class:`ConnectorError` when it is not a valid expression."""
    if not value:
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise ConnectorError(source, f"department_groups is not a valid regular expression ({exc})",
                             hint="fix 'department_groups' in the config") from exc


def _group_departments(groups: Iterable[Any], names: Mapping[str, str], pattern: re.Pattern[str] | None) -> set[str]:
    found = set()
    for group in groups:
        if not isinstance(group, Mapping):
            continue
        embedded = ((group.get("_embedded") or {}).get("group") or {}).get("profile") or {}
        department = department_of(str(embedded.get("name") or names.get(str(group.get("id")), "")), pattern)
        if department:
            found.add(department)
    return found
