"""Secrets hygiene: secrets are named by environment variable, and their values are masked everywhere.

The config only ever holds the *name* of an environment variable (``token_env: OKTA_TOKEN``).
:func:`secret_values` collects the values those names point to, and :class:`Redactor` masks them in
log records and in error texts that end up in reports.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import traceback
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "***"


def _env_names(settings: Mapping[str, Any]) -> Iterable[str]:
    for key, value in settings.items():
        if isinstance(key, str) and key.endswith("_env") and isinstance(value, str):
            yield value


def secret_values(settings_blocks: Iterable[Mapping[str, Any]]) -> list[str]:
    """Values of every ``*_env`` variable named in the given settings (only non-trivial ones)."""
    values: set[str] = set()
    for block in settings_blocks:
        for name in _env_names(block):
            value = os.environ.get(name, "")
            values.update((value, value.strip()))  # sent stripped by some connectors, echoed either way
    return sorted((v for v in values if len(v) >= 4), key=len, reverse=True)


def settings_mapping(settings: Any) -> Mapping[str, Any]:
    """A connector's settings object as a mapping (its dataclass fields, defaults included)."""
    if dataclasses.is_dataclass(settings) and not isinstance(settings, type):
        return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    return settings if isinstance(settings, Mapping) else {}


class Redactor(logging.Filter):
    """Masks known secret values in text and in log records."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        """``text`` with every secret value replaced by ``***``."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the message and any traceback attached to it (chained exceptions included)."""
        if self.secrets:
            message = record.getMessage()
            if record.exc_info:
                message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
                record.exc_info = None
                record.exc_text = None
            record.msg = self.redact(message)
            record.args = ()
        return True


#: The process-wide redactor on the root log handlers: secrets are only ever added to it, so many scans
#: in one process (a test suite, a service) share one filter and none unmasks another's secrets.
_LOG_REDACTOR = Redactor([])


def install(redactor: Redactor) -> None:
    """Mask ``redactor``'s secrets in every handler of the root logger (one shared filter per handler)."""
    _LOG_REDACTOR.secrets = sorted({*_LOG_REDACTOR.secrets, *redactor.secrets}, key=len, reverse=True)
    for handler in logging.getLogger().handlers:
        if _LOG_REDACTOR not in handler.filters:
            handler.addFilter(_LOG_REDACTOR)


def redact_text(text: str) -> str:
    """``text`` with every secret known to this process (see :func:`install`) masked."""
    return _LOG_REDACTOR.redact(text)
