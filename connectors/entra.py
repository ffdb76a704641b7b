"""The ``entra`` source: enterprise apps (service principals) in Microsoft Entra ID.

Microsoft Graph v1.0 with an OAuth 2.0 client-credentials token (``Application.Read.All``,
``Directory.Read.All``): ``GET /v1.0/servicePrincipals`` (``@odata.nextLink`` pagination), per app
``GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo`` (users and groups assigned; ``concurrency``
apps at a time, results in the apps' order), per assigned group (once, however many apps it is
assigned to) ``GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user/$count`` (its users, nested
groups included; ``GroupMember.Read.All``), and ``GET /v1.0/oauth2PermissionGrants`` (delegated
permissions one app holds on another's API: app-to-app integration evidence). Third-party vs own
apps come from ``appOwnerOrganizationId``; Microsoft's own service principals (every Microsoft-owned tenant
and well-known first-party app id, :mod:`connectors.entra_first_party`), disabled apps, apps tagged
``HideApp`` and non-application principals are skipped and counted by reason, unless a setting includes
them (a grant pointing at a Microsoft API still yields that API's tool). Optionally the beta
``/reports/servicePrincipalSignInActivities`` adds each app's last sign-in.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypedDict

import httpx

from auditor.model import IntegrationRecord, Inventory, ToolRecord
from connectors.base import ConnectorError
from connectors.entra_first_party import first_party
from connectors.http import (
    ApiClient,
    ApiConnector,
    Items,
    KeyedItems,
    NextLink,
    NextPage,
    Section,
    api_client,
    bearer,
    client_credentials_token,
    concurrency_setting,
    deadline_setting,
    env_secret,
    map_ordered,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    timeout_setting,
)
from connectors.okta import compile_department_pattern, department_of, host_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlainCount:
    """A ``$count`` answer (plain text such as ``893``, which is also valid JSON) as a one-item page."""

    def items(self, body: Any) -> list[Any]:
        """``[body]`` when it is a whole number."""
        return [body] if isinstance(body, int) and not isinstance(body, bool) else []

    def next_page(self, response: httpx.Response, body: Any) -> NextPage | None:
        """Always None."""
        return None


SECTIONS: tuple[Section, ...] = (
    Section("servicePrincipals", NextLink()),
    Section("appRoleAssignedTo", NextLink(), keyed=True),
    Section("oauth2PermissionGrants", NextLink()),
    Section("signInActivities", NextLink()),
    Section("groupMemberCount", PlainCount(), keyed=True),
)


class EntraPages(TypedDict, total=False):
    """What the Entra connector reads (its :data:`SECTIONS`); ``groupMemberCount`` holds one count per group."""

    servicePrincipals: Items
    appRoleAssignedTo: KeyedItems
    oauth2PermissionGrants: Items
    signInActivities: Items
    groupMemberCount: KeyedItems


#: The users of a group, nested groups included (devices, contacts and service principals are not counted).
GROUP_USERS_COUNT = "/v1.0/groups/{id}/transitiveMembers/microsoft.graph.user/$count"
#: ``$count`` is an advanced directory query: eventual consistency must be asked for; the answer is plain text.
COUNT_HEADERS: Mapping[str, str] = {"ConsistencyLevel": "eventual", "Accept": "text/plain"}
#: The least-privileged Graph application permission that reads group members.
GROUP_PERMISSION = "GroupMember.Read.All"
#: Why a service principal is not reported (``Inventory.skipped`` reasons).
SKIP_MICROSOFT = "Microsoft first-party app"
SKIP_OWN = "app registered in your tenant"
SKIP_DISABLED = "disabled"
SKIP_NOT_APP = "not an application (managed identity, legacy or social IdP principal)"
SKIP_HIDDEN = "hidden (HideApp tag)"
#: Microsoft APIs by appId → the tool they stand for in a landscape.
MICROSOFT_APIS: Mapping[str, str] = {
    "00000003-0000-0000-c000-000000000000": "Microsoft 365",  # Microsoft Graph
    "00000002-0000-0ff1-ce00-000000000000": "Microsoft 365",  # Office 365 Exchange Online
    "00000003-0000-0ff1-ce00-000000000000": "Microsoft 365",  # Office 365 SharePoint Online
    "00000007-0000-0000-c000-000000000000": "Microsoft Dynamics 365",  # Dataverse
    "00000009-0000-0000-c000-000000000000": "Microsoft Power BI",
}
#: OpenID scopes that only sign a user in: no data flows.
SIGN_IN_SCOPES: frozenset[str] = frozenset({"openid", "profile", "email", "offline_access", "User.Read"})
_OFFSET = re.compile(r"([+-])(\d):?(\d\d)$")


@dataclass(frozen=True)
class EntraSettings:
    """Settings of the ``entra`` source."""

    tenant_id: str | None = field(default=None, metadata={"help": "directory (tenant) id"})
    client_id: str | None = field(default=None, metadata={"help": "application (client) id of the auditor's app"})
    client_secret_env: str = secret_env("ENTRA_CLIENT_SECRET", "the client secret")
    token_env: str | None = secret_env(None, "a Graph access token", instead_of="client credentials")
    file: str | None = saved_file("saved Graph pages")
    assignments: bool = field(default=True, metadata={
        "help": "read each app's user and group assignments (one call per app)"})
    expand_groups: bool = field(default=True, metadata={
        "help": "count the users of assigned groups, nested groups included (one call per group, "
                "needs GroupMember.Read.All)"})
    permission_grants: bool = field(default=True, metadata={
        "help": "read delegated permission grants as app-to-app integrations"})
    sign_in_activity: bool = field(default=False, metadata={
        "help": "read last sign-ins (beta API, needs AuditLog.Read.All and Entra ID P1)"})
    department_groups: str | None = field(default=None, metadata={
        "help": "regular expression picking department groups among assigned groups "
                "(first capture group = department); default: every assigned group"})
    include_own_apps: bool = field(default=True, metadata={"help": "report apps registered in your own tenant"})
    include_microsoft: bool = field(default=False, metadata={"help": "report Microsoft's own service principals"})
    include_disabled: bool = field(default=False, metadata={"help": "report apps whose sign-in is disabled"})
    include_hidden: bool = field(default=False, metadata={
        "help": "report apps tagged HideApp (hidden from users' My Apps: back-end and plumbing apps)"})
    graph_url: str = field(default="https://graph.microsoft.com", metadata={"help": "Microsoft Graph root"})
    login_url: str = field(default="https://login.microsoftonline.com", metadata={
        "help": "identity platform root (token endpoint)"})
    page_size: int = field(default=999, metadata={"help": "$top per page (Graph's maximum is 999)"})
    concurrency: int = concurrency_setting()
    timeout: float = timeout_setting()
    retries: int = retries_setting()
    max_pages: int = max_pages_setting()
    deadline: float = deadline_setting()


def parse_timestamp(value: Any) -> datetime | None:
    """Lenient ISO-8601: ``Z``, 7-digit fractions (``.9480566Z``) and one-digit offsets (``-8:00``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    text = _OFFSET.sub(lambda m: f"{m.group(1)}{int(m.group(2)):02d}:{m.group(3)}", text)
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def latest_sign_in(activity: Mapping[str, Any]) -> datetime | None:
    """The latest ``lastSignInDateTime`` among an app's sign-in activity kinds (delegated, app-only …)."""
    times = [parse_timestamp(value.get("lastSignInDateTime")) for value in activity.values()
             if isinstance(value, Mapping)]
    return max((t for t in times if t is not None), default=None)


def origin(principal: Mapping[str, Any], tenant_id: str | None) -> str:
    """``microsoft``, ``own`` (registered in ``tenant_id``) or ``third_party``."""
    owner = str(principal.get("appOwnerOrganizationId") or "").casefold()
    if first_party().owns(principal):
        return "microsoft"
    if tenant_id and owner == tenant_id.casefold():
        return "own"
    return "third_party"


class EntraConnector(ApiConnector[EntraSettings, EntraPages]):
    """Enterprise apps in Entra ID with assignments and app-to-app grants (a discovery source)."""

    type_id = "entra"
    description = "Microsoft Entra ID enterprise apps, assignments and OAuth grants (Microsoft Graph)"
    settings_class = EntraSettings
    sections = SECTIONS
    sanctioned = False

    def fetch(self) -> EntraPages:
        """Graph answers per section (see :data:`SECTIONS`)."""
        settings = self.settings
        env = settings.token_env or settings.client_secret_env
        raw: EntraPages = {"servicePrincipals": [], "appRoleAssignedTo": {}, "oauth2PermissionGrants": [],
                           "signInActivities": [], "groupMemberCount": {}}
        with api_client(self, settings.graph_url, token_env=env) as api:
            refresh = None if settings.token_env else (lambda: bearer(self._token(api)))
            api.set_auth(bearer(self._token(api)), refresh)  # a new token when one expires mid-read
            top = {"$top": max(1, min(settings.page_size, 999))}
            raw["servicePrincipals"] = list(api.items("/v1.0/servicePrincipals", top, NextLink(),
                                                      label="service principals"))
            if settings.assignments:
                wanted = [p for p in raw["servicePrincipals"] if self._wanted(p)]

                def assigned(principal: Mapping[str, Any]) -> list[Any]:
                    sp_id = str(principal["id"])
                    return list(api.items(f"/v1.0/servicePrincipals/{sp_id}/appRoleAssignedTo", top, NextLink(),
                                          label=f"assignments of {principal.get('displayName') or sp_id}"))

                found = map_ordered(assigned, wanted, settings.concurrency, thread_name="entra")
                raw["appRoleAssignedTo"] = {str(p["id"]): items for p, items in zip(wanted, found, strict=True)}
                if settings.expand_groups:
                    raw["groupMemberCount"] = self._group_member_counts(api, raw["appRoleAssignedTo"])
            if settings.permission_grants:
                raw["oauth2PermissionGrants"] = list(api.items("/v1.0/oauth2PermissionGrants", None, NextLink(),
                                                               label="permission grants"))
            if settings.sign_in_activity:
                raw["signInActivities"] = list(api.items("/beta/reports/servicePrincipalSignInActivities", None,
                                                         NextLink(), label="sign-in activity"))
        return raw

    def _group_member_counts(self, api: ApiClient, assignments: Mapping[str, list[Any]]) -> dict[str, list[int]]:
        """``{group id: [users]}`` for every group assigned to an app, each group asked once.

        A group deleted since it was assigned (HTTP 404) is left out with a warning; a 403 (the
        credential lacks ``GroupMember.Read.All``) fails the source like any other error.
        """
        groups = assigned_groups(assignments)
        source = self.context.source_name

        def count(group_id: str) -> int | None:
            answer = api.get_json(GROUP_USERS_COUNT.format(id=group_id), headers=COUNT_HEADERS, missing_ok=True,
                                  permission=GROUP_PERMISSION)
            if answer is not None and not PlainCount().items(answer):
                raise ConnectorError(source, f"the member count of group {group_id} is not a number",
                                     where=api.display_url(GROUP_USERS_COUNT.format(id=group_id)),
                                     hint="a proxy may be in the way; or set expand_groups: false")
            number: int | None = answer
            return number

        found = map_ordered(count, list(groups), self.settings.concurrency, thread_name="entra-groups")
        counts: dict[str, list[int]] = {}
        for (group_id, name), users in zip(groups.items(), found, strict=True):
            if users is None:
                log.warning("source '%s': assigned group %s (%s) no longer exists (HTTP 404); its members are not "
                            "counted", source, name or "unnamed", group_id)
            else:
                counts[group_id] = [users]
        return counts

    def _token(self, api: Any) -> str:
        source, settings = self.context.source_name, self.settings
        if settings.token_env:
            return env_secret(source, settings.token_env, "Graph access token")
        if not settings.tenant_id or not settings.client_id:
            raise ConnectorError(source, "no tenant_id / client_id given",
                                 hint="set tenant_id, client_id and client_secret_env (or token_env), "
                                      "or 'file' for an offline audit")
        secret = env_secret(source, settings.client_secret_env, "client secret")
        token_url = f"{settings.login_url.rstrip('/')}/{settings.tenant_id}/oauth2/v2.0/token"
        scope = f"{settings.graph_url.rstrip('/')}/.default"
        return client_credentials_token(api, token_url, settings.client_id, secret, scope)

    def _wanted(self, principal: Any) -> bool:
        return isinstance(principal, Mapping) and bool(principal.get("id")) and self.skip_reason(principal) is None

    def skip_reason(self, principal: Mapping[str, Any]) -> str | None:
        """Why a service principal is not reported as a tool under the settings (None: it is)."""
        settings = self.settings
        if str(principal.get("servicePrincipalType") or "Application") != "Application":
            return SKIP_NOT_APP  # managed identities, legacy and social IdP principals are not tools
        kind = origin(principal, settings.tenant_id)
        if kind == "microsoft" and not settings.include_microsoft:
            return SKIP_MICROSOFT
        if kind == "own" and not settings.include_own_apps:
            return SKIP_OWN
        if principal.get("accountEnabled") is False and not settings.include_disabled:
            return SKIP_DISABLED
        if "HideApp" in (principal.get("tags") or ()) and not settings.include_hidden:
            return SKIP_HIDDEN
        return None

    def transform(self, raw: EntraPages) -> Inventory:
        pattern = compile_department_pattern(self.context.source_name, self.settings.department_groups)
        principals = {str(p["id"]): p for p in raw.get("servicePrincipals") or []
                      if isinstance(p, Mapping) and p.get("id")}
        last_sign_in = {str(a.get("appId")): latest_sign_in(a)
                        for a in raw.get("signInActivities") or [] if isinstance(a, Mapping)}
        assignments: Mapping[str, list[Any]] = raw.get("appRoleAssignedTo") or {}
        members = member_counts(raw.get("groupMemberCount")) if self.settings.expand_groups else {}
        tools: dict[str, ToolRecord] = {}
        skipped: Counter[str] = Counter()
        for sp_id, principal in principals.items():
            if reason := self.skip_reason(principal):
                skipped[reason] += 1
            else:
                tools[sp_id] = self._tool(principal, assignments.get(sp_id), pattern, members,
                                          last_sign_in.get(str(principal.get("appId"))))
        integrations = self._grants(raw.get("oauth2PermissionGrants") or [], principals, tools)
        return Inventory(tuple(tools.values()), tuple(integrations), skipped=dict(skipped))

    def _tool(self, principal: Mapping[str, Any], assigned: list[Any] | None, pattern: re.Pattern[str] | None,
              members: Mapping[str, int], last_sign_in: datetime | None) -> ToolRecord:
        kind = origin(principal, self.settings.tenant_id)
        name = _name(principal)
        users = departments = None
        hints = {"entra_template": str(principal.get("appDisplayName") or ""), "origin": kind,
                 "entra_gallery_id": str(principal.get("applicationTemplateId") or "")}
        if assigned is not None:
            users = assigned_users(assigned, members)
            departments = {d for a in assigned if a.get("principalType") == "Group"
                           if (d := department_of(str(a.get("principalDisplayName") or ""), pattern))}
            first = min((t for a in assigned if (t := parse_timestamp(a.get("createdDateTime")))), default=None)
            if first:
                hints["first_assigned"] = first.date().isoformat()
        if last_sign_in:
            hints["last_sign_in"] = last_sign_in.date().isoformat()
        publisher = principal.get("publisherName") or (principal.get("verifiedPublisher") or {}).get("displayName")
        return ToolRecord(
            name=name, provenance=self.provenance(str(principal["id"])), users=users,
            vendor=str(publisher) if publisher and kind == "third_party" else None,
            departments=tuple(sorted(departments or ())), domains=_domains(principal),
            hints={k: v for k, v in hints.items() if v},
            lifecycle="retired" if principal.get("accountEnabled") is False else None)

    def _grants(self, grants: Iterable[Any], principals: Mapping[str, Mapping[str, Any]],
                tools: dict[str, ToolRecord]) -> list[IntegrationRecord]:
        """One integration per (API → client app) pair, with the union of the granted data scopes.

        Sign-in-only grants (``openid profile User.Read``) are no data flow and are left out. The
        integration is bidirectional when a scope writes (``…ReadWrite…``, ``Mail.Send``).
        """
        scopes: dict[tuple[str, str], dict[str, None]] = {}
        grant_ids: dict[tuple[str, str], str] = {}
        for grant in grants:
            if not isinstance(grant, Mapping):
                continue
            client, resource = str(grant.get("clientId") or ""), str(grant.get("resourceId") or "")
            if client not in tools or resource not in principals or client == resource:
                continue
            data = [s for s in str(grant.get("scope") or "").split() if s not in SIGN_IN_SCOPES]
            if not data:
                continue  # sign-in only: no data flows between the two
            if resource in tools:
                api_name = tools[resource].name
            else:  # an API nobody listed (Microsoft Graph …): one tool per name
                api = self._api_tool(principals[resource])
                api_name = api.name
                tools.setdefault(f"api:{api_name}", api)
            pair = (api_name, tools[client].name)
            scopes.setdefault(pair, {}).update(dict.fromkeys(data))
            grant_ids.setdefault(pair, str(grant.get("id") or ""))
        records = []
        for (api_name, client_name), names in sorted(scopes.items()):
            writes = any("write" in s.casefold() or s.casefold().endswith(".send") for s in names)
            records.append(IntegrationRecord(api_name, client_name, "api",
                                             self.provenance(grant_ids[(api_name, client_name)] or None),
                                             data=tuple(names), bidirectional=writes))
        return records

    def _api_tool(self, principal: Mapping[str, Any]) -> ToolRecord:
        """A tool for an API another app was granted access to (Microsoft Graph → Microsoft 365)."""
        name = MICROSOFT_APIS.get(str(principal.get("appId")), _name(principal))
        microsoft = origin(principal, self.settings.tenant_id) == "microsoft"
        return ToolRecord(name=name, provenance=self.provenance(str(principal["id"])),
                          vendor="Microsoft" if microsoft else None,
                          hints={"entra_template": str(principal.get("appDisplayName") or name)})


def assigned_groups(assignments: Mapping[str, Iterable[Any]]) -> dict[str, str]:
    """``{group id: display name}`` of every group assigned to any app, in first-assigned order."""
    groups: dict[str, str] = {}
    for assigned in assignments.values():
        for row in assigned:
            if isinstance(row, Mapping) and row.get("principalType") == "Group" and row.get("principalId"):
                groups.setdefault(str(row["principalId"]), str(row.get("principalDisplayName") or ""))
    return groups


def member_counts(section: Any) -> dict[str, int]:
    """``{group id: users}`` from the ``groupMemberCount`` section (``{group id: [count]}``)."""
    if not isinstance(section, Mapping):
        return {}
    counts: dict[str, int] = {}
    for group_id, found in section.items():
        numbers = PlainCount().items(found[0]) if isinstance(found, list) and found else []
        if numbers:
            counts[str(group_id)] = numbers[0]
    return counts


def assigned_users(assigned: Iterable[Any], members: Mapping[str, int]) -> int:
    """Users of an app: distinct users assigned directly plus the users of each group assigned to it.

    Only counts are known for groups, so a user assigned directly and through a group, or through two
    groups, is counted each time (an upper bound). Groups without a count (deleted, not exported,
    ``expand_groups: false``) add nothing.
    """
    rows = [a for a in assigned if isinstance(a, Mapping)]
    users = {a.get("principalId") for a in rows if a.get("principalType") == "User"}
    groups = {str(a.get("principalId")) for a in rows if a.get("principalType") == "Group"}
    return len(users) + sum(members.get(group, 0) for group in groups)


def _name(principal: Mapping[str, Any]) -> str:
    return str(principal.get("displayName") or principal.get("appDisplayName") or principal.get("appId")
               or principal.get("id"))


def _domains(principal: Mapping[str, Any]) -> tuple[str, ...]:
    urls = [principal.get("homepage"), principal.get("loginUrl"), *(principal.get("replyUrls") or [])]
    return tuple(dict.fromkeys(h for u in urls if (h := host_of(u))))
