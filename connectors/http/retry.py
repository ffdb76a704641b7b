"""When and how long to retry: 429 and 5xx answers and transport failures, honouring ``Retry-After``.

Built on tenacity: :func:`retrying` returns a ``tenacity.Retrying`` that retries on
:class:`RetryableStatus` (raised by the client for 429/5xx) and on httpx timeouts and connection
errors (not on mistakes such as a URL without a scheme), waiting what the server asked for in
``Retry-After`` (seconds or an HTTP date, capped at ``max_wait``) or else an exponential backoff
with jitter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
import tenacity

#: Statuses worth retrying: rate limited, and the server-side failures that usually pass.
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})


#: Transport failures worth retrying (not e.g. a URL without http://, which fails the same way again).
RETRY_ERRORS: tuple[type[Exception], ...] = (httpx.TimeoutException, httpx.NetworkError,
                                             httpx.RemoteProtocolError)


class RetryableStatus(Exception):
    """An answer with a status in :data:`RETRY_STATUSES`; carries the response for ``Retry-After``."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    ``attempts`` counts the first try; ``backoff`` is the first wait in seconds, doubled on each
    retry (with up to 50 % jitter) up to ``max_wait``, which also caps a server's ``Retry-After``.
    """

    attempts: int = 4
    backoff: float = 0.5
    max_wait: float = 60.0


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Seconds the server asked to wait (``Retry-After: 3`` or an HTTP date; else Okta's
    ``X-Rate-Limit-Reset`` epoch), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return _rate_limit_reset(response, now)
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _rate_limit_reset(response: httpx.Response, now: datetime | None) -> float | None:
    """Okta-style ``X-Rate-Limit-Reset: <epoch seconds>`` when there is no ``Retry-After``."""
    value = response.headers.get("X-Rate-Limit-Reset") or response.headers.get("X-RateLimit-Reset")
    try:
        reset = float(value) if value else None
    except ValueError:
        return None
    if reset is None or reset < 1e9:  # not an epoch timestamp
        return None
    return max(0.0, reset - (now or datetime.now(UTC)).timestamp())


class _WaitRetryAfter(tenacity.wait.wait_base):
    """``Retry-After`` when the failed answer has one, else the fallback backoff."""

    def __init__(self, fallback: tenacity.wait.wait_base, cap: float) -> None:
        self.fallback = fallback
        self.cap = cap

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, RetryableStatus):
            asked = retry_after(error.response)
            if asked is not None:
                return min(asked, self.cap)
        return float(self.fallback(retry_state))


def retrying(policy: RetryPolicy) -> tenacity.Retrying:
    """A tenacity controller for one request; re-raises the last error when attempts run out."""
    backoff = (tenacity.wait_exponential(multiplier=policy.backoff, max=policy.max_wait)
               + tenacity.wait_random(0, policy.backoff / 2))
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception_type((RetryableStatus, *RETRY_ERRORS)),
        wait=_WaitRetryAfter(backoff, policy.max_wait),
        stop=tenacity.stop_after_attempt(max(1, policy.attempts)),
        reraise=True,
    )
