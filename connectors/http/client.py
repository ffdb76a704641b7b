"""The HTTP client every API connector uses: retries, timeouts, pagination, progress and clear errors.

Example::

    client = ApiClient("okta", "https://acme.okta.com", auth=HeaderAuth("SSWS", token),
                       token_env="OKTA_TOKEN", timeout=30, progress=context.progress)
    with client:
        apps = list(client.items("/api/v1/apps", {"limit": 200}, LinkHeader(), label="apps"))

Every failure becomes a :class:`connectors.base.ConnectorError` naming the source, the URL (without
secrets) and what to do. Secrets travel only in headers (``auth``) and never appear in messages.

One client may be used from several threads at once (see :mod:`connectors.http.concurrent`): httpx's
``Client`` is shareable, retries are per request, renewing an expired token happens once under a lock
however many requests saw the 401, and a rate limit is shared: after a 429 with ``Retry-After`` (or
Okta's ``X-Rate-Limit-Reset``) no request of the client is sent before the time the server named
(a lock-protected "not before" time, :class:`RateLimitPause`), so the other workers stop hitting an
API that already said "slow down". 5xx answers and time-outs only make their own request back off.
"""

from __future__ import annotations

import functools
import json
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import Any

import httpx

from auditor import __version__
from auditor.gcpause import gc_paused
from auditor.progress import ProgressDisplay
from connectors.base import ConnectorError
from connectors.http.offline import lone_surrogate_at
from connectors.http.pagination import NextPage, PageShapeError, Paginator
from connectors.http.progress import PageProgress
from connectors.http.retry import RETRY_STATUSES, RetryableStatus, RetryPolicy, retry_after, retrying
from connectors.http.urls import safe_url, same_origin

USER_AGENT = f"auditor/{__version__} (+https://github.com/auditor)"
#: Pagination limits per source (settings ``max_pages`` and ``deadline``): a pagination that never ends stops.
DEFAULT_MAX_PAGES = 10_000
DEFAULT_DEADLINE = 3600.0


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS settings (certificates verified against certifi's CAs, or ``SSL_CERT_FILE`` /
    ``SSL_CERT_DIR`` when set), built once per process and shared by every client: building one reads the
    whole CA bundle (~25 ms of CPU), which each source's client used to do again."""
    return httpx.create_ssl_context()


