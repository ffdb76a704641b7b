"""Credentials: read from an environment variable *named* in the config, sent as a header, never shown.

* :func:`env_secret` reads the variable (clear error when it is unset);
* :class:`HeaderAuth` sends ``Authorization: <scheme> <token>`` (``SSWS`` for Okta, ``Bearer`` elsewhere);
  ``httpx.BasicAuth`` covers user/password APIs (Fivetran);
* :func:`client_credentials_token` runs the OAuth 2.0 client-credentials grant (Entra ID);
* :func:`service_account_token` runs the JWT-bearer grant of a Google service account (RS256-signed
  assertion, optional domain-wide delegation ``subject``), with PyJWT.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Generator
from pathlib import Path
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


def service_account_key(source: str, env_name: str) -> dict[str, Any]:
    """The service-account key named by ``env_name``: the variable holds the key file's path or its JSON."""
    value = env_secret(source, env_name, "path to the service-account key file")
    try:
        text = value if value.lstrip().startswith("{") else Path(value).expanduser().read_text(encoding="utf-8")
        key = json.loads(text)
    except (OSError, ValueError) as exc:
        where = "the JSON in the variable" if value.lstrip().startswith("{") else value
        raise ConnectorError(source, f"cannot read the service-account key ({type(exc).__name__})", where=where,
                             hint=f"set {env_name} to the path of the key file downloaded from Google Cloud") from None
    missing = [k for k in ("client_email", "private_key", "token_uri") if not isinstance(key, dict) or not key.get(k)]
    if missing:
        raise ConnectorError(source, f"the service-account key lacks {', '.join(missing)}",
                             hint="download a JSON key of a service account (type service_account)")
    return dict(key)


def service_account_token(client: ApiClient, key: dict[str, Any], scopes: tuple[str, ...],
                          subject: str | None = None, token_url: str | None = None) -> str:
    """An access token for a Google service account (JWT-bearer grant, RFC 7523).

    ``subject`` is the user to impersonate (domain-wide delegation, needed for the Admin SDK);
    ``token_url`` overrides the key's ``token_uri`` (tests). Errors quote Google's ``error_description``.
    """
    import jwt  # PyJWT, with the cryptography backend for RS256

    now = int(time.time())
    audience = token_url or str(key["token_uri"])
    claims = {"iss": key["client_email"], "scope": " ".join(scopes), "aud": audience, "iat": now,
              "exp": now + 3600, **({"sub": subject} if subject else {})}
    try:
        assertion = jwt.encode(claims, key["private_key"], algorithm="RS256",
                               headers={"kid": str(key.get("private_key_id") or "")})
    except (ValueError, TypeError, jwt.PyJWTError) as exc:
        raise ConnectorError(client.source, f"cannot sign with the service-account key ({type(exc).__name__})",
                             hint="the key's private_key is not a valid RSA key; download a new JSON key") from None
    body: Any = client.post_form(audience, {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                            "assertion": assertion}, auth_step=True)
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise ConnectorError(client.source, "the token endpoint answered without an access_token",
                             where=client.display_url(audience), hint="check the service account and its scopes")
    return token
