"""URLs safe to show: query values that may be secrets are masked, user:password@ is dropped."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

#: Query parameter names (or parts of names) whose values are never shown.
SECRET_WORDS: tuple[str, ...] = (
    "token", "key", "secret", "password", "passwd", "signature", "sig", "code", "auth", "credential", "session",
)
MASK = "***"


def _is_secret(name: str) -> bool:
    lowered = name.casefold()
    return any(word in lowered for word in SECRET_WORDS)


def safe_url(url: str | httpx.URL) -> str:
    """``url`` for messages and logs: secret-looking query values masked, credentials removed.

    >>> safe_url("https://u:p@example.com/api?limit=2&api_key=abc")
    'https://example.com/api?limit=2&api_key=***'
    """
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    query = parse_qsl(parts.query, keep_blank_values=True)
    masked = parts.query
    if any(_is_secret(k) for k, _ in query):
        masked = urlencode([(k, MASK if _is_secret(k) else v) for k, v in query], safe="*:/$")
    return urlunsplit((parts.scheme, host, parts.path, masked, ""))


def same_origin(url: str | httpx.URL, base: str | httpx.URL) -> bool:
    """Whether ``url`` points at the same scheme, host and port as ``base`` (credentials stay there)."""
    a, b = httpx.URL(str(url)), httpx.URL(str(base))
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)
