"""Credentials: read from an environment variable *named* in the config, sent as a header, never shown.

* :func:`env_secret` reads the variable (clear error when it is unset);
* :class:`HeaderAuth` sends ``Authorization: <scheme> <token>`` (``SSWS`` for Okta, ``Bearer`` elsewhere);
  ``httpx.BasicAuth`` covers user/password APIs (Fivetran);
* :func:`client_credentials_token` runs the OAuth 2.0 client-credentials grant (Entra ID).
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import httpx

from connectors.base import ConnectorError

if TYPE_CHECKING:
    from connectors.http.client import ApiClient


def env_secret(source: str, env_name: str, what: str = "token") -> str:
    """The value of environment variable ``env_name``; :class:`ConnectorError` when unset or empty."""
    value = os.environ.get(env_name, "").strip()
    if not value:
        raise ConnectorError(source, f"environment variable {env_name} is not set",
                             hint=f"export {env_name}=<{what}> before the scan (the config names the "
                                  "variable, never the value), or use 'file' for an offline audit")
    return value


class HeaderAuth(httpx.Auth):
    """``Authorization: <scheme> <token>``; ``repr`` never shows the token."""

    def __init__(self, scheme: str, token: str) -> None:
        self.scheme = scheme
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"{self.scheme} {self._token}"
        yield request

    def __repr__(self) -> str:
        return f"HeaderAuth({self.scheme!r}, '***')"


def bearer(token: str) -> HeaderAuth:
    """``Authorization: Bearer <token>``."""
    return HeaderAuth("Bearer", token)


def client_credentials_token(client: ApiClient, token_url: str, client_id: str, client_secret: str,
                             scope: str) -> str:
    """An access token from the OAuth 2.0 client-credentials grant (POST form to ``token_url``).

    Errors name the token URL and the identity provider's own ``error_description`` (never the secret).
    """
    body: Any = client.post_form(token_url, {
        "grant_type": "client_credentials", "client_id": client_id,
        "client_secret": client_secret, "scope": scope,
    }, auth_step=True)
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise ConnectorError(client.source, "the token endpoint answered without an access_token",
                             where=client.display_url(token_url),
                             hint="check tenant_id and client_id, and that the app may use client credentials")
    return token
