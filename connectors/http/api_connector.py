"""What the API connectors share: the ``file``, ``timeout`` and ``retries`` settings, and offline reads.

A settings dataclass declares those fields with :func:`saved_file`, :func:`timeout_setting` and
:func:`retries_setting` (and :func:`concurrency_setting` when it makes one call per item), and its
credentials with :func:`secret_env` (fields keep their order in ``auditor connectors``); the connector
derives from :class:`ApiConnector`, names its :class:`Section` s and reads the API in ``fetch``.
"""

from __future__ import annotations

import dataclasses
import os
from abc import abstractmethod
from dataclasses import field
from typing import Any, ClassVar, Protocol, TypeVar, cast

from connectors.base import Connector, RawT
from connectors.http.auth import bearer, env_secret
from connectors.http.client import DEFAULT_DEADLINE, DEFAULT_MAX_PAGES, ApiClient, api_client
from connectors.http.concurrent import MAX_CONCURRENCY
from connectors.http.offline import Section, load_export


def saved_file(what: str = "saved API pages") -> Any:
    """The ``file`` setting (default None): ``what`` to read instead of calling the API."""
    return field(default=None, metadata={"help": f"read {what} instead of calling the API (a JSON file or folder)"})


def secret_env(default: str | None, holding: str, *, instead_of: str | None = None) -> Any:
    """A setting naming the environment variable that holds a secret (never the secret itself)."""
    prefix = f"instead of {instead_of}: " if instead_of else ""
    return field(default=default, metadata={"help": f"{prefix}environment variable holding {holding}",
                                            "secret_env": "alternative" if instead_of else "required"})


def timeout_setting() -> Any:
    """The ``timeout`` setting: seconds per answer (30)."""
    return field(default=30.0, metadata={"help": "seconds to wait for each answer"})


def retries_setting() -> Any:
    """The ``retries`` setting: attempts after the first one (3)."""
    return field(default=3, metadata={"help": "retries on 429/5xx/time-outs (Retry-After honoured)"})


def max_pages_setting() -> Any:
    """The ``max_pages`` setting: pages one pagination may have before the source fails (10,000)."""
    return field(default=DEFAULT_MAX_PAGES, metadata={"help": "pages one list may have; more fails the source "
                                                              "(a pagination that never ends)"})


def deadline_setting() -> Any:
    """The ``deadline`` setting: seconds the whole source may take to read (3600)."""
    return field(default=DEFAULT_DEADLINE, metadata={"help": "seconds the whole source may take; then it fails "
                                                             "(no new page is started)"})


def concurrency_setting(item: str = "app") -> Any:
    """The ``concurrency`` setting: per-item calls (each ``item``'s assignments, connectors …) in flight at once (4)."""
    return field(default=4, metadata={
        "help": f"per-{item} calls sent at once (1 = one after the other, at most {MAX_CONCURRENCY}); "
                "the result does not depend on it"})


class ApiSettings(Protocol):
    """Settings of an API connector: at least the ``file`` of saved pages."""

    @property
    def file(self) -> str | None:
        """Saved API pages to read instead of calling the API."""


ApiSettingsT = TypeVar("ApiSettingsT", bound=ApiSettings)


class ApiConnector(Connector[ApiSettingsT, RawT]):
    """A connector that calls an HTTP API (:meth:`fetch`), or reads saved pages of it when ``file`` is set.

    ``ApiConnector[Settings, Raw]``: ``Raw`` names the :attr:`sections` (a TypedDict keyed by section name, or
    :data:`~connectors.http.offline.ApiSections` when every section is a plain list)."""

    #: How the saved pages are laid out (one section per kind of answer).
    sections: ClassVar[tuple[Section, ...]]

    def is_local(self) -> bool:
        return self.settings.file is not None

    def unset_secrets(self) -> list[str]:
        """Environment variables this source will need to call its API that are not set (never their values).

        An alternative credential (a ``secret_env`` setting with ``instead_of``) that is configured replaces
        the others; otherwise every configured credential variable is needed. Saved pages need none.
        """
        if self.is_local():
            return []
        named = [(spec.metadata["secret_env"], getattr(self.settings, spec.name))
                 for spec in dataclasses.fields(self.settings)  # type: ignore[arg-type]
                 if spec.metadata.get("secret_env") and getattr(self.settings, spec.name)]
        alternatives = [name for kind, name in named if kind == "alternative"]
        needed = alternatives or [name for kind, name in named if kind == "required"]
        return [name for name in needed if not os.environ.get(name)]

    def get(self) -> RawT:
        """The saved pages ``file`` names, read by :attr:`sections`, or else :meth:`fetch`."""
        if not self.settings.file:
            return self.fetch()
        pages = load_export(self.context.source_name, self.context.path(self.settings.file), self.sections)
        # every section of ``sections``, nothing else: as ``Raw`` says (tests/connectors/test_connector_typing.py)
        return cast(RawT, pages)

    @abstractmethod
    def fetch(self) -> RawT:
        """Read the API: the same shape as the saved pages. Raises ``ConnectorError``."""

    def bearer_client(self) -> ApiClient:
        """A client on ``settings.base_url`` sending the token of the variable ``settings.token_env``."""
        settings: Any = self.settings
        token = env_secret(self.context.source_name, settings.token_env)
        return api_client(self, settings.base_url, auth=bearer(token), token_env=settings.token_env)
