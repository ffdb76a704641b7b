"""Helpers of the pipeline-connector tests: read the recorded pages offline, or aim a connector at a
local server that replays them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytest_httpserver import HTTPServer

from auditor.model import Inventory
from connectors.base import Connector, ConnectorContext

C = TypeVar("C", bound=Connector[Any])


def offline(connector: type[Connector[Any]], data: Path, **settings: Any) -> Inventory:
    """What ``connector`` reports from the saved pages in ``data/pages`` (``file: pages``)."""
    return connector(connector.settings_class(file="pages", **settings),
                     ConnectorContext(connector.type_id, data)).collect()


def recorded_page(data: Path, name: str) -> dict[str, Any]:
    """One recorded API answer, ``data/pages/<name>``."""
    return json.loads((data / "pages" / name).read_text(encoding="utf-8"))


def at_server(connector: type[C], data: Path, server: HTTPServer, monkeypatch: pytest.MonkeyPatch,
              secrets: Mapping[str, str], **settings: Any) -> C:
    """``connector`` calling the API at ``server`` two items per page; ``secrets`` become environment variables."""
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    values = {"base_url": server.url_for("").rstrip("/"), "page_size": 2, **settings}
    return connector(connector.settings_class(**values), ConnectorContext(connector.type_id, data))
