"""What the API connectors share: the ``file``, ``timeout`` and ``retries`` settings, and offline reads.

A settings dataclass declares those fields with :func:`saved_file`, :func:`timeout_setting` and
:func:`retries_setting` (its own fields keep their order in ``auditor connectors``); the connector
derives from :class:`ApiConnector`, names its :class:`Section` s and writes
``return self.saved_or(self._fetch)`` in ``get``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import Any, ClassVar, Protocol, TypeVar, cast

from connectors.base import Connector
from connectors.http.offline import Section, load_export


def saved_file(what: str = "saved API pages") -> Any:
    """The ``file`` setting (default None): ``what`` to read instead of calling the API."""
    return field(default=None, metadata={"help": f"read {what} instead of calling the API (a JSON file or folder)"})


def timeout_setting() -> Any:
    """The ``timeout`` setting: seconds per answer (30)."""
    return field(default=30.0, metadata={"help": "seconds to wait for each answer"})


def retries_setting() -> Any:
    """The ``retries`` setting: attempts after the first one (3)."""
    return field(default=3, metadata={"help": "retries on 429/5xx/time-outs (Retry-After honoured)"})


class ApiSettings(Protocol):
    """Settings of an API connector: at least the ``file`` of saved pages."""

    @property
    def file(self) -> str | None:
        """Saved API pages to read instead of calling the API."""


ApiSettingsT = TypeVar("ApiSettingsT", bound=ApiSettings)
RawT = TypeVar("RawT")


class ApiConnector(Connector[ApiSettingsT]):
    """A connector that calls an HTTP API, or reads saved pages of it when ``file`` is set."""

    #: How the saved pages are laid out (one section per kind of answer).
    sections: ClassVar[tuple[Section, ...]]

    def is_local(self) -> bool:
        return self.settings.file is not None

    def saved_or(self, fetch: Callable[[], RawT]) -> RawT:
        """The saved pages ``file`` names, read by :attr:`sections`, or else ``fetch()`` from the API."""
        if not self.settings.file:
            return fetch()
        # load_export checks the sections: a saved file has the shape of the API answers.
        return cast(RawT, load_export(self.context.source_name, self.context.path(self.settings.file),
                                      self.sections))