class RateLimitPause:
    """A "not before" time shared by every thread sending through one client.

    :meth:`throttled` moves it to ``now + seconds`` (never earlier than it already is); :meth:`wait`
    sleeps until it has passed, re-checking in case another 429 moved it further meanwhile.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._not_before = 0.0

    def throttled(self, seconds: float) -> None:
        """The server asked to wait ``seconds`` from now before sending anything else."""
        with self._lock:
            self._not_before = max(self._not_before, self._clock() + seconds)

    def remaining(self) -> float:
        """Seconds left before requests may be sent again (0 when they may go now)."""
        with self._lock:
            return max(0.0, self._not_before - self._clock())

    def wait(self) -> None:
        """Block until the shared reset time has passed."""
        while (delay := self.remaining()) > 0:
            self._sleep(delay)


class ApiClient:
    """A JSON-over-HTTP client for one source.

    ``source`` names the source in errors; ``base_url`` is the API root (relative paths join it);
    ``auth`` an ``httpx.Auth`` (see :mod:`connectors.http.auth`); ``token_env`` the name of the
    variable holding the credential, quoted in 401/403 errors; ``timeout`` seconds per request;
    ``retry`` the :class:`RetryPolicy` for 429/5xx/timeouts; ``progress`` the context's progress.
    ``transport`` is for callers that need a custom httpx transport (e.g. proxies); tests use a real
    local server instead. ``pause`` is the :class:`RateLimitPause` all of its requests respect.
    ``max_pages`` caps the pages of one pagination and ``deadline`` (seconds from the client's creation)
    stops starting new pages: a pagination that never ends fails the source instead of hanging.
    """

    def __init__(self, source: str, base_url: str, *, auth: httpx.Auth | None = None,
                 token_env: str | None = None, headers: Mapping[str, str] | None = None,
                 timeout: float = 30.0, retry: RetryPolicy | None = None, progress: ProgressDisplay | None = None,
                 transport: httpx.BaseTransport | None = None, max_pages: int = DEFAULT_MAX_PAGES,
                 deadline: float = DEFAULT_DEADLINE) -> None:
        self.source = source
        self.max_pages = max_pages
        self.deadline = deadline
        self._started = time.monotonic()
        self.base_url = base_url.rstrip("/")
        self.token_env = token_env
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._progress = PageProgress(progress, source)
        self._refresh: Callable[[], httpx.Auth] | None = None
        self._auth_lock = threading.Lock()
        self.pause = RateLimitPause()
        self._client = httpx.Client(
            base_url=self.base_url, auth=auth, timeout=timeout, follow_redirects=True, transport=transport,
            verify=tls_context(), headers={"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})})

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def set_auth(self, auth: httpx.Auth, refresh: Callable[[], httpx.Auth] | None = None) -> None:
        """Use ``auth`` from now on (e.g. after getting an OAuth token).

        ``refresh`` makes new credentials (a fresh OAuth token): when the API answers 401 — a token
        that expired during a long read — it is called once and the request is sent again.
        """
        self._client.auth = auth
        self._refresh = refresh

    # -- single requests -------------------------------------------------------------------------
    def display_url(self, url: str | httpx.URL, params: Mapping[str, Any] | None = None) -> str:
        """The absolute URL of ``url`` (+ ``params``) with secrets masked, for messages."""
        request = self._client.build_request("GET", str(url), params=params)
        return safe_url(request.url)

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """GET with retries; raises :class:`ConnectorError` for any failure."""
        return self._send("GET", url, params=params)

    def get_json(self, url: str, params: Mapping[str, Any] | None = None, *, missing_ok: bool = False,
                 headers: Mapping[str, str] | None = None, permission: str | None = None) -> Any:
        """GET and parse the JSON body; with ``missing_ok`` a 404 answer gives None instead of an error.

        ``headers`` are added to this request only (e.g. Graph's ``ConsistencyLevel: eventual``);
        ``permission`` names the permission this call needs, quoted when the API answers 403.
        """
        return self.parse_json(self._send("GET", url, params=params, missing_ok=missing_ok, permission=permission,
                                          headers=dict(headers) if headers else None))

    def post_form(self, url: str, data: Mapping[str, str], *, auth_step: bool = False) -> Any:
        """POST a form and parse the JSON answer (token endpoints). ``auth_step`` words errors for logins."""
        return self.parse_json(self._send("POST", url, data=data, auth_step=auth_step))

    def parse_json(self, response: httpx.Response) -> Any:
        """The JSON body of ``response``; :class:`ConnectorError` with line and column when malformed."""
        try:
            with gc_paused():
                body = json.loads(response.content)
        except RecursionError:
            raise ConnectorError(self.source, "the answer is nested too deeply to read",
                                 where=safe_url(response.request.url), hint="report this to the API's vendor") from None
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            kind = response.headers.get("Content-Type", "unknown type")
            raise ConnectorError(self.source, f"the answer is not valid JSON ({exc}; content type {kind})",
                                 where=safe_url(response.request.url),
                                 hint="a proxy or a maintenance page may be in the way; retry later or "
                                      "check base_url") from exc
        broken = lone_surrogate_at(body) if b"\\u" in response.content else None
        if broken:
            raise ConnectorError(self.source, f"the answer holds a lone surrogate (\\uD800-\\uDFFF without its pair) "
                                 f"at {broken}, which is no character",
                                 where=safe_url(response.request.url), hint="report this to the API's vendor")
        return body

    # -- pagination ------------------------------------------------------------------------------
    def pages(self, url: str, params: Mapping[str, Any] | None, paginator: Paginator,
              label: str | None = None) -> Iterator[Any]:
        """Yield the parsed body of every page, following ``paginator`` until the last page.

        Next-page links must stay on the API's own host (credentials are never sent elsewhere), and
        a next page seen before stops with an error instead of looping for ever.
        """
        label = label or url
        handle = self._progress.start(label)
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        request: NextPage | None = NextPage(url, dict(params or {}))
        pages = items = 0
        try:
            while request is not None:
                key = (request.url, tuple(sorted((k, str(v)) for k, v in request.params.items())))
                if key in seen:
                    raise ConnectorError(self.source, "pagination repeats a page it already read",
                                         where=self.display_url(request.url, request.params),
                                         hint="the API returned the same next-page link twice; report this")
                seen.add(key)
                self._check_limits(pages, request)
                response = self.get(request.url, request.params or None)
                body = self.parse_json(response)
                pages += 1
                items += len(self._page_items(paginator, body, response))
                self._progress.page(handle, label, pages, items)
                yield body
                request = self._next_page(paginator, response, body)
        finally:
            self._progress.done(handle)

    def _page_items(self, paginator: Paginator, body: Any, response: httpx.Response) -> list[Any]:
        """The page's items; a body of the wrong shape (``{}``/``null`` for a list) fails the source."""
        try:
            return paginator.items(body)
        except PageShapeError as exc:
            raise ConnectorError(self.source, f"the answer is not a page of items: {exc}",
                                 where=safe_url(response.request.url),
                                 hint="a proxy, a maintenance page or an API change may be in the way; the "
                                      "source's last good inventory is kept") from None

    def _next_page(self, paginator: Paginator, response: httpx.Response, body: Any) -> NextPage | None:
        """The next request; a next-page link that is not a valid URL or leaves the API's origin is an error."""
        try:
            request = paginator.next_page(response, body)
        except httpx.InvalidURL as exc:
            raise ConnectorError(self.source, f"the next-page link is not a valid URL ({exc})",
                                 where=safe_url(response.request.url), hint="report this to the API's vendor") \
                from None
        if request is not None:
            self._check_origin(request.url, response)
        return request

    def _check_limits(self, pages: int, request: NextPage) -> None:
        """Stop a pagination that does not end: at most ``max_pages`` pages and ``deadline`` seconds per source."""
        if pages >= self.max_pages:
            raise ConnectorError(self.source, f"pagination did not end after {self.max_pages} pages",
                                 where=self.display_url(request.url, request.params),
                                 hint="raise 'max_pages' in the source's settings if the API really has more")
        if time.monotonic() - self._started > self.deadline:
            raise self._past_deadline(f"{pages} pages read", self.display_url(request.url, request.params))

    def _past_deadline(self, detail: str, where: str) -> ConnectorError:
        return ConnectorError(self.source, f"reading took longer than the deadline of {self.deadline:g} s ({detail})",
                              where=where, hint="raise 'deadline' in the source's settings if the API is just slow")

    def items(self, url: str, params: Mapping[str, Any] | None, paginator: Paginator,
              label: str | None = None) -> Iterator[Any]:
        """Yield every item of every page (``paginator.items`` of each page)."""
        for body in self.pages(url, params, paginator, label):
            yield from paginator.items(body)

    # -- internals -------------------------------------------------------------------------------
    def _check_origin(self, url: str, response: httpx.Response) -> None:
        absolute = response.request.url.join(url)
        if not same_origin(absolute, self._client.base_url):
            raise ConnectorError(self.source, "a next-page link points to another host; not following it "
                                 "with our credentials", where=safe_url(absolute),
                                 hint="set base_url to the host the API really answers on")

    def _send(self, method: str, url: str, *, auth_step: bool = False, missing_ok: bool = False,
              refreshed: bool = False, permission: str | None = None, **kwargs: Any) -> httpx.Response:
        response: httpx.Response | None = None
        sent_with = self._client.auth
        try:
            for attempt in retrying(self.retry):
                with attempt:
                    self.pause.wait()  # another request of this client may have been told to slow down
                    response = self._request(method, url, kwargs)
                    if response.status_code in RETRY_STATUSES:
                        self._note_rate_limit(response)
                        raise RetryableStatus(response)
        except RetryableStatus as exc:
            raise self._status_error(exc.response, auth_step, retried=True) from None
        except httpx.TimeoutException as exc:
            raise ConnectorError(self.source, f"no answer within {self.timeout:g} s "
                                 f"({self.retry.attempts} attempts)", where=self._where(exc, url, kwargs),
                                 hint="the API is slow or unreachable; raise 'timeout' in the source's "
                                      "settings or try later") from None
        except httpx.TransportError as exc:
            raise ConnectorError(self.source, f"cannot reach the API ({type(exc).__name__}: "
                                 f"{safe_url(str(exc)) if '://' in str(exc) else exc})",
                                 where=self._where(exc, url, kwargs),
                                 hint="check base_url, the network and any proxy settings") from None
        except httpx.TooManyRedirects:
            raise ConnectorError(self.source, "the API redirects without end (too many redirects)",
                                 where=self.display_url(url, kwargs.get("params")),
                                 hint="check base_url; a login page or a proxy may be redirecting") from None
        except httpx.DecodingError as exc:
            raise ConnectorError(self.source, f"the answer cannot be decoded ({exc})",
                                 where=self.display_url(url, kwargs.get("params")),
                                 hint="a proxy may be damaging compressed answers; try later") from None
        except httpx.InvalidURL as exc:
            raise ConnectorError(self.source, f"invalid URL: {exc}", where=safe_url(url),
                                 hint="check base_url in the config") from None
        except httpx.HTTPError as exc:
            raise ConnectorError(self.source, f"the request failed ({type(exc).__name__}: {exc})",
                                 where=self.display_url(url, kwargs.get("params")),
                                 hint="check base_url, the network and any proxy settings") from None
        assert response is not None
        self._check_redirect(response)
        if response.status_code == 401 and self._refresh is not None and not auth_step and not refreshed:
            with self._auth_lock:  # concurrent requests that saw the same expired token renew it once
                if self._client.auth is sent_with:
                    self._client.auth = self._refresh()
            return self._send(method, url, auth_step=auth_step, missing_ok=missing_ok, refreshed=True,
                              permission=permission, **kwargs)
        if missing_ok and response.status_code == 404:
            return httpx.Response(200, content=b"null", request=response.request)
        if response.is_error:
            raise self._status_error(response, auth_step, retried=False, permission=permission)
        return response

    def _request(self, method: str, url: str, kwargs: Mapping[str, Any]) -> httpx.Response:
        """Send one request and read its answer, stopping at the source's ``deadline`` even while the answer
        trickles in (``timeout`` bounds each read only: an API sending a byte a second never times out)."""
        response = self._client.send(self._client.build_request(method, url, **kwargs), stream=True)
        chunks: list[bytes] = []
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() - self._started > self.deadline:
                    raise self._past_deadline("an answer still arriving", safe_url(response.request.url))
        finally:
            response.close()
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "content-encoding"]
        return httpx.Response(response.status_code, headers=headers, content=b"".join(chunks),
                              request=response.request, history=response.history, extensions=response.extensions)

    def _check_redirect(self, response: httpx.Response) -> None:
        """An answer that came from another origin after a redirect is refused: it is not the API's data
        (httpx already keeps the credentials from going there)."""
        if response.history and not same_origin(response.url, response.history[0].request.url):
            raise ConnectorError(self.source, "the API redirected to another host; its answer is not used",
                                 where=f"{safe_url(response.history[0].request.url)} → {safe_url(response.url)}",
                                 hint="set base_url to the host the API really answers on")

    def _note_rate_limit(self, response: httpx.Response) -> None:
        """A 429 naming a reset time pauses every request of this client until then (capped at ``max_wait``)."""
        if response.status_code != 429:
            return
        asked = retry_after(response)
        if asked:
            self.pause.throttled(min(asked, self.retry.max_wait))

    def _where(self, exc: httpx.HTTPError, url: str, kwargs: Mapping[str, Any]) -> str:
        try:
            return safe_url(exc.request.url)
        except RuntimeError:  # no request attached
            return self.display_url(url, kwargs.get("params"))

    def _status_error(self, response: httpx.Response, auth_step: bool, retried: bool,
                      permission: str | None = None) -> ConnectorError:
        status = response.status_code
        where = safe_url(response.request.url)
        detail = _error_detail(response)
        env = f"env var {self.token_env}" if self.token_env else "the credential's env var"
        if status == 401 and not self.token_env and not auth_step:
            return ConnectorError(self.source, f"the API wants a credential (HTTP 401{detail})", where=where,
                                  hint="set token_env to the name of an environment variable holding a token")
        if status == 401 or (auth_step and status in (400, 403)):
            message = "token expired or invalid" if not auth_step else "the login was refused"
            return ConnectorError(self.source, f"{message}: set {env} (HTTP {status}{detail})", where=where,
                                  hint=f"put a valid, unexpired credential in {env}")
        if status == 403 and permission:
            return ConnectorError(self.source, f"access denied (HTTP 403{detail}): this call needs the permission "
                                  f"{permission}", where=where,
                                  hint=f"grant {permission} to the credential in {env} (with admin consent where "
                                       "the API asks for it), or turn off the setting that needs it (see the "
                                       "connector's docs page)")
        if status == 403:
            return ConnectorError(self.source, f"access denied (HTTP 403{detail})", where=where,
                                  hint=f"the credential in {env} lacks a permission this connector needs "
                                       "(see the connector's docs page)")
        if status == 404:
            return ConnectorError(self.source, f"not found (HTTP 404{detail})", where=where,
                                  hint="check base_url (and tenant or domain settings)")
        if status == 429:
            return ConnectorError(self.source, f"still rate limited after {self.retry.attempts} attempts "
                                  f"(HTTP 429{detail})", where=where,
                                  hint="try later, or lower page_size / raise 'retries'")
        after = f" after {self.retry.attempts} attempts" if retried else ""
        return ConnectorError(self.source, f"the API answered HTTP {status}{after}{detail}", where=where,
                              hint="try later; if it persists, check the API's status page")


def _error_detail(response: httpx.Response) -> str:
    """A short, non-secret reason from an error body (``errorSummary``, ``error_description``, ``message``)."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    for value in (body.get("errorSummary"), body.get("error_description"), body.get("message"),
                  error.get("message") if isinstance(error, dict) else error):
        if isinstance(value, str) and value.strip():
            return ": " + value.strip().splitlines()[0][:200]
    return ""


def api_client(connector: Any, base_url: str, *, auth: httpx.Auth | None = None, token_env: str | None = None,
               headers: Mapping[str, str] | None = None) -> ApiClient:
    """An :class:`ApiClient` for ``connector``: its source name and progress, and the optional
    ``timeout`` (seconds) and ``retries`` (attempts after the first) fields of its settings."""
    settings = connector.settings
    retries = int(getattr(settings, "retries", 3))
    return ApiClient(connector.context.source_name, base_url, auth=auth, token_env=token_env, headers=headers,
                     timeout=float(getattr(settings, "timeout", 30.0)),
                     retry=RetryPolicy(attempts=retries + 1, backoff=float(getattr(settings, "backoff", 0.5))),
                     progress=connector.context.progress,
                     max_pages=int(getattr(settings, "max_pages", DEFAULT_MAX_PAGES)),
                     deadline=float(getattr(settings, "deadline", DEFAULT_DEADLINE)))
