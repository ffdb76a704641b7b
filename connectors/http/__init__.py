"""Shared HTTP machinery of the API connectors (httpx + tenacity).

Public API (import from ``connectors.http``):

* :class:`ApiClient` (build it with :func:`api_client`) — one per source: ``get_json``, ``pages``,
  ``items``, ``post_form``; retries on 429/5xx/timeouts honouring ``Retry-After``
  (:class:`RetryPolicy`); clear ``ConnectorError`` messages (401 → "token expired or invalid: set env
  var X"); a rich progress bar when given one;
* auth: :func:`env_secret` (read the variable a config names), :class:`HeaderAuth` (``SSWS …``),
  :func:`bearer`, :func:`client_credentials_token` (OAuth 2.0), :func:`service_account_key` and
  :func:`service_account_token` (Google service accounts);
* pagination: :class:`LinkHeader` (Okta), :class:`NextLink` (Graph ``@odata.nextLink``, Airbyte
  ``next``), :func:`PageToken` (Google), :class:`Cursor` (Backstage, Fivetran, Segment),
  :class:`SinglePage`;
* offline exports: :class:`Section`, :func:`load_export`, :func:`read_json`;
* :class:`ApiConnector` (``get`` reads the saved ``file`` or else calls ``fetch``; ``bearer_client``) and the
  settings every API connector has: :func:`saved_file`, :func:`timeout_setting`, :func:`retries_setting`,
  :func:`secret_env`, and :func:`concurrency_setting` for connectors making one call per item;
* :func:`map_ordered`: per-item calls on a bounded thread pool over the shared client, results in input
  order (:mod:`connectors.http.concurrent`);
* :func:`safe_url` for messages; :func:`gc_paused` around
  transforms that build many records.

See docs/connectors/README.md ("Writing an API connector") for a worked example.
"""

from auditor.gcpause import gc_paused
from connectors.http.api_connector import (
    ApiConnector,
    concurrency_setting,
    deadline_setting,
    max_pages_setting,
    retries_setting,
    saved_file,
    secret_env,
    timeout_setting,
)
from connectors.http.auth import (
    HeaderAuth,
    bearer,
    client_credentials_token,
    env_secret,
    service_account_key,
    service_account_token,
)
from connectors.http.client import ApiClient, api_client
from connectors.http.concurrent import map_ordered
from connectors.http.offline import (
    ApiItem,
    ApiSections,
    Items,
    KeyedItems,
    Section,
    load_export,
    read_json,
    section_items,
)
from connectors.http.pagination import (
    Cursor,
    LinkHeader,
    NextLink,
    NextPage,
    PageShapeError,
    PageToken,
    Paginator,
    SinglePage,
    dig,
)
from connectors.http.progress import PageProgress
from connectors.http.retry import RetryPolicy, retry_after
from connectors.http.urls import safe_url

__all__ = [
    "ApiClient", "ApiConnector", "ApiItem", "ApiSections", "Items", "KeyedItems",
    "Cursor", "HeaderAuth", "LinkHeader", "NextLink", "NextPage", "PageProgress",
    "PageShapeError",
    "PageToken", "Paginator", "api_client", "RetryPolicy", "Section", "SinglePage", "bearer",
    "client_credentials_token", "concurrency_setting", "deadline_setting", "dig", "env_secret", "gc_paused",
    "load_export", "map_ordered", "max_pages_setting", "read_json", "retries_setting", "retry_after", "safe_url",
    "saved_file", "secret_env", "section_items", "service_account_key", "service_account_token",
    "timeout_setting",
]
